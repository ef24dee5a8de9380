package model

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayers keeps the arrows pointing down: the domain, rendering, file and connection layers
// know no UI package, steps know nothing of the root UI, and model and render do no I/O of
// their own: render and yamledit import neither os nor os/exec, model no os/exec.
func TestLayers(t *testing.T) {
	deps := func(pkgs ...string) []string {
		out, err := exec.Command("go", append([]string{"list", "-deps"}, pkgs...)...).Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Fields(string(out))
	}
	for _, dep := range deps("crewai-setup/model", "crewai-setup/model/pemkey", "crewai-setup/render",
		"crewai-setup/render/yamledit", "crewai-setup/store", "crewai-setup/preflight") {
		if strings.HasPrefix(dep, "charm.land/") || strings.Contains(dep, "charmbracelet/bubbletea") ||
			strings.Contains(dep, "charmbracelet/bubbles") || strings.Contains(dep, "charmbracelet/lipgloss") {
			t.Errorf("a non-UI package depends on the UI package %s", dep)
		}
	}
	for _, dep := range deps("crewai-setup/steps") {
		if dep == "crewai-setup/ui" || strings.HasPrefix(dep, "crewai-setup/ui/") {
			t.Errorf("steps depends on %s, the root UI above it", dep)
		}
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}: {{join .Imports \" \"}}",
		"crewai-setup/model", "crewai-setup/render", "crewai-setup/render/yamledit").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		for _, imp := range strings.Fields(imports) {
			if imp == "os/exec" || (imp == "os" && pkg != "crewai-setup/model") {
				t.Errorf("%s imports %s: it must stay free of I/O", pkg, imp)
			}
		}
	}
}

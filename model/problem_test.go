package model_test

import (
	"fmt"
	"strings"
	"testing"

	"crewai-setup/guard/guardtest"
	"crewai-setup/model"
)

// Problem.String is what check, init and the wizard print; its path, file name and message can
// all hold text from a file, and none of it may reach the terminal raw.
func TestProblemStringShowsEscapes(t *testing.T) {
	for _, e := range guardtest.Escapes() {
		p := model.Problem{Path: "envVars." + e.Raw, Severity: model.Warning, Message: "unknown key " + e.Raw,
			Pos: model.Pos{File: "values" + e.Raw + ".yaml", Line: 3}}
		got := p.String()
		guardtest.AssertClean(t, e.Name, got, false)
		if !strings.Contains(got, "envVars."+e.Visible) || !strings.Contains(got, "values"+e.Visible+".yaml:3") {
			t.Errorf("%s: %q does not show the path and file", e.Name, got)
		}
		guardtest.AssertClean(t, e.Name+" (Problems.Error)", model.Problems{p, p}.Error(), false)
	}
}

// Loading a file whose keys and values hold escapes: every problem line is clean.
func TestLoadedProblemsShowEscapes(t *testing.T) {
	h := guardtest.Hostile()
	a := model.NewAnswers(model.NewCatalog())
	probs, err := a.Merge([]byte("envVars:\n  DB_HOST: \""+yamlEscape(h)+"\"\n  \"DB_HOTS"+yamlEscape(h)+"\": x\n"+
		"secrets:\n  DB_PASSWORD: \""+yamlEscape(h)+"\"\n"), "values"+h+".yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	probs = append(probs, model.Lint(a)...)
	if len(probs) == 0 {
		t.Fatal("no problems to print")
	}
	for _, p := range probs {
		guardtest.AssertClean(t, p.Path, p.String(), false)
	}
}

// yamlEscape writes s for a double-quoted YAML scalar, control characters escaped (bytes that
// are not UTF-8 become U+FFFD: a YAML file cannot hold them).
func yamlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

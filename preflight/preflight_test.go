package preflight

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// Checks lists the checks that apply, in a fixed order; PostgreSQL always applies.
func TestChecksOrder(t *testing.T) {
	names := func(kv ...string) []string {
		var out []string
		for _, c := range Checks(answers(kv...), Options{}) {
			out = append(out, c.Name)
		}
		return out
	}
	all := names("envVars.GITHUB_APP_ID", "1", "envVars.AUTH_PROVIDER", "entra_id", "envVars.BUILT_IN_LLM_PROVIDER", "openai",
		"secrets.UV_DEFAULT_INDEX", "https://u:p@h/simple/")
	if want := []string{"PostgreSQL", "GitHub App", "SSO (Entra ID)", "LLM", "Package index"}; !slices.Equal(all, want) {
		t.Errorf("checks %v, want %v", all, want)
	}
	if got := names(); !slices.Equal(got, []string{"PostgreSQL"}) {
		t.Errorf("checks for empty answers: %v", got)
	}
}

// The checks read the answers when they are made; later changes do not reach them.
func TestChecksSnapshot(t *testing.T) {
	a := answers("envVars.BUILT_IN_LLM_PROVIDER", "mistral")
	checks := Checks(a, Options{})
	a.Set("envVars.BUILT_IN_LLM_PROVIDER", "openai")
	if r := checks[1].Run(context.Background()); r.Status != Skipped || !strings.Contains(r.Detail, "mistral") {
		t.Errorf("got %s: %s", r.Status, r.Detail)
	}
}

// RunAll runs the checks at the same time, each within the timeout, and keeps their order.
func TestRunAllConcurrentAndBounded(t *testing.T) {
	slow := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer slow.Close()
	host, port := splitAddr(t, serveTCP(t, silent))
	a := answers("postgres.enabled", "false", "envVars.DB_HOST", host, "envVars.DB_PORT", port, "secrets.DB_PASSWORD", "pw",
		"envVars.BUILT_IN_LLM_PROVIDER", "openai", "secrets.BUILT_IN_LLM_API_KEY", "sk-test",
		"secrets.UV_DEFAULT_INDEX", strings.Replace(slow.URL, "https://", "https://u:p@", 1)+"/simple/")
	start := time.Now()
	results := RunAll(context.Background(), a, Options{Timeout: 400 * time.Millisecond, HTTPClient: slow.Client(), OpenAIBase: slow.URL + "/v1"})
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("RunAll took %s for three 400ms checks", took)
	}
	var names []string
	for _, r := range results {
		names = append(names, r.Name)
		want(t, r, Fail, "no answer from", "within 400ms")
	}
	if !slices.Equal(names, []string{"PostgreSQL", "LLM", "Package index"}) {
		t.Errorf("results in order %v", names)
	}
}

func TestStatus(t *testing.T) {
	b, err := json.Marshal(map[string]Status{"a": Pass, "b": Fail, "c": Skipped})
	if err != nil || string(b) != `{"a":"pass","b":"fail","c":"skipped"}` {
		t.Errorf("%s %v", b, err)
	}
}

// preflight must not depend on any UI package: the wizard calls it from its own commands.
func TestNoUIImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "crewai-setup/preflight").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "charm.land/") || strings.Contains(dep, "charmbracelet/") || dep == "crewai-setup/ui" || dep == "crewai-setup/steps" {
			t.Errorf("preflight depends on UI package %s", dep)
		}
	}
}

package steps

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Pressing c on the review runs the connection tests, each in its own command, and shows each
// result as it arrives; the key is sent only to its service and never shown.
func TestReviewConnectionChecks(t *testing.T) {
	var sawKey bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawKey = r.Header.Get("Authorization") == "Bearer sk-review-secret-123"
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":{"message":"Incorrect API key provided"}}`))
	}))
	defer srv.Close()

	ctx := newCtx(t)
	a := ctx.Answers
	a.SetBool("postgres.enabled", true)
	a.Set("envVars.BUILT_IN_LLM_PROVIDER", "openai")
	a.Set("envVars.BUILT_IN_LLM_MODEL", "gpt-4o-mini")
	a.Set("secrets.BUILT_IN_LLM_API_KEY", "sk-review-secret-123")
	r := NewReview(ctx, []Step{NewLLM(ctx)})
	r.Preflight.HTTPClient = srv.Client()
	r.Preflight.OpenAIBase = srv.URL
	r.Init()
	if !strings.Contains(ansi.Strip(r.View()), "press c to test") {
		t.Fatal("the review does not offer the connection tests")
	}
	_, cmd := r.Update(tea.KeyPressMsg{Code: 'c', Text: "c"})
	batch, ok := cmd().(tea.BatchMsg)
	if !ok {
		t.Fatalf("want a batch of checks, got %T", cmd())
	}
	if !strings.Contains(ansi.Strip(r.View()), "…") {
		t.Fatal("running checks are not shown as running")
	}
	for _, c := range batch[1:] { // the first command is the spinner's tick
		r.Update(c())
	}
	view := ansi.Strip(r.View())
	for _, want := range []string{"– PostgreSQL", "✗ LLM"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	if !sawKey {
		t.Error("the LLM check did not send the key to the LLM service")
	}
	if strings.Contains(view, "sk-review-secret") {
		t.Error("the key is shown")
	}
}

package steps

import (
	"strings"
	"testing"

	"crewai-setup/model"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestAuthShowsOnlyTheChosenProvider(t *testing.T) {
	ctx := newCtx(t)
	h := start(t, ctx, NewAuth)
	h.dontWantView("Okta site", "WorkOS client ID", "Keycloak realm", "Entra ID tenant ID", "Auth0 domain")
	// not chosen → WorkOS → Entra ID → Okta
	h.keys(kRight, kRight, kRight)
	h.wantAnswer("envVars.AUTH_PROVIDER", "okta")
	h.wantView("Okta site", "Okta client ID", "Okta authorization server", "Okta audience", "Okta client secret")
	h.dontWantView("WorkOS client", "Keycloak realm", "Entra ID client", "Auth0 domain")
	h.wantView("https://<platform-host>/auth/okta/callback")
	h.send(kRight)
	h.wantView("Keycloak client ID", "Keycloak site", "Keycloak realm", "Keycloak client secret")
	h.dontWantView("Okta site")
	// Local accounts need nothing more.
	h.keys(kRight, kRight)
	h.wantAnswer("envVars.AUTH_PROVIDER", "local")
	h.dontWantView("client ID", "client secret", "callback")
}

func TestIntegrationsSkipReason(t *testing.T) {
	ctx := newCtx(t)
	s := NewIntegrations(ctx)
	if got := s.SkipReason(); !strings.Contains(got, "Built-in Integrations are off") {
		t.Fatalf("skip reason with oauth off = %q", got)
	}
	ctx.Answers.Set("oauth.enabled", "true")
	if got := s.SkipReason(); got != "" {
		t.Fatalf("skip reason with oauth on = %q, want none", got)
	}
}

func TestProductOverrides(t *testing.T) {
	ctx := newCtx(t)
	ctx.Answers.Set("oauth.enabled", "true")
	h := start(t, ctx, NewIntegrations)
	h.send(kSpace) // Google
	h.focusOn("Own OAuth client for")
	h.send(kSpace) // Gmail
	h.wantView("[x] Gmail", "Gmail client ID (override)", "Gmail client secret (override)")
	if got := strings.Join(ctx.Answers.Wizard.OAuthProducts, ","); got != "GOOGLE_GMAIL" {
		t.Fatalf("products = %q", got)
	}
}

// TestNarrowLayout checks the 80-column content area (56 cells): choices wrap instead of
// running off the edge, and labels wrap instead of being cut.
func TestNarrowLayout(t *testing.T) {
	for _, mk := range []func(*Context) Step{NewDeployment, NewDatabase, NewGitHub, NewAuth, NewIntegrations, NewLLM, NewStorage} {
		ctx := newCtx(t)
		ctx.Width, ctx.Height = 53, 21
		ctx.Answers.Set("oauth.enabled", "true")
		ctx.Answers.Set("envVars.AUTH_PROVIDER", "entra_id")
		ctx.Answers.Set("envVars.STORAGE_SERVICE", "amazon")
		ctx.Answers.Wizard.AWSCredentials = "static"
		ctx.Answers.Wizard.OAuthProviders = []string{"google", "microsoft"}
		h := start(t, ctx, mk)
		for {
			for _, l := range strings.Split(h.s.View(), "\n") {
				if w := ansi.StringWidth(l); w > ctx.Width {
					t.Errorf("%s: line of %d cells in a %d-cell area: %q", h.s.ID(), w, ctx.Width, ansi.Strip(l))
				}
				if strings.Contains(ansi.Strip(l), "…") {
					t.Errorf("%s: cut text: %q", h.s.ID(), ansi.Strip(l))
				}
			}
			if lines := strings.Count(h.s.View(), "\n") + 1; lines > ctx.Height {
				t.Errorf("%s: %d lines in a %d-line area", h.s.ID(), lines, ctx.Height)
			}
			// The focused field is always on screen.
			if h.focused() == "" {
				t.Errorf("%s: focused field scrolled out of view:\n%s", h.s.ID(), h.view())
			}
			before := h.focused()
			h.send(kDown)
			if h.focused() == before {
				break
			}
		}
	}
}

func TestScrollKeepsCursorOnFocusedField(t *testing.T) {
	ctx := newCtx(t)
	ctx.Width, ctx.Height = 53, 21
	h := start(t, ctx, NewGitHub)
	h.focusOn("Private Python package")
	h.typeText("https://u:p@pypi.example.com/simple/")
	c := h.s.Cursor()
	if c == nil {
		t.Fatal("no cursor on a text field")
	}
	lines := strings.Split(h.view(), "\n")
	if c.Y >= len(lines) || !strings.HasPrefix(lines[c.Y], "› Private Python") {
		t.Fatalf("cursor on line %d, not the focused field's:\n%s", c.Y, h.view())
	}
	h.wantView("↑ more above")
}

// reviewFixture returns answers for a complete plain-Helm install and the form screens.
func reviewFixture(t *testing.T) (*Context, []Step) {
	ctx := newCtx(t)
	a := ctx.Answers
	for k, v := range map[string]string{
		"postgres.enabled": "false", "envVars.DB_HOST": "db.example.com", "secrets.DB_PASSWORD": "hunter2-secret",
		"envVars.AUTH_PROVIDER": "okta", "envVars.OKTA_SITE": "https://example.okta.com", "envVars.OKTA_CLIENT_ID": "0oa1",
		"envVars.OKTA_AUTHORIZATION_SERVER": "default", "envVars.OKTA_AUDIENCE": "api://default",
		"secrets.OKTA_CLIENT_SECRET": "okta-secret-value",
	} {
		a.Set(k, v)
	}
	a.Wizard.Replicated = true
	screens := []Step{NewDeployment(ctx), NewDatabase(ctx), NewGitHub(ctx), NewAuth(ctx),
		NewIntegrations(ctx), NewLLM(ctx), NewStorage(ctx)}
	return ctx, screens
}

func TestReviewMasksSecretsAndSaysWhatIsGenerated(t *testing.T) {
	ctx, screens := reviewFixture(t)
	h := start(t, ctx, func(ctx *Context) Step { return NewReview(ctx, screens) })
	h.s.(*Review).lines() // warm
	all := ansi.Strip(strings.Join(h.s.(*Review).lines(), "\n"))
	for _, secret := range []string{"hunter2-secret", "okta-secret-value"} {
		if strings.Contains(all, secret) {
			t.Fatalf("review shows secret %q:\n%s", secret, all)
		}
	}
	if !strings.Contains(all, model.Masked("hunter2-secret")) {
		t.Fatalf("review lacks the masked password:\n%s", all)
	}
	if !strings.Contains(all, "✓ Everything checks out") {
		t.Fatalf("complete answers not accepted:\n%s", all)
	}
	if flat := strings.Join(strings.Fields(all), " "); !strings.Contains(flat, "The chart generates these at install and keeps them with lookup: SECRET_KEY_BASE") {
		t.Fatalf("review does not say the chart generates the secrets:\n%s", all)
	}
	if !strings.Contains(all, "skipped: Built-in Integrations are off") {
		t.Fatalf("review does not say why OAuth products are skipped:\n%s", all)
	}
	// ctrl+r shows them.
	h.send(kCtrlR)
	all = ansi.Strip(strings.Join(h.s.(*Review).lines(), "\n"))
	if !strings.Contains(all, "hunter2-secret") {
		t.Fatalf("ctrl+r did not reveal secrets:\n%s", all)
	}

	// ArgoCD: the wizard generates them.
	ctx.Answers.Wizard.ArgoCD = true
	h.run(h.s.Init())
	flat := strings.Join(strings.Fields(ansi.Strip(strings.Join(h.s.(*Review).lines(), "\n"))), " ")
	if !strings.Contains(flat, "The wizard generates these when you write (ArgoCD has no lookup): SECRET_KEY_BASE") {
		t.Fatalf("ArgoCD review does not say the wizard generates the secrets:\n%s", flat)
	}
	// The keys the wizard is about to generate are not problems (the ArgoCD blocker).
	if !strings.Contains(flat, "✓ Everything checks out") || strings.Contains(flat, "must be set explicitly under ArgoCD") {
		t.Fatalf("ArgoCD review refuses keys the wizard generates itself:\n%s", flat)
	}
}

func TestReviewWarningsAndRefusal(t *testing.T) {
	ctx, screens := reviewFixture(t)
	ctx.Answers.Wizard.Replicated = false // GITHUB_TOKEN and UV_DEFAULT_INDEX: warnings
	ctx.Answers.Set("envVars.OKTA_SITE", "http://example.okta.com")
	h := start(t, ctx, func(ctx *Context) Step { return NewReview(ctx, screens) })
	all := ansi.Strip(strings.Join(h.s.(*Review).lines(), "\n"))
	for _, want := range []string{"✗ 1 problem(s) to fix", "! is not set and the install is not through Replicated", "✗ "} {
		if !strings.Contains(all, want) {
			t.Fatalf("review lacks %q:\n%s", want, all)
		}
	}
	// enter does not write while there are errors.
	_, cmd := h.s.Update(kEnter)
	if cmd != nil {
		t.Fatalf("enter with errors returned a command (%T)", cmd())
	}
	for _, b := range h.s.KeyBinds() {
		if b.Help().Desc == "write the files" && b.Enabled() {
			t.Fatal("the write key is offered while there are errors")
		}
	}
	// A number jumps to that screen.
	_, cmd = h.s.Update(char('4'))
	if cmd == nil {
		t.Fatal("4 returned no command")
	}
	if msg, ok := cmd().(JumpMsg); !ok || msg.Index != 3 {
		t.Fatalf("4 asked for %#v, want JumpMsg{3}", msg)
	}
	_, cmd = h.s.Update(char('9'))
	if cmd != nil {
		t.Fatal("9 jumped past the last screen")
	}

	// Fixed: enter writes.
	ctx.Answers.Set("envVars.OKTA_SITE", "https://example.okta.com")
	h.run(h.s.Init())
	_, cmd = h.s.Update(kEnter)
	if cmd == nil {
		t.Fatal("enter without errors returned no command")
	}
	if _, ok := cmd().(WriteMsg); !ok {
		t.Fatal("enter without errors did not ask to write")
	}
}

func TestReviewScrolls(t *testing.T) {
	ctx, screens := reviewFixture(t)
	ctx.Height = 10
	h := start(t, ctx, func(ctx *Context) Step { return NewReview(ctx, screens) })
	first := h.view()
	h.send(tea.KeyPressMsg{Code: tea.KeyPgDown})
	if h.view() == first {
		t.Fatal("pgdown did not scroll")
	}
	h.send(tea.KeyPressMsg{Code: tea.KeyPgUp})
	if h.view() != first {
		t.Fatal("pgup did not scroll back to the top")
	}
}

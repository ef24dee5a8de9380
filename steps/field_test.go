package steps

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestTypingMovesThroughFields(t *testing.T) {
	h := start(t, newCtx(t), NewDatabase)
	if got := h.focused(); !strings.HasPrefix(got, "Database host") {
		t.Fatalf("first focused field = %q, want Database host", got)
	}
	h.typeText("db.internal")
	h.wantAnswer("envVars.DB_HOST", "db.internal")
	h.wantView("Database host *        db.internal") // * : required with your own server

	h.send(kEnter)
	if !strings.HasPrefix(h.focused(), "Database port") {
		t.Fatalf("enter focused %q, want Database port", h.focused())
	}
	h.typeText("6543")
	h.send(kTab)
	if !strings.HasPrefix(h.focused(), "Keep the user name in") {
		t.Fatalf("tab focused %q, want the user placement", h.focused())
	}
	h.send(kShiftTab)
	if !strings.HasPrefix(h.focused(), "Database port") {
		t.Fatalf("shift+tab focused %q, want Database port", h.focused())
	}
	h.send(kBack)
	h.wantAnswer("envVars.DB_PORT", "654")
	h.send(kUp)
	h.typeText("2")
	h.wantAnswer("envVars.DB_HOST", "db.internal2")
	if h.next != 0 {
		t.Fatalf("moving between fields asked for the next screen %d times", h.next)
	}
}

func TestEnterOnLastFieldAsksForNextScreen(t *testing.T) {
	h := start(t, newCtx(t), NewLLM)
	h.typeText("openai")
	h.keys(kEnter, kEnter) // provider, model
	if h.next != 0 {
		t.Fatal("left the screen before the last field")
	}
	h.send(kEnter) // API key: the last field
	if h.next != 1 {
		t.Fatalf("enter on the last field sent %d NextMsg, want 1", h.next)
	}
	// ↓ never leaves the screen.
	h.send(kDown)
	if h.next != 1 {
		t.Fatal("↓ on the last field left the screen")
	}
}

func TestChoiceWithArrows(t *testing.T) {
	ctx := newCtx(t)
	h := start(t, ctx, NewDeployment)
	h.wantView("(•) plain Helm", "( ) ArgoCD / GitOps")
	h.send(kRight)
	if !ctx.Answers.Wizard.ArgoCD {
		t.Fatal("→ did not choose ArgoCD")
	}
	h.wantView("( ) plain Helm", "(•) ArgoCD / GitOps")
	h.send(kLeft)
	if ctx.Answers.Wizard.ArgoCD {
		t.Fatal("← did not go back to plain Helm")
	}
	// Choices wrap around.
	h.send(kLeft)
	if !ctx.Answers.Wizard.ArgoCD {
		t.Fatal("← on the first choice did not wrap to the last")
	}

	h.focusOn("PostgreSQL")
	h.send(kRight)
	h.wantAnswer("postgres.enabled", "true")
	h.wantView("(•) in the cluster")
}

func TestToggleWithYAndN(t *testing.T) {
	ctx := newCtx(t)
	h := start(t, ctx, NewDeployment)
	h.focusOn("Installed through")
	h.wantView("←/→ or y/n")
	h.send(char('y'))
	if !ctx.Answers.Wizard.Replicated {
		t.Fatal("y did not turn Replicated on")
	}
	h.wantView("(•) yes  ( ) no")
	h.send(char('n'))
	if ctx.Answers.Wizard.Replicated {
		t.Fatal("n did not turn Replicated off")
	}
	h.focusOn("Cube analytics")
	h.send(char('Y'))
	h.wantAnswer("cube.enabled", "true")
	h.send(kSpace)
	h.wantAnswer("cube.enabled", "false")
	// Other letters do nothing on a toggle.
	h.send(char('q'))
	h.wantAnswer("cube.enabled", "false")
}

// A toggle with no answer shows no (and says no), as one answered false does.
func TestToggleUnsetShowsNo(t *testing.T) {
	ctx := newCtx(t)
	tg := NewToggle(QuestionFor(ctx.Catalog, "cube.enabled"))
	for _, v := range []string{"", "false", "maybe"} {
		ctx.Answers.Set("cube.enabled", v)
		tg.Load(ctx.Answers)
		lines, _ := tg.View(ctx.Styles, 20, 80)
		if got := ansi.Strip(strings.Join(lines, "\n")); !strings.Contains(got, "( ) yes  (•) no") || tg.Display(ctx.Answers, false) != "no" {
			t.Errorf("answer %q: the toggle shows %q, says %q; want no", v, got, tg.Display(ctx.Answers, false))
		}
	}
}

// The line-by-line mode's "-" (an empty answer) clears a choice that has an empty option.
func TestChoiceAnswerEmpty(t *testing.T) {
	ctx := newCtx(t)
	fields := NewAuth(ctx).Fields()
	provider := fields[0]
	if _, ok := provider.Answer(ctx.Answers, "okta"); !ok {
		t.Fatal("okta was refused")
	}
	if reply, ok := provider.Answer(ctx.Answers, ""); !ok || provider.Display(ctx.Answers, false) != "not chosen" {
		t.Fatalf("clearing the provider: %q, %v; shows %q", reply, ok, provider.Display(ctx.Answers, false))
	}
}

func TestMultiSelectWithSpace(t *testing.T) {
	ctx := newCtx(t)
	ctx.Answers.Set("oauth.enabled", "true")
	h := start(t, ctx, NewIntegrations)
	h.dontWantView("Google client ID")
	h.send(kSpace)
	if got := ctx.Answers.Wizard.OAuthProviders; len(got) != 1 || got[0] != "google" {
		t.Fatalf("space selected %v, want [google]", got)
	}
	h.wantView("[x] Google", "[ ] Microsoft", "Google client ID", "Google client secret")
	h.keys(kRight, kRight, kSpace)
	if got := strings.Join(ctx.Answers.Wizard.OAuthProviders, ","); got != "google,hubspot" {
		t.Fatalf("providers = %s, want google,hubspot", got)
	}
	h.wantView("[x] HubSpot", "HubSpot client ID")
	h.keys(kLeft, kLeft, kSpace)
	if got := strings.Join(ctx.Answers.Wizard.OAuthProviders, ","); got != "hubspot" {
		t.Fatalf("providers = %s after unselecting Google, want hubspot", got)
	}
	h.dontWantView("Google client ID")
}

func TestSecretMaskedUntilRevealed(t *testing.T) {
	h := start(t, newCtx(t), NewDatabase)
	h.focusOn("Database password")
	h.typeText("hunter2")
	h.wantAnswer("secrets.DB_PASSWORD", "hunter2")
	h.dontWantView("hunter2")
	h.wantView("Database password *    •••••••")
	h.send(kCtrlR)
	h.wantView("Database password *    hunter2")
	h.send(kCtrlR)
	h.dontWantView("hunter2")
}

func TestGenerateRunsInACommand(t *testing.T) {
	ctx := newCtx(t)
	h := start(t, ctx, NewGitHub)
	h.focusOn("GitHub webhook secret")
	s, cmd := h.s.Update(kCtrlG)
	h.s = s
	if cmd == nil {
		t.Fatal("ctrl+g returned no command")
	}
	h.wantView("generating…")
	h.wantAnswer("secrets.GITHUB_WEBHOOK_SECRET_TOKEN", "")
	msg := cmd()
	if _, ok := msg.(generatedMsg); !ok {
		t.Fatalf("the generator's command returned %T, want generatedMsg", msg)
	}
	h.send(msg)
	v := ctx.Answers.Get("secrets.GITHUB_WEBHOOK_SECRET_TOKEN")
	if !regexp.MustCompile(`^[A-Za-z0-9]{64}$`).MatchString(v) {
		t.Fatalf("generated %q, want 64 letters and digits", v)
	}
	h.wantFlat("generated a fresh value (64 random letters and digits)")
	h.dontWantView(v)
	h.send(kCtrlR)
	h.wantView(v[len(v)-20:])
}

func TestGenerateWorkOSCookiePassword(t *testing.T) {
	ctx := newCtx(t)
	ctx.Answers.Set("envVars.AUTH_PROVIDER", "workos")
	h := start(t, ctx, NewAuth)
	h.focusOn("WorkOS cookie password")
	h.send(kCtrlG)
	if v := ctx.Answers.Get("envVars.WORKOS_COOKIE_PASSWORD"); len(v) < 32 {
		t.Fatalf("generated cookie password %q is shorter than 32", v)
	}
	if probs := h.s.Validate().For("envVars.WORKOS_COOKIE_PASSWORD"); len(probs) != 0 {
		t.Fatalf("generated value fails validation: %v", probs)
	}
}

func TestBigPasteArrivesWhole(t *testing.T) {
	h := start(t, newCtx(t), NewDatabase)
	h.focusOn("Database password")
	big := strings.Repeat("0123456789abcdef", 320) // 5 KiB
	h.paste(big)
	h.wantAnswer("secrets.DB_PASSWORD", big)

	// A trailing line break from a terminal copy is dropped, CRLF included.
	h.focusOn("Database host")
	h.paste("db.example.com\r\n")
	h.wantAnswer("envVars.DB_HOST", "db.example.com")

	// A long token with CRLF line breaks inside still arrives whole, without carriage returns.
	h.focusOn("Database user")
	long := strings.Repeat("x", 4096)
	h.paste(long + "\r\n" + long + "\r\n")
	got := h.ctx.Answers.Get("envVars.DB_USER")
	if strings.ContainsAny(got, "\r\n") || len(got) != 2*4096+1 {
		t.Fatalf("pasted %d bytes with CRLF inside, got %d bytes (CR or LF kept: %v)", 2*4096+4, len(got), strings.ContainsAny(got, "\r\n"))
	}
}

func TestPasteIntoChoiceIsIgnored(t *testing.T) {
	ctx := newCtx(t)
	h := start(t, ctx, NewDeployment)
	h.paste("true")
	if ctx.Answers.Wizard.ArgoCD {
		t.Fatal("a paste changed a choice")
	}
}

func TestValidateShowsErrorsNextToFields(t *testing.T) {
	ctx := newCtx(t)
	h := start(t, ctx, NewGitHub)
	h.typeText("abc")
	probs := h.s.Validate()
	if len(probs.For("envVars.GITHUB_APP_ID").Warnings()) != 1 {
		t.Fatalf("a non-numeric App ID got no warning: %v", probs)
	}
	lines := strings.Split(h.view(), "\n")
	for i, l := range lines {
		if strings.Contains(l, "GitHub App ID") {
			if i+1 >= len(lines) || !strings.Contains(lines[i+1], "! should be the App's numeric ID") {
				t.Fatalf("no warning under the App ID:\n%s", h.view())
			}
		}
	}
	// The App's other values are now expected (a warning: the reference does not make them
	// required together), each with its finding under its field.
	for _, label := range []string{"GitHub App client ID", "GitHub App URL", "GitHub App client secret", "Private key (.pem)"} {
		found := false
		for i, l := range lines {
			if strings.Contains(l, label) && i+1 < len(lines) && strings.Contains(lines[i+1], "! is required") {
				found = true
			}
		}
		if !found {
			t.Errorf("no finding under %s:\n%s", label, h.view())
		}
	}
	// The package index is required without Replicated (the reference says so): an error.
	if len(probs.For("secrets.UV_DEFAULT_INDEX").Errors()) != 1 {
		t.Errorf("no error for the missing package index: %v", probs)
	}
	// Typing clears the field's finding.
	h.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	h.dontWantView("should be the App's numeric ID")
}

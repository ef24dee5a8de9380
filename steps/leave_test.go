package steps

import (
	"strings"
	"testing"

	"crewai-setup/model"

	tea "charm.land/bubbletea/v2"
)

// portWarning is what the port field shows for a value that is not a port.
const portWarning = "! should be a port number from 1 to 65535, written in digits"

// Leaving a field with a bad value marks it at once, whichever key leaves it.
func TestValidationWhenLeavingAField(t *testing.T) {
	for name, k := range map[string]tea.KeyPressMsg{
		"enter": kEnter, "tab": kTab, "shift+tab": kShiftTab, "up": kUp, "down": kDown,
	} {
		t.Run(name, func(t *testing.T) {
			h := start(t, newCtx(t), NewDatabase)
			h.focusOn("Database port")
			h.typeText("54x")
			h.dontWantView(portWarning) // not while typing
			h.send(k)
			if strings.HasPrefix(h.focused(), "Database port") {
				t.Fatalf("%s did not leave the port field", name)
			}
			lines := strings.Split(h.view(), "\n")
			for i, l := range lines {
				if strings.Contains(l, "Database port") {
					if i+1 >= len(lines) || !strings.Contains(lines[i+1], portWarning) {
						t.Fatalf("%s left the port without its error under it:\n%s", name, h.view())
					}
				}
			}
			// A field left with a good value shows nothing.
			h.focusOn("Database port")
			h.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
			h.typeText("5433")
			h.send(k)
			h.dontWantView(portWarning)
		})
	}
}

// The stale frame of issue 12: Enter on the last field while a field further up has an error
// moves the focus there; the frame must show that (the harness checks the marker, the cursor
// and the error after every message, and after the root's refusal), and the next keys go
// into that field. A warning (the port) stays in view and does not hold the screen.
func TestDatabaseEnterOnLastFieldGoesToTheBadField(t *testing.T) {
	ctx := newCtx(t)
	ctx.Answers.Set("oauth.enabled", "true")
	ctx.Answers.Set("wharf.enabled", "true")
	h := start(t, ctx, NewDatabase)
	h.typeText("db.example.com")
	h.send(kEnter)
	h.typeText("99999")
	h.focusOn("Wharf database name")
	h.send(kEnter)
	if h.stayed != 1 {
		t.Fatalf("enter on the last field without a password: the screen was left (%d refusals)", h.stayed)
	}
	if got := h.focused(); !strings.HasPrefix(got, "Database password") {
		t.Fatalf("focus on %q, want the password:\n%s", got, h.view())
	}
	h.wantFlat("✗ is required", portWarning)
	h.typeText("pw")
	h.wantAnswer("secrets.DB_PASSWORD", "pw")
	h.wantAnswer("postgres.wharfDatabase", "")
	h.focusOn("Wharf database name")
	h.send(kEnter)
	if h.stayed != 1 || h.next != 2 {
		t.Fatalf("with only the port's warning left the screen was refused (%d refusals of %d)", h.stayed, h.next)
	}
}

// The same on the LLM screen with the model and key left empty: the key is an error.
func TestLLMEnterOnLastFieldGoesToTheEmptyKey(t *testing.T) {
	h := start(t, newCtx(t), NewLLM)
	h.typeText("openai")
	h.keys(kEnter, kEnter, kEnter)
	if h.stayed != 1 {
		t.Fatalf("enter with the model and key empty: %d refusals, want 1", h.stayed)
	}
	if got := h.focused(); !strings.HasPrefix(got, "LLM API key") {
		t.Fatalf("focus on %q, want the API key:\n%s", got, h.view())
	}
	h.wantFlat("✗ is required", "! is required")
	h.typeText("sk-example")
	h.wantAnswer("secrets.BUILT_IN_LLM_API_KEY", "sk-example")
}

// A long value scrolled while edited shows its start once the field is left and the
// window widens, and the same when the window widens first.
func TestResizeShowsTheStartOfABlurredValue(t *testing.T) {
	const url = "https://github.com/apps/crewai-example/installations/new"
	for _, order := range []string{"leave, then widen", "widen, then leave"} {
		t.Run(order, func(t *testing.T) {
			ctx := newCtx(t)
			ctx.Width = 50
			h := start(t, ctx, NewGitHub)
			h.focusOn("GitHub App URL")
			h.typeText(url) // the cursor at the end: the start is scrolled off
			if line := h.line("GitHub App URL"); strings.Contains(line, "https://github") {
				t.Fatalf("a %d-character URL fits a 50-cell screen?\n%s", len(url), h.view())
			}
			for _, w := range []int{56, 70, 90} {
				if order == "leave, then widen" {
					h.send(kTab)
					ctx.Width = w
				} else {
					ctx.Width = w
					h.view()
					h.send(kTab)
				}
				if l := h.line("GitHub App URL"); !strings.Contains(l, "https://github.com/") {
					t.Fatalf("at %d cells the left URL does not show its start: %q", w, l)
				}
				h.focusOn("GitHub App URL")
				h.send(tea.KeyPressMsg{Code: tea.KeyEnd})
			}
		})
	}
}

// snapshot is everything answers hold, for comparing them before and after.
func snapshot(a *model.Answers) string {
	var b strings.Builder
	for _, p := range a.Paths() {
		b.WriteString(p + "=" + a.Get(p) + "\n")
	}
	b.WriteString(strings.ReplaceAll(strings.TrimSpace(fmtWizard(a)), "\n", " "))
	return b.String()
}

// Building a screen, showing it and drawing it changes no answer: not on fresh answers
// (where a choice shows nothing chosen rather than writing its first choice) and not on a
// prefilled install (where providers with credentials are ticked on screen only).
func TestBuildingScreensChangesNoAnswers(t *testing.T) {
	for name, load := range map[string]func(t *testing.T, cat *model.Catalog) *model.Answers{
		"fresh": func(_ *testing.T, cat *model.Catalog) *model.Answers { return model.NewAnswers(cat) },
		"prefilled": func(t *testing.T, cat *model.Catalog) *model.Answers {
			a, probs, err := model.LoadAnswersFile(cat, "../testdata/wizard-realistic.yaml")
			if err != nil || probs.HasErrors() {
				t.Fatal(err, probs)
			}
			a.Wizard.OAuthProviders = nil // only the credentials say Google is in use
			if probs := a.Resolve(); probs.HasErrors() {
				t.Fatal(probs)
			}
			return a
		},
	} {
		t.Run(name, func(t *testing.T) {
			ctx := newCtx(t)
			ctx.Answers = load(t, ctx.Catalog)
			before := snapshot(ctx.Answers)
			screens := Screens(ctx)
			all := append(screens, NewReview(ctx, screens), NewDone(ctx))
			for _, s := range all {
				s.Init()
				s.View()
				s.KeyBinds()
			}
			if after := snapshot(ctx.Answers); after != before {
				t.Fatalf("building the screens changed the answers:\n--- before\n%s\n--- after\n%s", before, after)
			}
			if name == "prefilled" {
				h := start(t, ctx, NewIntegrations)
				h.wantView("[x] Google", "Google client ID")
			}
		})
	}
}

// The user name moves with its placement, which starts where the answers have it.
func TestDatabaseUserPlacement(t *testing.T) {
	ctx := newCtx(t)
	ctx.Answers.Set("secrets.DB_USER", "crewai")
	h := start(t, ctx, NewDatabase)
	h.wantView("(•) secrets.yaml (secrets.DB_USER)")
	h.focusOn("Keep the user name in")
	h.send(kLeft)
	h.wantAnswer("secrets.DB_USER", "")
	h.wantAnswer("envVars.DB_USER", "crewai")
	h.focusOn("Database user")
	h.typeText("2")
	h.wantAnswer("envVars.DB_USER", "crewai2")
	// Back in secrets.yaml, values.yaml keeps it too: Wharf reads only envVars.DB_USER.
	h.focusOn("Keep the user name in")
	h.send(kRight)
	h.wantAnswer("secrets.DB_USER", "crewai2")
	h.wantAnswer("envVars.DB_USER", "crewai2")
}

// Leaving the last field while its key file is still being read ends the form only when the
// read is in, so the next step sees the key.
func TestFormDoneWaitsForTheKeyFile(t *testing.T) {
	k := rsaKey(t, 2048)
	path := writeFile(t, t.TempDir(), "app.pem", pkcs1PEM(k))
	ctx := newCtx(t)
	f := NewForm(ctx.Answers, NewKeyFile(QuestionFor(ctx.Catalog, "secrets.GITHUB_APP_PRIVATE_KEY")))
	f.FocusFirst(ctx.Answers, false)
	for _, r := range path {
		f.Update(char(r), ctx.Answers)
	}
	read, done := f.Update(kEnter, ctx.Answers)
	if done || read == nil || !f.Busy() {
		t.Fatalf("enter on the last field: done %v, reading %v; want the read started and the form not done", done, f.Busy())
	}
	if _, done := f.Update(tea.BackgroundColorMsg{}, ctx.Answers); done {
		t.Fatal("the form was done before the key file was read")
	}
	if _, done := f.Update(read(), ctx.Answers); !done || f.Busy() {
		t.Fatalf("after the read: done %v, busy %v; want done", done, f.Busy())
	}
	if got := ctx.Answers.Get("secrets.GITHUB_APP_PRIVATE_KEY"); got != pkcs1PEM(k) {
		t.Fatalf("the answer is %.40q, want the key from the file", got)
	}
}

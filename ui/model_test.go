package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/model"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func TestLeavingWithErrorsStays(t *testing.T) {
	hs := emptyHarness(t, t.TempDir(), 120, 40)
	hs.wantScreen("deployment")
	hs.send(kRight) // ArgoCD
	hs.focusOn("Encrypt secrets.yaml")
	hs.send(kEnter)
	hs.wantScreen("database")
	// Leave the database screen with nothing filled in: the password is required (the
	// reference says so: an error), the host expected (a warning: the reference is silent).
	hs.focusOn("Wharf database name")
	hs.send(kEnter)
	hs.wantScreen("database")
	lines := strings.Split(hs.view(), "\n")
	for label, mark := range map[string]string{"Database host": "! is required", "Database password": "✗ is required"} {
		found := false
		for i, l := range lines {
			if strings.Contains(l, label) && i+1 < len(lines) && strings.Contains(lines[i+1], mark) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %q under %s:\n%s", mark, label, hs.view())
		}
	}
	// Focus went to the first field with an error, and the step list marks the screen.
	if got := hs.focusedLabel(); !strings.HasPrefix(got, "Database password") {
		t.Fatalf("focus on %q, want the first field with an error", got)
	}
	// Fix them and go on.
	hs.typeText("pw")
	for range 4 {
		hs.send(tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift})
	}
	if got := hs.focusedLabel(); !strings.HasPrefix(got, "Database host") {
		t.Fatalf("shift+tab ×4 from the password reached %q", got)
	}
	hs.typeText("db.example.com")
	hs.focusOn("Wharf database name")
	hs.send(kEnter)
	hs.wantScreen("github")
	hs.wantView("✓ Database")
}

func TestEscGoesBackKeepingAnswers(t *testing.T) {
	hs := emptyHarness(t, t.TempDir(), 120, 40)
	hs.focusOn("Platform host name")
	hs.typeText("crewai.example.com")
	hs.focusOn("Encrypt secrets.yaml")
	hs.send(kEnter)
	hs.wantScreen("database")
	hs.typeText("db.example.com")
	hs.send(kEsc)
	hs.wantScreen("deployment")
	hs.wantView("crewai.example.com")
	if got := hs.m.ctx.Answers.Wizard.Host; got != "crewai.example.com" {
		t.Fatalf("host = %q after esc", got)
	}
	// And forward again: the database answer is still there.
	hs.focusOn("Encrypt secrets.yaml")
	hs.send(kEnter)
	hs.wantScreen("database")
	hs.wantView("db.example.com")
	if got := hs.answer("envVars.DB_HOST"); got != "db.example.com" {
		t.Fatalf("DB_HOST = %q after going back and forth", got)
	}
	// Esc on the first screen stays there.
	hs.send(kEsc)
	hs.send(kEsc)
	hs.wantScreen("deployment")
}

func TestCtrlCConfirmsWhenAnswersWereTyped(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	hs := emptyHarness(t, out, 120, 40)
	hs.focusOn("Platform host name")
	hs.typeText("crewai.example.com")
	hs.send(kCtrlC)
	if hs.quit {
		t.Fatal("ctrl+c with typed answers quit without asking")
	}
	hs.wantView("Discard your answers and quit without writing anything? y/n")
	// Keys other than y/n are ignored while asking.
	hs.send(char('x'))
	hs.wantView("Discard your answers")
	hs.send(char('n'))
	hs.dontWantView("Discard your answers")
	hs.typeText(".org")
	if got := hs.m.ctx.Answers.Wizard.Host; got != "crewai.example.com.org" {
		t.Fatalf("typing after n: host = %q", got)
	}
	hs.send(kCtrlC)
	hs.send(char('y'))
	if !hs.quit || !hs.m.Aborted() {
		t.Fatal("y did not abort")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("aborting wrote %s (%v)", out, err)
	}
}

func TestCtrlCWithoutAnswersQuits(t *testing.T) {
	hs := emptyHarness(t, t.TempDir(), 120, 40)
	hs.send(kCtrlC)
	if !hs.quit || !hs.m.Aborted() {
		t.Fatal("ctrl+c on an untouched wizard did not quit")
	}
}

func TestOAuthProductsSkippedWithReason(t *testing.T) {
	hs := emptyHarness(t, t.TempDir(), 120, 40)
	hs.wantView("– OAuth products")
	// The reason wraps under the title instead of being cut.
	flat := strings.Join(strings.Fields(sidebarText(hs.view())), " ")
	if !strings.Contains(flat, "– OAuth products Built-in Integrations are off (Deployment)") {
		t.Fatalf("step list does not say why:\n%s", hs.view())
	}

	// Skipped: from LLM, esc goes back to Authentication, and forward skips it again.
	hs.send(jump(5))
	hs.wantScreen("llm")
	hs.send(kEsc)
	hs.wantScreen("auth")
	hs.send(kEnter) // provider "not chosen" is the only field
	hs.wantScreen("llm")

	// Turned on, it is a screen like the others.
	hs.send(jump(0))
	hs.focusOn("Built-in Integrations")
	hs.send(char('y'))
	hs.dontWantView("Integrations are off")
	hs.send(jump(3))
	hs.send(kEnter)
	hs.wantScreen("integrations")
}

// sidebarText is the step list column of a plain view.
func sidebarText(v string) string {
	var b strings.Builder
	for _, l := range strings.Split(v, "\n") {
		if left, _, ok := strings.Cut(l, "│"); ok {
			b.WriteString(left + "\n")
		}
	}
	return b.String()
}

func TestTooSmallAndBack(t *testing.T) {
	hs := emptyHarness(t, t.TempDir(), 80, 24)
	normal := hs.view()
	for _, size := range [][2]int{{59, 24}, {80, 15}, {40, 10}} {
		hs.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		hs.wantView("Terminal too small", "Make it at least 60×16")
		hs.dontWantView("Deployed with")
	}
	// Keys still work while it is too small; the layout comes back whole.
	hs.send(tea.WindowSizeMsg{Width: 60, Height: 16})
	hs.dontWantView("Terminal too small")
	hs.wantView("Deployed with", "Deployment")
	hs.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if got := hs.view(); got != normal {
		t.Fatalf("layout after resizing back differs:\n%s\nwant:\n%s", got, normal)
	}
}

func TestHelpToggles(t *testing.T) {
	hs := emptyHarness(t, t.TempDir(), 120, 40)
	hs.send(kF1)
	hs.wantView("Keys", "previous screen", "quit")
	hs.send(kEsc)
	hs.wantScreen("deployment")
	hs.dontWantView("Keys\n")
	hs.send(char('?'))
	hs.wantView("Keys")
	hs.send(char('?'))
	// In a text field ? is a character.
	hs.focusOn("Namespace")
	hs.send(char('?'))
	if got := hs.m.ctx.Answers.Wizard.Namespace; got != "?" {
		t.Fatalf("? in a text field: namespace = %q", got)
	}
}

func TestReviewJumpsBackAndRefusesWithErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	hs := emptyHarness(t, out, 120, 40)
	hs.send(jump(7))
	hs.wantScreen("review")
	hs.wantView("problems to fix")
	hs.send(kEnter)
	hs.wantScreen("review")
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("enter on a review with errors wrote files")
	}
	hs.send(char('2'))
	hs.wantScreen("database")
	hs.typeText("db.example.com")
	hs.focusOn("Database password")
	hs.typeText("pw")
	// Without Replicated the GitHub token and package index are required too.
	hs.send(jump(0))
	hs.focusOn("Installed through Replicated")
	hs.send(char('y'))
	hs.send(jump(7))
	hs.wantView("✓ Ready to write")
	hs.send(kEnter)
	hs.wantScreen("done")
	hs.wantView("✓ wrote "+filepath.Join(out, "values.yaml"), "✓ wrote "+filepath.Join(out, "secrets.yaml"))
	if hs.m.Result() == nil {
		t.Fatal("no result after writing")
	}
	// Esc no longer goes back; q quits.
	hs.send(kEsc)
	hs.wantScreen("done")
	hs.send(char('q'))
	if !hs.quit || hs.m.Aborted() {
		t.Fatal("q on the done screen did not quit cleanly")
	}
}

func TestLightBackgroundRestylesEveryScreen(t *testing.T) {
	hs := emptyHarness(t, t.TempDir(), 120, 40)
	hs.focusOn("Encrypt secrets.yaml")
	dark := hs.m.View().Content
	hs.send(tea.BackgroundColorMsg{Color: lightColor})
	if hs.m.isDark {
		t.Fatal("a light background left the dark theme on")
	}
	light := hs.m.View().Content
	if light == dark {
		t.Fatal("the light theme draws the same as the dark one")
	}
	// The text input of the current screen uses the light text colour, not the dark one.
	if strings.Contains(light, "232;232;232") {
		t.Fatal("light theme still draws text in the dark theme's #E8E8E8")
	}
	hs.send(tea.BackgroundColorMsg{Color: darkColor})
	if got := hs.m.View().Content; got != dark {
		t.Fatal("back to dark does not draw as before")
	}
}

func TestAnswersPrefilledShowUp(t *testing.T) {
	a := model.NewAnswers(model.NewCatalog())
	a.Set("envVars.DB_HOST", "prefilled.example.com")
	hs := newHarness(t, a, t.TempDir(), 120, 40)
	hs.send(jump(1))
	hs.wantView("prefilled.example.com")
}

// TestKeystrokeChangesOneCell checks what makes typing cheap on the wire: the renderer diffs
// cells, so a typed character must change the frame by that character alone (no restyled
// cell after it, no footer or hint that changes), and the terminal cursor must sit right after
// the text, where the next character goes.
func TestKeystrokeChangesOneCell(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		hs := emptyHarness(t, t.TempDir(), size[0], size[1])
		hs.send(jump(1)) // Database, host field focused
		hs.typeText("db.example")
		for _, r := range "-x1" {
			before := strings.Split(hs.m.View().Content, "\n")
			hs.send(char(r))
			v := hs.m.View()
			after := strings.Split(v.Content, "\n")
			changed := 0
			for i := range after {
				if after[i] == before[i] {
					continue
				}
				changed++
				if got, want := strings.TrimRight(after[i], " "), strings.TrimRight(before[i], " ")+string(r); got != want {
					t.Errorf("%dx%d: typing %q changed line %d beyond the character:\n%q\n%q", size[0], size[1], r, i, before[i], after[i])
				}
				// The cursor is on this line, right after the text.
				plain := strings.TrimRight(ansi.Strip(after[i]), " ")
				if v.Cursor == nil || v.Cursor.Y != i || v.Cursor.X != ansi.StringWidth(plain) {
					t.Errorf("%dx%d: cursor at %v, want (%d, %d) after %q", size[0], size[1], v.Cursor, ansi.StringWidth(plain), i, plain)
				}
			}
			if changed != 1 {
				t.Errorf("%dx%d: typing %q changed %d lines, want 1", size[0], size[1], r, changed)
			}
		}
	}
}

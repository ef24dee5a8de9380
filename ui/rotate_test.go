package ui

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"crewai-setup/model"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// drive sends a message to the rotation picker and runs the commands it returns, feeding
// their messages back (spinner ticks are dropped: they only animate).
func drive(t *testing.T, m *RotateModel, msg tea.Msg) {
	t.Helper()
	_, cmd := m.Update(msg)
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				run(c)
			}
		case nil, tea.QuitMsg, spinner.TickMsg:
		default:
			_, next := m.Update(msg)
			run(next)
		}
	}
	run(cmd)
}

func typeText(t *testing.T, m *RotateModel, s string) {
	t.Helper()
	for _, r := range s {
		drive(t, m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// Rotating a key that protects data at rest needs its name typed; the values a key cannot
// get by generation are asked for; nothing is confirmed without "yes".
func TestRotatePickerConfirmation(t *testing.T) {
	a := model.NewAnswers(model.NewCatalog())
	a.Set("secrets.DB_PASSWORD", "old")
	a.Set("secrets.ENCRYPTION_KEY", strings.Repeat("0", 64))
	m := NewRotate(a)
	drive(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	view := ansi.Strip(m.View().Content)
	if !strings.Contains(view, "secrets.DB_PASSWORD") || !strings.Contains(view, "ALTER ROLE") {
		t.Fatalf("the list or the focused key's consequence is missing:\n%s", view)
	}
	// What the key is for, next to what rotating it breaks.
	if e := a.Catalog().Lookup("secrets.DB_PASSWORD"); !strings.Contains(strings.Join(strings.Fields(view), " "), "What DB_PASSWORD is for: "+e.Purpose) {
		t.Fatalf("the focused key's purpose is missing:\n%s", view)
	}
	// The footer offers the keys of the list, and no esc (there is nothing to go back to).
	if footer := lastLine(view); !strings.Contains(footer, "space pick") || strings.Contains(footer, "esc") {
		t.Fatalf("the list's footer: %q", footer)
	}
	// Pick DB_PASSWORD (first) and ENCRYPTION_KEY.
	drive(t, m, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	for i, e := range m.candidates {
		if e.Name() == "ENCRYPTION_KEY" {
			for range i {
				drive(t, m, tea.KeyPressMsg{Code: tea.KeyDown})
			}
		}
	}
	drive(t, m, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyEnter})
	if !strings.Contains(ansi.Strip(m.View().Content), "New database password") {
		t.Fatalf("the password that cannot be generated is not asked for:\n%s", ansi.Strip(m.View().Content))
	}
	typeText(t, m, "n3w-pw")
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyEnter})
	// A masked value is typed twice: a mismatch stays on the values and says so.
	if !strings.Contains(ansi.Strip(m.View().Content), "Repeat the new database password") {
		t.Fatalf("the new password is not asked again:\n%s", ansi.Strip(m.View().Content))
	}
	typeText(t, m, "n3w-px")
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyEnter})
	if view = ansi.Strip(m.View().Content); m.phase != phaseValues || !strings.Contains(view, "✗ does not match the new value above") {
		t.Fatalf("a mistyped repetition went on:\n%s", view)
	}
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyBackspace})
	typeText(t, m, "w")
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyEnter})
	view = ansi.Strip(m.View().Content)
	if !strings.Contains(view, "Type ENCRYPTION_KEY") || strings.Contains(view, "n3w-pw") {
		t.Fatalf("no typed confirmation, or the new password is shown:\n%s", view)
	}
	// A wrong name and "yes" do not confirm.
	typeText(t, m, "ENCRYPTION")
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyEnter})
	typeText(t, m, "yes")
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyEnter})
	if m.Changes() != nil {
		t.Fatal("confirmed with a wrong key name")
	}
	// Correct the name: now it is confirmed.
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift})
	typeText(t, m, "_KEY")
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyEnter})
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyEnter})
	changes := m.Changes()
	if len(changes) != 2 {
		t.Fatalf("changes = %d, want 2", len(changes))
	}
	for _, c := range changes {
		if c.Entry.Name() == "DB_PASSWORD" && c.New != "n3w-pw" {
			t.Errorf("DB_PASSWORD new value %q", c.New)
		}
	}
}

// lastLine is the last line of a view.
func lastLine(view string) string {
	lines := strings.Split(strings.TrimRight(view, "\n"), "\n")
	return lines[len(lines)-1]
}

// A generated secret that is also set elsewhere (the GitHub webhook secret goes into the
// App's settings) can be seen before writing: masked, ctrl+r shows it, ctrl+r hides it.
func TestRotateShowsGeneratedValueOnRequest(t *testing.T) {
	a := model.NewAnswers(model.NewCatalog())
	a.Set("secrets.GITHUB_WEBHOOK_SECRET_TOKEN", "old-webhook-secret")
	m := NewRotate(a)
	drive(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	drive(t, m, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyEnter})
	if m.phase != phaseConfirm || len(m.changes) != 1 {
		t.Fatalf("phase %d, %d changes:\n%s", m.phase, len(m.changes), ansi.Strip(m.View().Content))
	}
	secret := m.changes[0].New
	view := ansi.Strip(m.View().Content)
	if strings.Contains(view, secret) || !strings.Contains(view, "ctrl+r shows it") || !strings.Contains(lastLine(view), "ctrl+r") {
		t.Fatalf("the new value is shown before asked for, or ctrl+r is not offered:\n%s", view)
	}
	drive(t, m, tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	if view = ansi.Strip(m.View().Content); !strings.Contains(view, secret) {
		t.Fatalf("ctrl+r did not show the new value:\n%s", view)
	}
	drive(t, m, tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	if view = ansi.Strip(m.View().Content); strings.Contains(view, secret) {
		t.Fatalf("ctrl+r again did not hide it:\n%s", view)
	}
	typeText(t, m, "yes")
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyEnter})
	if got := m.Changes(); len(got) != 1 || got[0].New != secret {
		t.Fatalf("confirmed %v", got)
	}
}

// A list longer than the terminal scrolls with the cursor and says what is hidden.
func TestRotateListSaysWhatIsHidden(t *testing.T) {
	a := model.NewAnswers(model.NewCatalog())
	a.Set("secrets.DB_PASSWORD", "old")
	m := NewRotate(a)
	drive(t, m, tea.WindowSizeMsg{Width: 100, Height: 16})
	more := func(arrow string) bool {
		return regexp.MustCompile(arrow + ` \d+ more`).MatchString(ansi.Strip(m.View().Content))
	}
	if view := ansi.Strip(m.View().Content); !more("↓") || more("↑") {
		t.Fatalf("the top of a long list does not say there is more below:\n%s", view)
	}
	for range len(m.candidates) - 1 {
		drive(t, m, tea.KeyPressMsg{Code: tea.KeyDown})
	}
	if view := ansi.Strip(m.View().Content); !more("↑") || more("↓") {
		t.Fatalf("the end of a long list does not say there is more above:\n%s", view)
	}
	if lines := strings.Count(m.View().Content, "\n") + 1; lines > 16 {
		t.Fatalf("%d lines on a 16-line terminal", lines)
	}
}

// A key file typed as the last value is read before the new values are planned: the plan
// holds the key from the file (leaving the field starts the read, which takes a moment).
func TestRotatePickerWaitsForTheKeyFile(t *testing.T) {
	pem, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	a := model.NewAnswers(model.NewCatalog())
	a.Set("secrets.GITHUB_APP_PRIVATE_KEY", "the old key")
	m := NewRotate(a)
	drive(t, m, tea.WindowSizeMsg{Width: 100, Height: 40})
	for i, e := range m.candidates {
		if e.Name() == "GITHUB_APP_PRIVATE_KEY" {
			for range i {
				drive(t, m, tea.KeyPressMsg{Code: tea.KeyDown})
			}
		}
	}
	drive(t, m, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyEnter})
	typeText(t, m, keyFile)
	drive(t, m, tea.KeyPressMsg{Code: tea.KeyEnter})
	if m.probs.HasErrors() || len(m.changes) != 1 {
		t.Fatalf("planned %d changes with %v:\n%s", len(m.changes), m.probs, ansi.Strip(m.View().Content))
	}
	if got := m.changes[0]; got.Entry.Name() != "GITHUB_APP_PRIVATE_KEY" || got.New != string(pem) {
		t.Fatalf("planned %s → %.40q, want the key from %s", got.Entry.Name(), got.New, keyFile)
	}
}

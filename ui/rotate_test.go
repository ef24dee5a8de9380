package ui

import (
	"os"
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

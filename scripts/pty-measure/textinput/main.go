// Command textinput is a bare Bubble Tea program with one bubbles textinput, the baseline
// pty-measure compares crewai-setup and gum with: whatever it costs per keystroke is the cost
// of Bubble Tea and the text field themselves.
package main

import (
	"fmt"
	"os"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// model is the one text field.
type model struct{ input textinput.Model }

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && (k.String() == "ctrl+c" || k.String() == "esc" || k.String() == "enter") {
		return m, tea.Quit
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

func (m model) View() tea.View { return tea.NewView(m.input.View()) }

func main() {
	in := textinput.New()
	in.Placeholder = "host"
	in.SetWidth(60)
	in.Focus()
	if _, err := tea.NewProgram(model{input: in}).Run(); err != nil {
		fmt.Fprintln(os.Stderr, "textinput:", err)
		os.Exit(1)
	}
}

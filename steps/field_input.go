package steps

import (
	"strings"
	"unicode/utf8"

	"crewai-setup/steps/text"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// PEMBegin and PEMEnd start the first and the last line of a PEM block.
const (
	PEMBegin = "-----BEGIN"
	PEMEnd   = "-----END"
)

// input is the one-line text entry of the text, secret and key file fields: a textinput laid
// out for the width and styles it was last drawn with.
type input struct {
	ti    textinput.Model
	width int
	st    *theme.Styles
}

func newInput(placeholder string) input {
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = 0 // long tokens arrive whole
	ti.SetVirtualCursor(false)
	ti.Placeholder = placeholder
	return input{ti: ti}
}

func (in *input) value() string { return in.ti.Value() }

// set replaces the text, the cursor after it.
func (in *input) set(v string) {
	in.ti.SetValue(v)
	in.ti.CursorEnd()
}

// focus gives the input the keyboard, the cursor after the text.
func (in *input) focus() tea.Cmd {
	in.ti.CursorEnd()
	return in.ti.Focus()
}

// blur takes the keyboard away; the input then shows the start of a long value.
func (in *input) blur() {
	in.ti.Blur()
	in.ti.CursorStart()
}

// update hands a key press or paste to the text input and reports whether the text changed.
func (in *input) update(msg tea.Msg) (cmd tea.Cmd, changed bool) {
	before := in.ti.Value()
	in.ti, cmd = in.ti.Update(msg)
	return cmd, in.ti.Value() != before
}

// view draws the input width cells wide and returns the cursor's column (-1 unless focused).
func (in *input) view(st *theme.Styles, width int, focused bool) ([]string, int) {
	if st != in.st {
		s := textinput.DefaultStyles(true)
		s.Focused.Text, s.Blurred.Text = st.Value, st.Value
		s.Focused.Placeholder, s.Blurred.Placeholder = st.Muted, st.Muted
		s.Cursor.Blink = false
		in.ti.SetStyles(s)
		in.st = st
	}
	if width != in.width {
		// A new width: lay the value out again from its start (the input keeps the scroll
		// offset of the old width otherwise), then put the cursor back where it was while
		// the value is being edited. A blurred field shows the beginning of a long URL.
		pos := in.ti.Position()
		in.ti.SetWidth(width)
		in.width = width
		in.ti.CursorEnd()
		in.ti.CursorStart()
		if focused {
			in.ti.SetCursor(pos)
		}
	}
	x := -1
	if focused {
		if c := in.ti.Cursor(); c != nil {
			x = c.X
		}
	} else if v := in.shown(); lipgloss.Width(v) > width {
		// A long value of a field not being edited: its start, and … where it is cut.
		return []string{st.Value.Render(text.Truncate(v, width))}, -1
	}
	return []string{in.ti.View()}, x
}

// shown is the text as the input shows it: masked in password mode.
func (in *input) shown() string {
	v := in.ti.Value()
	if in.ti.EchoMode == textinput.EchoPassword {
		return strings.Repeat(string(in.ti.EchoCharacter), utf8.RuneCountInString(v))
	}
	return v
}

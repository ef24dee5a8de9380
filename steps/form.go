package steps

import (
	"strings"

	"crewai-setup/model"
	"crewai-setup/steps/text"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Form is a list of fields with keyboard focus.
type Form struct {
	Fields []Field
	// Check, when set, validates the answers as the operator leaves a field, so that a bad
	// value is marked the moment it is left, whichever key left it.
	Check func(a *model.Answers) model.Problems
	focus int
	keys  KeyMap
	// scrolled is set by View when the fields did not fit.
	scrolled bool
	// advance is set when the operator left the last field while a key file was still
	// being read: Update reports done when it has been.
	advance bool
	// helpKey and helpLines are the last help panel drawn (after a blank line) and what it
	// was drawn from.
	helpKey   panelKey
	helpLines []string
	// marks are the scroll markers, drawn with marksSt.
	marksSt      *theme.Styles
	above, below string
	// lineBuf is reused for the lines of each frame.
	lineBuf []string
}

// panelKey is what a help panel is drawn from.
type panelKey struct {
	st            *theme.Styles
	text          string
	width, height int
}

// NewForm makes a form of fields showing the answers a holds.
func NewForm(a *model.Answers, fields ...Field) *Form {
	f := &Form{Fields: fields, keys: DefaultKeyMap()}
	for _, fl := range fields {
		fl.base().keys = &f.keys
		fl.Load(a)
	}
	return f
}

// Busy reports whether a field is still reading or checking something (a key file).
func (f *Form) Busy() bool {
	for _, fl := range f.Fields {
		if fl.Busy() {
			return true
		}
	}
	return false
}

// visible returns the indexes of the fields shown for these answers.
func (f *Form) visible(a *model.Answers) []int {
	var out []int
	for i, fl := range f.Fields {
		if fl.Question().Shown(a) {
			out = append(out, i)
		}
	}
	return out
}

// Focused returns the focused field, or nil when it is not shown (or there is none).
func (f *Form) Focused(a *model.Answers) Field {
	if f.focus >= len(f.Fields) || !f.Fields[f.focus].Focused() || !f.Fields[f.focus].Question().Shown(a) {
		return nil
	}
	return f.Fields[f.focus]
}

// fixFocus moves focus off a field that an answer just hid, to the next shown one.
func (f *Form) fixFocus(a *model.Answers) tea.Cmd {
	if f.focus < len(f.Fields) && f.Fields[f.focus].Question().Shown(a) {
		return nil
	}
	vis := f.visible(a)
	for _, i := range vis {
		if i > f.focus {
			return f.focusOn(a, i, false)
		}
	}
	if len(vis) > 0 {
		return f.focusOn(a, vis[len(vis)-1], false)
	}
	return nil
}

// FocusFirst focuses the first shown field (or the first one with a problem).
func (f *Form) FocusFirst(a *model.Answers, onProblem bool) tea.Cmd {
	vis := f.visible(a)
	for _, i := range vis {
		if !onProblem || f.Fields[i].Problem() != "" {
			return f.focusOn(a, i, false)
		}
	}
	if len(vis) > 0 {
		return f.focusOn(a, vis[0], false)
	}
	return nil
}

// focusOn moves the keyboard to field i. leaving marks the field the operator left with its
// problems.
func (f *Form) focusOn(a *model.Answers, i int, leaving bool) tea.Cmd {
	var left Field
	if f.focus < len(f.Fields) && f.focus != i {
		left = f.Fields[f.focus]
	}
	for _, fl := range f.Fields {
		if fl.Focused() {
			fl.Blur()
		}
	}
	if leaving && left != nil {
		f.check(a, left)
	}
	f.focus = i
	return f.Fields[i].Focus()
}

// check shows the problems of a field that was left; a field still reading its input shows
// the result when it arrives instead.
func (f *Form) check(a *model.Answers, fl Field) {
	if f.Check != nil && !fl.Busy() {
		fl.ShowProblems(f.Check(a))
	}
}

// move shifts focus by one shown field; done is true when moving past the last one.
func (f *Form) move(a *model.Answers, delta int) (cmd tea.Cmd, done bool) {
	vis := f.visible(a)
	pos := 0
	for k, i := range vis {
		if i == f.focus {
			pos = k
		}
	}
	next := pos + delta
	switch {
	case next >= len(vis):
		return nil, true
	case next < 0:
		return nil, false
	}
	return f.focusOn(a, vis[next], true), false
}

// Update hands keys and pastes to the focused field and moves focus with the keys the field
// leaves alone; results of commands (a key file read, a generated value) go to every field.
// done reports that the operator moved past the last field, i.e. wants the next screen, once
// what the fields were reading is in: leaving while a key file is read, done comes with the
// message that brings it.
func (f *Form) Update(msg tea.Msg, a *model.Answers) (cmd tea.Cmd, done bool) {
	cmd, done = f.update(msg, a)
	switch {
	case done && f.Busy():
		f.advance, done = true, false
	case f.advance && !f.Busy():
		f.advance, done = false, true
	}
	return cmd, done
}

func (f *Form) update(msg tea.Msg, a *model.Answers) (cmd tea.Cmd, done bool) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		fl := f.Focused(a)
		if fl == nil {
			return nil, key.Matches(msg, f.keys.Next)
		}
		cmd, handled := fl.Update(msg, a)
		if handled {
			return tea.Batch(cmd, f.fixFocus(a)), false
		}
		var move tea.Cmd
		switch {
		case key.Matches(msg, f.keys.Next, f.keys.Down):
			move, done = f.move(a, 1)
			done = done && key.Matches(msg, f.keys.Next) // ↓ never leaves the screen
		case key.Matches(msg, f.keys.Prev, f.keys.Up):
			move, _ = f.move(a, -1)
		}
		return tea.Batch(cmd, move), done
	case tea.PasteMsg:
		if fl := f.Focused(a); fl != nil {
			cmd, _ := fl.Update(msg, a)
			return tea.Batch(cmd, f.fixFocus(a)), false
		}
		return nil, false
	}
	cmds := make([]tea.Cmd, 0, 1)
	for _, fl := range f.Fields {
		if c, _ := fl.Update(msg, a); c != nil {
			cmds = append(cmds, c)
		}
	}
	return tea.Batch(append(cmds, f.fixFocus(a))...), false
}

// ShowProblems puts validation problems next to their fields (clearing the hidden fields')
// and reports whether any shown field has an error.
func (f *Form) ShowProblems(a *model.Answers, probs model.Problems) bool {
	blocking := false
	for _, fl := range f.Fields {
		if !fl.Question().Shown(a) {
			fl.ShowProblems(nil)
			continue
		}
		fl.ShowProblems(probs)
		blocking = blocking || fl.Problem() != ""
	}
	return blocking
}

// Paths returns the answer paths of the shown fields.
func (f *Form) Paths(a *model.Answers) []string {
	var out []string
	for _, i := range f.visible(a) {
		out = append(out, f.Fields[i].Question().Path)
	}
	return out
}

// KeyBinds returns the keys that work on the focused field, the field's own first, then the
// key to the next field: the footer cuts the list at its end. (Going back a field is in the
// full help, AllKeyBinds.)
func (f *Form) KeyBinds(a *model.Answers) []key.Binding {
	var out []key.Binding
	if fl := f.Focused(a); fl != nil {
		out = append(out, fl.KeyBinds()...)
	}
	return append(out, f.keys.Next)
}

// AllKeyBinds returns the keys of moving between fields and of every shown field, each once.
func (f *Form) AllKeyBinds(a *model.Answers) []key.Binding {
	out := []key.Binding{f.keys.Next, f.keys.Prev, f.keys.Down, f.keys.Up}
	seen := map[string]bool{}
	for _, i := range f.visible(a) {
		for _, b := range f.Fields[i].KeyBinds() {
			if h := b.Help(); !seen[h.Key+h.Desc] {
				seen[h.Key+h.Desc] = true
				out = append(out, b)
			}
		}
	}
	return out
}

// View renders the shown fields and the long help of the focused one, in at most height
// lines. cursor is the text cursor position relative to the form's top-left corner, or nil.
// When the fields do not fit, the form scrolls to keep the focused field in view.
func (f *Form) View(st *theme.Styles, a *model.Answers, width, height int) (string, *tea.Cursor) {
	lines, cursor := f.viewLines(st, a, width, height)
	return strings.Join(lines, "\n"), cursor
}

// viewLines is View as lines. The slice is reused by the next call: a keystroke redraws the
// form, and copying its text around is a good part of the cost. Each field keeps its own
// drawing and draws again only what its last change touched.
func (f *Form) viewLines(st *theme.Styles, a *model.Answers, width, height int) ([]string, *tea.Cursor) {
	labelWidth := 0
	vis := f.visible(a)
	for _, i := range vis {
		b := f.Fields[i].base()
		b.setRequired(b.q.Entry != nil && b.q.Entry.IsRequired(a))
		labelWidth = max(labelWidth, b.labelWidth()+2)
	}
	labelWidth = min(labelWidth, max(width*9/20, 16))
	lines := f.lineBuf[:0]
	var cursor *tea.Cursor
	focusTop, focusEnd := 0, 0
	var focused Field
	for _, i := range vis {
		fl := f.Fields[i]
		fls, cx := fl.View(st, labelWidth, width)
		if cx >= 0 {
			cursor = tea.NewCursor(cx, len(lines))
		}
		if fl.Focused() {
			focused, focusTop = fl, len(lines)
		}
		lines = append(lines, fls...)
		if fl.Focused() {
			focusEnd = len(lines)
		}
	}
	f.lineBuf = lines
	f.scrolled = len(lines) > height && height > 2
	if f.scrolled {
		if f.marksSt != st {
			f.marksSt, f.above, f.below = st, st.Muted.Render("  ↑ more above"), st.Muted.Render("  ↓ more below")
		}
		return scroll(lines, cursor, focusTop, focusEnd, height, f.above, f.below), cursor
	}
	if focused != nil && height-len(lines) > 4 {
		k := panelKey{st: st, text: HelpText(focused), width: width, height: height - len(lines) - 1}
		if k != f.helpKey {
			f.helpKey, f.helpLines = k, nil
			if panel := helpPanel(st, k.text, k.width, k.height); panel != "" {
				f.helpLines = append([]string{""}, strings.Split(panel, "\n")...)
			}
		}
		lines = append(lines, f.helpLines...)
		f.lineBuf = lines
	}
	return lines, cursor
}

// scroll shows height lines of a form that does not fit, keeping the focused field's lines
// [top, end) in view and marking what is hidden with the lines above and below. It moves the
// cursor with the lines.
func scroll(lines []string, cursor *tea.Cursor, top, end, height int, above, below string) []string {
	if end <= height-1 {
		return append(lines[:height-1:height-1], below)
	}
	win := height - 2
	// Show the end of the focused field (its hint), but never hide its first line.
	first := min(end-win, top)
	if first+win >= len(lines) {
		win = height - 1
		first = len(lines) - win
	}
	out := append(make([]string, 0, height), above)
	out = append(out, lines[first:first+win]...)
	if first+win < len(lines) {
		out = append(out, below)
	}
	if cursor != nil {
		cursor.Y += 1 - first
	}
	return out
}

// helpPanel renders the focused field's long help in at most height lines: whole paragraphs
// while they fit, the first one cut with an ellipsis when even it does not.
func helpPanel(st *theme.Styles, help string, width, height int) string {
	if help == "" {
		return ""
	}
	var out []string
	for k, para := range strings.Split(help, "\n") {
		pl := strings.Split(text.WrapIndent(st.Muted.Render(para), "  ", width), "\n")
		if len(out)+len(pl) > height {
			if k == 0 && height > 0 {
				pl = pl[:height]
				pl[height-1] = "  " + st.Muted.Render(text.Truncate(ansi.Strip(strings.TrimSpace(pl[height-1]))+" …", width-2))
				out = append(out, pl...)
			}
			break
		}
		out = append(out, pl...)
	}
	return strings.Join(out, "\n")
}

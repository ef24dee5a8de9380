package steps

import (
	"strings"

	"crewai-setup/model"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// FormKeys moves between a form's fields.
type FormKeys struct {
	Next, Prev, Down, Up key.Binding
}

// DefaultFormKeys returns the form navigation bindings.
func DefaultFormKeys() FormKeys {
	return FormKeys{
		Next: key.NewBinding(key.WithKeys("enter", "tab"), key.WithHelp("enter/tab", "next field")),
		Prev: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Down: key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "next field")),
		Up:   key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "previous field")),
	}
}

// Form is a screen's list of fields with keyboard focus.
type Form struct {
	Fields []*Field
	focus  int
	keys   FormKeys
	fkeys  FieldKeys
	// pending counts key files being read.
	pending int
	// scrolled is set by View when the fields did not fit.
	scrolled bool
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

// loading reports whether a key file is still being read.
func (f *Form) loading() bool { return f.pending > 0 }

// NewForm builds the fields of a list of questions, prefilled from the answers.
func NewForm(a *model.Answers, qs ...Question) *Form {
	f := &Form{keys: DefaultFormKeys(), fkeys: DefaultFieldKeys()}
	for _, q := range qs {
		f.Fields = append(f.Fields, NewField(q, a))
	}
	return f
}

// visible returns the indexes of the fields shown for these answers.
func (f *Form) visible(a *model.Answers) []int {
	var out []int
	for i, fl := range f.Fields {
		if fl.Q.Shown(a) {
			out = append(out, i)
		}
	}
	return out
}

// Focused returns the focused field, or nil when no field is shown.
func (f *Form) Focused(a *model.Answers) *Field {
	f.fixFocus(a)
	if f.focus < 0 || f.focus >= len(f.Fields) || !f.Fields[f.focus].Q.Shown(a) {
		return nil
	}
	return f.Fields[f.focus]
}

// fixFocus moves focus off a field that an earlier answer just hid.
func (f *Form) fixFocus(a *model.Answers) {
	if f.focus < len(f.Fields) && f.Fields[f.focus].Q.Shown(a) {
		return
	}
	vis := f.visible(a)
	for _, i := range vis {
		if i > f.focus {
			f.focus = i
			return
		}
	}
	if len(vis) > 0 {
		f.focus = vis[len(vis)-1]
	}
}

// FocusFirst focuses the first shown field (or the first one with a problem).
func (f *Form) FocusFirst(a *model.Answers, onProblem bool) tea.Cmd {
	for _, i := range f.visible(a) {
		if !onProblem || f.Fields[i].Problem != "" {
			return f.focusOn(i)
		}
	}
	if vis := f.visible(a); len(vis) > 0 {
		return f.focusOn(vis[0])
	}
	return nil
}

func (f *Form) focusOn(i int) tea.Cmd {
	for _, fl := range f.Fields {
		fl.Blur()
	}
	f.focus = i
	return f.Fields[i].Focus()
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
	return f.focusOn(vis[next]), false
}

// Update handles navigation and hands everything else to the focused field. done reports
// that the operator moved past the last field, i.e. wants the next screen.
func (f *Form) Update(msg tea.Msg, a *model.Answers) (cmd tea.Cmd, done bool) {
	switch msg := msg.(type) {
	case keyLoadedMsg, generatedMsg:
		if _, ok := msg.(keyLoadedMsg); ok && f.pending > 0 {
			f.pending--
		}
		for _, fl := range f.Fields {
			if fl.Q.Path == pathOf(msg) {
				fl.apply(msg, a)
			}
		}
		return nil, false
	case tea.KeyPressMsg:
		fl := f.Focused(a)
		if fl == nil {
			return nil, key.Matches(msg, f.keys.Next)
		}
		if fl.Q.Kind == KeyFile && key.Matches(msg, f.fkeys.Complete) && fl.complete() {
			return nil, false // tab completed a path: stay on the field
		}
		switch {
		case key.Matches(msg, f.keys.Next), key.Matches(msg, f.keys.Down):
			load := f.load(fl)
			move, done := f.move(a, 1)
			if key.Matches(msg, f.keys.Down) {
				done = false
			}
			return tea.Batch(load, move), done
		case key.Matches(msg, f.keys.Prev), key.Matches(msg, f.keys.Up):
			load := f.load(fl)
			move, _ := f.move(a, -1)
			return tea.Batch(load, move), false
		}
		cmd, _ := fl.Update(msg, a, f.fkeys)
		return cmd, false
	case tea.PasteMsg:
		if fl := f.Focused(a); fl != nil {
			cmd, _ := fl.Update(msg, a, f.fkeys)
			if cmd != nil && fl.Q.Kind == KeyFile {
				f.pending++ // a pasted PEM is being checked
			}
			return cmd, false
		}
	}
	return nil, false
}

func pathOf(msg tea.Msg) string {
	switch m := msg.(type) {
	case keyLoadedMsg:
		return m.path
	case generatedMsg:
		return m.path
	}
	return ""
}

// load starts reading a field's key file, counting it as pending.
func (f *Form) load(fl *Field) tea.Cmd {
	cmd := fl.LoadCmd()
	if cmd != nil {
		f.pending++
	}
	return cmd
}

// PendingLoad returns the command that loads the focused key file, if its path was typed
// but not yet read (when the operator leaves the screen straight from that field).
func (f *Form) PendingLoad(a *model.Answers) tea.Cmd {
	if fl := f.Focused(a); fl != nil {
		return fl.LoadCmd()
	}
	return nil
}

// ShowProblems puts validation problems next to their fields and reports whether any error
// concerns a shown field.
func (f *Form) ShowProblems(a *model.Answers, probs model.Problems) bool {
	blocking := false
	for _, fl := range f.Fields {
		if fl.Q.Kind == KeyFile && fl.Problem != "" && fl.loaded == "" && fl.input.Value() != "" {
			// Keep the specific reason the file was refused.
			blocking = blocking || fl.Q.Shown(a)
			continue
		}
		fl.Problem, fl.Warning = "", ""
		if !fl.Q.Shown(a) {
			continue
		}
		for _, p := range probs.For(fl.Q.Path) {
			msg := p.Message
			if fl.Q.Hint != "" {
				// The hint is shown under the field already.
				msg = strings.TrimSuffix(strings.TrimSuffix(msg, fl.Q.Hint), " ")
			}
			if p.Severity == model.Error && fl.Problem == "" {
				fl.Problem = msg
				blocking = true
			} else if p.Severity == model.Warning && fl.Warning == "" {
				fl.Warning = msg
			}
		}
	}
	return blocking
}

// Paths returns the answer paths of the shown fields.
func (f *Form) Paths(a *model.Answers) []string {
	var out []string
	for _, i := range f.visible(a) {
		out = append(out, f.Fields[i].Q.Path)
	}
	return out
}

// KeyBinds returns the keys that work on the focused field.
func (f *Form) KeyBinds(a *model.Answers) []key.Binding {
	out := []key.Binding{f.keys.Next, f.keys.Prev}
	fl := f.Focused(a)
	if fl == nil {
		return out
	}
	switch fl.Q.Kind {
	case Choice, Toggle:
		out = append(out, f.fkeys.Left)
	case Multi:
		out = append(out, key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "move")), f.fkeys.Toggle)
	case Secret:
		out = append(out, f.fkeys.Reveal)
	case KeyFile:
		out = append(out, f.fkeys.Complete) // pasting the PEM itself is a terminal paste; the hint says so
	default: // Text: typing needs no help
	}
	if fl.Q.Generate != nil {
		out = append(out, f.fkeys.Generate)
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
// form, and copying its text around is a good part of the cost.
func (f *Form) viewLines(st *theme.Styles, a *model.Answers, width, height int) ([]string, *tea.Cursor) {
	f.fixFocus(a)
	labelWidth := 0
	vis := f.visible(a)
	for _, i := range vis {
		labelWidth = max(labelWidth, f.Fields[i].labelWidth()+2)
	}
	labelWidth = min(labelWidth, max(width*9/20, 16))
	lines := f.lineBuf[:0]
	var cursor *tea.Cursor
	focusTop, focusEnd := 0, 0
	for _, i := range vis {
		fl := f.Fields[i]
		fls, cx := fl.lines(st, a, labelWidth, width, i == f.focus)
		if cx >= 0 {
			cursor = tea.NewCursor(cx, len(lines))
		}
		if i == f.focus {
			focusTop = len(lines)
		}
		lines = append(lines, fls...)
		if i == f.focus {
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
	if fl := f.Fields[f.focus]; len(vis) > 0 && fl.Q.Help != "" && height-len(lines) > 4 {
		k := panelKey{st: st, text: fl.Q.Help, width: width, height: height - len(lines) - 1}
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
	var out []string
	for k, para := range strings.Split(help, "\n") {
		pl := strings.Split(wrapIndent(st.Muted.Render(para), "  ", width), "\n")
		if len(out)+len(pl) > height {
			if k == 0 && height > 0 {
				pl = pl[:height]
				pl[height-1] = "  " + st.Muted.Render(truncate(ansi.Strip(strings.TrimSpace(pl[height-1]))+" …", width-2))
				out = append(out, pl...)
			}
			break
		}
		out = append(out, pl...)
	}
	return strings.Join(out, "\n")
}

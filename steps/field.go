package steps

import (
	"strings"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/steps/text"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Field is one question on a screen, asked in the way of its type (field_*.go): the type owns
// its keys, its drawing, how it shows problems, and how the accessible mode asks it line by line.
type Field interface {
	// Question is what the field asks.
	Question() *Question
	// Load shows the answer the answers hold. Fields store their answer themselves, whenever
	// the operator changes it.
	Load(a *model.Answers)
	// Focus gives the field the keyboard; Blur takes it away.
	Focus() tea.Cmd
	Blur()
	// Focused reports whether the field has the keyboard.
	Focused() bool
	// Update handles a message. Key presses and pastes come only while the field is focused;
	// other messages (a key file read, a generated value) reach every field, and each keeps
	// its own. handled is false for keys the field leaves to the form (moving between fields);
	// cmd may be set even then (a key file starts reading the path typed into it).
	Update(msg tea.Msg, a *model.Answers) (cmd tea.Cmd, handled bool)
	// Busy reports work still under way, such as a key file being read.
	Busy() bool
	// View draws the field: the label in a column labelWidth cells wide, the answer beside
	// it, problems and notes below, all within width. cursorX is the text cursor's column on
	// the first line, -1 when there is none.
	View(st *theme.Styles, labelWidth, width int) (lines []string, cursorX int)
	// KeyBinds are the keys the field uses beyond typing, for the help.
	KeyBinds() []key.Binding
	// ShowProblems puts the problems about the field's path next to it and drops the ones
	// shown before; problems about other paths are ignored.
	ShowProblems(probs model.Problems)
	// Problem is the error shown under the field, "" when there is none.
	Problem() string
	// Display is the answer held in a as the review and the accessible mode show it:
	// secrets masked unless reveal, keys described, "" when there is none.
	Display(a *model.Answers, reveal bool) string
	// Prompt is how the accessible mode asks: the label and what the answer may be.
	Prompt() string
	// Secret reports whether the accessible mode should read the answer without echo.
	Secret() bool
	// Answer takes a line typed in the accessible mode ("" clears the answer where it may be
	// empty: a choice without an empty option and a toggle refuse it). reply, when not empty,
	// is said back; when ok is false it says why the line was not taken, and the question is
	// asked again.
	Answer(a *model.Answers, line string) (reply string, ok bool)
	// ValueLabel is how the field shows the value v: a choice's label, "yes" for "true".
	ValueLabel(v string) string

	base() *fieldBase
}

// keyLoadedMsg reports a key file's read and check, done off the UI goroutine.
type keyLoadedMsg struct {
	path   string // question path
	source string // the typed text it was loaded from ("" for a pasted key)
	value  string
	desc   string // what the key is, as the review shows it
	note   string // the same for the note under the field
	err    error
}

// generatedMsg carries a freshly generated value for a question.
type generatedMsg struct {
	path  string
	value string
	err   error
}

// markerWidth is the width of the focus marker column.
const markerWidth = 2

// part is a part of a field's drawing.
type part uint8

const (
	partLabel part = 1 << iota // the label column: changes with focus
	partBody                   // the answer beside it: changes with the value
	partExtra                  // the lines under it: problem, warning, note, hint
	allParts  = partLabel | partBody | partExtra
)

// memo is a field's last drawing and what it was drawn with. The field marks the parts its
// own changes touch as stale (a keystroke: only the body), and View draws only those.
type memo struct {
	st                 *theme.Styles
	labelWidth, width  int
	stale              part
	label, body, extra []string
	cursorX            int
	lines              []string
}

// fieldBase is what every field type shares: the question, focus, the messages under the
// field and the memo of its drawing.
type fieldBase struct {
	q       Question
	keys    *KeyMap
	focused bool
	// problem and warning are validation results; note is a status line (what a loaded key
	// is, completion candidates, a generation result), noteKind what kind of news it is.
	problem, warning, note string
	noteKind               noteKind
	// labelW is the label's width in cells, 0 until measured.
	labelW int
	// required is set while the answers make the question required: the label says so.
	required bool
	// help is the long help once composed (HelpText).
	help *string
	memo memo
}

func newBase(q Question) fieldBase {
	keys := DefaultKeyMap()
	return fieldBase{q: q, keys: &keys, memo: memo{stale: allParts}}
}

func (b *fieldBase) base() *fieldBase { return b }

// Question implements Field.
func (b *fieldBase) Question() *Question { return &b.q }

// Focused implements Field.
func (b *fieldBase) Focused() bool { return b.focused }

// Problem implements Field.
func (b *fieldBase) Problem() string { return b.problem }

// Busy implements Field: most fields never are.
func (b *fieldBase) Busy() bool { return false }

// Secret implements Field: most answers are read with echo.
func (b *fieldBase) Secret() bool { return false }

// ValueLabel implements Field: most fields show a value as it is.
func (b *fieldBase) ValueLabel(v string) string { return v }

// setRequired says whether the answers make the question required.
func (b *fieldBase) setRequired(on bool) {
	if b.required != on {
		b.required = on
		b.labelW = 0
		b.redraw(partLabel)
	}
}

// redraw marks parts of the drawing as stale.
func (b *fieldBase) redraw(p part) { b.memo.stale |= p }

func (b *fieldBase) setFocus(on bool) {
	if b.focused != on {
		b.focused = on
		b.redraw(allParts) // the marker, the cursor and the hint
	}
}

func (b *fieldBase) setProblems(problem, warning string) {
	if b.problem != problem || b.warning != warning {
		b.problem, b.warning = problem, warning
		b.redraw(partExtra)
	}
}

// noteKind is what kind of news a field's note is, which its mark says.
type noteKind uint8

const (
	noteGood noteKind = iota // ✓: a key loaded, a value generated
	noteBad                  // !: something was dropped or failed
	noteInfo                 // ·: work under way, completion candidates; neither good nor bad
)

func (b *fieldBase) setNote(note string, kind noteKind) {
	if b.note != note || b.noteKind != kind {
		b.note, b.noteKind = note, kind
		b.redraw(partExtra)
	}
}

// ShowProblems implements Field.
func (b *fieldBase) ShowProblems(probs model.Problems) {
	var problem, warning string
	for _, p := range probs.For(b.q.Path) {
		msg := p.Message
		// The model ends "is required" with the catalog's hint; the screen's hint (which a
		// screen may word differently) is shown under the field already.
		for _, h := range []string{b.q.Hint, b.catalogHint()} {
			if h != "" {
				msg = strings.TrimSuffix(strings.TrimSuffix(msg, h), " ")
			}
		}
		switch {
		case p.Severity == model.Error && problem == "":
			problem = msg
		case p.Severity == model.Warning && warning == "":
			warning = msg
		}
	}
	b.setProblems(problem, warning)
}

// catalogHint is the catalog entry's hint, "" for a question without an entry.
func (b *fieldBase) catalogHint() string {
	if b.q.Entry == nil {
		return ""
	}
	return b.q.Entry.Hint
}

// labelWidth returns the label's width in cells, the required mark included.
func (b *fieldBase) labelWidth() int {
	if b.labelW == 0 {
		b.labelW = lipgloss.Width(b.labelText())
	}
	return b.labelW
}

// requiredMark follows the label of a question the answers make required.
const requiredMark = " *"

// labelText is the label as drawn: with the required mark when the question is required.
func (b *fieldBase) labelText() string {
	if b.required {
		return b.q.Label + requiredMark
	}
	return b.q.Label
}

// inputWidth is the width of the answer column.
func inputWidth(labelWidth, width int) int { return max(width-markerWidth-labelWidth-1, 8) }

// view draws the field around body, which draws the answer in a column of the width it is
// given and returns its cursor column (-1 for none). Only stale parts are drawn again.
func (b *fieldBase) view(st *theme.Styles, labelWidth, width int, body func(st *theme.Styles, width int) ([]string, int)) ([]string, int) {
	m := &b.memo
	if m.st != st || m.labelWidth != labelWidth || m.width != width {
		m.st, m.labelWidth, m.width = st, labelWidth, width
		m.stale = allParts
	}
	if m.stale != 0 {
		if m.stale&partLabel != 0 {
			m.label = b.label(st, labelWidth)
		}
		if m.stale&partBody != 0 {
			m.body, m.cursorX = body(st, inputWidth(labelWidth, width))
		}
		if m.stale&partExtra != 0 {
			m.extra = b.extra(st, labelWidth, width)
		}
		m.stale = 0
		m.lines = b.assemble(m.lines[:0], labelWidth)
	}
	if m.cursorX < 0 || !b.focused {
		return m.lines, -1
	}
	return m.lines, markerWidth + labelWidth + m.cursorX
}

// assemble puts the label and body lines side by side, then the extra lines.
func (b *fieldBase) assemble(lines []string, labelWidth int) []string {
	m := &b.memo
	indent := strings.Repeat(" ", markerWidth+labelWidth)
	for i := range max(len(m.label), len(m.body)) {
		line := indent
		if i < len(m.label) {
			line = m.label[i]
		}
		if i < len(m.body) {
			line += m.body[i]
		}
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return append(lines, m.extra...)
}

// label returns the label's lines, marker and padding included.
func (b *fieldBase) label(st *theme.Styles, labelWidth int) []string {
	marker, style := "  ", st.Label
	if b.focused {
		marker, style = "› ", st.FocusLabel
	}
	names := text.Words(b.labelText(), labelWidth-1)
	for i, n := range names {
		m := "  "
		if i == 0 {
			m = marker
		}
		drawn := style.Render(n)
		if b.required && i == len(names)-1 {
			// The mark in its own style, after the label's.
			name := strings.TrimSuffix(strings.TrimSuffix(n, "*"), " ")
			drawn = st.Accent.Render("*")
			if name != "" {
				drawn = style.Render(name) + " " + drawn
			}
		}
		names[i] = m + drawn + strings.Repeat(" ", labelWidth-lipgloss.Width(n))
	}
	return names
}

// extra returns the lines under the answer: problem or warning, note, and hint when focused.
func (b *fieldBase) extra(st *theme.Styles, labelWidth, width int) []string {
	indent := strings.Repeat(" ", markerWidth+labelWidth)
	var lines []string
	if b.problem != "" {
		lines = append(lines, text.WrapUnder(st.Error.Render("✗ "+guard.Visible(b.problem)), indent, width))
	} else if b.warning != "" {
		lines = append(lines, text.WrapUnder(st.Warning.Render("! "+guard.Visible(b.warning)), indent, width))
	}
	if b.note != "" {
		style, mark := st.Success, "✓ "
		switch b.noteKind {
		case noteBad:
			style, mark = st.Warning, "! "
		case noteInfo:
			style, mark = st.Muted, "· "
		case noteGood:
		}
		lines = append(lines, text.WrapUnder(style.Render(mark+guard.Visible(b.note)), indent, width))
	}
	if b.focused && b.q.Hint != "" {
		lines = append(lines, text.WrapUnder(st.Hint.Render(b.q.Hint), indent, width))
	}
	if len(lines) == 0 {
		return nil
	}
	return strings.Split(strings.Join(lines, "\n"), "\n")
}

// flow lays styled parts out left to right, starting a new line where the next part would
// pass width. A part wider than width on its own wraps, its continuation indented.
func flow(parts []string, sep string, width int) []string {
	var lines []string
	cur, curW := "", 0
	for _, p := range parts {
		w := lipgloss.Width(p)
		if w > width {
			if curW > 0 {
				lines = append(lines, cur)
			}
			wrapped := strings.Split(text.WrapIndent(p, "", max(width-4, 4)), "\n")
			for i := 1; i < len(wrapped); i++ {
				wrapped[i] = "    " + wrapped[i]
			}
			lines = append(lines, wrapped[:len(wrapped)-1]...)
			cur, curW = wrapped[len(wrapped)-1], lipgloss.Width(wrapped[len(wrapped)-1])
			continue
		}
		switch {
		case curW == 0:
			cur, curW = p, w
		case curW+len(sep)+w <= width:
			cur, curW = cur+sep+p, curW+len(sep)+w
		default:
			lines = append(lines, cur)
			cur, curW = p, w
		}
	}
	return append(lines, cur)
}

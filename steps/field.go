package steps

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/model/pemkey"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Field is one question on screen: the text input or choice that answers it, and the
// problem, warning or note shown next to it.
type Field struct {
	Q        Question
	input    textinput.Model
	choice   int
	cursor   int // Multi: the option under the cursor
	revealed bool
	// loaded is a KeyFile field's PEM value, read from a file or pasted.
	loaded string
	// raw is a prefilled text value that holds characters a terminal would act on: the input
	// shows it through guard.Visible, and Value returns raw until that text is edited.
	raw string
	// Problem and Warning are the validation messages shown under the field.
	Problem, Warning string
	// Note is a status line: what a loaded key is, completion candidates, a generation result.
	Note   string
	noteOK bool
	// drawn is the last view and what it was drawn from: a keystroke redraws one field, not
	// all, and of that field only the input line (the label and the lines under it are kept).
	drawn      viewKey
	drawnLines []string
	drawnX     int
	labelKey   viewKey
	labelLines []string
	extraKey   viewKey
	extraLines []string
	// labelW is the label's width in cells, 0 until measured.
	labelW int
	// ver counts changes to the text input, inputW is its width: reading them back from the
	// input copies the whole textinput.Model, and View compares them for every field.
	ver, inputW int
}

// labelWidth returns the label's width in cells.
func (f *Field) labelWidth() int {
	if f.labelW == 0 {
		f.labelW = lipgloss.Width(f.Q.Label)
	}
	return f.labelW
}

// viewKey is everything a field's view depends on.
type viewKey struct {
	st                      *theme.Styles
	labelWidth, width       int
	focused, noteOK, loaded bool
	value                   string
	ver, choice, cursor     int
	problem, warning, note  string
}

// keyLoadedMsg reports a KeyFile field's file read and check, done off the UI goroutine.
type keyLoadedMsg struct {
	path   string // question path
	source string // the input text it was loaded from
	value  string
	note   string
	err    error
}

// generatedMsg carries a freshly generated value for a question.
type generatedMsg struct {
	path  string
	value string
	err   error
}

// NewField makes the field for a question, prefilled from the answers.
func NewField(q Question, a *model.Answers) *Field {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 0
	in.SetVirtualCursor(false)
	in.Placeholder = q.Placeholder
	if q.Kind == Secret {
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
	}
	f := &Field{Q: q, input: in}
	f.Load(a)
	if q.Kind == Choice && len(q.Choices) > 0 && q.Choices[f.choice].Value != q.Get(a) {
		// The screen shows the first choice as selected, so the answers must say the same.
		q.Set(a, q.Choices[f.choice].Value)
	}
	return f
}

// SetStyles applies the theme to the text input.
func (f *Field) SetStyles(st *theme.Styles) {
	s := textinput.DefaultStyles(true)
	s.Focused.Text, s.Blurred.Text = st.Value, st.Value
	s.Focused.Placeholder, s.Blurred.Placeholder = st.Muted, st.Muted
	s.Cursor.Blink = false
	f.input.SetStyles(s)
	f.ver++
}

// Load reads the field's answer from the answers.
func (f *Field) Load(a *model.Answers) {
	v := f.Q.Get(a)
	switch f.Q.Kind {
	case Choice:
		f.choice = 0
		for i, c := range f.Q.Choices {
			if c.Value == v {
				f.choice = i
			}
		}
	case Toggle, Multi:
	case KeyFile:
		f.loaded = v
		if v != "" && f.Note == "" {
			f.Note, f.noteOK = "loaded from your answers: "+model.Display(f.Q.Entry, v), true
		}
	default:
		// The text input would drop control characters silently; show them instead, and
		// keep the exact value unless the operator edits it.
		f.raw = ""
		if shown := guard.Visible(v); shown != v {
			f.raw, v = v, shown
		}
		f.input.SetValue(v)
		f.ver++
	}
}

// Store writes the field's answer into the answers.
func (f *Field) Store(a *model.Answers) { f.Q.Set(a, f.Value(a)) }

// Value is the field's current answer.
func (f *Field) Value(a *model.Answers) string {
	switch f.Q.Kind {
	case Choice:
		if len(f.Q.Choices) == 0 {
			return ""
		}
		return f.Q.Choices[f.choice].Value
	case Toggle, Multi:
		return f.Q.Get(a)
	case KeyFile:
		return f.loaded
	default: // Text, Secret
		if f.raw != "" && f.input.Value() == guard.Visible(f.raw) {
			return f.raw
		}
		return f.input.Value()
	}
}

// Focus gives the field the keyboard, with the cursor after the text.
func (f *Field) Focus() tea.Cmd {
	f.input.CursorEnd()
	f.ver++
	return f.input.Focus()
}

// Blur takes the keyboard away; the field then shows the start of a long value.
func (f *Field) Blur() {
	f.input.Blur()
	f.input.CursorStart()
	f.ver++
}

// isText reports whether the field takes typed text.
func (f *Field) isText() bool { return f.Q.Kind == Text || f.Q.Kind == Secret || f.Q.Kind == KeyFile }

// FieldKeys are the keys a focused field reacts to beyond typing.
type FieldKeys struct {
	Reveal, Generate, Complete, Left, Right, Toggle key.Binding
}

// DefaultFieldKeys returns the field key bindings.
func DefaultFieldKeys() FieldKeys {
	return FieldKeys{
		Reveal:   key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "show/hide secret")),
		Generate: key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "generate a value")),
		Complete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete path")),
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/→", "change choice")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→", "next choice")),
		Toggle:   key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space", "select/unselect")),
	}
}

// Update handles a message for the focused field. handled is false for keys the field does
// not use, so the form can treat them (tab without completions moves on).
func (f *Field) Update(msg tea.Msg, a *model.Answers, keys FieldKeys) (cmd tea.Cmd, handled bool) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		return f.paste(msg.Content, a), true
	case tea.KeyPressMsg:
		switch f.Q.Kind {
		case Choice:
			return nil, f.updateChoice(msg, a, keys)
		case Toggle:
			return nil, f.updateToggle(msg, a, keys)
		case Multi:
			return nil, f.updateMulti(msg, a, keys)
		default: // text kinds: below
		}
		switch {
		case key.Matches(msg, keys.Reveal) && f.Q.Kind == Secret:
			f.ver++
			f.revealed = !f.revealed
			f.input.EchoMode = textinput.EchoPassword
			if f.revealed {
				f.input.EchoMode = textinput.EchoNormal
			}
			return nil, true
		case key.Matches(msg, keys.Generate) && f.Q.Generate != nil:
			f.Note, f.noteOK = "generating…", true
			return generate(f.Q.Path, f.Q.Generate), true
		}
		before := f.input.Value()
		f.input, cmd = f.input.Update(msg)
		f.ver++
		if f.input.Value() != before {
			f.edited(a)
		}
		return cmd, true
	}
	return nil, false
}

// edited reacts to a change of the typed text.
func (f *Field) edited(a *model.Answers) {
	f.Problem, f.Warning = "", ""
	if f.Q.Kind == KeyFile {
		// The typed path no longer matches what was loaded.
		f.loaded, f.Note = "", ""
	}
	f.Store(a)
}

// paste inserts pasted text whole. A PEM pasted into a key field is taken as the key itself;
// pasted one-line values lose the line break a terminal copy often carries.
func (f *Field) paste(content string, a *model.Answers) tea.Cmd {
	if f.Q.Kind == KeyFile && pemkey.LooksLikePEM(content) {
		f.input.SetValue("")
		f.ver++
		f.Note, f.noteOK = "checking the pasted key…", true
		return loadPEM(f.Q, "", []byte(content))
	}
	if !f.isText() {
		return nil
	}
	content = strings.TrimRight(content, "\r\n")
	content = strings.ReplaceAll(content, "\r\n", "\n")
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(tea.PasteMsg{Content: content})
	f.ver++
	f.edited(a)
	return cmd
}

func (f *Field) updateChoice(msg tea.KeyPressMsg, a *model.Answers, keys FieldKeys) bool {
	n := len(f.Q.Choices)
	switch {
	case key.Matches(msg, keys.Left):
		f.choice = (f.choice + n - 1) % n
	case key.Matches(msg, keys.Right), key.Matches(msg, keys.Toggle):
		f.choice = (f.choice + 1) % n
	default:
		return false
	}
	f.Problem, f.Warning = "", ""
	f.Store(a)
	return true
}

func (f *Field) updateToggle(msg tea.KeyPressMsg, a *model.Answers, keys FieldKeys) bool {
	v := f.Q.Get(a) == "true"
	switch {
	case key.Matches(msg, keys.Left), key.Matches(msg, keys.Right), key.Matches(msg, keys.Toggle):
		v = !v
	case msg.Text == "y" || msg.Text == "Y":
		v = true
	case msg.Text == "n" || msg.Text == "N":
		v = false
	default:
		return false
	}
	f.Q.Set(a, boolString(v))
	f.Problem, f.Warning = "", ""
	return true
}

func (f *Field) updateMulti(msg tea.KeyPressMsg, a *model.Answers, keys FieldKeys) bool {
	n := len(f.Q.Choices)
	switch {
	case key.Matches(msg, keys.Left):
		f.cursor = (f.cursor + n - 1) % n
	case key.Matches(msg, keys.Right):
		f.cursor = (f.cursor + 1) % n
	case key.Matches(msg, keys.Toggle):
		set := multiSet(f.Q.Get(a))
		c := f.Q.Choices[f.cursor].Value
		set[c] = !set[c]
		var out []string
		for _, ch := range f.Q.Choices {
			if set[ch.Value] {
				out = append(out, ch.Value)
			}
		}
		f.Q.Set(a, strings.Join(out, ","))
	default:
		return false
	}
	return true
}

// multiSet parses a comma-separated selection.
func multiSet(v string) map[string]bool {
	set := map[string]bool{}
	for _, s := range strings.Split(v, ",") {
		if s != "" {
			set[s] = true
		}
	}
	return set
}

// complete extends the typed path like a shell's tab completion. It reports false when there
// is nothing to complete, so tab moves to the next field instead.
func (f *Field) complete() bool {
	typed := f.input.Value()
	if typed == "" {
		return false
	}
	p, err := pemkey.NormalizePath(typed)
	if err != nil {
		return false
	}
	matches, _ := filepath.Glob(globEscape(p) + "*")
	if len(matches) == 0 {
		return false
	}
	sort.Strings(matches)
	prefix := matches[0]
	for _, m := range matches[1:] {
		for !strings.HasPrefix(m, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if len(matches) == 1 {
		if st, err := os.Stat(prefix); err == nil && st.IsDir() {
			prefix += string(filepath.Separator)
		}
		f.Note, f.noteOK = "", true
	} else {
		names := make([]string, 0, len(matches))
		for _, m := range matches {
			names = append(names, filepath.Base(m))
		}
		f.Note, f.noteOK = "matches: "+strings.Join(names, "  "), true
	}
	if prefix == p {
		return len(matches) > 1
	}
	f.input.SetValue(prefix)
	f.input.CursorEnd()
	f.ver++
	f.loaded = ""
	return true
}

// globEscape escapes glob metacharacters in a literal path prefix.
func globEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
	return r.Replace(s)
}

// LoadCmd starts reading and checking the file a KeyFile field names (nil when there is
// nothing new to load).
func (f *Field) LoadCmd() tea.Cmd {
	if f.Q.Kind != KeyFile || f.input.Value() == "" || f.loaded != "" {
		return nil
	}
	f.Note, f.noteOK = "reading the key file…", true
	q, source := f.Q, f.input.Value()
	return func() tea.Msg {
		data, err := pemkey.ReadKeyFile(source)
		if err != nil && keyText(source) {
			// Not a file name but key material (the SHA256 fingerprint GitHub shows, an SSH
			// public key): saying what it is helps more than "there is no file".
			return loadPEM(q, source, []byte(source))()
		}
		if err != nil {
			return keyLoadedMsg{path: q.Path, source: source, err: err}
		}
		return loadPEM(q, source, data)()
	}
}

// keyText reports whether text typed into a key field is key material rather than a file name.
func keyText(s string) bool {
	s = strings.Trim(strings.TrimSpace(s), `"'`)
	lower := strings.ToLower(s)
	switch {
	case strings.Contains(s, "-----"):
		return true
	case strings.HasPrefix(s, "/"), strings.HasPrefix(s, "~"), strings.HasPrefix(lower, "file:"), strings.Contains(s, `\`),
		strings.HasSuffix(lower, ".pem"), strings.HasSuffix(lower, ".key"):
		return false
	}
	return strings.Contains(s, ":") || len(s) > 40
}

// loadPEM checks PEM data for a question off the UI goroutine.
func loadPEM(q Question, source string, data []byte) tea.Cmd {
	return func() tea.Msg {
		v, note, err := CheckPEM(q.Entry, data)
		return keyLoadedMsg{path: q.Path, source: source, value: v, note: note, err: err}
	}
}

// CheckPEM checks PEM data for a catalog entry and returns the value to store and a line
// describing it.
func CheckPEM(e *model.Entry, data []byte) (value, note string, err error) {
	text := strings.ReplaceAll(strings.TrimPrefix(string(data), "\ufeff"), "\r\n", "\n")
	switch {
	case e.Kind == model.KindOneLinePEM:
		info, err := pemkey.ParseGitHubAppKey(data)
		if err != nil {
			return "", "", err
		}
		note := info.Describe() + " — written on one line with \\n escapes"
		return info.PKCS1, note, nil
	case strings.Contains(text, "CERTIFICATE"):
		if _, err := pemkey.ParseCertificatesPEM(text); err != nil {
			return "", "", err
		}
	default:
		if _, err := pemkey.ParsePrivateKeyPEM(text); err != nil {
			return "", "", err
		}
	}
	return text, model.Display(e, text), nil
}

// apply takes a finished load or generation into the field.
func (f *Field) apply(msg tea.Msg, a *model.Answers) {
	switch msg := msg.(type) {
	case keyLoadedMsg:
		if msg.source != f.input.Value() {
			return // the operator typed something else meanwhile
		}
		if msg.err != nil {
			f.loaded, f.Note, f.Problem = "", "", msg.err.Error()
			f.Q.Set(a, "")
			return
		}
		f.loaded, f.Note, f.noteOK, f.Problem = msg.value, msg.note, true, ""
		f.Q.Set(a, msg.value)
		if msg.source == "" {
			f.Note = "pasted key: " + msg.note
		}
	case generatedMsg:
		if msg.err != nil {
			f.Note, f.noteOK = msg.err.Error(), false
			return
		}
		f.input.SetValue(msg.value)
		f.input.CursorEnd()
		f.ver++
		f.Note, f.noteOK = "generated a fresh value ("+f.Q.Generate.Format+")", true
		f.edited(a)
		if f.Q.Entry != nil {
			a.MarkGenerated(f.Q.Path) // generating twice (here and in wizard.generate) is no conflict
		}
		f.Note, f.noteOK = "generated a fresh value ("+f.Q.Generate.Format+")", true
	}
}

// generate runs a generator off the UI goroutine (RSA keys take a moment).
func generate(path string, g *model.Generator) tea.Cmd {
	return func() tea.Msg {
		v, err := g.New()
		return generatedMsg{path: path, value: v, err: err}
	}
}

// markerWidth is the width of the focus marker column.
const markerWidth = 2

// View renders the field: the label line, then problem, note and (when focused) hint lines.
// cursorX is the column of the text cursor on the first line (-1 when there is none). Labels
// longer than the label column and choices wider than the input column wrap onto more lines,
// so nothing is cut off on a narrow terminal.
func (f *Field) View(st *theme.Styles, a *model.Answers, labelWidth, width int, focused bool) (view string, cursorX int) {
	lines, x := f.lines(st, a, labelWidth, width, focused)
	return strings.Join(lines, "\n"), x
}

// lines is View as lines; it draws again only what changed since the last call.
func (f *Field) lines(st *theme.Styles, a *model.Answers, labelWidth, width int, focused bool) ([]string, int) {
	inputWidth := max(width-markerWidth-labelWidth-1, 8)
	if f.isText() && f.inputW != inputWidth {
		// Setting the cursor makes the input lay a long value out for the new width (a
		// prefilled value was laid out before there was one): from its start when the
		// field is not being edited, so URLs show their beginning.
		pos := f.input.Position()
		f.input.SetWidth(inputWidth)
		f.inputW = inputWidth
		f.ver++
		f.input.CursorEnd()
		f.input.CursorStart()
		if focused {
			f.input.SetCursor(pos)
		}
	}
	k := viewKey{st: st, labelWidth: labelWidth, width: width, focused: focused, noteOK: f.noteOK, loaded: f.loaded != "",
		choice: f.choice, cursor: f.cursor, problem: f.Problem, warning: f.Warning, note: f.Note}
	if f.isText() {
		k.ver = f.ver
	} else {
		k.value = f.Q.Get(a)
	}
	if k != f.drawn || f.drawnLines == nil {
		f.drawn = k
		f.drawnLines, f.drawnX = f.draw(st, a, labelWidth, width, focused)
	}
	return f.drawnLines, f.drawnX
}

// draw renders the field; View calls it only when something it shows changed.
func (f *Field) draw(st *theme.Styles, a *model.Answers, labelWidth, width int, focused bool) (lines []string, cursorX int) {
	inputWidth := max(width-markerWidth-labelWidth-1, 8)
	cursorX = -1
	var body []string
	switch f.Q.Kind {
	case Choice:
		body = f.choicesView(st, focused, inputWidth)
	case Toggle:
		body = toggleView(st, f.Q.Get(a) == "true", focused, inputWidth)
	case Multi:
		body = f.multiView(st, a, focused, inputWidth)
	default:
		in := f.input.View()
		if f.Q.Kind == KeyFile && f.input.Value() == "" && f.loaded != "" && !focused {
			in = st.Muted.Render("(key loaded)")
		}
		body = []string{in}
		if focused {
			if c := f.input.Cursor(); c != nil {
				cursorX = markerWidth + labelWidth + c.X
			}
		}
	}
	names := f.label(st, labelWidth, focused)
	indent := strings.Repeat(" ", markerWidth+labelWidth)
	for i := 0; i < max(len(names), len(body)); i++ {
		line := indent
		if i < len(names) {
			line = names[i]
		}
		if i < len(body) {
			line += body[i]
		}
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return append(lines, f.extra(st, labelWidth, width, focused)...), cursorX
}

// label returns the label's lines, marker and padding included.
func (f *Field) label(st *theme.Styles, labelWidth int, focused bool) []string {
	k := viewKey{st: st, labelWidth: labelWidth, focused: focused}
	if k == f.labelKey && f.labelLines != nil {
		return f.labelLines
	}
	marker, style := "  ", st.Label
	if focused {
		marker, style = "› ", st.FocusLabel
	}
	names := wrapWords(f.Q.Label, labelWidth-1)
	for i, n := range names {
		m := "  "
		if i == 0 {
			m = marker
		}
		names[i] = m + style.Render(n) + strings.Repeat(" ", labelWidth-lipgloss.Width(n))
	}
	f.labelKey, f.labelLines = k, names
	return names
}

// extra returns the lines under the input: problem or warning, note, and hint when focused.
func (f *Field) extra(st *theme.Styles, labelWidth, width int, focused bool) []string {
	k := viewKey{st: st, labelWidth: labelWidth, width: width, focused: focused, noteOK: f.noteOK,
		problem: f.Problem, warning: f.Warning, note: f.Note}
	if k == f.extraKey && f.extraLines != nil {
		return f.extraLines
	}
	indent := strings.Repeat(" ", markerWidth+labelWidth)
	var lines []string
	if f.Problem != "" {
		lines = append(lines, wrapIndent(st.Error.Render("✗ "+guard.Visible(f.Problem)), indent, width))
	} else if f.Warning != "" {
		lines = append(lines, wrapIndent(st.Warning.Render("! "+guard.Visible(f.Warning)), indent, width))
	}
	if f.Note != "" {
		style, mark := st.Success, "✓ "
		if !f.noteOK {
			style, mark = st.Warning, "! "
		}
		lines = append(lines, wrapIndent(style.Render(mark+guard.Visible(f.Note)), indent, width))
	}
	if focused && f.Q.Hint != "" {
		lines = append(lines, wrapIndent(st.Hint.Render(f.Q.Hint), indent, width))
	}
	f.extraKey, f.extraLines = k, []string{}
	if len(lines) > 0 {
		f.extraLines = strings.Split(strings.Join(lines, "\n"), "\n")
	}
	return f.extraLines
}

func (f *Field) choicesView(st *theme.Styles, focused bool, width int) []string {
	parts := make([]string, len(f.Q.Choices))
	for i, c := range f.Q.Choices {
		if i == f.choice {
			parts[i] = st.Selected.Render("(•) " + c.Label)
		} else {
			parts[i] = st.Muted.Render("( ) " + c.Label)
		}
	}
	if focused {
		parts = append(parts, st.Hint.Render("←/→"))
	}
	return flow(parts, "  ", width)
}

func toggleView(st *theme.Styles, on, focused bool, width int) []string {
	yes, no := st.Muted.Render("( ) yes"), st.Selected.Render("(•) no")
	if on {
		yes, no = st.Selected.Render("(•) yes"), st.Muted.Render("( ) no")
	}
	parts := []string{yes, no}
	if focused {
		parts = append(parts, st.Hint.Render("←/→ or y/n"))
	}
	return flow(parts, "  ", width)
}

func (f *Field) multiView(st *theme.Styles, a *model.Answers, focused bool, width int) []string {
	set := multiSet(f.Q.Get(a))
	parts := make([]string, len(f.Q.Choices))
	for i, c := range f.Q.Choices {
		box := "[ ] "
		style := st.Muted
		if set[c.Value] {
			box, style = "[x] ", st.Selected
		}
		s := style.Render(box + c.Label)
		if focused && i == f.cursor {
			s = st.FocusLabel.Render("›") + s
		} else {
			s = " " + s
		}
		parts[i] = s
	}
	return flow(parts, " ", width)
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
			wrapped := strings.Split(ansi.Wrap(p, max(width-4, 4), ""), "\n")
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

// wrapWords breaks plain text into lines of at most w cells at spaces; a word longer than w
// is cut with an ellipsis.
func wrapWords(s string, w int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		word = truncate(word, w)
		switch {
		case cur == "":
			cur = word
		case lipgloss.Width(cur)+1+lipgloss.Width(word) <= w:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
	}
	return append(lines, cur)
}

// truncate shortens s to at most w cells, ending with an ellipsis when cut.
func truncate(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// Truncate shortens s to at most w cells, ending with an ellipsis when cut.
func Truncate(s string, w int) string { return truncate(s, w) }

// Wrap wraps styled text to width.
func Wrap(s string, width int) string { return wrapIndent(s, "", width) }

// wrapIndent wraps styled text to width, indenting every line.
func wrapIndent(s, indent string, width int) string {
	w := max(width-len(indent), 20)
	wrapped := lipgloss.NewStyle().Width(w).Render(s)
	lines := strings.Split(wrapped, "\n")
	for i, l := range lines {
		lines[i] = indent + strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

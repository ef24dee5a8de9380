package steps

import (
	"strings"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// pemRefused says why a text field drops a PEM key typed or pasted into it.
const pemRefused = "this field takes no PEM key, so the one typed or pasted here was dropped: " +
	"keys go into a key field (the GitHub App private key, the TLS certificate and its key)"

// Text is a one-line text question.
type Text struct {
	fieldBase
	in input
	// dropping is set while the lines of a PEM key arrive as typed keys (a paste without
	// bracketed paste): they are dropped up to the -----END line, whose text line collects.
	dropping bool
	line     string
}

// NewText makes a text field.
func NewText(q Question) *Text {
	return &Text{fieldBase: newBase(q), in: newInput(q.Placeholder)}
}

// Load implements Field. The text input would drop control characters silently, so the value
// is shown through guard.Visible; the answers keep the exact value until the text is edited.
func (t *Text) Load(a *model.Answers) {
	t.in.set(guard.Visible(t.q.Get(a)))
	t.in.ti.CursorStart()
	t.redraw(partBody)
}

// Focus implements Field.
func (t *Text) Focus() tea.Cmd {
	t.setFocus(true)
	return t.in.focus()
}

// Blur implements Field.
func (t *Text) Blur() {
	t.setFocus(false)
	t.in.blur()
	t.dropping, t.line = false, ""
}

// Update implements Field.
func (t *Text) Update(msg tea.Msg, a *model.Answers) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case generatedMsg:
		if msg.path == t.q.Path {
			t.generated(msg, a)
		}
	case tea.PasteMsg:
		return t.paste(msg.Content, a), true
	case tea.KeyPressMsg:
		return t.key(msg, a)
	}
	return nil, false
}

func (t *Text) key(msg tea.KeyPressMsg, a *model.Answers) (tea.Cmd, bool) {
	switch {
	case t.dropping:
		t.drop(msg)
		return nil, true
	case t.keys.leaves(msg):
		return nil, false
	case key.Matches(msg, t.keys.Generate) && t.q.Generate != nil:
		t.setNote("generating…", noteInfo)
		return generate(t.q.Path, t.q.Generate), true
	}
	cmd, changed := t.in.update(msg)
	t.redraw(partBody) // the cursor may have moved
	if changed {
		t.edited(a)
	}
	return cmd, true
}

// edited stores the changed text. A PEM key arriving as keystrokes is cut off at its first
// line and its further lines dropped, so that neither this field nor the ones after it
// (each line ends with an enter) receive them.
func (t *Text) edited(a *model.Answers) {
	t.setProblems("", "")
	if v := t.in.value(); strings.Contains(v, PEMBegin) {
		i := strings.Index(v, PEMBegin)
		t.in.set(v[:i])
		t.dropping, t.line = true, v[i:]
		t.setProblems("a PEM key is arriving here as typed keys: its lines are dropped up to its -----END line", "")
	}
	t.q.Set(a, t.in.value())
}

// drop swallows a key of a PEM key's lines; the enter after the -----END line ends it.
func (t *Text) drop(msg tea.KeyPressMsg) {
	switch {
	case key.Matches(msg, t.keys.Line):
		if strings.Contains(t.line, PEMEnd) {
			t.dropping = false
			t.setProblems(pemRefused, "")
		}
		t.line = ""
	case msg.Text != "":
		t.line += msg.Text
	}
}

// paste inserts pasted text whole; one-line values lose the line break a terminal copy often
// carries. A PEM key is refused.
func (t *Text) paste(content string, a *model.Answers) tea.Cmd {
	if strings.Contains(content, PEMBegin) {
		t.setProblems(pemRefused, "")
		return nil
	}
	content = strings.TrimRight(content, "\r\n")
	content = strings.ReplaceAll(content, "\r\n", "\n")
	cmd, _ := t.in.update(tea.PasteMsg{Content: content})
	t.redraw(partBody)
	t.edited(a)
	return cmd
}

// generated takes a generated value into the field.
func (t *Text) generated(msg generatedMsg, a *model.Answers) {
	if msg.err != nil {
		t.setNote(msg.err.Error(), noteBad)
		return
	}
	t.in.set(msg.value)
	t.redraw(partBody)
	t.edited(a)
	if t.q.Entry != nil {
		a.MarkGenerated(t.q.Path) // generating twice (here and in wizard.generate) is no conflict
	}
	t.setNote("generated a fresh value ("+t.q.Generate.Format+")", noteGood)
}

// generate runs a generator off the UI goroutine (RSA keys take a moment).
func generate(path string, g *model.Generator) tea.Cmd {
	return func() tea.Msg {
		v, err := g.New()
		return generatedMsg{path: path, value: v, err: err}
	}
}

// View implements Field.
func (t *Text) View(st *theme.Styles, labelWidth, width int) ([]string, int) {
	return t.view(st, labelWidth, width, t.body)
}

func (t *Text) body(st *theme.Styles, width int) ([]string, int) {
	return t.in.view(st, width, t.focused)
}

// KeyBinds implements Field: typing needs no help.
func (t *Text) KeyBinds() []key.Binding {
	if t.q.Generate != nil {
		return []key.Binding{t.keys.Generate}
	}
	return nil
}

// Display implements Field.
func (t *Text) Display(a *model.Answers, _ bool) string { return t.q.Get(a) }

// Prompt implements Field: the placeholder tells what to type unless it is the default.
func (t *Text) Prompt() string {
	p := t.q.Label
	if t.q.Placeholder != "" && t.q.Placeholder != t.q.Default {
		p += " (" + t.q.Placeholder + ")"
	}
	if t.q.Generate != nil {
		p += " (or type generate)"
	}
	return p
}

// Answer implements Field: "generate" asks for a fresh value where the question offers one.
func (t *Text) Answer(a *model.Answers, line string) (string, bool) {
	if strings.Contains(line, PEMBegin) {
		return pemRefused, false
	}
	if line == "generate" && t.q.Generate != nil {
		v, err := t.q.Generate.New()
		if err != nil {
			return err.Error(), false
		}
		t.in.set(v)
		t.redraw(partBody)
		t.q.Set(a, v)
		if t.q.Entry != nil {
			a.MarkGenerated(t.q.Path)
		}
		return "Generated " + t.q.Generate.Format + ".", true
	}
	t.in.set(line)
	t.redraw(partBody)
	t.q.Set(a, line)
	return "", true
}

// Secret is a masked text question, with a key that shows the text.
type Secret struct {
	Text
	revealed bool
}

// NewSecret makes a secret field.
func NewSecret(q Question) *Secret {
	s := &Secret{Text: *NewText(q)}
	s.in.ti.EchoMode = textinput.EchoPassword
	s.in.ti.EchoCharacter = '•'
	return s
}

// Update implements Field: the reveal key, else what a text field does.
func (s *Secret) Update(msg tea.Msg, a *model.Answers) (tea.Cmd, bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok && !s.dropping && key.Matches(k, s.keys.Reveal) {
		s.revealed = !s.revealed
		s.in.ti.EchoMode = textinput.EchoPassword
		if s.revealed {
			s.in.ti.EchoMode = textinput.EchoNormal
		}
		s.redraw(partBody)
		return nil, true
	}
	return s.Text.Update(msg, a)
}

// KeyBinds implements Field.
func (s *Secret) KeyBinds() []key.Binding {
	return append([]key.Binding{s.keys.Reveal}, s.Text.KeyBinds()...)
}

// Display implements Field: masked (with the installation's keyed fingerprint, when the
// answers hold its key) unless reveal.
func (s *Secret) Display(a *model.Answers, reveal bool) string {
	v := s.q.Get(a)
	switch {
	case v == "" || reveal:
		return v
	case s.q.Entry != nil:
		return a.Display(s.q.Entry, v)
	}
	return a.Masked(v)
}

// Secret implements Field: read without echo.
func (s *Secret) Secret() bool { return true }

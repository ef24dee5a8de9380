package steps

import (
	"slices"
	"strings"

	"crewai-setup/model"
	"crewai-setup/steps/text"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Context is what every screen shares: the answers being built, the catalog, the styles and
// the size of the content area. The root model owns it and keeps it current.
type Context struct {
	Answers *model.Answers
	Catalog *model.Catalog
	Styles  *theme.Styles
	// Width and Height are the content area's size.
	Width, Height int
	// OutDir is where the files will be written.
	OutDir string
	// Defaulted lists the keys the wizard set to its own defaults when it started
	// (model.Answers.ApplyWizardDefaults), so the review can say so.
	Defaulted []string
	// LineByLine is set in the line-by-line (accessible) mode, where no screen keys work.
	LineByLine bool
	// Encryption, when set, says how secrets.yaml in outDir will be written for the wizard
	// settings w (encrypted with sops, and for whom, or plaintext), for the Deployment screen.
	// It reads .sops.yaml files, so the screen calls it in a command (noteEncryption), never
	// while drawing; the line-by-line mode, which draws nothing, calls it directly.
	Encryption func(w model.Wizard, outDir string) string
	// encryption is Encryption's last sentence and the settings it was for (key), and the
	// settings it was last asked for.
	encryption struct {
		key, asked, note string
	}
}

// encryptionNoteMsg carries Encryption's sentence for the settings key.
type encryptionNoteMsg struct{ key, note string }

// encryptionKey is what Encryption's sentence depends on.
func (c *Context) encryptionKey() string {
	w := c.Answers.Wizard
	return c.OutDir + "\x00" + w.Encrypt + "\x00" + strings.Join(w.SopsAge, ",")
}

// EncryptionNote is Encryption's last sentence, "" when there is no Encryption or before its
// first sentence came. In the line-by-line mode it is made here, for the current settings.
func (c *Context) EncryptionNote() string {
	if c.LineByLine && c.Encryption != nil {
		if key := c.encryptionKey(); c.encryption.key != key {
			c.encryption.key, c.encryption.note = key, c.Encryption(c.Answers.Wizard, c.OutDir)
		}
	}
	return c.encryption.note
}

// noteEncryption returns a command that makes Encryption's sentence off the UI goroutine,
// when the settings changed since it was last asked for (nil otherwise).
func (c *Context) noteEncryption() tea.Cmd {
	key := c.encryptionKey()
	if c.Encryption == nil || key == c.encryption.asked {
		return nil
	}
	c.encryption.asked = key // a sentence still on its way for other settings is dropped
	if key == c.encryption.key {
		return nil // back to the settings the sentence shown is for
	}
	enc, w, dir := c.Encryption, c.Answers.Wizard, c.OutDir
	w.SopsAge = slices.Clone(w.SopsAge)
	return func() tea.Msg { return encryptionNoteMsg{key: key, note: enc(w, dir)} }
}

// tookEncryptionNote shows a sentence made for the settings last asked about; one for
// settings changed since is dropped (the one for the new settings is on its way).
func (c *Context) tookEncryptionNote(msg encryptionNoteMsg) {
	if msg.key == c.encryption.asked {
		c.encryption.key, c.encryption.note = msg.key, msg.note
	}
}

// WizardDefault reports whether the answer at path in a is the default the wizard started
// from rather than one the operator gave.
func (c *Context) WizardDefault(path string, a *model.Answers) bool {
	if !slices.Contains(c.Defaulted, path) {
		return false
	}
	e := c.Catalog.Lookup(path)
	return e != nil && a.Get(path) == e.WizardDefault
}

// Step is one wizard screen.
type Step interface {
	// ID is a stable short name; Title is shown in the step list.
	ID() string
	Title() string
	// Init is called each time the screen becomes current.
	Init() tea.Cmd
	Update(msg tea.Msg) (Step, tea.Cmd)
	// View renders the screen; Cursor is the text cursor relative to the view, or nil.
	View() string
	Cursor() *tea.Cursor
	// KeyBinds are the keys that work on the screen right now, for the help footer.
	KeyBinds() []key.Binding
	// Validate checks the screen's answers, shows problems next to their fields and returns them.
	Validate() model.Problems
	// SkipReason says why the screen does not apply ("" when it does).
	SkipReason() string
	// Fields are the screen's fields in order (none for screens that ask nothing), for the
	// review and the accessible line-by-line mode.
	Fields() []Field
}

// Screens builds the wizard's question screens in their order. Building them reads the
// answers and never changes them.
func Screens(ctx *Context) []Step {
	return []Step{NewDeployment(ctx), NewDatabase(ctx), NewGitHub(ctx), NewAuth(ctx),
		NewIntegrations(ctx), NewLLM(ctx), NewStorage(ctx)}
}

// NextMsg asks the root to validate the current screen and move to the next one.
type NextMsg struct{}

// JumpMsg asks the root to show screen Index.
type JumpMsg struct{ Index int }

// WriteMsg asks the root to write the files.
type WriteMsg struct{}

func next() tea.Msg { return NextMsg{} }

// formStep is a screen made of a form of fields with optional text around it.
type formStep struct {
	ctx   *Context
	id    string
	title string
	intro string
	// outro returns text shown below the fields (callback URLs, prerequisites).
	outro func(a *model.Answers) string
	// notes returns the screen's own notes, shown with what the docs leave open about its
	// fields: below the fields when there is room, always in the F1 help.
	notes func(a *model.Answers) []string
	skip  func(a *model.Answers) string
	form  *Form
	// wrappedHead, wrappedOutro and wrappedNotes are the texts around the form, wrapped.
	wrappedHead, wrappedOutro, wrappedNotes wrapped
	// lineBuf is reused for the lines of each frame.
	lineBuf []string
}

// wrapped is a text wrapped to a width, as lines.
type wrapped struct {
	text  string
	width int
	st    *theme.Styles
	lines []string
	// full is the header with the intro.
	full []string
}

func newFormStep(ctx *Context, id, title, intro string, fields ...Field) *formStep {
	f := NewForm(ctx.Answers, fields...)
	f.Check = model.Validate
	return &formStep{ctx: ctx, id: id, title: title, intro: intro, form: f}
}

func (s *formStep) ID() string    { return s.id }
func (s *formStep) Title() string { return s.title }

func (s *formStep) Init() tea.Cmd { return s.form.FocusFirst(s.ctx.Answers, false) }

func (s *formStep) Update(msg tea.Msg) (Step, tea.Cmd) {
	if _, ok := msg.(tea.BackgroundColorMsg); ok {
		return s, nil // the fields take the new styles when they are drawn
	}
	cmd, done := s.form.Update(msg, s.ctx.Answers)
	if done {
		return s, tea.Batch(cmd, next)
	}
	return s, cmd
}

// header returns the title (and the intro) as lines, the last one empty.
func (s *formStep) header(intro bool) []string {
	st := s.ctx.Styles
	if s.wrappedHead.width != s.ctx.Width || s.wrappedHead.st != st {
		title := st.Title.Render(s.title)
		s.wrappedHead = wrapped{width: s.ctx.Width, st: st, lines: []string{title, ""}}
		if s.intro != "" {
			s.wrappedHead.full = strings.Split(title+"\n"+text.WrapIndent(st.Subtitle.Render(s.intro), "", s.ctx.Width)+"\n", "\n")
		}
	}
	if !intro || s.intro == "" {
		return s.wrappedHead.lines // the title alone
	}
	return s.wrappedHead.full
}

func (s *formStep) View() string {
	lines, _ := s.Lines()
	return strings.Join(lines, "\n")
}

func (s *formStep) Cursor() *tea.Cursor {
	_, c := s.Lines()
	return c
}

// Lines is View as lines, for the root model, which puts them next to the step list without
// joining and splitting them again. The slice is reused by the next frame. Every call draws
// from the fields' current state (each field keeps its own drawing), so no change can leave
// an old frame on screen. Below the fields come the outro (callback URLs, prerequisites) and
// the notes (what the chart's docs leave open). When the fields do not fit, the notes make
// room for them first (F1 lists them too), then the intro: both say less than the fields'
// own hints.
func (s *formStep) Lines() ([]string, *tea.Cursor) {
	a := s.ctx.Answers
	var outro []string
	if s.outro != nil {
		outro = s.wrappedOutro.of(s.outro(a), s.ctx.Width, s.ctx.Styles)
		if most := max(s.ctx.Height/2, 4); len(outro) > most {
			// A terminal too short for all of it: the fields come first.
			outro = append(outro[:most-1:most-1], s.ctx.Styles.Muted.Render("… (a taller terminal shows the rest)"))
		}
	}
	notes := s.wrappedNotes.of(s.notesText(), s.ctx.Width, s.ctx.Styles)
	var head, body []string
	var cursor *tea.Cursor
	withNotes := false
	for _, try := range []struct{ intro, notes bool }{{true, true}, {true, false}, {false, false}} {
		if try.notes && len(notes) == 0 || !try.intro && s.intro == "" {
			continue // the same as another try
		}
		head, withNotes = s.header(try.intro), try.notes
		avail := s.ctx.Height - len(head) - len(outro) - 1
		if withNotes {
			avail -= len(notes)
		}
		body, cursor = s.form.viewLines(s.ctx.Styles, a, s.ctx.Width, avail)
		if !s.form.scrolled && len(body) <= avail {
			break
		}
	}
	if cursor != nil {
		cursor.Y += len(head)
	}
	s.lineBuf = append(append(append(s.lineBuf[:0], head...), body...), outro...)
	if withNotes {
		s.lineBuf = append(s.lineBuf, notes...)
	}
	return s.lineBuf, cursor
}

// of returns text wrapped to width after a blank line, wrapping it again only when the text,
// the width or the styles changed.
func (w *wrapped) of(t string, width int, st *theme.Styles) []string {
	if t == "" {
		return nil
	}
	if t != w.text || w.width != width || w.st != st {
		lines := []string{""}
		for _, l := range strings.Split(t, "\n") {
			wl := text.WrapIndent(l, "", width)
			if strings.HasPrefix(ansi.Strip(l), "• ") {
				wl = text.Hang(l, "  ", width) // a list item: its lines under its text
			}
			lines = append(lines, strings.Split(wl, "\n")...)
		}
		*w = wrapped{text: t, width: width, st: st, lines: lines}
	}
	return w.lines
}

// Notes returns what the chart's docs leave open about the settings the screen shows, each
// note once, after the labels of the fields it concerns ("AWS region, S3 bucket: …").
func (s *formStep) Notes() []string {
	var own []string
	if s.notes != nil {
		own = s.notes(s.ctx.Answers)
	}
	return append(own, s.fieldNotes()...)
}

// About is the intro followed by the notes: everything the screen says besides its fields,
// for the F1 help.
func (s *formStep) About() []string {
	if s.intro == "" {
		return s.Notes()
	}
	return append([]string{s.intro}, s.Notes()...)
}

// fieldNotes is what the chart's docs leave open about the shown fields.
func (s *formStep) fieldNotes() []string {
	var notes []string
	labels := map[string][]string{}
	for _, i := range s.form.visible(s.ctx.Answers) {
		q := s.form.Fields[i].Question()
		if q.Entry == nil || q.Entry.Unknown == "" {
			continue
		}
		if !slices.Contains(notes, q.Entry.Unknown) {
			notes = append(notes, q.Entry.Unknown)
		}
		labels[q.Entry.Unknown] = append(labels[q.Entry.Unknown], q.Label)
	}
	var out []string
	for _, n := range notes {
		out = append(out, strings.Join(labels[n], ", ")+": "+n)
	}
	return out
}

// notesText is the notes as the screen's last lines show them.
func (s *formStep) notesText() string {
	notes := s.Notes()
	if len(notes) == 0 {
		return ""
	}
	return s.ctx.Styles.Muted.Render(strings.Join(notes, "\n"))
}

// AllKeyBinds implements KeyHelper: moving between fields and every shown field's keys.
func (s *formStep) AllKeyBinds() []key.Binding { return s.form.AllKeyBinds(s.ctx.Answers) }

func (s *formStep) KeyBinds() []key.Binding { return s.form.KeyBinds(s.ctx.Answers) }

func (s *formStep) Validate() model.Problems {
	a := s.ctx.Answers
	paths := map[string]bool{}
	for _, p := range s.form.Paths(a) {
		paths[p] = true
	}
	var mine model.Problems
	for _, p := range model.Validate(a) {
		if paths[p.Path] {
			mine = append(mine, p)
		}
	}
	s.form.ShowProblems(a, mine)
	for _, f := range s.form.Fields {
		q := f.Question()
		if f.Problem() != "" && q.Shown(a) && len(mine.For(q.Path).Errors()) == 0 {
			// A key file refused when it was read: report it too.
			mine = append(mine, model.Problem{Path: q.Path, Severity: model.Error, Message: f.Problem()})
		}
	}
	return mine
}

// FocusProblem moves focus to the first field with a problem.
func (s *formStep) FocusProblem() tea.Cmd { return s.form.FocusFirst(s.ctx.Answers, true) }

func (s *formStep) SkipReason() string {
	if s.skip == nil {
		return ""
	}
	return s.skip(s.ctx.Answers)
}

func (s *formStep) Fields() []Field { return s.form.Fields }

// Outro is the text below the screen's fields (callback URLs to register, databases to create,
// how secrets.yaml will be written), without styles, for the line-by-line mode.
func (s *formStep) Outro() string {
	if s.outro == nil {
		return ""
	}
	return ansi.Strip(s.outro(s.ctx.Answers))
}

// ProblemFocuser is implemented by screens that can move focus to their first problem.
type ProblemFocuser interface {
	FocusProblem() tea.Cmd
}

// KeyHelper is implemented by screens with more keys than the ones working at the moment (a
// form: every field's keys), for the full help.
type KeyHelper interface {
	AllKeyBinds() []key.Binding
}

// NoteHolder is implemented by screens that say more than their fields: what the screen is
// about (its intro, which a short terminal drops) and notes such as what the chart's docs
// leave open about its settings.
type NoteHolder interface {
	About() []string
}

// copyable is text around a URL or command to copy: what it is, then the URL on a line of its
// own, never broken. A URL wider than the screen is cut with … (by the wrapping) and a line
// says where to find it whole.
func (c *Context) copyable(style lipgloss.Style, what, url string) string {
	out := style.Render(what) + "\n" + style.Render(url)
	if lipgloss.Width(url) > c.Width {
		out += "\n" + c.Styles.Muted.Render("(cut to fit: a wider terminal shows it whole; summary.md lists it too)")
	}
	return out
}

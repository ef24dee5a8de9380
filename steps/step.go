package steps

import (
	"slices"
	"strings"

	"crewai-setup/model"
	"crewai-setup/steps/text"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
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
	skip  func(a *model.Answers) string
	form  *Form
	// advance is set when the operator left the last field while a key file was still loading.
	advance bool
	// wrappedHead and wrappedOutro are the texts around the form, wrapped.
	wrappedHead, wrappedOutro wrapped
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
	if _, loaded := msg.(keyLoadedMsg); loaded && s.advance && !s.form.Busy() {
		// The key the operator left the screen with has been read: go on now.
		s.advance = false
		return s, tea.Batch(cmd, next)
	}
	if done {
		if s.form.Busy() {
			s.advance = true
			return s, cmd
		}
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
// an old frame on screen. When the fields do not fit, the intro makes room for them: it says
// less than the fields' own hints.
func (s *formStep) Lines() ([]string, *tea.Cursor) {
	a := s.ctx.Answers
	var outro []string
	if s.outro != nil {
		if o := s.outro(a); o != "" {
			w := &s.wrappedOutro
			if o != w.text || w.width != s.ctx.Width {
				*w = wrapped{text: o, width: s.ctx.Width, lines: append([]string{""}, strings.Split(text.WrapIndent(o, "", s.ctx.Width), "\n")...)}
			}
			outro = w.lines
		}
	}
	var head, body []string
	var cursor *tea.Cursor
	for _, intro := range []bool{true, false} {
		head = s.header(intro)
		avail := s.ctx.Height - len(head) - len(outro) - 1
		body, cursor = s.form.viewLines(s.ctx.Styles, a, s.ctx.Width, avail)
		if !s.form.scrolled || s.intro == "" {
			break
		}
	}
	if cursor != nil {
		cursor.Y += len(head)
	}
	s.lineBuf = append(append(append(s.lineBuf[:0], head...), body...), outro...)
	return s.lineBuf, cursor
}

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

// ProblemFocuser is implemented by screens that can move focus to their first problem.
type ProblemFocuser interface {
	FocusProblem() tea.Cmd
}

package steps

import (
	"strings"

	"crewai-setup/model"
	"crewai-setup/ui/theme"

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
	// Questions are the screen's questions, for the accessible line-by-line mode.
	Questions() []Question
}

// NextMsg asks the root to validate the current screen and move to the next one.
type NextMsg struct{}

// JumpMsg asks the root to show screen Index.
type JumpMsg struct{ Index int }

// WriteMsg asks the root to write the files.
type WriteMsg struct{}

func next() tea.Msg { return NextMsg{} }

// formStep is a screen made of a form of questions with optional text around it.
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
}

func newFormStep(ctx *Context, id, title, intro string, qs ...Question) *formStep {
	return &formStep{ctx: ctx, id: id, title: title, intro: intro, form: NewForm(ctx.Answers, qs...)}
}

func (s *formStep) ID() string    { return s.id }
func (s *formStep) Title() string { return s.title }

func (s *formStep) Init() tea.Cmd {
	for _, f := range s.form.Fields {
		f.SetStyles(s.ctx.Styles)
	}
	return s.form.FocusFirst(s.ctx.Answers, false)
}

func (s *formStep) Update(msg tea.Msg) (Step, tea.Cmd) {
	cmd, done := s.form.Update(msg, s.ctx.Answers)
	if _, loaded := msg.(keyLoadedMsg); loaded && s.advance {
		// The key the operator left the screen with has been read: go on now.
		s.advance = false
		return s, tea.Batch(cmd, next)
	}
	if done {
		if s.form.loading() {
			s.advance = true
			return s, cmd
		}
		return s, tea.Batch(cmd, next)
	}
	return s, cmd
}

func (s *formStep) header() string {
	st := s.ctx.Styles
	out := st.Title.Render(s.title)
	if s.intro != "" {
		out += "\n" + wrapIndent(st.Subtitle.Render(s.intro), "", s.ctx.Width)
	}
	return out + "\n\n"
}

func (s *formStep) View() string {
	v, _ := s.render()
	return v
}

func (s *formStep) Cursor() *tea.Cursor {
	_, c := s.render()
	return c
}

// render draws the screen and places the cursor; View and Cursor share it.
func (s *formStep) render() (string, *tea.Cursor) {
	a := s.ctx.Answers
	head := s.header()
	outro := ""
	if s.outro != nil {
		if o := s.outro(a); o != "" {
			outro = "\n\n" + wrapIndent(o, "", s.ctx.Width)
		}
	}
	avail := s.ctx.Height - strings.Count(head, "\n") - strings.Count(outro, "\n") - 1
	body, cursor := s.form.View(s.ctx.Styles, a, s.ctx.Width, avail)
	if cursor != nil {
		cursor.Position.Y += strings.Count(head, "\n")
	}
	return head + body + outro, cursor
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
		if f.Problem != "" && f.Q.Shown(a) && len(mine.For(f.Q.Path).Errors()) == 0 {
			// A key file refused when it was read: report it too.
			mine = append(mine, model.Problem{Path: f.Q.Path, Severity: model.Error, Message: f.Problem})
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

func (s *formStep) Questions() []Question {
	qs := make([]Question, len(s.form.Fields))
	for i, f := range s.form.Fields {
		qs[i] = f.Q
	}
	return qs
}

// ProblemFocuser is implemented by screens that can move focus to their first problem.
type ProblemFocuser interface {
	FocusProblem() tea.Cmd
}

// wizardQuestion builds a question whose answer lives in the wizard block, not in chart values.
func wizardQuestion(path, label, hint, help string, kind Kind, get func(a *model.Answers) string, set func(a *model.Answers, v string)) Question {
	return Question{Path: path, Label: label, Hint: hint, Help: help, Kind: kind, Get: get, Set: set}
}

package ui

import (
	"crewai-setup/model"
	"crewai-setup/steps"
	"crewai-setup/steps/theme"
	"crewai-setup/store"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
)

// Minimum terminal size for the full layout.
const (
	minWidth     = 60
	minHeight    = 16
	sidebarWidth = 24
)

// stepState is what the step list shows for a screen.
type stepState int

const (
	stateTodo stepState = iota
	stateDone
	stateError
)

// writtenMsg reports the end of writing the files.
type writtenMsg struct {
	res   *store.Result
	left  []string
	probs model.Problems
	err   error
}

// Model is the wizard.
type Model struct {
	ctx      *steps.Context
	screens  []steps.Step
	review   *steps.Review
	done     *steps.Done
	cur      int
	states   []stepState
	keys     KeyMap
	help     help.Model
	spin     spinner.Model
	isDark   bool
	showHelp bool
	confirm  bool
	busy     bool
	dirty    bool
	aborted  bool
	width    int
	height   int
	notice   string
	result   *store.Result
	// save writes the reviewed answers; left is what it reported still in existing files.
	save store.SaveFunc
	left []string
	// cache keeps renders that rarely change across frames.
	cache renderCache
}

// renderCache remembers the step list, which only changes with screen states and size.
type renderCache struct {
	sidebarKey string
	sidebar    []string
	// footerKey and footer are the key help line and the keys, width and styles it shows.
	footerKey string
	footer    string
}

// New builds the wizard over prefilled answers, writing into outDir. Keys the answers leave
// unset that have a wizard default (the first choice their screen shows) start from it; the
// review marks them as such. Building the screens changes no answer.
func New(a *model.Answers, outDir string) *Model {
	st := theme.New(true)
	ctx := &steps.Context{Answers: a, Catalog: a.Catalog(), Styles: &st, OutDir: outDir, Defaulted: a.ApplyWizardDefaults()}
	forms := steps.Screens(ctx)
	m := &Model{ctx: ctx, keys: DefaultKeyMap(), help: help.New(), isDark: true,
		spin: spinner.New(spinner.WithSpinner(spinner.Dot)), save: store.SaveFresh}
	m.review = steps.NewReview(ctx, forms)
	m.done = steps.NewDone(ctx)
	m.screens = append(forms, m.review, m.done)
	m.states = make([]stepState, len(m.screens))
	m.help.Styles = st.Help
	return m
}

// WithSave makes the model write through save (e.g. into existing files) instead of writing
// fresh files, and returns it.
func (m *Model) WithSave(save store.SaveFunc) *Model {
	m.save = save
	return m
}

// Left lists keys the existing files still hold that the answers no longer set.
func (m *Model) Left() []string { return m.left }

// Aborted reports whether the operator quit without writing.
func (m *Model) Aborted() bool { return m.aborted }

// Result returns what was written, or nil.
func (m *Model) Result() *store.Result { return m.result }

// Init focuses the first screen and asks for the terminal's background colour.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.screens[0].Init(), tea.RequestBackgroundColor)
}

// Update routes messages: size and colour to everyone, keys and pastes to the current screen
// once the global keys have had their turn.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		st := theme.New(m.isDark)
		m.ctx.Styles = &st
		m.help.Styles = st.Help
		// Every screen restyles its text inputs, not only the current one.
		for i, s := range m.screens {
			m.screens[i], _ = s.Update(msg)
		}
		return m, nil
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.PasteMsg:
		m.dirty = true
		return m.toScreen(msg)
	case steps.NextMsg:
		return m.advance()
	case steps.JumpMsg:
		return m.show(msg.Index)
	case steps.WriteMsg:
		return m.write()
	case writtenMsg:
		return m.written(msg)
	case spinner.TickMsg:
		if msg.ID != m.spin.ID() {
			return m.toScreen(msg) // a screen's own spinner (the review's connection checks)
		}
		if !m.busy {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	}
	return m.toScreen(msg)
}

func (m *Model) toScreen(msg tea.Msg) (tea.Model, tea.Cmd) {
	s, cmd := m.screens[m.cur].Update(msg)
	m.screens[m.cur] = s
	return m, cmd
}

// key handles a key press: the quit confirmation first, then global keys, then the screen.
func (m *Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if m.confirm {
		switch {
		case key.Matches(msg, m.keys.Yes), key.Matches(msg, m.keys.Quit):
			m.aborted = true
			return m, tea.Quit
		case key.Matches(msg, m.keys.No):
			m.confirm = false
		}
		return m, nil
	}
	if m.busy && !key.Matches(msg, m.keys.Quit) {
		return m, nil // writing: keys would race with the result
	}
	switch {
	case key.Matches(msg, m.keys.Quit):
		if m.result != nil {
			return m, tea.Quit
		}
		if !m.dirty {
			m.aborted = true
			return m, tea.Quit
		}
		m.confirm = true
		return m, nil
	case key.Matches(msg, m.keys.Help), key.Matches(msg, m.keys.HelpAlt) && !m.typing():
		m.showHelp = !m.showHelp
		return m, nil
	case m.showHelp && key.Matches(msg, m.keys.Back):
		m.showHelp = false
		return m, nil
	case key.Matches(msg, m.keys.Back):
		return m.back()
	}
	if m.cur < len(m.screens)-2 {
		m.dirty = true
	}
	return m.toScreen(msg)
}

// typing reports whether keys currently go into a text field (so ? is a character there).
func (m *Model) typing() bool { return m.screens[m.cur].Cursor() != nil }

// advance validates the current screen and moves to the next one that applies.
func (m *Model) advance() (tea.Model, tea.Cmd) {
	probs := m.screens[m.cur].Validate()
	if probs.HasErrors() {
		m.states[m.cur] = stateError
		if f, ok := m.screens[m.cur].(steps.ProblemFocuser); ok {
			return m, f.FocusProblem()
		}
		return m, nil
	}
	m.states[m.cur] = stateDone
	for i := m.cur + 1; i < len(m.screens)-1; i++ {
		if m.screens[i].SkipReason() == "" {
			return m.show(i)
		}
	}
	return m, nil
}

// back shows the previous screen that applies, keeping every answer.
func (m *Model) back() (tea.Model, tea.Cmd) {
	if m.result != nil {
		return m, nil
	}
	for i := m.cur - 1; i >= 0; i-- {
		if m.screens[i].SkipReason() == "" {
			return m.show(i)
		}
	}
	return m, nil
}

func (m *Model) show(i int) (tea.Model, tea.Cmd) {
	if i < 0 || i >= len(m.screens)-1 {
		return m, nil
	}
	m.cur = i
	m.notice = ""
	return m, m.screens[i].Init()
}

// write starts writing the files from the reviewed answers, off the UI goroutine.
func (m *Model) write() (tea.Model, tea.Cmd) {
	a := m.review.Pruned().Clone()
	dir, save := m.ctx.OutDir, m.save
	m.busy = true
	m.notice = ""
	return m, tea.Batch(m.spin.Tick, func() tea.Msg {
		res, left, probs, err := store.PrepareAndSave(a, nil, dir, save)
		return writtenMsg{res: res, left: left, probs: probs, err: err}
	})
}

func (m *Model) written(msg writtenMsg) (tea.Model, tea.Cmd) {
	m.busy = false
	switch {
	case msg.err != nil:
		m.notice = "Nothing more was written: " + msg.err.Error()
		return m, nil
	case msg.probs.HasErrors():
		m.notice = "Not written: " + msg.probs.Errors()[0].String()
		return m, nil
	}
	m.result = msg.res
	var written, notes []string
	for _, w := range msg.res.Written {
		line := w.Path
		if w.Backup != "" {
			line += " (previous version kept as " + w.Backup + ")"
		}
		written = append(written, line)
	}
	if msg.res.GitWarning != "" {
		notes = append(notes, msg.res.GitWarning)
	}
	for _, p := range msg.left {
		notes = append(notes, p+" is still in the files but no longer set; remove it by hand if it is unused")
	}
	m.left = msg.left
	m.done.SetResult(written, notes, string(msg.res.Files.Summary))
	m.states[len(m.screens)-2] = stateDone
	m.cur = len(m.screens) - 1
	return m, nil
}

// layout gives the screens the size of the content area.
func (m *Model) layout() {
	m.ctx.Width = max(m.width-sidebarWidth-3, 20)
	m.ctx.Height = max(m.height-3, 5)
	m.help.SetWidth(m.width)
}

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

// Sizes of the layout.
const (
	// minWidth and minHeight are the smallest terminal the layout fits in.
	minWidth  = 60
	minHeight = 16
	// sidebarWidth is the step list with titles; below narrowBelow columns a rail of
	// numbers and marks (railWidth) replaces it, leaving the screens the room.
	sidebarWidth = 24
	railWidth    = 6
	narrowBelow  = 90
)

// stepState is what the step list shows for a screen.
type stepState int

const (
	stateTodo stepState = iota
	stateDone
	stateWarn
	stateError
)

// stateOf is the state a screen's problems give it: an error, a warning (a main choice left
// unset is one), or done.
func stateOf(probs model.Problems) stepState {
	switch {
	case probs.HasErrors():
		return stateError
	case len(probs.Warnings()) > 0:
		return stateWarn
	}
	return stateDone
}

// overlay is a panel shown instead of the current screen.
type overlay int

const (
	overlayNone overlay = iota
	overlayHelp
	overlayChecklist
)

// writtenMsg reports the end of writing the files.
type writtenMsg struct {
	res   *store.Result
	left  []string
	probs model.Problems
	err   error
	// a is the answers as written, generated values included.
	a *model.Answers
}

// terminalGoneMsg reports that the terminal went away (its input ended or failed, or it hung
// up): nothing can be asked any more.
type terminalGoneMsg struct{}

// Model is the wizard.
type Model struct {
	ctx     *steps.Context
	screens []steps.Step
	review  *steps.Review
	done    *steps.Done
	cur     int
	states  []stepState
	keys    KeyMap
	help    help.Model
	spin    spinner.Model
	isDark  bool
	confirm bool
	busy    bool
	dirty   bool
	aborted bool
	// gone is set when the terminal went away.
	gone bool
	// backToReview is set while a screen was opened from the review: leaving it (enter past
	// its last field, or esc) goes back there rather than on through the screens.
	backToReview bool
	// overlay is the panel shown instead of the screen (help, checklist), in panel.
	overlay overlay
	panel   steps.Pager
	width   int
	height  int
	notice  string
	result  *store.Result
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
	// panelKey is what the open panel was laid out for.
	panelKey string
}

// New builds the wizard over prefilled answers, writing into outDir. Keys the answers leave
// unset that have a wizard default (the first choice their screen shows) start from it; the
// review marks them as such. Building the screens changes no answer. Prefilled answers
// (init --answers, init --from) open on the review: everything is there to check, and a
// screen opened from it goes back to it.
func New(a *model.Answers, outDir string) *Model {
	prefilled := len(a.Paths()) > 0
	st := theme.New(true)
	ctx := &steps.Context{Answers: a, Catalog: a.Catalog(), Styles: &st, OutDir: outDir, Defaulted: a.ApplyWizardDefaults()}
	forms := steps.Screens(ctx)
	m := &Model{ctx: ctx, keys: DefaultKeyMap(), help: help.New(), isDark: true,
		spin: spinner.New(spinner.WithSpinner(spinner.Dot)), save: store.SaveFresh, panel: steps.NewPager()}
	m.review = steps.NewReview(ctx, forms)
	m.done = steps.NewDone(ctx)
	m.screens = append(forms, m.review, m.done)
	m.states = make([]stepState, len(m.screens))
	m.help.Styles = st.Help
	if prefilled {
		m.cur = m.reviewIndex()
	}
	return m
}

// reviewIndex is the review's place in the screens.
func (m *Model) reviewIndex() int { return len(m.screens) - 2 }

// WithSave makes the model write through save (e.g. into existing files) instead of writing
// fresh files, and returns it.
func (m *Model) WithSave(save store.SaveFunc) *Model {
	m.save = save
	return m
}

// WithEncryption makes the Deployment screen say how secrets.yaml will be written (encrypted
// with sops, and for whom, or plaintext) for the encryption chosen and the directory, through
// note (steps.Context.Encryption), and returns the model.
func (m *Model) WithEncryption(note func(w model.Wizard, outDir string) string) *Model {
	m.ctx.Encryption = note
	return m
}

// Left lists keys the existing files still hold that the answers no longer set.
func (m *Model) Left() []string { return m.left }

// Aborted reports whether the operator quit without writing.
func (m *Model) Aborted() bool { return m.aborted }

// Result returns what was written, or nil.
func (m *Model) Result() *store.Result { return m.result }

// Init shows the first screen and asks for the terminal's background colour.
func (m *Model) Init() tea.Cmd {
	cmd := m.screens[m.cur].Init()
	if m.cur == m.reviewIndex() {
		m.markScreens()
	}
	return tea.Batch(cmd, tea.RequestBackgroundColor)
}

// Gone reports whether the wizard ended because the terminal went away.
func (m *Model) Gone() bool { return m.gone }

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
	case terminalGoneMsg:
		// Nobody is there to answer: end now, writing nothing.
		m.gone = true
		return m, tea.Quit
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
	case m.overlay != overlayNone:
		return m.overlayKey(msg)
	case key.Matches(msg, m.keys.Help), key.Matches(msg, m.keys.HelpAlt) && !m.typing():
		m.open(overlayHelp)
		return m, nil
	case key.Matches(msg, m.keys.Checklist):
		m.open(overlayChecklist)
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

// advance validates the current screen and moves to the next one that applies, or back to
// the review when the screen was opened from there.
func (m *Model) advance() (tea.Model, tea.Cmd) {
	probs := m.screens[m.cur].Validate()
	m.states[m.cur] = stateOf(probs)
	if probs.HasErrors() {
		if f, ok := m.screens[m.cur].(steps.ProblemFocuser); ok {
			return m, f.FocusProblem()
		}
		return m, nil
	}
	if m.backToReview {
		return m.show(m.reviewIndex())
	}
	for i := m.cur + 1; i < len(m.screens)-1; i++ {
		if m.screens[i].SkipReason() == "" {
			return m.show(i)
		}
	}
	return m, nil
}

// back shows the previous screen that applies, keeping every answer; a screen opened from the
// review goes back to the review.
func (m *Model) back() (tea.Model, tea.Cmd) {
	if m.result != nil {
		return m, nil
	}
	if m.backToReview {
		return m.show(m.reviewIndex())
	}
	for i := m.cur - 1; i >= 0; i-- {
		if m.screens[i].SkipReason() == "" {
			return m.show(i)
		}
	}
	return m, nil
}

// show makes screen i current. A screen opened from the review remembers to go back there;
// showing the review marks every screen in the step list with what the review found.
func (m *Model) show(i int) (tea.Model, tea.Cmd) {
	if i < 0 || i >= len(m.screens)-1 {
		return m, nil
	}
	review := m.reviewIndex()
	m.backToReview = m.cur == review && i < review
	m.cur = i
	m.notice = ""
	cmd := m.screens[i].Init()
	if i == review {
		m.markScreens()
	}
	return m, cmd
}

// markScreens sets each question screen's state from the review's findings.
func (m *Model) markScreens() {
	for i := range m.reviewIndex() {
		if m.screens[i].SkipReason() == "" {
			m.states[i] = stateOf(m.review.ScreenProblems(i))
		}
	}
}

// write starts writing the files from the reviewed answers, off the UI goroutine.
func (m *Model) write() (tea.Model, tea.Cmd) {
	a := m.review.Pruned().Clone()
	dir, save := m.ctx.OutDir, m.save
	m.busy = true
	m.notice = ""
	return m, tea.Batch(m.spin.Tick, func() tea.Msg {
		res, left, probs, err := store.PrepareAndSave(a, nil, dir, save)
		return writtenMsg{res: res, left: left, probs: probs, err: err, a: a}
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
	notes = append(notes, msg.res.Warnings...)
	for _, p := range msg.left {
		notes = append(notes, p+" is still in the files but no longer set; remove it by hand if it is unused")
	}
	m.left = msg.left
	m.done.SetResult(written, notes, string(msg.res.Files.Summary), msg.a)
	m.states[len(m.screens)-2] = stateDone
	m.cur = len(m.screens) - 1
	return m, nil
}

// layout gives the screens the size of the content area.
func (m *Model) layout() {
	m.ctx.Width = max(m.width-m.sideWidth()-3, 20)
	m.ctx.Height = max(m.height-3, 5)
	m.panel.SetSize(m.ctx.Width, max(m.ctx.Height-2, 1))
}

// sideWidth is the width of the step list: titles on a wide terminal, a rail of numbers and
// marks on a narrow one.
func (m *Model) sideWidth() int {
	if m.width < narrowBelow {
		return railWidth
	}
	return sidebarWidth
}

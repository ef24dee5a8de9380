// Package ui is the wizard's root Bubble Tea model: the screen state machine, layout, global
// keys and help. The screens themselves live in package steps.
package ui

import (
	"fmt"
	"strings"

	"crewai-setup/model"
	"crewai-setup/render"
	"crewai-setup/steps"
	"crewai-setup/ui/theme"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
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
	res   *render.Result
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
	help     *help.Model // a pointer: help.Model is 4.6 KB, and the model is copied on every message
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
	result   *render.Result
	// cache keeps renders that rarely change across frames (View has a value receiver).
	cache *renderCache
}

// renderCache remembers the step list, which only changes with screen states and size.
type renderCache struct {
	sidebarKey string
	sidebar    []string
	// footerKey and footer are the key help line and the keys, width and styles it shows.
	footerKey string
	footer    string
}

// New builds the wizard over prefilled answers, writing into outDir.
func New(a *model.Answers, outDir string) Model {
	st := theme.New(true)
	ctx := &steps.Context{Answers: a, Catalog: a.Catalog(), Styles: &st, OutDir: outDir}
	forms := []steps.Step{
		steps.NewDeployment(ctx), steps.NewDatabase(ctx), steps.NewGitHub(ctx), steps.NewAuth(ctx),
		steps.NewIntegrations(ctx), steps.NewLLM(ctx), steps.NewStorage(ctx),
	}
	h := help.New()
	m := Model{ctx: ctx, keys: DefaultKeyMap(), help: &h, isDark: true,
		spin: spinner.New(spinner.WithSpinner(spinner.Dot)), cache: &renderCache{}}
	m.review = steps.NewReview(ctx, forms)
	m.done = steps.NewDone(ctx)
	m.screens = append(forms, m.review, m.done)
	m.states = make([]stepState, len(m.screens))
	m.help.Styles = st.Help
	return m
}

// Aborted reports whether the operator quit without writing.
func (m Model) Aborted() bool { return m.aborted }

// Result returns what was written, or nil.
func (m Model) Result() *render.Result { return m.result }

// Init focuses the first screen and asks for the terminal's background colour.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.screens[0].Init(), tea.RequestBackgroundColor)
}

// Update routes messages: size and colour to everyone, keys and pastes to the current screen
// once the global keys have had their turn.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
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
		if !m.busy {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	}
	return m.toScreen(msg)
}

func (m Model) toScreen(msg tea.Msg) (tea.Model, tea.Cmd) {
	s, cmd := m.screens[m.cur].Update(msg)
	m.screens[m.cur] = s
	return m, cmd
}

// key handles a key press: the quit confirmation first, then global keys, then the screen.
func (m Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
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
func (m Model) typing() bool { return m.screens[m.cur].Cursor() != nil }

// advance validates the current screen and moves to the next one that applies.
func (m Model) advance() (tea.Model, tea.Cmd) {
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
func (m Model) back() (tea.Model, tea.Cmd) {
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

func (m Model) show(i int) (tea.Model, tea.Cmd) {
	if i < 0 || i >= len(m.screens)-1 {
		return m, nil
	}
	m.cur = i
	m.notice = ""
	return m, m.screens[i].Init()
}

// write starts writing the files from the reviewed answers, off the UI goroutine.
func (m Model) write() (tea.Model, tea.Cmd) {
	a := m.review.Pruned().Clone()
	dir := m.ctx.OutDir
	m.busy = true
	m.notice = ""
	return m, tea.Batch(m.spin.Tick, func() tea.Msg {
		probs, err := model.Prepare(a)
		if err != nil {
			return writtenMsg{err: err}
		}
		if probs.HasErrors() {
			return writtenMsg{probs: probs}
		}
		res, err := render.Save(a, probs.Warnings(), dir)
		return writtenMsg{res: res, err: err}
	})
}

func (m Model) written(msg writtenMsg) (tea.Model, tea.Cmd) {
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

// View draws the step list, the current screen and the key help.
func (m Model) View() tea.View {
	v := tea.NewView("")
	v.AltScreen = true
	v.WindowTitle = "crewai-setup"
	if m.width == 0 {
		return v
	}
	st := m.ctx.Styles
	if m.width < minWidth || m.height < minHeight {
		v.SetContent(st.Warning.Render(fmt.Sprintf("Terminal too small (%d×%d).\nMake it at least %d×%d.\nctrl+c quits.",
			m.width, m.height, minWidth, minHeight)))
		return v
	}
	screen := m.screens[m.cur]
	var main []string
	var cursor *tea.Cursor
	lv, fast := screen.(lineViewer)
	switch {
	case m.showHelp:
		main = strings.Split(st.Title.Render("Keys")+"\n\n"+m.help.FullHelpView(m.fullHelp()), "\n")
	case fast:
		main, cursor = lv.Lines()
	default:
		main, cursor = strings.Split(screen.View(), "\n"), screen.Cursor()
	}
	v.SetContent(m.join(main, m.footer()))
	if cursor != nil && !m.confirm {
		cursor.X += sidebarWidth + 2 // the step list and the two spaces after it
		v.Cursor = cursor
	}
	return v
}

// lineViewer is a screen that can give its view as lines, saving a join and a split per frame.
type lineViewer interface {
	Lines() ([]string, *tea.Cursor)
}

// clip keeps at most n lines.
func clip(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// join puts the step list and the screen's lines side by side, at most the content height,
// and the footer on the last line. (lipgloss.JoinHorizontal would measure every line to pad
// it: a third of a keystroke's cost.)
func (m Model) join(main []string, footer string) string {
	side := m.sidebarLines()
	n := min(max(len(side), len(main)), m.ctx.Height)
	var b strings.Builder
	b.Grow(n*(len(side[0])+3+2*m.width) + len(footer))
	for i := range n {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(side) {
			b.WriteString(side[i])
		} else {
			b.WriteString(strings.Repeat(" ", sidebarWidth))
		}
		if i < len(main) && main[i] != "" {
			b.WriteString("  ")
			b.WriteString(main[i])
		}
	}
	for range max(m.height-1-n, 1) {
		b.WriteByte('\n')
	}
	b.WriteString(footer)
	return b.String()
}

// sidebarLines returns the step list's lines, rendered again only when what it shows changed.
func (m Model) sidebarLines() []string {
	var k strings.Builder
	fmt.Fprint(&k, m.cur, m.states, m.ctx.Height, m.isDark)
	for _, s := range m.screens {
		k.WriteString("|" + s.SkipReason())
	}
	if m.cache.sidebarKey != k.String() {
		m.cache.sidebarKey, m.cache.sidebar = k.String(), strings.Split(m.renderSidebar(), "\n")
	}
	return m.cache.sidebar
}

func (m Model) renderSidebar() string {
	st := m.ctx.Styles
	lines := []string{st.Title.Render("crewai-setup"), ""}
	for i, s := range m.screens {
		var line string
		switch {
		case i == m.cur:
			line = st.StepNow.Render("› " + s.Title())
		case s.SkipReason() != "" && i < len(m.screens)-2:
			// The reason wraps under the title: cut short it would not say why.
			why := lipgloss.NewStyle().Width(sidebarWidth - 4).Render(s.SkipReason())
			line = st.StepSkip.Render("– " + s.Title())
			for _, l := range strings.Split(why, "\n") {
				line += "\n" + st.StepSkip.Render("  "+strings.TrimRight(l, " "))
			}
		case m.states[i] == stateError:
			line = st.StepError.Render("✗ " + s.Title())
		case m.states[i] == stateDone:
			line = st.StepDone.Render("✓ " + s.Title())
		default:
			line = st.StepTodo.Render("  " + s.Title())
		}
		lines = append(lines, line)
	}
	return st.Sidebar.Width(sidebarWidth).Height(m.ctx.Height).Render(strings.Join(lines, "\n"))
}

func truncate(s string, w int) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	return string(r[:w-1]) + "…"
}

func (m Model) footer() string {
	st := m.ctx.Styles
	switch {
	case m.confirm:
		return st.Warning.Render("Discard your answers and quit without writing anything? y/n")
	case m.busy:
		return m.spin.View() + " Writing files…"
	case m.notice != "":
		return st.Error.Render(truncate(m.notice, m.width))
	}
	var k strings.Builder
	fmt.Fprint(&k, m.width, m.isDark)
	binds := m.screens[m.cur].KeyBinds()
	for _, b := range append(m.globalHelp(), binds...) {
		fmt.Fprint(&k, "|", b.Help().Key, b.Help().Desc, b.Enabled())
	}
	if m.cache.footerKey != k.String() {
		m.cache.footerKey, m.cache.footer = k.String(), m.renderFooter(binds)
	}
	return m.cache.footer
}

// renderFooter draws the key help line. The global keys always show; the screen's keys get
// the room left and end in … when they do not fit. (help cuts lines itself, but lets one
// item pass the width.)
func (m Model) renderFooter(binds []key.Binding) string {
	global := m.help.ShortHelpView(m.globalHelp())
	room := max(m.width-lipgloss.Width(global)-3, 0)
	h := *m.help
	h.SetWidth(room)
	local := ansi.Truncate(h.ShortHelpView(binds), room, "…")
	if local != "" {
		global = local + m.help.Styles.ShortSeparator.Render(m.help.ShortSeparator) + global
	}
	return ansi.Truncate(global, m.width, "…")
}

// globalHelp is the footer's part for the keys that work everywhere.
func (m Model) globalHelp() []key.Binding {
	back := m.keys.Back
	back.SetEnabled(m.cur > 0 && m.result == nil)
	return []key.Binding{back, m.keys.Help, m.keys.Quit}
}

func (m Model) fullHelp() [][]key.Binding {
	return [][]key.Binding{m.screens[m.cur].KeyBinds(), {m.keys.Back, m.keys.Help, m.keys.Quit}}
}

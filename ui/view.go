package ui

import (
	"fmt"
	"strings"

	"crewai-setup/steps/text"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// View draws the step list, the current screen and the key help.
func (m *Model) View() tea.View {
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
func (m *Model) join(main []string, footer string) string {
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
func (m *Model) sidebarLines() []string {
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

func (m *Model) renderSidebar() string {
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

func (m *Model) footer() string {
	st := m.ctx.Styles
	switch {
	case m.confirm:
		return st.Warning.Render("Discard your answers and quit without writing anything? y/n")
	case m.busy:
		return m.spin.View() + " Writing files…"
	case m.notice != "":
		return st.Error.Render(text.Truncate(m.notice, m.width))
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
func (m *Model) renderFooter(binds []key.Binding) string {
	global := m.help.ShortHelpView(m.globalHelp())
	room := max(m.width-lipgloss.Width(global)-3, 0)
	h := m.help
	h.SetWidth(room)
	local := ansi.Truncate(h.ShortHelpView(binds), room, "…")
	if local != "" {
		global = local + m.help.Styles.ShortSeparator.Render(m.help.ShortSeparator) + global
	}
	return ansi.Truncate(global, m.width, "…")
}

// globalHelp is the footer's part for the keys that work everywhere.
func (m *Model) globalHelp() []key.Binding {
	back := m.keys.Back
	back.SetEnabled(m.cur > 0 && m.result == nil)
	return []key.Binding{back, m.keys.Help, m.keys.Quit}
}

func (m *Model) fullHelp() [][]key.Binding {
	return [][]key.Binding{m.screens[m.cur].KeyBinds(), {m.keys.Back, m.keys.Help, m.keys.Quit}}
}

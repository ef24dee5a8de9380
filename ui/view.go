package ui

import (
	"fmt"
	"strings"

	"crewai-setup/steps/text"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
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
	case m.overlay != overlayNone:
		main = append([]string{st.Title.Render(m.overlayTitle()), ""}, m.panelLines()...)
	case fast:
		main, cursor = lv.Lines()
	default:
		main, cursor = strings.Split(screen.View(), "\n"), screen.Cursor()
	}
	v.SetContent(m.join(main, m.footer()))
	if cursor != nil && !m.confirm {
		cursor.X += m.sideWidth() + 2 // the step list and the two spaces after it
		v.Cursor = cursor
	}
	return v
}

// panelLines draws the open panel, laid out again when the size or the styles changed.
func (m *Model) panelLines() []string {
	k := fmt.Sprint(m.overlay, m.ctx.Width, m.isDark, m.cur)
	if m.cache.panelKey != k {
		m.cache.panelKey = k
		m.panel.SetLines(m.overlayLines())
	}
	return m.panel.Lines(m.ctx.Styles)
}

// lineViewer is a screen that can give its view as lines, saving a join and a split per frame.
type lineViewer interface {
	Lines() ([]string, *tea.Cursor)
}

// join puts the step list and the screen's lines side by side, at most the content height,
// and the footer on the last line. (lipgloss.JoinHorizontal would measure every line to pad
// it: a third of a keystroke's cost.)
func (m *Model) join(main []string, footer string) string {
	side := m.sidebarLines()
	n := min(max(len(side), len(main)), m.ctx.Height)
	blank := strings.Repeat(" ", m.sideWidth())
	var b strings.Builder
	b.Grow(n*(len(side[0])+3+2*m.width) + len(footer))
	for i := range n {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(side) {
			b.WriteString(side[i])
		} else {
			b.WriteString(blank)
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
	fmt.Fprint(&k, m.cur, m.states, m.ctx.Height, m.isDark, m.sideWidth())
	for _, s := range m.screens {
		k.WriteString("|" + s.SkipReason())
	}
	if m.cache.sidebarKey != k.String() {
		m.cache.sidebarKey = k.String()
		if m.sideWidth() == railWidth {
			m.cache.sidebar = strings.Split(m.renderRail(), "\n")
		} else {
			m.cache.sidebar = strings.Split(m.renderSidebar(), "\n")
		}
	}
	return m.cache.sidebar
}

// mark is the step list's mark of screen i and its style.
func (m *Model) mark(i int) (string, lipgloss.Style) {
	st, s := m.ctx.Styles, m.screens[i]
	switch {
	case i == m.cur:
		return "›", st.StepNow
	case s.SkipReason() != "" && i < m.reviewIndex():
		return "–", st.StepSkip
	case m.states[i] == stateError:
		return "✗", st.StepError
	case m.states[i] == stateWarn:
		return "!", st.StepWarn
	case m.states[i] == stateDone:
		return "✓", st.StepDone
	}
	return " ", st.StepTodo
}

func (m *Model) renderSidebar() string {
	st := m.ctx.Styles
	lines := []string{st.Title.Render("crewai-setup"), ""}
	for i, s := range m.screens {
		mk, style := m.mark(i)
		line := style.Render(mk + " " + s.Title())
		if mk == "–" {
			// The reason wraps under the title: cut short it would not say why.
			why := lipgloss.NewStyle().Width(sidebarWidth - 4).Render(s.SkipReason())
			for _, l := range strings.Split(why, "\n") {
				line += "\n" + st.StepSkip.Render("  "+strings.TrimRight(l, " "))
			}
		}
		lines = append(lines, line)
	}
	return st.Sidebar.Width(sidebarWidth).Height(m.ctx.Height).Render(strings.Join(lines, "\n"))
}

// renderRail is the narrow step list: each screen's number (the review's jump keys) and mark,
// the current one marked ›.
func (m *Model) renderRail() string {
	lines := []string{"", ""}
	for i := range m.screens {
		mk, style := m.mark(i)
		if i == m.cur {
			lines = append(lines, style.Render(fmt.Sprintf("›%d", i+1)))
			continue
		}
		lines = append(lines, style.Render(fmt.Sprintf(" %d %s", i+1, mk)))
	}
	return m.ctx.Styles.Sidebar.Width(railWidth).Height(m.ctx.Height).Render(strings.Join(lines, "\n"))
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
	binds := m.footerKeys()
	var k strings.Builder
	fmt.Fprint(&k, m.width, m.isDark)
	for _, b := range binds {
		fmt.Fprint(&k, "|", b.Help().Key, b.Help().Desc, b.Enabled())
	}
	if m.cache.footerKey != k.String() {
		m.cache.footerKey, m.cache.footer = k.String(), shortHelp(m.help, binds, m.width)
	}
	return m.cache.footer
}

// shortHelp is the one-line key help, cut at its end like bubbles' help: the keys that fit
// whole in width, then … when some were left out. (help.ShortHelpView adds one more key past
// the width when not even its … fits.)
func shortHelp(h help.Model, binds []key.Binding, width int) string {
	sep := h.Styles.ShortSeparator.Inline(true).Render(h.ShortSeparator)
	tail := " " + h.Styles.Ellipsis.Inline(true).Render(h.Ellipsis)
	var b strings.Builder
	w := 0
	for i, kb := range binds {
		if !kb.Enabled() {
			continue
		}
		item := h.Styles.ShortKey.Inline(true).Render(kb.Help().Key) + " " + h.Styles.ShortDesc.Inline(true).Render(kb.Help().Desc)
		if w > 0 {
			item = sep + item
		}
		iw := lipgloss.Width(item)
		room := width
		if i < len(binds)-1 {
			room -= lipgloss.Width(tail) // keep room for the … should the next keys not fit
		}
		if w+iw > room {
			b.WriteString(tail)
			break
		}
		b.WriteString(item)
		w += iw
	}
	return b.String()
}

// footerKeys are the keys the footer offers, the most important first: what the screen (or
// the focused field) does, then help, then moving between screens and quitting. The help
// line is cut at its end when the terminal is narrow, as bubbles' help does.
func (m *Model) footerKeys() []key.Binding {
	if m.overlay != overlayNone {
		return append(m.overlayKeys(), m.keys.Quit)
	}
	back := m.keys.Back
	switch {
	case m.backToReview:
		back.SetHelp("esc", "back to review")
	case m.result != nil || m.cur == 0:
		back.SetEnabled(false)
	}
	binds := append([]key.Binding{}, m.screens[m.cur].KeyBinds()...)
	binds = append(binds, m.keys.Help)
	if m.cur == 0 && m.result == nil {
		binds = append(binds, m.keys.Checklist)
	}
	return append(binds, back, m.keys.Quit)
}

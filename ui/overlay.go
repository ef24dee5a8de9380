package ui

import (
	"strings"

	"crewai-setup/model"
	"crewai-setup/steps"
	"crewai-setup/steps/text"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// open shows a panel instead of the current screen, from its top.
func (m *Model) open(o overlay) {
	m.overlay = o
	m.panel.SetLines(m.overlayLines())
	m.panel.Top()
}

// overlayKey handles a key while a panel is open: it scrolls or closes it.
func (m *Model) overlayKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case m.panel.Update(msg):
	case key.Matches(msg, m.keys.Close):
		m.overlay = overlayNone
	}
	return m, nil
}

// overlayTitle is the heading of the open panel.
func (m *Model) overlayTitle() string {
	if m.overlay == overlayChecklist {
		return "Before you start"
	}
	return "Keys"
}

// overlayLines draws the open panel's content.
func (m *Model) overlayLines() []string {
	if m.overlay == overlayChecklist {
		return m.checklistLines()
	}
	return m.helpLines()
}

// helpLines lists every key that works on the current screen, then the ones that work
// everywhere, then what the chart's docs leave open about the screen's settings.
func (m *Model) helpLines() []string {
	st := m.ctx.Styles
	screen := m.screens[m.cur]
	here := screen.KeyBinds()
	if kh, ok := screen.(steps.KeyHelper); ok {
		here = kh.AllKeyBinds()
	}
	back := m.keys.Back
	if m.backToReview {
		back.SetHelp("esc", "back to the review")
	}
	everywhere := []key.Binding{m.keys.Help, m.keys.HelpAlt, m.keys.Checklist, back, m.keys.Quit}
	inPanel := append(m.panel.KeyBinds(), key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc, f1 or ?", "close it")))
	var out []string
	section := func(title string, binds []key.Binding) {
		out = append(out, st.Accent.Render(title))
		out = append(out, m.keyLines(binds)...)
		out = append(out, "")
	}
	section("On this screen", here)
	section("On every screen", everywhere)
	section("In this panel", inPanel)
	if nh, ok := screen.(steps.NoteHolder); ok {
		if notes := nh.About(); len(notes) > 0 {
			out = append(out, st.Accent.Render("About this screen"))
			for _, n := range notes {
				out = append(out, text.Hang(st.Muted.Render("• "+n), "    ", m.ctx.Width-2))
			}
		}
	}
	return strings.Split(strings.Join(out, "\n"), "\n")
}

// keyLines lists bindings one a line, keys in a column, each binding once.
func (m *Model) keyLines(binds []key.Binding) []string {
	st := m.ctx.Styles.Help
	keyWidth := 0
	for _, b := range binds {
		keyWidth = max(keyWidth, lipgloss.Width(b.Help().Key))
	}
	seen := map[string]bool{}
	var out []string
	for _, b := range binds {
		h := b.Help()
		if h.Key == "" || seen[h.Key+h.Desc] || !b.Enabled() {
			continue
		}
		seen[h.Key+h.Desc] = true
		pad := strings.Repeat(" ", keyWidth-lipgloss.Width(h.Key))
		out = append(out, text.Hang("  "+st.FullKey.Render(h.Key)+pad+"  "+st.FullDesc.Render(h.Desc), strings.Repeat(" ", keyWidth+2), m.ctx.Width))
	}
	return out
}

// checklistLines is model.Checklist on the screen: what to have ready and where it comes
// from. Nothing on it blocks the wizard.
func (m *Model) checklistLines() []string {
	st, w := m.ctx.Styles, m.ctx.Width
	replicated := m.ctx.Answers.Wizard.Replicated
	out := []string{text.WrapIndent(st.Muted.Render("What a first install needs, and where each comes from. None of it stops you here: "+
		"leave what you lack empty and fill it in later with crewai-setup init --from DIR (the directory with the files written)."), "", w), ""}
	for _, it := range model.Checklist() {
		what := "• " + it.What
		switch {
		case it.Replicated && replicated:
			what += st.Muted.Render(" — Replicated supplies it")
		case it.Replicated:
			what += st.Muted.Render(" — supplied by Replicated when you install through it")
		case it.Optional:
			what += st.Muted.Render(" — optional")
		}
		out = append(out, text.Hang(what, "  ", w), text.WrapIndent(st.Muted.Render("from: "+it.From), "  ", w))
	}
	return strings.Split(strings.Join(out, "\n"), "\n")
}

// overlayKeys are the keys that work while a panel is open, for the footer.
func (m *Model) overlayKeys() []key.Binding {
	return append(m.panel.KeyBinds(), key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")))
}

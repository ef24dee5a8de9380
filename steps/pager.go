package steps

import (
	"fmt"
	"strings"

	"crewai-setup/steps/text"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// PagerKeys are the scrolling keys of a pager beyond the viewport's own (↑/↓, PgUp/PgDn,
// half pages, ←/→): Home and End.
type PagerKeys struct {
	Top, Bottom key.Binding
	// Scroll and Sideways only describe the viewport's keys in the help.
	Scroll, Sideways key.Binding
}

// DefaultPagerKeys returns the pager's bindings.
func DefaultPagerKeys() PagerKeys {
	return PagerKeys{
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/end", "top/bottom")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end", "bottom")),
		Scroll:   key.NewBinding(key.WithKeys("down"), key.WithHelp("↑/↓ pgup/pgdn", "scroll")),
		Sideways: key.NewBinding(key.WithKeys("right"), key.WithHelp("←/→", "scroll long lines sideways")),
	}
}

// Pager shows lines that may not fit: the bubbles viewport with the usual keys (↑/↓,
// PgUp/PgDn, Home/End, the mouse wheel when the program turns the mouse on) and a last line
// saying what is hidden. Lines wider than the pager stay whole and scroll sideways with ←/→:
// they hold URLs and commands to copy, which must not be broken.
type Pager struct {
	vp   viewport.Model
	keys PagerKeys
	// wide is set when a line is wider than the pager.
	wide     bool
	maxWidth int
	lines    []string
}

// NewPager makes an empty pager.
func NewPager() Pager {
	vp := viewport.New()
	vp.SoftWrap = false
	vp.SetHorizontalStep(8)
	return Pager{vp: vp, keys: DefaultPagerKeys()}
}

// SetLines replaces the content, keeping the scroll position where it still can. A line may
// hold line breaks: it is split (the viewport would split it in the slice it is given).
func (p *Pager) SetLines(lines []string) {
	for _, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			lines = strings.Split(strings.ReplaceAll(strings.Join(lines, "\n"), "\r\n", "\n"), "\n")
			break
		}
	}
	p.lines = lines
	p.maxWidth = 0
	for _, l := range lines {
		p.maxWidth = max(p.maxWidth, lipgloss.Width(l))
	}
	p.vp.SetContentLines(lines)
	p.wide = p.maxWidth > p.vp.Width()
}

// SetSize sets the pager's size, its last line (what is hidden) included.
func (p *Pager) SetSize(width, height int) {
	if p.vp.Width() == width && p.vp.Height() == max(height-1, 1) {
		return
	}
	p.vp.SetWidth(width)
	p.vp.SetHeight(max(height-1, 1))
	p.vp.SetContentLines(p.lines)
	p.wide = p.maxWidth > width
}

// Top scrolls to the first line.
func (p *Pager) Top() { p.vp.GotoTop(); p.vp.SetXOffset(0) }

// Update scrolls for a key or mouse wheel message and reports whether it was one.
func (p *Pager) Update(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, p.keys.Top):
			p.vp.GotoTop()
			return true
		case key.Matches(msg, p.keys.Bottom):
			p.vp.GotoBottom()
			return true
		}
		km := p.vp.KeyMap
		if !key.Matches(msg, km.PageDown, km.PageUp, km.HalfPageDown, km.HalfPageUp, km.Down, km.Up, km.Left, km.Right) {
			return false
		}
	case tea.MouseWheelMsg:
	default:
		return false
	}
	p.vp, _ = p.vp.Update(msg)
	return true
}

// Lines draws the visible lines and the line saying what is hidden.
func (p *Pager) Lines(st *theme.Styles) []string {
	view := strings.Split(p.vp.View(), "\n")
	for i, l := range view {
		view[i] = strings.TrimRight(l, " ")
	}
	total := p.vp.TotalLineCount()
	var status []string
	switch {
	case !p.vp.AtBottom():
		status = append(status, fmt.Sprintf("↓ more below: line %d of %d (pgdn, end)", min(p.vp.YOffset()+p.vp.Height(), total), total))
	case !p.vp.AtTop():
		status = append(status, "↑ more above (pgup, home)")
	}
	if p.wide {
		status = append(status, "←/→ long lines")
	}
	// Trailing empty lines of the viewport's padding are dropped; the status goes after the
	// text (the root model fills the rest of the screen).
	for len(view) > 0 && view[len(view)-1] == "" {
		view = view[:len(view)-1]
	}
	if len(status) > 0 {
		for len(view) < p.vp.Height() {
			view = append(view, "")
		}
		view = append(view, st.Muted.Render(text.Truncate("  "+strings.Join(status, " · "), p.vp.Width())))
	}
	return view
}

// KeyBinds are the pager's keys for the help: scrolling, and sideways when a line is wider.
func (p *Pager) KeyBinds() []key.Binding {
	out := []key.Binding{p.keys.Scroll, p.keys.Top}
	if p.wide {
		out = append(out, p.keys.Sideways)
	}
	return out
}

// Scrolls reports whether the content is longer than the pager.
func (p *Pager) Scrolls() bool { return p.vp.TotalLineCount() > p.vp.Height() }

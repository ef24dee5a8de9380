package theme

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles are every style the wizard draws with. Meaning never rests on colour alone: focus,
// errors and states also carry a marker, so NO_COLOR terminals stay readable.
type Styles struct {
	Title      lipgloss.Style
	Subtitle   lipgloss.Style
	Text       lipgloss.Style
	Muted      lipgloss.Style
	Label      lipgloss.Style
	FocusLabel lipgloss.Style
	Value      lipgloss.Style
	Hint       lipgloss.Style
	Error      lipgloss.Style
	Warning    lipgloss.Style
	Success    lipgloss.Style
	Accent     lipgloss.Style
	Selected   lipgloss.Style
	Panel      lipgloss.Style
	Sidebar    lipgloss.Style
	Footer     lipgloss.Style
	StepDone   lipgloss.Style
	StepNow    lipgloss.Style
	StepTodo   lipgloss.Style
	StepSkip   lipgloss.Style
	StepWarn   lipgloss.Style
	StepError  lipgloss.Style
	Help       help.Styles
}

// New builds the styles for a dark or light terminal background.
func New(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	var (
		accent  = ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B9A6FF"))
		text    = ld(lipgloss.Color("#1F1F1F"), lipgloss.Color("#E8E8E8"))
		muted   = ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#9A9A9A"))
		errc    = ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF8A80"))
		warnc   = ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#FFD27F"))
		okc     = ld(lipgloss.Color("#1B6E3A"), lipgloss.Color("#8BE0A4"))
		border  = ld(lipgloss.Color("#BDBDBD"), lipgloss.Color("#4A4A4A"))
		selectc = ld(lipgloss.Color("#0B57D0"), lipgloss.Color("#8AB4F8"))
	)
	// Typed values (Value) keep the terminal's own text colour: it reads well on any
	// background, and a keystroke then costs the terminal one plain character instead of a
	// colour sequence around it (and a recoloured cell after it).
	s := Styles{
		Title:      lipgloss.NewStyle().Bold(true).Foreground(accent),
		Subtitle:   lipgloss.NewStyle().Foreground(muted),
		Text:       lipgloss.NewStyle().Foreground(text),
		Muted:      lipgloss.NewStyle().Foreground(muted),
		Label:      lipgloss.NewStyle().Foreground(text),
		FocusLabel: lipgloss.NewStyle().Bold(true).Foreground(accent),
		Value:      lipgloss.NewStyle(),
		Hint:       lipgloss.NewStyle().Foreground(muted),
		Error:      lipgloss.NewStyle().Foreground(errc),
		Warning:    lipgloss.NewStyle().Foreground(warnc),
		Success:    lipgloss.NewStyle().Foreground(okc),
		Accent:     lipgloss.NewStyle().Foreground(accent),
		Selected:   lipgloss.NewStyle().Bold(true).Foreground(selectc),
		Panel:      lipgloss.NewStyle().BorderStyle(lipgloss.NormalBorder()).BorderLeft(true).BorderForeground(border).PaddingLeft(1),
		Sidebar:    lipgloss.NewStyle().BorderStyle(lipgloss.NormalBorder()).BorderRight(true).BorderForeground(border).PaddingRight(1),
		Footer:     lipgloss.NewStyle().Foreground(muted),
		StepDone:   lipgloss.NewStyle().Foreground(okc),
		StepNow:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		StepTodo:   lipgloss.NewStyle().Foreground(text),
		StepSkip:   lipgloss.NewStyle().Foreground(muted),
		StepWarn:   lipgloss.NewStyle().Foreground(warnc),
		StepError:  lipgloss.NewStyle().Foreground(errc),
		Help:       help.DefaultStyles(isDark),
	}
	// Bubbles' default help greys are too faint to read (about 2:1 on either background):
	// keys in the text colour, descriptions muted, separators like borders.
	key, desc, sep := lipgloss.NewStyle().Foreground(text), lipgloss.NewStyle().Foreground(muted), lipgloss.NewStyle().Foreground(border)
	s.Help.ShortKey, s.Help.ShortDesc, s.Help.ShortSeparator = key, desc, sep
	s.Help.FullKey, s.Help.FullDesc, s.Help.FullSeparator = key, desc, sep
	s.Help.Ellipsis = desc
	return s
}

package ui

import (
	"fmt"
	"io"
	"strings"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/steps"
	"crewai-setup/steps/text"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// rotatePhase is where the rotation picker is.
type rotatePhase int

const (
	phasePick rotatePhase = iota
	phaseValues
	phasePlanning
	phaseConfirm
)

// planMsg carries the planned changes, made off the UI goroutine (RSA keys take a moment).
type planMsg struct {
	changes []model.Change
	probs   model.Problems
}

// RotateModel lets the operator pick credentials to rotate, supply the values that cannot be
// generated, see a masked before/after preview and confirm.
type RotateModel struct {
	a          *model.Answers
	st         *theme.Styles
	candidates []*model.Entry
	picked     map[string]bool
	cursor     int
	phase      rotatePhase
	form       *steps.Form
	vals       *model.Answers // values typed for keys that cannot be generated
	changes    []model.Change
	probs      model.Problems
	confirm    *steps.Form
	spin       spinner.Model
	width      int
	height     int
	done       bool
	aborted    bool
	gone       bool
	keys       rotateKeys
	// confirmAnswers backs the confirmation form; typed holds what was typed there.
	confirmAnswers *model.Answers
	typed          map[string]string
	// repeats holds the second typing of each new secret (by path): a typo in a masked value
	// would otherwise be written unseen.
	repeats map[string]string
	// reveal shows the generated new values on the confirmation, to copy them where they
	// are also set (the GitHub App's webhook settings).
	reveal bool
	// plan scrolls the planned changes when they do not fit above the confirmation; planKey
	// is what its lines were drawn for ("" after a new plan).
	planPager steps.Pager
	planKey   string
	help      help.Model
}

type rotateKeys struct {
	Up, Down, Toggle, Next, Quit, Back, Reveal, Page key.Binding
}

// NewRotate builds the picker over the answers read from the files.
func NewRotate(a *model.Answers) *RotateModel {
	st := theme.New(true)
	return &RotateModel{
		a: a, st: &st, candidates: model.RotationCandidates(a), picked: map[string]bool{},
		spin: spinner.New(spinner.WithSpinner(spinner.Dot)),
		keys: rotateKeys{
			Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "move")),
			Down:   key.NewBinding(key.WithKeys("down", "j")),
			Toggle: key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space", "pick")),
			Next:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
			Quit:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit without changes")),
			Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the list")),
			Reveal: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "show/hide the new values")),
			Page:   key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "scroll the changes")),
		},
		planPager: steps.NewPager(),
		help:      newHelp(&st),
	}
}

// Changes returns the confirmed changes (nil when the operator quit).
func (m *RotateModel) Changes() []model.Change {
	if !m.done {
		return nil
	}
	return m.changes
}

// Init asks for the background colour.
func (m *RotateModel) Init() tea.Cmd { return tea.RequestBackgroundColor }

// Update moves through picking, values, planning and confirmation.
func (m *RotateModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, nil
	case tea.BackgroundColorMsg:
		st := theme.New(msg.IsDark())
		m.st = &st
		m.help.Styles = st.Help
		return m, nil
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case terminalGoneMsg:
		m.gone = true
		return m, tea.Quit
	case planMsg:
		m.changes, m.probs = msg.changes, msg.probs
		m.phase, m.planKey = phaseConfirm, ""
		return m, m.startConfirm()
	case tea.KeyPressMsg:
		if key.Matches(msg, m.keys.Quit) {
			m.aborted = true
			return m, tea.Quit
		}
	}
	switch m.phase {
	case phasePick:
		return m.updatePick(msg)
	case phaseValues:
		return m.updateForm(msg, m.form, m.checkRepeats)
	case phaseConfirm:
		if k, ok := msg.(tea.KeyPressMsg); ok {
			switch {
			case key.Matches(k, m.keys.Back):
				m.phase = phasePick
				return m, nil
			case key.Matches(k, m.keys.Reveal):
				m.reveal = !m.reveal
				return m, nil
			case key.Matches(k, m.keys.Page):
				m.planPager.Update(k)
				return m, nil
			}
		}
		if m.probs.HasErrors() {
			return m, nil
		}
		return m.updateForm(msg, m.confirm, m.finish)
	default:
		return m, nil
	}
}

func (m *RotateModel) updatePick(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || len(m.candidates) == 0 {
		return m, nil
	}
	switch {
	case key.Matches(k, m.keys.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(k, m.keys.Down):
		m.cursor = min(m.cursor+1, len(m.candidates)-1)
	case key.Matches(k, m.keys.Toggle):
		p := m.candidates[m.cursor].Path
		m.picked[p] = !m.picked[p]
	case key.Matches(k, m.keys.Next):
		return m, m.startValues()
	}
	return m, nil
}

// startValues asks for the values of picked keys (and their pairs) that cannot be generated.
func (m *RotateModel) startValues() tea.Cmd {
	var fields []steps.Field
	m.vals = model.NewAnswers(m.a.Catalog())
	m.repeats = map[string]string{}
	seen := map[string]bool{}
	var walk func(e *model.Entry)
	walk = func(e *model.Entry) {
		if seen[e.Path] {
			return
		}
		seen[e.Path] = true
		if e.Gen == nil {
			q := steps.QuestionFor(m.a.Catalog(), e.Path)
			label := strings.ToLower(q.Label[:1]) + q.Label[1:]
			q.Label = "New " + label
			q.Generate = nil
			f := steps.FieldFor(q)
			fields = append(fields, f)
			if f.Secret() {
				// Typed masked: asked twice, so that a typo is not written unseen.
				path := "repeat." + e.Path
				fields = append(fields, steps.NewSecret(steps.Question{Path: path, Label: "Repeat the new " + label,
					Hint: "Type the same value again: it is masked, so this catches a typo",
					Get:  func(*model.Answers) string { return m.repeats[path] },
					Set:  func(_ *model.Answers, v string) { m.repeats[path] = v }}))
			}
		}
		if e.Pair != "" {
			walk(m.a.Catalog().Lookup(e.Pair))
		}
	}
	for _, e := range m.candidates {
		if m.picked[e.Path] {
			walk(e)
		}
	}
	if len(seen) == 0 {
		return nil
	}
	if len(fields) == 0 {
		return m.plan()
	}
	m.form = steps.NewForm(m.vals, fields...)
	m.phase = phaseValues
	return m.form.FocusFirst(m.vals, false)
}

// updateForm runs a form and calls next when the operator leaves its last field (once a key
// file typed there has been read).
func (m *RotateModel) updateForm(msg tea.Msg, f *steps.Form, next func() tea.Cmd) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, m.keys.Back) {
		m.phase = phasePick // going on again makes a new form
		return m, nil
	}
	ans := m.vals
	if f == m.confirm {
		ans = m.confirmAnswers
	}
	cmd, done := f.Update(msg, ans)
	if done {
		return m, tea.Batch(cmd, next())
	}
	return m, cmd
}

// checkRepeats goes on to planning when every new secret was typed the same twice; else it
// says so under the repetition and focuses it.
func (m *RotateModel) checkRepeats() tea.Cmd {
	var probs model.Problems
	for _, f := range m.form.Fields {
		q := f.Question()
		if orig, ok := strings.CutPrefix(q.Path, "repeat."); ok && m.repeats[q.Path] != m.vals.Get(orig) {
			probs = append(probs, model.Problem{Path: q.Path, Severity: model.Error,
				Message: "does not match the new value above: type both again"})
		}
	}
	if len(probs) == 0 {
		return m.plan()
	}
	m.form.ShowProblems(m.vals, probs)
	return m.form.FocusFirst(m.vals, true)
}

// plan makes the new values off the UI goroutine.
func (m *RotateModel) plan() tea.Cmd {
	m.phase = phasePlanning
	var chosen []*model.Entry
	for _, e := range m.candidates {
		if m.picked[e.Path] {
			chosen = append(chosen, e)
		}
	}
	supplied := map[string]string{}
	for _, p := range m.vals.Paths() {
		supplied[p] = m.vals.Get(p)
	}
	a := m.a.Clone()
	return tea.Batch(m.spin.Tick, func() tea.Msg {
		changes, probs := model.PlanRotation(a, chosen, supplied)
		return planMsg{changes, probs}
	})
}

// confirmAnswers holds what the operator typed to confirm; it is never written anywhere.
func (m *RotateModel) startConfirm() tea.Cmd {
	cat := m.a.Catalog()
	m.confirmAnswers = model.NewAnswers(cat)
	var fields []steps.Field
	for _, c := range m.changes {
		if !c.Entry.ConfirmRotate {
			continue
		}
		name := c.Entry.Name()
		path := "confirm." + name
		fields = append(fields, steps.NewText(steps.Question{Path: path, Label: "Type " + name,
			Hint: "This key protects data at rest: type its name to confirm you accept the consequence",
			Get:  func(a *model.Answers) string { return m.typed[path] },
			Set:  func(a *model.Answers, v string) { m.typed[path] = v }}))
	}
	fields = append(fields, steps.NewText(steps.Question{Path: "confirm.write", Label: "Write the changes",
		Hint: "Type yes and press enter to write; esc goes back",
		Get:  func(a *model.Answers) string { return m.typed["confirm.write"] },
		Set:  func(a *model.Answers, v string) { m.typed["confirm.write"] = v }}))
	m.typed = map[string]string{}
	m.confirm = steps.NewForm(m.confirmAnswers, fields...)
	return m.confirm.FocusFirst(m.confirmAnswers, false)
}

// finish quits with the changes once every confirmation was typed right.
func (m *RotateModel) finish() tea.Cmd {
	ok := m.typed["confirm.write"] == "yes"
	for _, c := range m.changes {
		if c.Entry.ConfirmRotate && m.typed["confirm."+c.Entry.Name()] != c.Entry.Name() {
			ok = false
		}
	}
	if !ok {
		return m.confirm.FocusFirst(m.confirmAnswers, false)
	}
	m.done = true
	return tea.Quit
}

// View draws the current phase: a title, the phase's lines, and the keys that work in it.
func (m *RotateModel) View() tea.View {
	v := tea.NewView("")
	v.AltScreen = true
	if m.width == 0 {
		return v
	}
	w := max(m.width-2, 20)
	// The title and a blank line, the phase, then a blank line and the footer.
	room := max(m.height-4, 3)
	lines := []string{m.st.Title.Render("Rotate credentials"), ""}
	var cursor *tea.Cursor
	switch m.phase {
	case phasePick:
		lines = append(lines, m.pickView(w, room)...)
	case phaseValues:
		lines = append(lines, m.st.Subtitle.Render("These cannot be generated: enter the new values."), "")
		body, c := m.form.View(m.st, m.vals, w, room-2)
		if c != nil {
			c.Y += len(lines)
		}
		cursor = c
		lines = append(lines, strings.Split(body, "\n")...)
	case phasePlanning:
		lines = append(lines, m.spin.View()+" preparing new values…")
	case phaseConfirm:
		var body string
		var c *tea.Cursor
		if !m.probs.HasErrors() {
			body, c = m.confirm.View(m.st, m.confirmAnswers, w, room)
		}
		form := strings.Split(body, "\n")
		// The changes scroll (pgup/pgdn) in what the confirmation leaves.
		if k := fmt.Sprintf("%v|%d|%p", m.reveal, w, m.st); m.planKey != k {
			m.planKey = k
			m.planPager.SetLines(m.planLines(w))
		}
		m.planPager.SetSize(w, max(room-len(form)-1, 3))
		lines = append(lines, m.planPager.Lines(m.st)...)
		if body != "" {
			lines = append(lines, "")
			if c != nil {
				c.Y += len(lines)
			}
			cursor = c
			lines = append(lines, form...)
		}
	}
	lines = lines[:min(len(lines), m.height-2)]
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines, shortHelp(m.help, m.footerKeys(), m.width))
	v.SetContent(strings.Join(lines, "\n"))
	if cursor != nil && cursor.Y < m.height-2 {
		v.Cursor = cursor
	}
	return v
}

// footerKeys are the keys that work in the current phase.
func (m *RotateModel) footerKeys() []key.Binding {
	switch m.phase {
	case phasePick:
		if len(m.candidates) == 0 {
			return []key.Binding{m.keys.Quit}
		}
		return []key.Binding{m.keys.Toggle, m.keys.Up, m.keys.Next, m.keys.Quit}
	case phaseValues:
		return append(m.form.KeyBinds(m.vals), m.keys.Back, m.keys.Quit)
	case phaseConfirm:
		var out []key.Binding
		if m.revealable() {
			out = append(out, m.keys.Reveal)
		}
		if !m.probs.HasErrors() {
			out = append(out, m.confirm.KeyBinds(m.confirmAnswers)...)
		}
		if m.planPager.Scrolls() {
			out = append(out, m.keys.Page)
		}
		return append(out, m.keys.Back, m.keys.Quit)
	case phasePlanning:
	}
	return []key.Binding{m.keys.Quit}
}

// revealable reports whether the plan has a generated secret the operator may want to see.
func (m *RotateModel) revealable() bool {
	for _, c := range m.changes {
		if c.Generated && c.Entry.Sensitive {
			return true
		}
	}
	return false
}

// pickView lists the candidates by section, the cursor's line kept in view (with marks
// saying what is above and below), then what the key under the cursor is for and what
// rotating it breaks.
func (m *RotateModel) pickView(w, room int) []string {
	if len(m.candidates) == 0 {
		return []string{m.st.Muted.Render("No credentials to rotate were found in these files.")}
	}
	var lines []string
	at := 0 // the line of the cursor
	var section model.Section
	for i, e := range m.candidates {
		if e.Section != section {
			section = e.Section
			lines = append(lines, m.st.Accent.Render(section.Title()))
		}
		box := "[ ]"
		if m.picked[e.Path] {
			box = "[x]"
		}
		where := "in the files"
		if _, ok := m.a.Lookup(e.Path); !ok {
			where = "generated by the chart, not in the files"
		}
		line := fmt.Sprintf("%s %s  %s", box, e.Path, m.st.Muted.Render(where))
		if i == m.cursor {
			line, at = m.st.FocusLabel.Render("› ")+line, len(lines)
		} else {
			line = "  " + line
		}
		lines = append(lines, ansi.Truncate(line, w, "…"))
	}
	e := m.candidates[m.cursor]
	var about []string
	if e.Purpose != "" {
		about = append(about, text.Hang(m.st.Text.Render("What "+e.Name()+" is for: "+e.Purpose), "  ", w))
	}
	about = append(about, text.Hang(m.st.Warning.Render("What rotating it breaks: "+e.Rotation), "  ", w))
	effect := strings.Split(strings.Join(about, "\n"), "\n")
	// Keep the cursor's line in view: the list scrolls within what the effect text leaves,
	// a line above and below saying what is hidden.
	list := max(room-len(effect)-1, 3)
	if len(lines) > list {
		win := max(list-2, 1)
		first := min(max(at-win/2, 0), len(lines)-win)
		above, below := first, len(lines)-first-win
		lines = lines[first : first+win]
		lines = append([]string{m.st.Muted.Render(moreMark("↑", above))}, lines...)
		lines = append(lines, m.st.Muted.Render(moreMark("↓", below)))
	}
	return append(append(lines, ""), effect...)
}

// moreMark says how many lines of a list are hidden in a direction ("" when none).
func moreMark(arrow string, n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf("  %s %d more", arrow, n)
}

// planLines shows the problems, or each change with its value before and after (masked,
// the generated new values shown with ctrl+r) and what it breaks.
func (m *RotateModel) planLines(w int) []string {
	var out []string
	for _, p := range m.probs {
		out = append(out, text.Hang(m.st.Error.Render("✗ "+p.Path+": "+p.Message), "  ", w))
	}
	if m.probs.HasErrors() {
		out = append(out, "", "esc: back to the list")
		return strings.Split(strings.Join(out, "\n"), "\n")
	}
	for _, c := range m.changes {
		before := "not in the files (chart-generated)"
		if c.InFile {
			before = guard.Visible(m.a.Display(c.Entry, c.Old))
		}
		after := guard.Visible(m.a.Display(c.Entry, c.New))
		switch {
		case c.Generated && c.Entry.Sensitive && m.reveal:
			after = guard.Visible(c.New) + m.st.Muted.Render("  (ctrl+r hides it)")
		case c.Generated && c.Entry.Sensitive:
			after += m.st.Muted.Render("  (ctrl+r shows it)")
		}
		out = append(out, m.st.Accent.Render(c.Entry.Path), "  before: "+before, text.HangLong("  after:  "+after, "          ", w))
		if to := c.Entry.CopyTo; to != "" {
			out = append(out, text.Hang(m.st.Accent.Render("  Enter the new value in "+to+" too: ctrl+r shows it to copy."), "  ", w))
		}
		if c.Because != "" {
			out = append(out, text.Hang(m.st.Muted.Render("  "+c.Because), "  ", w))
		}
		out = append(out, text.Hang(m.st.Warning.Render("  "+c.Entry.Rotation), "  ", w))
	}
	return strings.Split(strings.Join(out, "\n"), "\n")
}

// RunRotate runs the picker on the terminal in and out and returns the confirmed changes
// (nil: quit). When the terminal goes away the picker ends at once with ErrTerminalGone and
// no changes.
func RunRotate(a *model.Answers, in io.Reader, out io.Writer) ([]model.Change, error) {
	m := NewRotate(a)
	gone, err := runWatched(m, in, out)
	switch {
	case (gone || m.gone) && !m.done && !m.aborted:
		return nil, ErrTerminalGone
	case err != nil:
		return nil, err
	}
	return m.Changes(), nil
}

// newHelp is a key help line in the wizard's styles.
func newHelp(st *theme.Styles) help.Model {
	h := help.New()
	h.Styles = st.Help
	return h
}

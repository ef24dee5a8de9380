package ui

import (
	"fmt"
	"io"
	"strings"

	"crewai-setup/model"
	"crewai-setup/steps"
	"crewai-setup/steps/text"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
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
	// advance is set when the operator left the last field while a key file was still being
	// read: the next phase starts when it has been.
	advance bool
}

type rotateKeys struct {
	Up, Down, Toggle, Next, Quit, Back key.Binding
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
			Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		},
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
		m.phase = phaseConfirm
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
		return m.updateForm(msg, m.form, m.plan)
	case phaseConfirm:
		if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, m.keys.Back) {
			m.phase = phasePick
			return m, nil
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
	seen := map[string]bool{}
	var walk func(e *model.Entry)
	walk = func(e *model.Entry) {
		if seen[e.Path] {
			return
		}
		seen[e.Path] = true
		if e.Gen == nil {
			q := steps.QuestionFor(m.a.Catalog(), e.Path)
			q.Label = "New " + strings.ToLower(q.Label[:1]) + q.Label[1:]
			q.Generate = nil
			fields = append(fields, steps.FieldFor(q))
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

// updateForm runs a form and calls next when the operator leaves its last field.
func (m *RotateModel) updateForm(msg tea.Msg, f *steps.Form, next func() tea.Cmd) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, m.keys.Back) {
		m.phase, m.advance = phasePick, false
		return m, nil
	}
	ans := m.vals
	if f == m.confirm {
		ans = m.confirmAnswers
	}
	cmd, done := f.Update(msg, ans)
	switch {
	case done && f.Busy():
		m.advance = true
	case done, m.advance && !f.Busy():
		m.advance = false
		return m, tea.Batch(cmd, next())
	}
	return m, cmd
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

// View draws the current phase.
func (m *RotateModel) View() tea.View {
	v := tea.NewView("")
	v.AltScreen = true
	if m.width == 0 {
		return v
	}
	w := max(m.width-2, 20)
	var b strings.Builder
	b.WriteString(m.st.Title.Render("Rotate credentials") + "\n\n")
	var cursor *tea.Cursor
	head := 2
	switch m.phase {
	case phasePick:
		b.WriteString(m.pickView(w))
	case phaseValues:
		b.WriteString(m.st.Subtitle.Render("These cannot be generated: enter the new values.") + "\n\n")
		body, c := m.form.View(m.st, m.vals, w, m.height-6)
		b.WriteString(body)
		cursor, head = c, head+2
	case phasePlanning:
		b.WriteString(m.spin.View() + " preparing new values…")
	case phaseConfirm:
		plan := m.planView(w)
		b.WriteString(plan)
		if !m.probs.HasErrors() {
			body, c := m.confirm.View(m.st, m.confirmAnswers, w, m.height)
			b.WriteString("\n" + body)
			cursor, head = c, head+strings.Count(plan, "\n")+1
		}
	}
	b.WriteString("\n\n" + m.st.Footer.Render("space pick • enter continue • esc back • ctrl+c quit without changes"))
	v.SetContent(clip(b.String(), m.height))
	if cursor != nil {
		cursor.Y += head
		v.Cursor = cursor
	}
	return v
}

func (m *RotateModel) pickView(w int) string {
	if len(m.candidates) == 0 {
		return m.st.Muted.Render("No credentials to rotate were found in these files.")
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
		lines = append(lines, line)
	}
	e := m.candidates[m.cursor]
	effect := m.st.Warning.Render(text.Wrap("What rotating "+e.Name()+" does: "+e.Rotation, w))
	// Keep the cursor's line in view: the list scrolls within what the header, the effect
	// text and the footer leave.
	room := max(m.height-6-strings.Count(effect, "\n")-1, 3)
	if len(lines) > room {
		first := min(max(at-room/2, 0), len(lines)-room)
		lines = lines[first : first+room]
	}
	return strings.Join(lines, "\n") + "\n\n" + effect
}

func (m *RotateModel) planView(w int) string {
	var b strings.Builder
	for _, p := range m.probs {
		b.WriteString(m.st.Error.Render(text.Wrap("✗ "+p.Path+": "+p.Message, w)) + "\n")
	}
	if m.probs.HasErrors() {
		b.WriteString("\nesc: back to the list")
		return b.String()
	}
	for _, c := range m.changes {
		before := "not in the files (chart-generated)"
		if c.InFile {
			before = model.Display(c.Entry, c.Old)
		}
		fmt.Fprintf(&b, "%s\n  before: %s\n  after:  %s\n", m.st.Accent.Render(c.Entry.Path), before, model.Display(c.Entry, c.New))
		b.WriteString(m.st.Warning.Render(text.Wrap("  "+c.Entry.Rotation, w)) + "\n")
	}
	return b.String()
}

// RunRotate runs the picker on the terminal in and out and returns the confirmed changes
// (nil: quit). When the terminal goes away the picker ends at once with ErrTerminalGone and
// no changes.
func RunRotate(a *model.Answers, in io.Reader, out io.Writer) ([]model.Change, error) {
	m := NewRotate(a)
	var p *tea.Program
	stop := watchTerminal(&in, func() { p.Send(terminalGoneMsg{}) })
	defer stop()
	p = tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(out))
	_, err := p.Run()
	switch {
	case m.gone && !m.done && !m.aborted:
		return nil, ErrTerminalGone
	case err != nil:
		return nil, err
	}
	return m.Changes(), nil
}

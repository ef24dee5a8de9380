package steps

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"crewai-setup/model"
	"crewai-setup/steps/theme"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Choice is a question answered by one of a few choices, changed with ←/→.
type Choice struct {
	fieldBase
	choices []model.Choice
	// index is the chosen one, -1 while the answer is none of them (unset, or a value from an
	// answers file the list does not have: validation says what is wrong with it).
	index int
	// keysHint is shown after the choices while the field is focused.
	keysHint string
}

// NewChoice makes a choice field.
func NewChoice(q Question, choices []model.Choice) *Choice {
	return &Choice{fieldBase: newBase(q), choices: choices, index: -1, keysHint: "←/→"}
}

// Load implements Field.
func (c *Choice) Load(a *model.Answers) {
	c.index = -1
	v := c.q.Get(a)
	for i, ch := range c.choices {
		if ch.Value == v {
			c.index = i
		}
	}
	c.redraw(partBody)
}

// Value is the chosen value, "" while there is none.
func (c *Choice) Value() string {
	if c.index < 0 {
		return ""
	}
	return c.choices[c.index].Value
}

// Focus implements Field.
func (c *Choice) Focus() tea.Cmd { c.setFocus(true); return nil }

// Blur implements Field.
func (c *Choice) Blur() { c.setFocus(false) }

// Update implements Field.
func (c *Choice) Update(msg tea.Msg, a *model.Answers) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	n := len(c.choices)
	if !ok || n == 0 {
		return nil, false
	}
	switch {
	case key.Matches(k, c.keys.Left):
		c.choose((max(c.index, 0)+n-1)%n, a)
	case key.Matches(k, c.keys.Right), key.Matches(k, c.keys.Toggle):
		c.choose((c.index+1)%n, a)
	default:
		return nil, false
	}
	return nil, true
}

func (c *Choice) choose(i int, a *model.Answers) {
	c.index = i
	c.setProblems("", "")
	c.q.Set(a, c.Value())
	c.redraw(partBody)
}

// View implements Field.
func (c *Choice) View(st *theme.Styles, labelWidth, width int) ([]string, int) {
	return c.view(st, labelWidth, width, c.body)
}

func (c *Choice) body(st *theme.Styles, width int) ([]string, int) {
	parts := make([]string, len(c.choices))
	for i, ch := range c.choices {
		if i == c.index {
			parts[i] = st.Selected.Render("(•) " + ch.Label)
		} else {
			parts[i] = st.Muted.Render("( ) " + ch.Label)
		}
	}
	if c.focused {
		parts = append(parts, st.Hint.Render(c.keysHint))
	}
	return flow(parts, "  ", width), -1
}

// KeyBinds implements Field: ←/→ and space change the choice.
func (c *Choice) KeyBinds() []key.Binding {
	b := c.keys.Left
	b.SetHelp("←/→ space", "change choice")
	return []key.Binding{b}
}

// ValueLabel implements Field: the label of the choice with value v.
func (c *Choice) ValueLabel(v string) string { return choiceLabel(c.choices, v) }

// choiceLabel is the label of the choice with value v, or v itself.
func choiceLabel(choices []model.Choice, v string) string {
	for _, ch := range choices {
		if ch.Value == v {
			return ch.Label
		}
	}
	return v
}

// Display implements Field: the chosen label, or the answer as given when it is none of them.
func (c *Choice) Display(a *model.Answers, _ bool) string {
	if c.index >= 0 {
		return c.choices[c.index].Label
	}
	return c.q.Get(a)
}

// Prompt implements Field.
func (c *Choice) Prompt() string { return c.q.Label + " (choose one: " + numbered(c.choices) + ")" }

// Answer implements Field: a number, a value or a label; "" only where a choice is empty.
func (c *Choice) Answer(a *model.Answers, line string) (string, bool) {
	i, ok := pick(c.choices, line)
	switch {
	case !ok && line == "":
		return "This question cannot be left empty: answer with one of the numbers shown.", false
	case !ok:
		return "Please answer with one of the numbers shown.", false
	}
	c.choose(i, a)
	return "", true
}

// numbered lists choices with the numbers the accessible mode takes.
func numbered(choices []model.Choice) string {
	parts := make([]string, len(choices))
	for i, c := range choices {
		parts[i] = fmt.Sprintf("%d %s", i+1, c.Label)
	}
	return strings.Join(parts, ", ")
}

// pick resolves a choice by its number, value or label.
func pick(choices []model.Choice, in string) (int, bool) {
	if n, err := strconv.Atoi(in); err == nil && n >= 1 && n <= len(choices) {
		return n - 1, true
	}
	for i, c := range choices {
		if strings.EqualFold(in, c.Value) || strings.EqualFold(in, c.Label) {
			return i, true
		}
	}
	return 0, false
}

// Toggle is a yes/no question, stored as "true"/"false": a choice of yes and no that y and n
// also set. Unset, it shows no.
type Toggle struct{ Choice }

// yesNo are a toggle's choices.
var yesNo = []model.Choice{{Value: "true", Label: "yes"}, {Value: "false", Label: "no"}}

// NewToggle makes a yes/no field.
func NewToggle(q Question) *Toggle {
	return &Toggle{Choice{fieldBase: newBase(q), choices: yesNo, index: -1, keysHint: "←/→ or y/n"}}
}

// Load implements Field: anything but "true" is no.
func (t *Toggle) Load(a *model.Answers) {
	t.Choice.Load(a)
	if t.index < 0 {
		t.index = 1
	}
}

// Update implements Field: the choice's keys, and y and n.
func (t *Toggle) Update(msg tea.Msg, a *model.Answers) (tea.Cmd, bool) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, t.keys.Yes):
			t.choose(0, a)
			return nil, true
		case key.Matches(k, t.keys.No):
			t.choose(1, a)
			return nil, true
		}
	}
	return t.Choice.Update(msg, a)
}

// KeyBinds implements Field.
func (t *Toggle) KeyBinds() []key.Binding {
	b := t.keys.Left
	b.SetHelp("y/n ←/→ space", "yes/no")
	return []key.Binding{b}
}

// Prompt implements Field.
func (t *Toggle) Prompt() string { return t.q.Label + " (y/n)" }

// Answer implements Field.
func (t *Toggle) Answer(a *model.Answers, line string) (string, bool) {
	switch strings.ToLower(line) {
	case "y", "yes":
		t.choose(0, a)
	case "n", "no":
		t.choose(1, a)
	case "":
		return "This question cannot be left empty: answer y or n.", false
	default:
		return "Please answer y or n.", false
	}
	return "", true
}

// Multi is a question answered by several of a list, stored comma-separated.
type Multi struct {
	fieldBase
	choices  []model.Choice
	selected []bool
	cursor   int // the choice under the cursor
}

// NewMulti makes a multi-select field.
func NewMulti(q Question, choices []model.Choice) *Multi {
	return &Multi{fieldBase: newBase(q), choices: choices, selected: make([]bool, len(choices))}
}

// Load implements Field.
func (m *Multi) Load(a *model.Answers) {
	set := map[string]bool{}
	for _, v := range strings.Split(m.q.Get(a), ",") {
		set[v] = true
	}
	for i, c := range m.choices {
		m.selected[i] = set[c.Value]
	}
	m.redraw(partBody)
}

// Has reports whether value is selected.
func (m *Multi) Has(value string) bool {
	for i, c := range m.choices {
		if c.Value == value {
			return m.selected[i]
		}
	}
	return false
}

// any reports whether anything is selected.
func (m *Multi) any() bool { return slices.Contains(m.selected, true) }

// Focus implements Field.
func (m *Multi) Focus() tea.Cmd { m.setFocus(true); return nil }

// Blur implements Field.
func (m *Multi) Blur() { m.setFocus(false) }

// Update implements Field: ←/→ move, space selects or unselects.
func (m *Multi) Update(msg tea.Msg, a *model.Answers) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	n := len(m.choices)
	if !ok || n == 0 {
		return nil, false
	}
	switch {
	case key.Matches(k, m.keys.Left):
		m.cursor = (m.cursor + n - 1) % n
	case key.Matches(k, m.keys.Right):
		m.cursor = (m.cursor + 1) % n
	case key.Matches(k, m.keys.Toggle):
		m.selected[m.cursor] = !m.selected[m.cursor]
		m.store(a)
	default:
		return nil, false
	}
	m.redraw(partBody)
	return nil, true
}

func (m *Multi) store(a *model.Answers) {
	var out []string
	for i, c := range m.choices {
		if m.selected[i] {
			out = append(out, c.Value)
		}
	}
	m.setProblems("", "")
	m.q.Set(a, strings.Join(out, ","))
}

// View implements Field.
func (m *Multi) View(st *theme.Styles, labelWidth, width int) ([]string, int) {
	return m.view(st, labelWidth, width, m.body)
}

func (m *Multi) body(st *theme.Styles, width int) ([]string, int) {
	parts := make([]string, len(m.choices))
	for i, c := range m.choices {
		box, style := "[ ] ", st.Muted
		if m.selected[i] {
			box, style = "[x] ", st.Selected
		}
		s := style.Render(box + c.Label)
		if m.focused && i == m.cursor {
			s = st.FocusLabel.Render("›") + s
		} else {
			s = " " + s
		}
		parts[i] = s
	}
	return flow(parts, " ", width), -1
}

// KeyBinds implements Field.
func (m *Multi) KeyBinds() []key.Binding {
	move := m.keys.Left
	move.SetHelp("←/→", "move")
	return []key.Binding{m.keys.Toggle, move}
}

// ValueLabel implements Field: the labels of the comma-separated values.
func (m *Multi) ValueLabel(v string) string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		out = append(out, choiceLabel(m.choices, s))
	}
	return strings.Join(out, ", ")
}

// Display implements Field: the selected labels.
func (m *Multi) Display(*model.Answers, bool) string {
	var out []string
	for i, c := range m.choices {
		if m.selected[i] {
			out = append(out, c.Label)
		}
	}
	return strings.Join(out, ", ")
}

// Prompt implements Field.
func (m *Multi) Prompt() string {
	return m.q.Label + " (numbers separated by commas: " + numbered(m.choices) + ")"
}

// Answer implements Field: numbers, values or labels separated by commas; "" selects none.
func (m *Multi) Answer(a *model.Answers, line string) (string, bool) {
	sel := make([]bool, len(m.choices))
	for _, part := range strings.Split(line, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		i, ok := pick(m.choices, part)
		if !ok {
			return "Please answer with numbers from the list, separated by commas.", false
		}
		sel[i] = true
	}
	copy(m.selected, sel)
	m.store(a)
	m.redraw(partBody)
	return "", true
}

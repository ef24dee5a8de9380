package steps

import (
	"strings"

	"crewai-setup/model"
	"crewai-setup/steps/text"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Done shows what was written, the summary and the next command.
type Done struct {
	ctx    *Context
	result string
	offset int
	keys   ReviewKeys
	quit   key.Binding
}

// NewDone builds the final screen.
func NewDone(ctx *Context) *Done {
	return &Done{ctx: ctx, keys: DefaultReviewKeys(),
		quit: key.NewBinding(key.WithKeys("q", "enter"), key.WithHelp("q/enter", "quit"))}
}

// SetResult fills the screen with the written files and the summary.
func (d *Done) SetResult(written []string, notes []string, summary string) {
	st := d.ctx.Styles
	var b strings.Builder
	for _, w := range written {
		b.WriteString(st.Success.Render("✓ wrote "+w) + "\n")
	}
	for _, n := range notes {
		b.WriteString(text.WrapIndent(st.Warning.Render("! "+n), "", d.ctx.Width) + "\n")
	}
	b.WriteString("\n" + summary)
	d.result, d.offset = b.String(), 0
}

// ID implements Step.
func (d *Done) ID() string { return "done" }

// Title implements Step.
func (d *Done) Title() string { return "Done" }

// Init implements Step.
func (d *Done) Init() tea.Cmd { return nil }

// Update quits or scrolls.
func (d *Done) Update(msg tea.Msg) (Step, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, d.quit):
			return d, tea.Quit
		default:
			d.offset = scrolled(d.offset, k, d.keys)
		}
	}
	return d, nil
}

// View shows the part of the result that fits, from the scroll offset.
func (d *Done) View() string {
	lines := strings.Split(text.WrapIndent(d.result, "", d.ctx.Width), "\n")
	h := max(d.ctx.Height-2, 1)
	d.offset = min(d.offset, max(len(lines)-h, 0))
	return d.ctx.Styles.Title.Render("Done") + "\n\n" + strings.Join(lines[d.offset:min(d.offset+h, len(lines))], "\n")
}

// Cursor implements Step: the screen has no text cursor.
func (d *Done) Cursor() *tea.Cursor { return nil }

// KeyBinds implements Step.
func (d *Done) KeyBinds() []key.Binding { return []key.Binding{d.quit, d.keys.Down} }

// Validate implements Step: there is nothing to check.
func (d *Done) Validate() model.Problems { return nil }

// SkipReason implements Step: the screen always applies.
func (d *Done) SkipReason() string { return "" }

// Fields implements Step: the screen asks nothing.
func (d *Done) Fields() []Field { return nil }

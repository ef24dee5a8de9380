package steps

import (
	"fmt"
	"strings"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/steps/text"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Done shows what was written, what to do next (the values to enter elsewhere by hand, such
// as the GitHub webhook secret; what to back up) and the summary.
type Done struct {
	ctx    *Context
	quit   key.Binding
	reveal key.Binding
	pager  Pager
	// written and notes are the result's lines; summary is summary.md; a holds the answers as
	// written, generated values included.
	written, notes []string
	summary        string
	a              *model.Answers
	shown          bool // ctrl+r: the values to copy are shown
	textKey        string
}

// NewDone builds the final screen.
func NewDone(ctx *Context) *Done {
	return &Done{ctx: ctx, pager: NewPager(),
		quit:   key.NewBinding(key.WithKeys("q", "enter"), key.WithHelp("q/enter", "quit")),
		reveal: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "show/hide values to copy")),
	}
}

// SetResult fills the screen: the written files, notes, the summary, and the answers as they
// were written (a: generated values included; nil when unknown).
func (d *Done) SetResult(written []string, notes []string, summary string, a *model.Answers) {
	d.written, d.notes, d.summary, d.a = written, notes, summary, a
	d.textKey = ""
	d.pager.Top()
}

// ID implements Step.
func (d *Done) ID() string { return "done" }

// Title implements Step.
func (d *Done) Title() string { return "Done" }

// Init implements Step.
func (d *Done) Init() tea.Cmd { return nil }

// Update quits, shows the values to copy, or scrolls.
func (d *Done) Update(msg tea.Msg) (Step, tea.Cmd) {
	if d.pager.Update(msg) {
		return d, nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, d.quit):
			return d, tea.Quit
		case key.Matches(k, d.reveal) && len(d.toCopy()) > 0:
			d.shown = !d.shown
		}
	}
	return d, nil
}

// toCopy lists the written keys whose values must also be entered elsewhere by hand
// (Entry.CopyTo: the GitHub App's webhook secret).
func (d *Done) toCopy() []*model.Entry {
	if d.a == nil {
		return nil
	}
	var out []*model.Entry
	for _, e := range d.a.Catalog().Entries() {
		if e.CopyTo != "" && d.a.Get(e.Path) != "" {
			out = append(out, e)
		}
	}
	return out
}

// lines draws the whole screen before scrolling.
func (d *Done) lines() []string {
	st, w := d.ctx.Styles, d.ctx.Width
	var out []string
	for _, f := range d.written {
		out = append(out, text.WrapLong(st.Success.Render("✓ wrote "+f), "", w))
	}
	for _, n := range d.notes {
		out = append(out, text.WrapLong(st.Warning.Render("! "+n), "", w))
	}
	if todo := d.todo(); len(todo) > 0 {
		out = append(out, "", st.Title.Render("Before you leave"))
		out = append(out, todo...)
	}
	out = append(out, "")
	return append(out, markdownLines(d.summary, w)...)
}

// todo is what the operator must do with what was just written: enter values elsewhere by
// hand (the webhook secret into the GitHub App), and back up the keys the chart keeps only
// in the cluster.
func (d *Done) todo() []string {
	st, w, a := d.ctx.Styles, d.ctx.Width, d.a
	if a == nil {
		return nil
	}
	var out []string
	for _, e := range d.toCopy() {
		v := a.Get(e.Path)
		shown, hint := a.Display(e, v), " (ctrl+r shows it)"
		if d.shown {
			shown, hint = guard.Visible(v), " (ctrl+r hides it)"
		}
		out = append(out, text.HangLong(st.Accent.Render("• "+e.Title+": ")+shown+st.Muted.Render(hint), "  ", w),
			text.WrapLong(st.Muted.Render("Enter it in "+e.CopyTo+" as well."), "  ", w))
	}
	if names := keptInCluster(a); len(names) > 0 {
		where := "the cluster's Secret " + a.ChartSecret()
		if a.Wizard.Namespace != "" {
			where += " (namespace " + a.Wizard.Namespace + ")"
		}
		out = append(out, text.HangLong(st.Accent.Render("• Back up after installing: ")+
			guard.Visible(fmt.Sprintf("the chart makes %s at the first install and keeps them only in %s. "+
				"Some protect data at rest: lost, that data cannot be read again. summary.md's section on backing up has the kubectl commands that read them.",
				strings.Join(names, ", "), where)), "  ", w))
	}
	return out
}

// keptInCluster names the secrets the chart generates at install, which with plain Helm exist
// only in the cluster (the ones summary.md says to back up).
func keptInCluster(a *model.Answers) []string {
	var names []string
	for _, e := range model.KeptInCluster(a) {
		names = append(names, e.Name())
	}
	return names
}

// markdownLines lays summary.md out for the screen: prose wrapped at spaces, code blocks as
// they are (shell commands split at their arguments with \ continuations, so they copy and
// paste whole), words wider than the screen whole on their own line (the pager scrolls them
// sideways).
func markdownLines(md string, width int) []string {
	var out []string
	code, shell := false, false
	for _, l := range strings.Split(strings.TrimRight(md, "\n"), "\n") {
		trimmed := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(trimmed, "```"):
			code = !code
			shell = code && (trimmed == "```sh" || trimmed == "```bash")
			out = append(out, l)
		case shell:
			out = append(out, ShellLines(l, width)...)
		case code:
			out = append(out, l)
		default:
			out = append(out, strings.Split(text.WrapLong(l, "", width), "\n")...)
		}
	}
	return out
}

// ShellLines lays a shell command out in width cells: whole when it fits, else split between
// its arguments with " \" line continuations, the continued lines indented, so that copying
// the lines into a shell runs the same command. Quoted arguments are never split; an
// argument wider than the line stays whole on its own line.
func ShellLines(cmd string, width int) []string {
	if lipgloss.Width(cmd) <= width {
		return []string{cmd}
	}
	lead := cmd[:len(cmd)-len(strings.TrimLeft(cmd, " "))]
	var lines []string
	cur := lead
	for _, arg := range shellArgs(strings.TrimSpace(cmd)) {
		switch {
		case strings.TrimSpace(cur) == "":
			cur += arg
		case lipgloss.Width(cur)+1+lipgloss.Width(arg)+2 <= width:
			cur += " " + arg
		default:
			lines = append(lines, cur+" \\")
			cur = lead + "  " + arg
		}
	}
	return append(lines, cur)
}

// shellArgs splits a command line at the spaces outside single or double quotes.
func shellArgs(cmd string) []string {
	var args []string
	var b strings.Builder
	var quote rune
	for _, r := range cmd {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == ' ':
			if b.Len() > 0 {
				args = append(args, b.String())
				b.Reset()
			}
			continue
		}
		b.WriteRune(r)
	}
	if b.Len() > 0 {
		args = append(args, b.String())
	}
	return args
}

// View shows the part of the screen that fits.
func (d *Done) View() string {
	k := fmt.Sprintf("%v|%d|%p|%d", d.shown, d.ctx.Width, d.ctx.Styles, len(d.written))
	if d.textKey != k {
		d.textKey = k
		d.pager.SetLines(d.lines())
	}
	d.pager.SetSize(d.ctx.Width, max(d.ctx.Height-2, 1))
	return d.ctx.Styles.Title.Render("Done") + "\n\n" + strings.Join(d.pager.Lines(d.ctx.Styles), "\n")
}

// Cursor implements Step: the screen has no text cursor.
func (d *Done) Cursor() *tea.Cursor { return nil }

// KeyBinds implements Step.
func (d *Done) KeyBinds() []key.Binding {
	out := []key.Binding{d.quit}
	if len(d.toCopy()) > 0 {
		out = append(out, d.reveal)
	}
	return append(out, d.pager.KeyBinds()...)
}

// Validate implements Step: there is nothing to check.
func (d *Done) Validate() model.Problems { return nil }

// SkipReason implements Step: the screen always applies.
func (d *Done) SkipReason() string { return "" }

// Fields implements Step: the screen asks nothing.
func (d *Done) Fields() []Field { return nil }

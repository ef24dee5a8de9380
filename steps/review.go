package steps

import (
	"context"
	"fmt"
	"strings"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/preflight"
	"crewai-setup/steps/text"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// ReviewKeys are the review screen's keys (scrolling is the pager's).
type ReviewKeys struct {
	Write, Jump, Reveal, Check, SSLMode key.Binding
}

// DefaultReviewKeys returns the review screen's bindings.
func DefaultReviewKeys() ReviewKeys {
	return ReviewKeys{
		Write:   key.NewBinding(key.WithKeys("enter", "w"), key.WithHelp("enter/w", "write the files")),
		Jump:    key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-7", "go to screen")),
		Reveal:  key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "show/hide secrets")),
		Check:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "test connections")),
		SSLMode: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sslmode of the test")),
	}
}

// Review shows every answer grouped by screen, secrets masked, with the problems found and
// what will be generated; the operator jumps back to fix things or writes the files.
type Review struct {
	ctx     *Context
	screens []Step
	keys    ReviewKeys
	reveal  bool
	pager   Pager
	probs   model.Problems
	pruned  *model.Answers
	// text caches the rendered review: describing a key parses it, which takes milliseconds.
	text    []string
	textKey string
	// checks are the connection tests the operator started with c; results arrive one by
	// one. round tells results of an earlier round (answers since changed) apart.
	checks []checkState
	round  int
	spin   spinner.Model
	// Preflight configures the connection tests (timeouts, endpoints).
	Preflight preflight.Options
}

// checkState is one connection test on the review screen.
type checkState struct {
	name   string
	done   bool
	result preflight.Result
}

// checkDoneMsg carries one finished connection test.
type checkDoneMsg struct {
	round, index int
	result       preflight.Result
}

// NewReview builds the review screen over the screens before it.
func NewReview(ctx *Context, screens []Step) *Review {
	keys := DefaultReviewKeys()
	keys.Jump.SetHelp(fmt.Sprintf("1-%d", len(screens)), "go to screen")
	return &Review{ctx: ctx, screens: screens, keys: keys, pager: NewPager(),
		spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
}

// Prune returns a copy of the answers without the values of questions that no longer apply
// (another provider's keys after switching providers, say): those are not written.
func Prune(a *model.Answers, screens []Step) *model.Answers {
	out := a.Clone()
	for _, s := range screens {
		skipped := s.SkipReason() != ""
		for _, f := range s.Fields() {
			q := f.Question()
			if q.Entry != nil && q.Entry.Path == q.Path && (skipped || !q.Shown(a)) && q.Entry.Kind != model.KindBool {
				out.Set(q.Path, "")
			}
		}
	}
	return out
}

// Pruned returns the answers as they will be written.
func (r *Review) Pruned() *model.Answers { return r.pruned }

// ID implements Step.
func (r *Review) ID() string { return "review" }

// Title implements Step.
func (r *Review) Title() string { return "Review" }

// Init checks the answers as they will be written, each time the review is shown.
func (r *Review) Init() tea.Cmd {
	r.pager.Top()
	r.pruned = Prune(r.ctx.Answers, r.screens)
	r.probs = model.Validate(r.pruned)
	r.text = nil
	r.checks = nil
	r.round++
	return nil
}

// startChecks runs every connection test concurrently, each in its own command, with the
// answers as they will be written. Secrets go only to the service they belong to.
func (r *Review) startChecks() tea.Cmd {
	r.round++
	checks := preflight.Checks(r.pruned, r.Preflight)
	r.checks = make([]checkState, len(checks))
	cmds := []tea.Cmd{r.spin.Tick}
	for i, c := range checks {
		r.checks[i] = checkState{name: c.Name}
		round, run := r.round, c.Run
		cmds = append(cmds, func() tea.Msg {
			return checkDoneMsg{round: round, index: i, result: run(context.Background())}
		})
	}
	r.text = nil
	return tea.Batch(cmds...)
}

// checking reports whether connection tests are still running.
func (r *Review) checking() bool {
	for _, c := range r.checks {
		if !c.done {
			return true
		}
	}
	return false
}

// Update handles writing, jumping to a screen, revealing secrets and scrolling.
func (r *Review) Update(msg tea.Msg) (Step, tea.Cmd) {
	switch msg := msg.(type) {
	case checkDoneMsg:
		if msg.round == r.round && msg.index < len(r.checks) {
			r.checks[msg.index].done, r.checks[msg.index].result = true, msg.result
			r.text = nil
		}
		return r, nil
	case spinner.TickMsg:
		if !r.checking() {
			return r, nil
		}
		var cmd tea.Cmd
		r.spin, cmd = r.spin.Update(msg)
		r.text = nil
		return r, cmd
	}
	if r.pager.Update(msg) {
		return r, nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return r, nil
	}
	switch {
	case key.Matches(k, r.keys.Check):
		if r.checking() {
			return r, nil
		}
		return r, r.startChecks()
	case key.Matches(k, r.keys.SSLMode):
		r.Preflight.SSLMode = nextSSLMode(r.Preflight.SSLMode)
		r.text = nil
	case key.Matches(k, r.keys.Write):
		if r.probs.HasErrors() {
			return r, nil
		}
		return r, func() tea.Msg { return WriteMsg{} }
	case key.Matches(k, r.keys.Jump):
		n := int(k.Code - '0') // the binding takes only the digits 1-9
		if n >= 1 && n <= len(r.screens) {
			return r, func() tea.Msg { return JumpMsg{Index: n - 1} }
		}
	case key.Matches(k, r.keys.Reveal):
		r.reveal = !r.reveal
	}
	return r, nil
}

// lines renders the whole review before scrolling.
func (r *Review) lines() []string {
	st, a := r.ctx.Styles, r.pruned
	out := []string{r.headline()}
	out = append(out, r.checkLines()...)
	for i, s := range r.screens {
		out = append(out, "", st.Title.Render(fmt.Sprintf("%d  %s", i+1, s.Title()))+r.screenMark(i))
		if why := s.SkipReason(); why != "" {
			out = append(out, st.Muted.Render("   skipped: "+why))
			continue
		}
		for _, f := range s.Fields() {
			q := f.Question()
			if !q.Shown(a) {
				continue
			}
			out = append(out, r.answerLines(q, r.display(f))...)
			for _, p := range r.probs.For(q.Path) {
				out = append(out, text.WrapLong(problemStyle(st, p).Render(problemMark(p)+p.Message), "      ", r.ctx.Width))
			}
		}
	}
	out = append(out, "", st.Title.Render("Generated secrets"))
	out = append(out, r.generation()...)
	if other := r.unplaced(); len(other) > 0 {
		out = append(out, "", st.Title.Render("Other findings"))
		out = append(out, other...)
	}
	return out
}

// nextSSLMode cycles through PostgreSQL's sslmode values, starting after the default.
func nextSSLMode(cur string) string {
	modes := preflight.SSLModes()
	if cur == "" {
		cur = preflight.DefaultSSLMode
	}
	for i, m := range modes {
		if m == cur {
			return modes[(i+1)%len(modes)]
		}
	}
	return preflight.DefaultSSLMode
}

// checkLines shows the connection tests, or how to start them.
func (r *Review) checkLines() []string {
	st := r.ctx.Styles
	mode := r.Preflight.SSLMode
	if mode == "" {
		mode = preflight.DefaultSSLMode
	}
	// The mode is the test's alone: the chart's own connections use the server's rules.
	sslLine := text.WrapLong(st.Muted.Render("PostgreSQL sslmode of the test: "+mode+" (s changes it; it does not change how the platform connects)"), "   ", r.ctx.Width)
	if r.checks == nil {
		return []string{text.WrapLong(st.Muted.Render("Optional: press c to test the database, GitHub App, sign-in provider, LLM key and package index now."), "", r.ctx.Width), sslLine}
	}
	out := []string{"", st.Title.Render("Connection checks"), sslLine}
	for _, c := range r.checks {
		if !c.done {
			out = append(out, "   "+r.spin.View()+" "+c.name+" …")
			continue
		}
		res := c.result
		mark, style := "✓ ", st.Success
		switch res.Status {
		case preflight.Fail:
			mark, style = "✗ ", st.Error
		case preflight.Skipped:
			mark, style = "– ", st.Muted
		default:
		}
		line := mark + res.Name
		if res.Target != "" {
			line += "  " + res.Target
		}
		if res.Detail != "" {
			line += ": " + res.Detail
		}
		out = append(out, text.WrapLong(style.Render(line), "   ", r.ctx.Width))
	}
	return out
}

// answerLines shows one answer: label and value on one line when they fit, else the value
// wrapped on the lines below the label, so long values (key descriptions, URLs) are not cut.
func (r *Review) answerLines(q *Question, shown string) []string {
	st := r.ctx.Styles
	const labelWidth = 30
	if 3+labelWidth+1+lipgloss.Width(shown) <= r.ctx.Width && lipgloss.Width(q.Label) <= labelWidth {
		return []string{"   " + st.Label.Render(padRight(q.Label, labelWidth)) + " " + shown}
	}
	return []string{"   " + st.Label.Render(q.Label), text.WrapLong(shown, "      ", r.ctx.Width)}
}

// display shows an answer the way the field shows it (secrets masked unless revealed, keys
// described), saying when it is empty and when it is the wizard's own default.
func (r *Review) display(f Field) string {
	st := r.ctx.Styles
	state, v := r.ctx.ShownAnswer(f, r.pruned, r.reveal)
	switch state {
	case AnswerDefault:
		return st.Muted.Render("default (" + v + ")")
	case AnswerUnset:
		return st.Muted.Render("—")
	case AnswerWizardDefault:
		return v + st.Muted.Render(" (wizard default)")
	case AnswerMasked:
		return st.Muted.Render(v) // not the value itself
	case AnswerGiven:
	}
	return v
}

// AnswerState is what an answer shown to the operator is, for the words around it.
type AnswerState uint8

// What an answer shown to the operator is.
const (
	AnswerGiven         AnswerState = iota // a value, shown as it is
	AnswerMasked                           // a secret masked or a key described
	AnswerUnset                            // nothing, and no default applies
	AnswerDefault                          // nothing: the value is the question's default
	AnswerWizardDefault                    // the default the wizard started from
)

// ShownAnswer is the answer held in a as the field shows it (secrets masked unless reveal,
// keys described, control characters made visible: values come from files), or the
// question's default when there is none, and what it is. The review and the line-by-line
// mode word it each their own way.
func (c *Context) ShownAnswer(f Field, a *model.Answers, reveal bool) (AnswerState, string) {
	q := f.Question()
	shown := f.Display(a, reveal)
	v := guard.Visible(shown)
	switch {
	case v == "" && q.Default != "":
		return AnswerDefault, q.Default
	case v == "":
		return AnswerUnset, ""
	case c.WizardDefault(q.Path, a):
		return AnswerWizardDefault, v
	case q.Entry != nil && q.Entry.Sensitive && shown != q.Get(a):
		return AnswerMasked, v
	}
	return AnswerGiven, v
}

// generation says what will be generated, and by whom, from the model's one plan.
func (r *Review) generation() []string {
	st, a := r.ctx.Styles, r.pruned
	var chart, tool, store []string
	for _, p := range model.PlanGeneration(a) {
		switch p.By {
		case model.ByTool:
			tool = append(tool, p.Name())
		case model.ByStore:
			store = append(store, p.Name())
		default:
			chart = append(chart, p.Name())
		}
	}
	var out []string
	add := func(what string, names []string) {
		if len(names) > 0 {
			out = append(out, text.WrapLong(st.Text.Render(what+strings.Join(names, ", ")+"."), "   ", r.ctx.Width))
		}
	}
	add("Your external store must hold (formats in summary.md): ", store)
	if a.Wizard.ArgoCD {
		add("The wizard generates these when you write (ArgoCD has no lookup): ", tool)
		add("Left to the chart, which under ArgoCD may make them anew on every sync: ", chart)
	} else {
		add("The wizard generates these when you write (as asked): ", tool)
		add("The chart generates these at install and keeps them with lookup: ", chart)
	}
	if len(out) == 0 {
		return []string{st.Muted.Render("   none")}
	}
	return out
}

// unplaced lists problems about keys no screen shows (cross-screen rules, prefilled keys),
// each naming the setting it is about: away from its field, "is required" alone says nothing.
func (r *Review) unplaced() []string {
	shown := map[string]bool{}
	for _, s := range r.screens {
		for _, f := range s.Fields() {
			if q := f.Question(); s.SkipReason() == "" && q.Shown(r.pruned) {
				shown[q.Path] = true
			}
		}
	}
	var out []string
	for _, p := range r.probs {
		if shown[p.Path] {
			continue
		}
		line := problemMark(p) + Named(p, FieldLabel(r.screens, r.ctx.Catalog, p.Path))
		out = append(out, text.WrapLong(problemStyle(r.ctx.Styles, p).Render(line), "   ", r.ctx.Width))
	}
	return out
}

// headline says whether the files can be written, counting errors and warnings.
func (r *Review) headline() string {
	st := r.ctx.Styles
	errs, warns := len(r.probs.Errors()), len(r.probs.Warnings())
	var line string
	switch {
	case errs > 0 && warns > 0:
		line = st.Error.Render(fmt.Sprintf("✗ %s to fix, %s — press a screen's number to go there.", count(errs, "problem"), count(warns, "warning")))
	case errs > 0:
		line = st.Error.Render(fmt.Sprintf("✗ %s to fix — press a screen's number to go there.", count(errs, "problem")))
	case warns > 0:
		line = st.Warning.Render(fmt.Sprintf("✓ Ready to write — %s below (they do not stop the write). Press enter to write the files into %s.", count(warns, "warning"), r.ctx.OutDir))
	default:
		line = st.Success.Render("✓ Ready to write: nothing to fix. Press enter to write the files into " + r.ctx.OutDir + ".")
	}
	return text.WrapLong(line, "", r.ctx.Width)
}

// count says n things, in the plural when n is not 1.
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// ScreenProblems returns the problems of the answers as they will be written that concern the
// fields screen i shows (none when it is skipped), for the step list's marks.
func (r *Review) ScreenProblems(i int) model.Problems {
	s := r.screens[i]
	if s.SkipReason() != "" {
		return nil
	}
	var out model.Problems
	for _, f := range s.Fields() {
		if q := f.Question(); q.Shown(r.pruned) {
			out = append(out, r.probs.For(q.Path)...)
		}
	}
	return out
}

// View shows the part of the review that fits.
func (r *Review) View() string {
	key := fmt.Sprintf("%v|%d|%p", r.reveal, r.ctx.Width, r.ctx.Styles)
	if r.text == nil || r.textKey != key {
		r.text, r.textKey = strings.Split(strings.Join(r.lines(), "\n"), "\n"), key
		r.pager.SetLines(r.text)
	}
	r.pager.SetSize(r.ctx.Width, max(r.ctx.Height-2, 1))
	return r.ctx.Styles.Title.Render("Review") + "\n\n" + strings.Join(r.pager.Lines(r.ctx.Styles), "\n")
}

// Cursor implements Step: the review has no text cursor.
func (r *Review) Cursor() *tea.Cursor { return nil }

// KeyBinds offers writing only when there is nothing to fix.
func (r *Review) KeyBinds() []key.Binding {
	w := r.keys.Write
	w.SetEnabled(!r.probs.HasErrors())
	return append([]key.Binding{w, r.keys.Jump, r.keys.Reveal, r.keys.Check, r.keys.SSLMode}, r.pager.KeyBinds()...)
}

// Validate reports every problem of the answers as they will be written.
func (r *Review) Validate() model.Problems { return r.probs }

// SkipReason implements Step: the review always applies.
func (r *Review) SkipReason() string { return "" }

// Fields implements Step: the review asks nothing.
func (r *Review) Fields() []Field { return nil }

func padRight(s string, w int) string {
	s = text.Truncate(s, w)
	return s + strings.Repeat(" ", max(w-len([]rune(s)), 0))
}

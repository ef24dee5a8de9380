package ui

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"crewai-setup/model"
	"crewai-setup/steps"
	"crewai-setup/steps/theme"
	"crewai-setup/store"
)

// ErrInputEnded means the input ran out before the wizard finished; nothing was written.
var ErrInputEnded = errors.New("input ended before the wizard finished; nothing was written")

// ErrDeclined means the operator answered no to writing the files.
var ErrDeclined = errors.New("not written")

// Accessible asks the wizard's questions one line at a time, without an alternate screen or
// cursor movement, for screen readers and logging terminals. It asks the same questions as
// the full-screen wizard, each the way its field asks it, and validates them the same way.
type Accessible struct {
	in  *bufio.Reader
	out io.Writer
	// ReadSecret reads a secret without echo; nil reads it as a normal line.
	ReadSecret func() (string, error)
	// Save writes the prepared answers; nil writes fresh files.
	Save store.SaveFunc
	// Encryption says how secrets.yaml will be written (steps.Context.Encryption); nil says nothing.
	Encryption func(w model.Wizard, outDir string) string
	// Left lists keys the existing files still hold that the answers no longer set.
	Left []string
	// ctx is the screens' context and screens the screens, set by Run.
	ctx     *steps.Context
	screens []steps.Step
}

// checklist says what a first install needs; nothing on it stops the questions.
func (x *Accessible) checklist() {
	x.printf("Before you start, have these ready (none of it stops you: fill in what you lack later with crewai-setup init --from DIR):\n")
	for _, it := range model.Checklist() {
		extra := ""
		switch {
		case it.Replicated:
			extra = " Replicated supplies it when you install through it."
		case it.Optional:
			extra = " Optional."
		}
		x.printf("- %s, from %s.%s\n", it.What, it.From, extra)
	}
}

// named is a problem's message naming its setting by label, for a problem read away from its
// question.
func (x *Accessible) named(p model.Problem) string {
	return steps.Named(p, steps.FieldLabel(x.screens, x.ctx.Catalog, p.Path))
}

// NewAccessible reads answers from in and writes prompts to out.
func NewAccessible(in io.Reader, out io.Writer) *Accessible {
	return &Accessible{in: bufio.NewReader(in), out: out}
}

func (x *Accessible) printf(format string, args ...any) { fmt.Fprintf(x.out, format, args...) }

func (x *Accessible) line() (string, error) {
	s, err := x.in.ReadString('\n')
	if err != nil && (s == "" || !errors.Is(err, io.EOF)) {
		if errors.Is(err, io.EOF) {
			x.printf("\nThe input ended before the last question. Nothing was written.\n")
			return "", ErrInputEnded
		}
		return "", err
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// Run asks every screen's questions, shows the review and writes the files on a yes. It
// says itself when nothing was written (declined, errors left, input ended).
func (x *Accessible) Run(a *model.Answers, outDir string) (*store.Result, error) {
	st := theme.New(true)
	fresh := len(a.Paths()) == 0
	x.ctx = &steps.Context{Answers: a, Catalog: a.Catalog(), Styles: &st, OutDir: outDir, Width: 80, Height: 1000,
		Defaulted: a.ApplyWizardDefaults(), Encryption: x.Encryption, LineByLine: true}
	screens := steps.Screens(x.ctx)
	x.screens = screens
	x.printf("crewai-setup, line-by-line mode. The value in brackets is kept when you press Enter.\n" +
		"Type ? for more about a question, - to clear a value where the question may be left empty, < (or back) for the previous question.\n")
	if fresh {
		x.checklist()
	}
	fromEnd := false
	for i := 0; i < len(screens); {
		s := screens[i]
		if why := s.SkipReason(); why != "" {
			if fromEnd {
				i = max(i-1, 0) // going back: past it
				continue
			}
			x.printf("\n== %s (screen %d of %d) ==\nSkipped: %s.\n", s.Title(), i+1, len(screens), why)
			i++
			continue
		}
		x.printf("\n== %s (screen %d of %d) ==\n", s.Title(), i+1, len(screens))
		back, err := x.screen(s, a, fromEnd)
		if err != nil {
			return nil, err
		}
		fromEnd = back && previous(screens, i) >= 0
		switch {
		case fromEnd:
			i = previous(screens, i)
		case back:
			x.printf("This is the first question.\n")
		default:
			i++
		}
	}
	return x.review(steps.Prune(a, screens), screens, x.ctx.OutDir)
}

// previous returns the index of the last screen before i that applies, -1 when there is none.
func previous(screens []steps.Step, i int) int {
	for j := i - 1; j >= 0; j-- {
		if screens[j].SkipReason() == "" {
			return j
		}
	}
	return -1
}

// screen asks a screen's questions until it validates; back reports that the operator went
// back from its first question. fromEnd starts with the last question (coming back).
func (x *Accessible) screen(s steps.Step, a *model.Answers, fromEnd bool) (back bool, err error) {
	fields := s.Fields()
	var only map[string]bool // after errors: the questions to answer again
	asked := func(f steps.Field) bool {
		q := f.Question()
		return q.Shown(a) && (only == nil || only[q.Path])
	}
	i := 0
	if fromEnd {
		i = len(fields) - 1
		for i > 0 && !asked(fields[i]) {
			i--
		}
	}
	for {
		for i < len(fields) {
			if !asked(fields[i]) {
				i++
				continue
			}
			back, err := x.ask(fields[i], a)
			if err != nil {
				return false, err
			}
			if !back {
				i++
				continue
			}
			j := i - 1
			for j >= 0 && !asked(fields[j]) {
				j--
			}
			if j < 0 {
				return true, nil
			}
			i = j
		}
		probs := s.Validate()
		for _, p := range probs.Warnings() {
			x.printf("warning: %s\n", x.named(p))
		}
		if !probs.HasErrors() {
			if o, ok := s.(interface{ Outro() string }); ok && o.Outro() != "" {
				x.printf("%s\n", o.Outro())
			}
			return false, nil
		}
		only = map[string]bool{}
		for _, p := range probs.Errors() {
			x.printf("error: %s\n", x.named(p))
			only[p.Path] = true
		}
		x.printf("Please answer these again.\n")
		i = 0
	}
}

// ask asks one question until the field takes the answer; back reports < or back.
func (x *Accessible) ask(f steps.Field, a *model.Answers) (back bool, err error) {
	q := f.Question()
	for {
		x.printf("%s [%s]: ", f.Prompt(), x.current(f, a))
		var in string
		if f.Secret() && x.ReadSecret != nil {
			in, err = x.ReadSecret()
			x.printf("\n")
		} else {
			in, err = x.line()
		}
		if err != nil {
			return false, err
		}
		in = strings.TrimSpace(in)
		if strings.HasPrefix(in, steps.PEMBegin) {
			// A pasted PEM arrives line by line: its lines are one answer, not the next ones.
			if in, err = x.pem(in); err != nil {
				return false, err
			}
		}
		switch in {
		case "?":
			about := []string{q.Hint, steps.HelpText(f), unknown(q)}
			x.printf("%s\n", strings.Join(slices.DeleteFunc(about, func(s string) bool { return s == "" }), "\n"))
			continue
		case "<", "back":
			return true, nil
		case "":
			return false, nil
		case "-":
			in = ""
		}
		reply, ok := f.Answer(a, in)
		if reply != "" {
			x.printf("%s\n", reply)
		}
		if ok {
			return false, nil
		}
	}
}

// pem reads the further lines of a PEM block whose first line was read, up to its end line.
func (x *Accessible) pem(first string) (string, error) {
	lines := []string{first}
	for !strings.Contains(lines[len(lines)-1], steps.PEMEnd) { // a key on one line ends at once
		l, err := x.line()
		if err != nil {
			return "", err
		}
		lines = append(lines, strings.TrimSpace(l))
	}
	return strings.Join(lines, "\n") + "\n", nil
}

// current shows the answer kept on Enter: masked for secrets, described for keys, and saying
// so when it is the wizard's default or when nothing is set.
func (x *Accessible) current(f steps.Field, a *model.Answers) string {
	state, v := x.ctx.ShownAnswer(f, a, false)
	switch state {
	case steps.AnswerDefault:
		return "not set, default " + v
	case steps.AnswerUnset:
		return "not set"
	case steps.AnswerWizardDefault:
		return v + ", the wizard's default"
	case steps.AnswerGiven, steps.AnswerMasked:
	}
	return v
}

// review prints what will be written and writes it on a yes.
func (x *Accessible) review(a *model.Answers, screens []steps.Step, outDir string) (*store.Result, error) {
	x.printf("\n== Review ==\n")
	for _, s := range screens {
		if s.SkipReason() != "" {
			continue
		}
		x.printf("%s:\n", s.Title())
		for _, f := range s.Fields() {
			if f.Question().Shown(a) {
				x.printf("  %s: %s\n", f.Question().Label, x.current(f, a))
			}
		}
	}
	probs := model.Validate(a)
	for _, p := range probs.Sorted() {
		x.printf("%s: %s\n", p.Severity, x.named(p))
	}
	if probs.HasErrors() {
		x.printf("Fix the errors above and run the wizard again. Nothing was written.\n")
		return nil, fmt.Errorf("%d error(s): %w", len(probs.Errors()), ErrDeclined)
	}
	x.printf("Write values.yaml, secrets.yaml and summary.md into %s? (y/n) [n]: ", outDir)
	in, err := x.line()
	if err != nil {
		return nil, err
	}
	if in = strings.TrimSpace(in); !slices.ContainsFunc([]string{"y", "yes"}, func(s string) bool { return strings.EqualFold(s, in) }) {
		x.printf("Nothing was written.\n")
		return nil, ErrDeclined
	}
	res, left, probs, err := store.PrepareAndSave(a, nil, outDir, x.Save)
	x.Left = left
	if err == nil && probs.HasErrors() {
		err = fmt.Errorf("%w: %w", probs.Errors(), ErrDeclined)
	}
	return res, err
}

// unknown is what the chart's docs leave open about a question, "" when nothing.
func unknown(q *steps.Question) string {
	if q.Entry == nil {
		return ""
	}
	return q.Entry.Unknown
}

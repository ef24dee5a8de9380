package ui

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/model/pemkey"
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
// the full-screen wizard and validates them the same way.
type Accessible struct {
	in  *bufio.Reader
	out io.Writer
	// ReadSecret reads a secret without echo; nil reads it as a normal line.
	ReadSecret func() (string, error)
	// Save writes the prepared answers; nil writes fresh files.
	Save store.SaveFunc
	// Left lists keys the existing files still hold that the answers no longer set.
	Left []string
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
			return "", ErrInputEnded
		}
		return "", err
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// Run asks every screen's questions, shows the review and writes the files on a yes.
func (x *Accessible) Run(a *model.Answers, outDir string) (*store.Result, error) {
	st := theme.New(true)
	ctx := &steps.Context{Answers: a, Catalog: a.Catalog(), Styles: &st, OutDir: outDir, Width: 80, Height: 1000}
	screens := []steps.Step{
		steps.NewDeployment(ctx), steps.NewDatabase(ctx), steps.NewGitHub(ctx), steps.NewAuth(ctx),
		steps.NewIntegrations(ctx), steps.NewLLM(ctx), steps.NewStorage(ctx),
	}
	x.printf("crewai-setup, line-by-line mode. The value in brackets is kept when you press Enter.\n" +
		"Type ? for more about a question, - to clear a value.\n")
	for i, s := range screens {
		x.printf("\n== %s (screen %d of %d) ==\n", s.Title(), i+1, len(screens))
		if why := s.SkipReason(); why != "" {
			x.printf("Skipped: %s.\n", why)
			continue
		}
		only := map[string]bool(nil)
		for {
			for _, q := range s.Questions() {
				if !q.Shown(a) || (only != nil && !only[q.Path]) {
					continue
				}
				if err := x.ask(q, a); err != nil {
					return nil, err
				}
			}
			probs := s.Validate()
			for _, p := range probs.Warnings() {
				x.printf("warning: %s: %s\n", p.Path, p.Message)
			}
			if !probs.HasErrors() {
				break
			}
			only = map[string]bool{}
			for _, p := range probs.Errors() {
				x.printf("error: %s: %s\n", p.Path, p.Message)
				only[p.Path] = true
			}
			x.printf("Please answer these again.\n")
		}
	}
	return x.review(steps.Prune(a, screens), screens, ctx.OutDir)
}

// ask asks one question until it gets an answer the question accepts.
func (x *Accessible) ask(q steps.Question, a *model.Answers) error {
	for {
		cur := q.Get(a)
		x.printf("%s%s [%s]: ", q.Label, x.options(q), x.current(q, cur))
		var in string
		var err error
		if q.Kind == steps.Secret && x.ReadSecret != nil {
			in, err = x.ReadSecret()
			x.printf("\n")
		} else {
			in, err = x.line()
		}
		if err != nil {
			return err
		}
		in = strings.TrimSpace(in)
		switch {
		case in == "?":
			x.printf("%s\n%s\n", q.Hint, q.Help)
			continue
		case in == "":
			if q.Kind == steps.Choice && cur == "" && len(q.Choices) > 0 {
				q.Set(a, q.Choices[0].Value)
			}
			return nil
		case in == "-":
			q.Set(a, "")
			return nil
		case in == "generate" && q.Generate != nil:
			v, err := q.Generate.New()
			if err != nil {
				return err
			}
			q.Set(a, v)
			x.printf("Generated %s.\n", q.Generate.Format)
			return nil
		}
		if msg := x.set(q, a, in); msg != "" {
			x.printf("%s\n", msg)
			continue
		}
		return nil
	}
}

// options lists the possible answers of a choice question.
func (x *Accessible) options(q steps.Question) string {
	switch q.Kind {
	case steps.Choice, steps.Multi:
		parts := make([]string, len(q.Choices))
		for i, c := range q.Choices {
			parts[i] = fmt.Sprintf("%d %s", i+1, c.Label)
		}
		sep := "choose one"
		if q.Kind == steps.Multi {
			sep = "numbers separated by commas"
		}
		return " (" + sep + ": " + strings.Join(parts, ", ") + ")"
	case steps.Toggle:
		return " (y/n)"
	case steps.KeyFile:
		return " (path to the PEM file)"
	default:
		if q.Generate != nil {
			return " (or type generate)"
		}
		return ""
	}
}

// current shows the kept value, masked for secrets.
func (x *Accessible) current(q steps.Question, v string) string {
	switch {
	case q.Kind == steps.Toggle:
		if v == "true" {
			return "yes"
		}
		return "no"
	case v == "":
		if q.Placeholder != "" {
			return "default " + q.Placeholder
		}
		return "none"
	case q.Kind == steps.Choice:
		for _, c := range q.Choices {
			if c.Value == v {
				return c.Label
			}
		}
	case q.Kind == steps.Multi:
		return v
	case q.Entry != nil && (q.Entry.Sensitive || q.Kind == steps.KeyFile):
		return guard.Visible(model.Display(q.Entry, v))
	}
	return guard.Visible(v)
}

// set stores an answer; it returns a message when the input is not one the question takes.
func (x *Accessible) set(q steps.Question, a *model.Answers, in string) string {
	switch q.Kind {
	case steps.Toggle:
		switch strings.ToLower(in) {
		case "y", "yes":
			q.Set(a, "true")
		case "n", "no":
			q.Set(a, "false")
		default:
			return "Please answer y or n."
		}
	case steps.Choice:
		c, ok := pick(q.Choices, in)
		if !ok {
			return "Please answer with one of the numbers shown."
		}
		q.Set(a, c)
	case steps.Multi:
		var out []string
		for _, part := range strings.Split(in, ",") {
			c, ok := pick(q.Choices, strings.TrimSpace(part))
			if !ok {
				return "Please answer with numbers from the list, separated by commas."
			}
			out = append(out, c)
		}
		q.Set(a, strings.Join(out, ","))
	case steps.KeyFile:
		data, err := pemkey.ReadKeyFile(in)
		if err == nil {
			var v, note string
			if v, note, err = steps.CheckPEM(q.Entry, data); err == nil {
				q.Set(a, v)
				x.printf("Loaded: %s\n", note)
				return ""
			}
		}
		return err.Error()
	default:
		q.Set(a, in)
	}
	return ""
}

// pick resolves a choice by its number, value or label.
func pick(choices []model.Choice, in string) (string, bool) {
	if n, err := strconv.Atoi(in); err == nil && n >= 1 && n <= len(choices) {
		return choices[n-1].Value, true
	}
	for _, c := range choices {
		if strings.EqualFold(in, c.Value) || strings.EqualFold(in, c.Label) {
			return c.Value, true
		}
	}
	return "", false
}

// review prints what will be written and writes it on a yes.
func (x *Accessible) review(a *model.Answers, screens []steps.Step, outDir string) (*store.Result, error) {
	x.printf("\n== Review ==\n")
	for _, s := range screens {
		if s.SkipReason() != "" {
			continue
		}
		x.printf("%s:\n", s.Title())
		for _, q := range s.Questions() {
			if q.Shown(a) {
				x.printf("  %s: %s\n", q.Label, x.current(q, q.Get(a)))
			}
		}
	}
	probs := model.Validate(a)
	for _, p := range probs.Sorted() {
		x.printf("%s\n", p)
	}
	if probs.HasErrors() {
		x.printf("Fix the errors above and run the wizard again; nothing was written.\n")
		return nil, fmt.Errorf("%d error(s): %w", len(probs.Errors()), ErrDeclined)
	}
	x.printf("Write values.yaml, secrets.yaml and summary.md into %s? (y/n) [n]: ", outDir)
	in, err := x.line()
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(strings.TrimSpace(in), "y") && !strings.EqualFold(strings.TrimSpace(in), "yes") {
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

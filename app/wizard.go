package app

import (
	"errors"
	"fmt"
	"os"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/store"
	"crewai-setup/ui"

	"github.com/charmbracelet/x/term"
)

// start is what init begins with: the prefilled answers and, with --from, the files read.
type start struct {
	a        *model.Answers
	existing *store.Existing
	probs    model.Problems
}

// prefill builds the starting answers from --from (existing values.yaml and secrets.yaml) and
// --answers (which wins, like a later -f file).
func prefill(o initOptions) (*start, error) {
	cat := model.NewCatalog()
	st := &start{a: model.NewAnswers(cat)}
	if o.from != "" {
		x, probs, err := store.ReadExisting(cat, o.from)
		if err != nil {
			return nil, err
		}
		st.existing, st.probs = x, probs
		st.a = x.Answers.Clone()
	}
	if o.answers != "" {
		loaded, probs, err := model.LoadAnswersFile(cat, o.answers)
		if err != nil {
			return nil, err
		}
		st.probs = append(st.probs, probs...)
		if st.existing == nil {
			st.a = loaded
		} else {
			data, err := guard.ReadFile(o.answers, guard.ValuesFileLimit)
			if err != nil {
				return nil, err
			}
			st.a.Wizard, st.a.Dir = loaded.Wizard, loaded.Dir
			if _, err := st.a.Merge(data, o.answers, true); err != nil {
				return nil, err
			}
		}
	}
	st.probs = append(st.probs, st.a.Resolve()...)
	return st, nil
}

// save writes prepared answers: as in-place edits of the --from files when there are any,
// else as fresh files. left lists keys the files still hold that the answers no longer set.
func (st *start) save(a *model.Answers, warnings model.Problems, dir string) (res *store.Result, left []string, err error) {
	if st.existing != nil && !st.existing.Empty() {
		return st.existing.SaveInto(a, warnings, dir)
	}
	return store.SaveFresh(a, warnings, dir)
}

// runWizard asks the questions interactively, then prints what was written.
func runWizard(o initOptions, sio IO) error {
	st, err := prefill(o)
	if err != nil {
		fmt.Fprintf(sio.Err, "crewai-setup init: %v\nNothing was written.\n", err)
		return fmt.Errorf("%w: %w", err, ErrBadInput)
	}
	a := st.a
	if o.accessible {
		return runAccessible(st, o, sio)
	}
	m, err := ui.Run(a, o.out, st.save, sio.In, sio.Out, nil)
	switch {
	case err != nil && !m.Aborted():
		fmt.Fprintf(sio.Err, "crewai-setup init: %v\nNothing was written.\n", err)
		return fmt.Errorf("%w: %w", err, ErrAborted)
	case m.Aborted():
		fmt.Fprintln(sio.Err, "Cancelled: nothing was written.")
		return ErrAborted
	}
	return report(m.Result(), m.Left(), nil, nil, sio)
}

// runAccessible is the plain line-by-line mode.
func runAccessible(st *start, o initOptions, sio IO) error {
	x := ui.NewAccessible(sio.In, sio.Err)
	x.Save = st.save
	if f, ok := sio.In.(*os.File); ok && sio.InTerminal {
		x.ReadSecret = func() (string, error) {
			b, err := term.ReadPassword(f.Fd())
			return string(b), err
		}
	}
	res, err := x.Run(st.a, o.out)
	switch {
	case errors.Is(err, ui.ErrDeclined) || errors.Is(err, ui.ErrInputEnded):
		fmt.Fprintln(sio.Err, "Nothing was written.")
		return fmt.Errorf("%w: %w", err, ErrAborted)
	case err != nil:
		fmt.Fprintf(sio.Err, "crewai-setup init: %v\n", err)
		if res != nil {
			for _, w := range res.Written {
				fmt.Fprintln(sio.Err, writtenLine(w))
			}
		}
		return fmt.Errorf("%w: %w", err, ErrBadInput)
	}
	return report(res, x.Left, nil, nil, sio)
}

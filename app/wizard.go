package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"crewai-setup/model"
	"crewai-setup/ui"

	"github.com/charmbracelet/x/term"
)

// prefill builds the wizard's starting answers from --answers and --from.
func prefill(o initOptions) (*model.Answers, model.Problems, error) {
	cat := model.NewCatalog()
	a := model.NewAnswers(cat)
	var probs model.Problems
	if o.from != "" {
		for _, name := range []string{"values.yaml", "secrets.yaml"} {
			path := filepath.Join(o.from, name)
			data, err := os.ReadFile(path)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			more, err := a.Merge(data, path, false)
			if err != nil {
				return nil, nil, err
			}
			probs = append(probs, more...)
		}
	}
	if o.answers != "" {
		loaded, more, err := model.LoadAnswersFile(cat, o.answers)
		if err != nil {
			return nil, nil, err
		}
		if o.from == "" {
			a = loaded
		} else {
			// Answers override what the existing files hold, like a later -f file.
			data, _ := os.ReadFile(o.answers)
			a.Wizard, a.Dir = loaded.Wizard, loaded.Dir
			if _, err := a.Merge(data, o.answers, true); err != nil {
				return nil, nil, err
			}
		}
		probs = append(probs, more...)
	}
	probs = append(probs, a.Resolve()...)
	return a, probs, nil
}

// runWizard asks the questions interactively, then prints what was written.
func runWizard(o initOptions, sio IO) error {
	a, _, err := prefill(o)
	if err != nil {
		fmt.Fprintf(sio.Err, "crewai-setup init: %v\nNothing was written.\n", err)
		return fmt.Errorf("%v: %w", err, ErrBadInput)
	}
	if o.accessible {
		return runAccessible(a, o, sio)
	}
	m, err := ui.Run(a, o.out, sio.In, sio.Out, nil)
	switch {
	case err != nil && !m.Aborted():
		fmt.Fprintf(sio.Err, "crewai-setup init: %v\nNothing was written.\n", err)
		return fmt.Errorf("%v: %w", err, ErrAborted)
	case m.Aborted():
		fmt.Fprintln(sio.Err, "Cancelled: nothing was written.")
		return ErrAborted
	}
	res := m.Result()
	for _, w := range res.Written {
		fmt.Fprintln(sio.Err, writtenLine(w))
	}
	if res.GitWarning != "" {
		fmt.Fprintln(sio.Err, "warning: "+res.GitWarning)
	}
	fmt.Fprint(sio.Out, string(res.Files.Summary))
	return nil
}

// runAccessible is the plain line-by-line mode.
func runAccessible(a *model.Answers, o initOptions, sio IO) error {
	x := ui.NewAccessible(sio.In, sio.Err)
	if f, ok := sio.In.(*os.File); ok && sio.InTerminal {
		x.ReadSecret = func() (string, error) {
			b, err := term.ReadPassword(f.Fd())
			return string(b), err
		}
	}
	res, err := x.Run(a, o.out)
	switch {
	case errors.Is(err, ui.ErrDeclined) || errors.Is(err, ui.ErrInputEnded):
		fmt.Fprintln(sio.Err, "Nothing was written.")
		return fmt.Errorf("%v: %w", err, ErrAborted)
	case err != nil:
		fmt.Fprintf(sio.Err, "crewai-setup init: %v\n", err)
		if res != nil {
			for _, w := range res.Written {
				fmt.Fprintln(sio.Err, writtenLine(w))
			}
		}
		return fmt.Errorf("%v: %w", err, ErrBadInput)
	}
	for _, w := range res.Written {
		fmt.Fprintln(sio.Err, writtenLine(w))
	}
	if res.GitWarning != "" {
		fmt.Fprintln(sio.Err, "warning: "+res.GitWarning)
	}
	fmt.Fprint(sio.Out, string(res.Files.Summary))
	return nil
}

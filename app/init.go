package app

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"crewai-setup/model"
	"crewai-setup/store"
)

// initOptions are init's command-line options.
type initOptions struct {
	answers        string
	from           string
	out            string
	nonInteractive bool
	accessible     bool
}

func parseInit(args []string, sio IO) (initOptions, error) {
	var o initOptions
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(sio.Err)
	fs.StringVar(&o.answers, "answers", "", "read answers from this YAML or JSON file (a partial values file plus a wizard: block)")
	fs.StringVar(&o.from, "from", "", "prefill from values.yaml and secrets.yaml in this directory")
	fs.StringVar(&o.out, "out", ".", "write values.yaml, secrets.yaml and summary.md into this directory (default with --from: that directory)")
	fs.BoolVar(&o.nonInteractive, "non-interactive", false, "never prompt: fail with every problem listed when answers are missing or invalid")
	fs.BoolVar(&o.accessible, "accessible", false, "plain line-by-line prompts for screen readers and logging terminals")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: crewai-setup init [--answers FILE] [--from DIR] [--out DIR] [--non-interactive] [--accessible]\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, sio); err != nil {
		return o, err
	}
	outSet := false
	fs.Visit(func(f *flag.Flag) { outSet = outSet || f.Name == "out" })
	if o.from != "" && !outSet {
		o.out = o.from // re-running on existing files edits them where they are
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(sio.Err, "crewai-setup init: unexpected argument %q\n", fs.Arg(0))
		return o, fmt.Errorf("unexpected argument: %w", ErrUsage)
	}
	return o, nil
}

func runInit(args []string, sio IO) error {
	o, err := parseInit(args, sio)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	// The full-screen wizard needs a terminal on both ends; the line-by-line mode writes its
	// prompts to stderr, so only stdin must be a terminal.
	o.accessible = o.accessible || sio.Getenv("TERM") == "dumb"
	interactive := !o.nonInteractive && sio.InTerminal && (o.accessible || sio.OutTerminal)
	if !interactive {
		if o.answers == "" && o.from == "" {
			fmt.Fprintln(sio.Err, "crewai-setup init: no terminal to ask in and no answers given.\n"+
				"Give the answers in a file: crewai-setup init --answers answers.yaml --non-interactive --out DIR\n"+
				"(see testdata/answers.example.yaml for a complete example).")
			return fmt.Errorf("no answers: %w", ErrUsage)
		}
		return initFromAnswers(o, sio)
	}
	return runWizard(o, sio)
}

// initFromAnswers is the non-interactive init: load, prepare, and write only when valid.
func initFromAnswers(o initOptions, sio IO) error {
	st, err := prefill(o)
	if err != nil {
		fmt.Fprintf(sio.Err, "crewai-setup init: %v\nNothing was written.\n", err)
		return fmt.Errorf("%w: %w", err, ErrBadInput)
	}
	res, left, probs, err := store.PrepareAndSave(st.a, st.probs, o.out, st.save)
	if probs.HasErrors() {
		printProblems(sio.Err, probs)
		fmt.Fprintf(sio.Err, "\n%d error(s): nothing was written. Fix them and run the command again.\n", len(probs.Errors()))
		return fmt.Errorf("invalid answers: %w", ErrBadInput)
	}
	return report(res, left, probs.Warnings(), err, sio)
}

// report prints where the files went, the warnings and the summary.
func report(res *store.Result, left []string, warnings model.Problems, err error, sio IO) error {
	if res != nil {
		for _, w := range res.Written {
			fmt.Fprintln(sio.Err, writtenLine(w))
		}
	}
	if err != nil {
		fmt.Fprintf(sio.Err, "crewai-setup init: %v\n", err)
		return fmt.Errorf("%w: %w", err, ErrBadInput)
	}
	printProblems(sio.Err, warnings)
	for _, p := range left {
		fmt.Fprintf(sio.Err, "note: %s is still in the files but no longer set by your answers; remove it by hand if it is unused\n", p)
	}
	if res.GitWarning != "" {
		fmt.Fprintln(sio.Err, "warning: "+res.GitWarning)
	}
	fmt.Fprint(sio.Out, string(res.Files.Summary))
	return nil
}

// writtenLine says where a file went and where its previous version is.
func writtenLine(w store.Written) string {
	if w.Backup != "" {
		return fmt.Sprintf("wrote %s (previous version kept as %s)", w.Path, w.Backup)
	}
	return "wrote " + w.Path
}

// printProblems prints problems sorted, errors first, one per line.
func printProblems(w io.Writer, probs model.Problems) {
	for _, p := range probs.Sorted() {
		fmt.Fprintln(w, p.String())
	}
}

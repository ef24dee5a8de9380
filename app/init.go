package app

import (
	"fmt"
	"io"
	"strings"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/store"

	"github.com/spf13/cobra"
)

// initOptions are init's command-line options.
type initOptions struct {
	answers        string
	from           string
	out            string
	nonInteractive bool
	accessible     bool
	// force replaces existing files in --out instead of editing them in place.
	force bool
	// keepBackups is how many dated backups of each file are kept.
	keepBackups int
	// encrypt is --encrypt (auto, sops or none; "" when not given: crewai-setup.yaml decides),
	// sopsAge the age recipients of --sops-age.
	encrypt string
	sopsAge []string
}

// storeOptions are the file-writing options for these flags; notes (a wait for another run's
// lock) go to w.
func storeOptions(keep int, w io.Writer, command string) store.Options {
	o := store.DefaultOptions()
	o.KeepBackups = keep
	o.Command = command
	o.Note = func(note string) { fmt.Fprintln(w, "note: "+note) }
	return o
}

// newInitCmd is "crewai-setup init"; the root command runs the same with the same flags.
func newInitCmd(sio IO) *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Ask for (or read from --answers) what the chart needs and write the files",
		Long: `Asks for everything the chart needs, or reads it from --answers, checks
it, and writes values.yaml, secrets.yaml (mode 0600) and summary.md into
--out. In a terminal it is the wizard (line by line with --accessible or
TERM=dumb); with --non-interactive or without a terminal it never prompts,
lists every problem and writes nothing unless every check passes.`,
		Example: `
# The wizard, prefilled from existing files, editing them where they are:
crewai-setup init --from deploy
# Non-interactive, from an answers file:
crewai-setup init --answers answers.yaml --out deploy --non-interactive`,
		SuggestFor: []string{"wizard", "setup"},
		Args:       noArgs,
		RunE:       func(cmd *cobra.Command, _ []string) error { return runInit(cmd, o, sio) },
	}
	initFlags(cmd, &o)
	return cmd
}

// initFlags defines init's flags on cmd (init and the root command).
func initFlags(cmd *cobra.Command, o *initOptions) {
	fs := cmd.Flags()
	fs.StringVar(&o.answers, "answers", "", "read answers from this YAML or JSON file (a partial values file plus a wizard: block)")
	fs.StringVar(&o.from, "from", "", "prefill from values.yaml and secrets.yaml in this directory (with --force: keep only their generated and data-at-rest keys)")
	fs.StringVar(&o.out, "out", ".", "write values.yaml, secrets.yaml and summary.md into this directory (default with --from: that directory)")
	fs.BoolVar(&o.nonInteractive, "non-interactive", false, "never prompt: fail with every problem listed when answers are missing or invalid")
	fs.BoolVar(&o.accessible, "accessible", false, "plain line-by-line prompts for screen readers and logging terminals")
	fs.IntVar(&o.keepBackups, "keep-backups", store.DefaultKeepBackups, "how many dated backups of each replaced file to keep (0: none)")
	fs.BoolVar(&o.force, "force", false, "replace values files already in --out instead of editing them in place (generated and data-at-rest keys are still kept)")
	fs.StringVar(&o.encrypt, "encrypt", "", "encrypt the files that hold secrets with sops: auto (when a .sops.yaml rule matches secrets.yaml, or --sops-age is given), sops (always; an error when nothing says for whom) or none (default: as crewai-setup.yaml remembers, else auto)")
	// StringArray, not StringSlice: one recipient per flag, as sops's own --age takes a comma list.
	fs.StringArrayVar(&o.sopsAge, "sops-age", nil, "encrypt with sops for this age recipient (age1...), without a .sops.yaml (repeatable)")
	fixedCompletions(cmd, "encrypt", string(store.EncryptAuto), string(store.EncryptSops), string(store.EncryptNone))
	_ = cmd.MarkFlagFilename("answers", "yaml", "yml", "json")
	_ = cmd.MarkFlagDirname("from")
	_ = cmd.MarkFlagDirname("out")
}

// noArgs refuses positional arguments.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef(cmd, "unexpected argument %q", args[0])
	}
	return nil
}

// runInit is init after its flags are parsed.
func runInit(cmd *cobra.Command, o initOptions, sio IO) error {
	if cmd.Flags().Changed("encrypt") {
		if _, err := store.ParseEncryptMode(o.encrypt); err != nil || o.encrypt == "" {
			return usagef(cmd, "--encrypt must be auto, sops or none, not %q", o.encrypt)
		}
	}
	if o.encrypt == string(store.EncryptNone) && len(o.sopsAge) > 0 {
		return usagef(cmd, "--sops-age encrypts, --encrypt=none does not: give one of them")
	}
	if o.from != "" && !cmd.Flags().Changed("out") {
		o.out = o.from // re-running on existing files edits them where they are
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
	st, err := prefill(o, sio.Err)
	if err != nil {
		fmt.Fprintf(sio.Err, "crewai-setup init: %v\nNothing was written.\n", err)
		return fmt.Errorf("%w: %w", err, ErrBadInput)
	}
	if st.encErr != nil {
		printProblems(sio.Err, st.probs)
		fmt.Fprintf(sio.Err, "crewai-setup init: %s\nNothing was written.\n", guard.Visible(st.encErr.Error()))
		return fmt.Errorf("%w: %w", st.encErr, ErrBadInput)
	}
	st.printNotes(sio.Err)
	res, left, probs, err := store.PrepareAndSave(st.a, st.probs, o.out, st.save)
	if probs.HasErrors() {
		printProblems(sio.Err, probs)
		fmt.Fprintf(sio.Err, "\n%d error(s): nothing was written. Fix them and run the command again.\n", len(probs.Errors()))
		return fmt.Errorf("invalid answers: %w", ErrBadInput)
	}
	if err == nil {
		for _, p := range st.changed(st.a) {
			fmt.Fprintln(sio.Err, "changed "+p)
		}
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
	for _, w := range res.Warnings {
		fmt.Fprintln(sio.Err, "warning: "+guard.Visible(w))
	}
	for _, n := range res.AllNotes() {
		fmt.Fprintln(sio.Err, "note: "+n)
	}
	for _, p := range left {
		fmt.Fprintf(sio.Err, "note: %s is still in the files but no longer set by your answers; remove it by hand if it is unused\n", p)
	}
	printGitWarning(sio.Err, res.GitWarning)
	fmt.Fprint(sio.Out, string(res.Files.Summary))
	return nil
}

// printGitWarning prints each line of a Git warning as a warning.
func printGitWarning(w io.Writer, warning string) {
	for _, l := range strings.Split(warning, "\n") {
		if l != "" {
			fmt.Fprintln(w, "warning: "+l)
		}
	}
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

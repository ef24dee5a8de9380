package app

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/model/pemkey"
	"crewai-setup/render"
	"crewai-setup/store"
	"crewai-setup/ui"
)

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// rotateOptions are rotate's command-line options.
type rotateOptions struct {
	secrets, values    string
	yes, argocd        bool
	fromFile, confirm  listFlag
	fromStdin          string
	release, namespace string
	keys               []string
	secretsSet, valSet bool
}

func parseRotate(args []string, sio IO) (rotateOptions, error) {
	var o rotateOptions
	fs := flag.NewFlagSet("rotate", flag.ContinueOnError)
	fs.SetOutput(sio.Err)
	fs.StringVar(&o.secrets, "secrets", "secrets.yaml", "the secrets values file to edit")
	fs.StringVar(&o.values, "values", "values.yaml", "the values file to edit")
	fs.BoolVar(&o.yes, "yes", false, "write without asking (non-interactive)")
	fs.Var(&o.fromFile, "from-file", "KEY=PATH: read KEY's new value from a file (repeatable)")
	fs.StringVar(&o.fromStdin, "from-stdin", "", "KEY: read KEY's new value from standard input")
	fs.Var(&o.confirm, "confirm", "KEY: confirm rotating a key that protects data at rest (repeatable)")
	fs.BoolVar(&o.argocd, "argocd", false, "the release is deployed by ArgoCD (changes the closing advice)")
	fs.StringVar(&o.release, "release", "", "release name for the printed helm command (default crewai-platform)")
	fs.StringVar(&o.namespace, "namespace", "", "namespace for the printed helm command")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: crewai-setup rotate [--secrets FILE] [--values FILE] [--yes] [KEY...]\n\n"+
			"Replaces credentials in existing values files, changing nothing else in them.\n"+
			"Without KEY in a terminal, lists the keys that can be rotated and asks.\n"+
			"New values are generated where the chart's format allows; others are read with\n"+
			"--from-file KEY=PATH or --from-stdin KEY, never from the command line.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, sio); err != nil {
		return o, err
	}
	fs.Visit(func(f *flag.Flag) {
		o.secretsSet = o.secretsSet || f.Name == "secrets"
		o.valSet = o.valSet || f.Name == "values"
	})
	o.keys = fs.Args()
	return o, nil
}

func runRotate(args []string, sio IO) error {
	o, err := parseRotate(args, sio)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	fail := func(format string, a ...any) error {
		fmt.Fprintf(sio.Err, "crewai-setup rotate: "+format+"\nNothing was changed.\n", a...)
		return fmt.Errorf(format+": %w", append(a, ErrBadInput)...)
	}

	// A file named on the command line must exist; the default names may be missing.
	for _, f := range []struct {
		path     string
		explicit bool
	}{{o.values, o.valSet}, {o.secrets, o.secretsSet}} {
		if _, err := os.Stat(f.path); err != nil && f.explicit {
			return fail("%v", err)
		}
	}
	cat := model.NewCatalog()
	x, _, err := store.ReadFiles(cat, o.values, o.secrets)
	if err != nil {
		return fail("%v", err)
	}
	if x.Empty() {
		return fail("found neither %s nor %s: run rotate where they are, or name them with --values and --secrets", o.values, o.secrets)
	}
	a := x.Answers
	a.Wizard.ArgoCD = o.argocd

	supplied, chosen, err := rotateInputs(cat, o, sio)
	if err != nil {
		return fail("%v", err)
	}
	if len(chosen) == 0 {
		if sio.InTerminal && sio.OutTerminal {
			return rotateInteractive(x, o, sio)
		}
		fmt.Fprintln(sio.Err, "crewai-setup rotate: name the keys to rotate, e.g. crewai-setup rotate --yes secrets.SECRET_KEY_BASE. Rotatable here:")
		for _, e := range model.RotationCandidates(a) {
			fmt.Fprintf(sio.Err, "  %s\n", e.Path)
		}
		return fmt.Errorf("no keys named: %w", ErrUsage)
	}
	changes, probs := model.PlanRotation(a, chosen, supplied)
	for _, c := range changes {
		if c.Entry.ConfirmRotate && !slices.Contains(o.confirm, c.Entry.Path) && !slices.Contains(o.confirm, c.Entry.Name()) {
			probs = append(probs, model.Problem{Path: c.Entry.Path, Severity: model.Error,
				Message: "protects data at rest: rotating it makes existing encrypted data unreadable. " + c.Entry.Rotation +
					" To go ahead, add --confirm " + c.Entry.Name()})
		}
	}
	if probs.HasErrors() {
		printProblems(sio.Err, probs)
		fmt.Fprintln(sio.Err, "Nothing was changed.")
		return fmt.Errorf("cannot rotate: %w", ErrBadInput)
	}
	printRotationPlan(sio.Out, changes)
	if !o.yes {
		if !sio.InTerminal {
			fmt.Fprintln(sio.Err, "crewai-setup rotate: add --yes to write without a terminal to confirm in. Nothing was changed.")
			return fmt.Errorf("not confirmed: %w", ErrUsage)
		}
		if !askYes(sio, "Write these changes? Type yes to confirm: ") {
			fmt.Fprintln(sio.Err, "Nothing was changed.")
			return ErrAborted
		}
	}
	return applyAndReport(x, changes, o, sio)
}

// applyAndReport writes the changes in place and says what changed and what to run next.
func applyAndReport(x *store.Existing, changes []model.Change, o rotateOptions, sio IO) error {
	sets := make([]store.Set, len(changes))
	for i, c := range changes {
		sets[i] = store.Set{Entry: c.Entry, Value: c.New}
	}
	written, err := x.Apply(sets, "")
	for _, w := range written {
		fmt.Fprintf(sio.Err, "updated %s (previous version kept as %s)\n", w.Path, w.Backup)
	}
	if err != nil {
		fmt.Fprintf(sio.Err, "crewai-setup rotate: %v\n", err)
		if len(written) == 0 {
			fmt.Fprintln(sio.Err, "Nothing was changed.")
		}
		return fmt.Errorf("%w: %w", err, ErrBadInput)
	}
	printRotationAfter(sio.Out, changes, x.Paths(), o)
	return nil
}

// rotateInputs reads the values given with --from-file and --from-stdin and resolves every
// named key; all problems are reported together.
func rotateInputs(cat *model.Catalog, o rotateOptions, sio IO) (map[string]string, []*model.Entry, error) {
	supplied := map[string]string{}
	var chosen []*model.Entry
	var errs []string
	pick := func(name string) *model.Entry {
		e, err := model.ResolveKey(cat, name)
		switch {
		case err != nil:
			errs = append(errs, err.Error())
			return nil
		case !e.Rotatable():
			errs = append(errs, e.Path+" is not a credential rotate changes; edit it with crewai-setup init --from DIR")
			return nil
		}
		for _, c := range chosen {
			if c == e {
				return e
			}
		}
		chosen = append(chosen, e)
		return e
	}
	for _, k := range o.keys {
		pick(k)
	}
	for _, ff := range o.fromFile {
		name, path, ok := strings.Cut(ff, "=")
		if !ok {
			errs = append(errs, "--from-file needs KEY=PATH, got "+ff)
			continue
		}
		if e := pick(name); e != nil {
			data, err := pemkey.ReadKeyFile(path)
			if err == nil {
				supplied[e.Path], err = model.NormalizeSupplied(e, data)
			}
			if err != nil {
				errs = append(errs, e.Path+": "+err.Error())
			}
		}
	}
	if o.fromStdin != "" {
		if e := pick(o.fromStdin); e != nil {
			data, err := io.ReadAll(io.LimitReader(sio.In, pemkey.MaxPEMSize+1))
			switch {
			case err != nil:
				errs = append(errs, e.Path+": reading standard input: "+err.Error())
			case len(data) > pemkey.MaxPEMSize:
				errs = append(errs, e.Path+": standard input holds more than 64 KiB; that is not a credential")
			case len(data) == 0:
				errs = append(errs, e.Path+": standard input was empty")
			default:
				if supplied[e.Path], err = model.NormalizeSupplied(e, data); err != nil {
					errs = append(errs, e.Path+": "+err.Error())
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.New(strings.Join(errs, "\n"))
	}
	return supplied, chosen, nil
}

func askYes(sio IO, prompt string) bool {
	fmt.Fprint(sio.Err, prompt)
	line, _ := bufio.NewReader(sio.In).ReadString('\n')
	return strings.TrimSpace(line) == "yes"
}

// printRotationPlan shows each change masked, with its consequence.
func printRotationPlan(w io.Writer, changes []model.Change) {
	fmt.Fprintln(w, "Planned changes (values masked):")
	for _, c := range changes {
		before := "not in the files (the chart generated it)"
		if c.InFile {
			before = guard.Visible(model.Display(c.Entry, c.Old))
		}
		fmt.Fprintf(w, "\n  %s\n    before: %s\n    after:  %s", c.Entry.Path, before, guard.Visible(model.Display(c.Entry, c.New)))
		if c.Generated {
			fmt.Fprintf(w, " (generated: %s)", c.Entry.Gen.Format)
		}
		fmt.Fprintln(w)
		if c.Because != "" {
			fmt.Fprintf(w, "    why:    %s\n", c.Because)
		}
		fmt.Fprintf(w, "    effect: %s\n", c.Entry.Rotation)
		if c.Entry.Mirror != "" {
			fmt.Fprintf(w, "    note:   the chart also passes this value on as %s; both change together.\n", c.Entry.Mirror)
		}
		if !c.InFile && c.Entry.ChartGen != "" {
			fmt.Fprintln(w, "    note:   the chart keeps its generated value with Helm's lookup, so the new value is written "+
				"explicitly and stays in the file from now on.")
		}
	}
	fmt.Fprintln(w)
}

// printRotationAfter says what changed and what to run next.
func printRotationAfter(w io.Writer, changes []model.Change, paths []string, o rotateOptions) {
	fmt.Fprintln(w, "Rotated:")
	redeploy := false
	for _, c := range changes {
		fmt.Fprintf(w, "  %s → %s\n", c.Entry.Path, guard.Visible(model.Display(c.Entry, c.New)))
		redeploy = redeploy || c.Entry.Name() == "DEPLOYMENT_INSTANCE_JWT_SECRET"
	}
	fmt.Fprintf(w, "\nApply it: helm upgrade rolls the web, worker, OAuth, registry and MinIO pods by itself.\n\n  %s\n\n",
		guard.Visible(render.HelmUpgrade(o.release, o.namespace, paths)))
	if redeploy {
		fmt.Fprintln(w, "Then redeploy every active automation: crews still hold refresh tokens signed with the old secret.")
	}
	if o.argocd {
		fmt.Fprintln(w, "With ArgoCD, commit the change through your secret path (SOPS, sealed-secrets, your secret manager) instead of running helm.")
	}
}

// rotateInteractive lets the operator pick keys, supply values and confirm in a terminal.
func rotateInteractive(x *store.Existing, o rotateOptions, sio IO) error {
	changes, err := ui.RunRotate(x.Answers)
	if err != nil {
		fmt.Fprintf(sio.Err, "crewai-setup rotate: %v\nNothing was changed.\n", err)
		return fmt.Errorf("%w: %w", err, ErrAborted)
	}
	if changes == nil {
		fmt.Fprintln(sio.Err, "Nothing was changed.")
		return ErrAborted
	}
	return applyAndReport(x, changes, o, sio)
}

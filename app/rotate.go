package app

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"

	"crewai-setup/model"
	"crewai-setup/render"
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

// rotFile is one values file rotate reads and may edit.
type rotFile struct {
	path  string
	data  []byte
	snap  render.Snapshot
	edits []render.Edit
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

	cat := model.NewCatalog()
	a := model.NewAnswers(cat)
	a.Wizard.ArgoCD = o.argocd
	var files []*rotFile
	for _, f := range []struct {
		path     string
		explicit bool
	}{{o.values, o.valSet}, {o.secrets, o.secretsSet}} {
		data, snap, err := render.ReadSnapshot(f.path)
		if errors.Is(err, os.ErrNotExist) && !f.explicit {
			continue
		}
		if err != nil {
			return fail("%v", err)
		}
		if _, err := a.Merge(data, f.path, false); err != nil {
			return fail("%v", err)
		}
		files = append(files, &rotFile{path: f.path, data: data, snap: snap})
	}
	if len(files) == 0 {
		return fail("found neither %s nor %s: run rotate where they are, or name them with --values and --secrets", o.values, o.secrets)
	}

	supplied, chosen, err := rotateInputs(cat, o, sio)
	if err != nil {
		return fail("%v", err)
	}
	if len(chosen) == 0 {
		if sio.InTerminal && sio.OutTerminal {
			return rotateInteractive(a, files, o, sio)
		}
		fmt.Fprintln(sio.Err, "crewai-setup rotate: name the keys to rotate, e.g. crewai-setup rotate --yes secrets.SECRET_KEY_BASE. Rotatable here:")
		for _, e := range model.RotationCandidates(a) {
			fmt.Fprintf(sio.Err, "  %s\n", e.Path)
		}
		return fmt.Errorf("no keys named: %w", ErrUsage)
	}
	changes, probs := model.PlanRotation(a, chosen, supplied)
	for _, c := range changes {
		if c.Entry.ConfirmRotate && !contains(o.confirm, c.Entry.Path) && !contains(o.confirm, c.Entry.Name()) {
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
	return applyAndReport(a, files, changes, o, sio)
}

// applyAndReport writes the changes and says what changed and what to run next.
func applyAndReport(a *model.Answers, files []*rotFile, changes []model.Change, o rotateOptions, sio IO) error {
	if err := applyRotation(a, files, changes, sio); err != nil {
		return err
	}
	printRotationAfter(sio.Out, changes, files, o)
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
			data, err := model.ReadKeyFile(path)
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
			data, err := io.ReadAll(io.LimitReader(sio.In, model.MaxPEMSize+1))
			switch {
			case err != nil:
				errs = append(errs, e.Path+": reading standard input: "+err.Error())
			case len(data) > model.MaxPEMSize:
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

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
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
			before = maskedFor(c.Entry, c.Old)
		}
		fmt.Fprintf(w, "\n  %s\n    before: %s\n    after:  %s", c.Entry.Path, before, maskedFor(c.Entry, c.New))
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

// maskedFor shows a value the way rotate may: masked or described, never in clear.
func maskedFor(e *model.Entry, v string) string {
	if !e.Sensitive && e.Kind == model.KindString {
		return v
	}
	return model.Display(e, v)
}

// applyRotation splices every change into its file, checks nothing changed on disk meanwhile,
// writes each file atomically with a backup, and verifies what landed; on a failed check the
// backup is put back.
func applyRotation(a *model.Answers, files []*rotFile, changes []model.Change, sio IO) error {
	byPath := map[string]*rotFile{}
	for _, f := range files {
		byPath[f.path] = f
	}
	insertInto := files[len(files)-1] // the secrets file when there is one, as it is read last
	for _, c := range changes {
		target := insertInto
		if c.InFile {
			target = byPath[a.Pos(c.Entry.Path).File]
		}
		style := render.EditKeep
		switch c.Entry.Kind {
		case model.KindOneLinePEM:
			style = render.EditOneLine
		case model.KindPEM:
			style = render.EditBlock
		default:
		}
		target.edits = append(target.edits, render.Edit{Path: strings.Split(c.Entry.Path, "."), Value: c.New, Style: style})
	}
	outputs := map[*rotFile][]byte{}
	for _, f := range files {
		if len(f.edits) == 0 {
			continue
		}
		out, err := render.Splice(f.data, f.edits)
		if err != nil {
			fmt.Fprintf(sio.Err, "crewai-setup rotate: %s: %v\nNothing was changed.\n", f.path, err)
			return fmt.Errorf("%w: %w", err, ErrBadInput)
		}
		outputs[f] = out
	}
	for f := range outputs {
		if err := f.snap.Unchanged(); err != nil {
			fmt.Fprintf(sio.Err, "crewai-setup rotate: %v\n", err)
			return fmt.Errorf("%w: %w", err, ErrBadInput)
		}
	}
	for _, f := range files {
		out, ok := outputs[f]
		if !ok {
			continue
		}
		backup, err := render.WriteFileAtomic(f.path, out, 0o600, true)
		if err != nil {
			fmt.Fprintf(sio.Err, "crewai-setup rotate: %v\n", err)
			return fmt.Errorf("%w: %w", err, ErrBadInput)
		}
		if err := verifyRotation(f, out, changes); err != nil {
			restoreErr := os.Rename(backup, f.path)
			fmt.Fprintf(sio.Err, "crewai-setup rotate: %s did not hold the expected values after writing (%v); ", f.path, err)
			if restoreErr != nil {
				fmt.Fprintf(sio.Err, "restoring the backup failed too (%v): copy %s back by hand.\n", restoreErr, backup)
			} else {
				fmt.Fprintln(sio.Err, "the previous version was put back.")
			}
			return fmt.Errorf("verification failed: %w", ErrBadInput)
		}
		fmt.Fprintf(sio.Err, "updated %s (previous version kept as %s)\n", f.path, backup)
	}
	return nil
}

// verifyRotation re-reads a written file and checks that the rotated keys hold their new values
// and every other key of the file its old value.
func verifyRotation(f *rotFile, want []byte, changes []model.Change) error {
	got, err := os.ReadFile(f.path)
	if err != nil {
		return err
	}
	if string(got) != string(want) {
		return errors.New("the bytes on disk differ from what was written")
	}
	before, after := flatten(f.data), flatten(got)
	if before == nil || after == nil {
		return errors.New("the file no longer parses")
	}
	for _, c := range changes {
		if _, ok := after[c.Entry.Path]; ok || c.InFile {
			before[c.Entry.Path] = c.New
		}
	}
	if !reflect.DeepEqual(before, after) {
		var diff []string
		for k := range after {
			if before[k] != after[k] {
				diff = append(diff, k)
			}
		}
		sort.Strings(diff)
		return fmt.Errorf("unexpected values at %s", strings.Join(diff, ", "))
	}
	return nil
}

// flatten reads a values document into path → scalar text (nil when it does not parse).
func flatten(data []byte) map[string]string {
	a := model.NewAnswers(model.NewCatalog())
	if _, err := a.Merge(data, "", false); err != nil {
		return nil
	}
	out := map[string]string{}
	for _, p := range a.Paths() {
		out[p] = a.Get(p)
	}
	return out
}

// printRotationAfter says what changed and what to run next.
func printRotationAfter(w io.Writer, changes []model.Change, files []*rotFile, o rotateOptions) {
	fmt.Fprintln(w, "Rotated:")
	redeploy := false
	for _, c := range changes {
		fmt.Fprintf(w, "  %s → %s\n", c.Entry.Path, maskedFor(c.Entry, c.New))
		redeploy = redeploy || c.Entry.Name() == "DEPLOYMENT_INSTANCE_JWT_SECRET"
	}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.path
	}
	fmt.Fprintf(w, "\nApply it: helm upgrade rolls the web, worker, OAuth, registry and MinIO pods by itself.\n\n  %s\n\n",
		render.HelmUpgrade(o.release, o.namespace, paths))
	if redeploy {
		fmt.Fprintln(w, "Then redeploy every active automation: crews still hold refresh tokens signed with the old secret.")
	}
	if o.argocd {
		fmt.Fprintln(w, "With ArgoCD, commit the change through your secret path (SOPS, sealed-secrets, your secret manager) instead of running helm.")
	}
}

// rotateInteractive lets the operator pick keys, supply values and confirm in a terminal.
func rotateInteractive(a *model.Answers, files []*rotFile, o rotateOptions, sio IO) error {
	changes, err := ui.RunRotate(a)
	if err != nil {
		fmt.Fprintf(sio.Err, "crewai-setup rotate: %v\nNothing was changed.\n", err)
		return fmt.Errorf("%w: %w", err, ErrAborted)
	}
	if changes == nil {
		fmt.Fprintln(sio.Err, "Nothing was changed.")
		return ErrAborted
	}
	return applyAndReport(a, files, changes, o, sio)
}

package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/model/pemkey"
	"crewai-setup/render"
	"crewai-setup/store"
	"crewai-setup/ui"

	"github.com/spf13/cobra"
)

// rotateOptions are rotate's command-line options.
type rotateOptions struct {
	secrets, values    string
	yes, argocd        bool
	fromFile, confirm  []string
	fromStdin          string
	release, namespace string
	keys               []string
	secretsSet, valSet bool
	// argocdSet, releaseSet, namespaceSet: the flag was given, so it wins over crewai-setup.yaml.
	argocdSet, releaseSet, namespaceSet bool
	keepBackups                         int
	// reveal prints, once, the new value of keys that must also be entered elsewhere.
	reveal bool
}

// newRotateCmd is "crewai-setup rotate [KEY...]".
func newRotateCmd(sio IO) *cobra.Command {
	var o rotateOptions
	cmd := &cobra.Command{
		Use:   "rotate [KEY...]",
		Short: "Replace credentials in existing files, changing nothing else",
		Long: `Replaces credentials in existing values files, changing nothing else in
them. Without KEY in a terminal, it lists the keys that can be rotated and
asks. New values are generated where the chart's format allows; others are
read with --from-file KEY=PATH or --from-stdin KEY, never from the command
line. Keys that protect data at rest also need --confirm KEY.`,
		Example: `
crewai-setup rotate secrets.SECRET_KEY_BASE --yes
crewai-setup rotate --from-file DB_PASSWORD=new-password.txt --yes --secrets deploy/secrets.yaml
openssl rand -hex 32 | crewai-setup rotate --from-stdin ENCRYPTION_KEY --confirm ENCRYPTION_KEY --yes`,
		SuggestFor:        []string{"rotation", "renew"},
		ValidArgsFunction: completeRotatable(func(*model.Entry) bool { return true }),
		RunE: func(cmd *cobra.Command, keys []string) error {
			o.keys = keys
			o.secretsSet, o.valSet = cmd.Flags().Changed("secrets"), cmd.Flags().Changed("values")
			o.argocdSet, o.releaseSet, o.namespaceSet = cmd.Flags().Changed("argocd"), cmd.Flags().Changed("release"), cmd.Flags().Changed("namespace")
			return runRotate(o, sio)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.secrets, "secrets", "secrets.yaml", "the secrets values file to edit")
	fs.StringVar(&o.values, "values", "values.yaml", "the values file to edit")
	fs.BoolVar(&o.yes, "yes", false, "write without asking (non-interactive)")
	fs.BoolVar(&o.reveal, "reveal", false, "print the new value of keys that must also be entered elsewhere by hand (the GitHub webhook secret), once")
	fs.IntVar(&o.keepBackups, "keep-backups", store.DefaultKeepBackups, "how many dated backups of each changed file to keep (0: none)")
	// StringArray, not StringSlice: a path may contain a comma.
	fs.StringArrayVar(&o.fromFile, "from-file", nil, "read a key's new value from a file, given as KEY=PATH (repeatable)")
	fs.StringVar(&o.fromStdin, "from-stdin", "", "read this key's new value from standard input")
	fs.StringArrayVar(&o.confirm, "confirm", nil, "confirm rotating this key, which protects data at rest (repeatable)")
	fs.BoolVar(&o.argocd, "argocd", false, "the release is deployed by ArgoCD (default: as crewai-setup.yaml beside the files remembers)")
	fs.StringVar(&o.release, "release", "", "release name for the printed helm command (default: from crewai-setup.yaml, else crewai-platform)")
	fs.StringVar(&o.namespace, "namespace", "", "namespace for the printed helm command (default: from crewai-setup.yaml)")
	_ = cmd.MarkFlagFilename("secrets", "yaml", "yml")
	_ = cmd.MarkFlagFilename("values", "yaml", "yml")
	_ = cmd.RegisterFlagCompletionFunc("from-stdin", completeRotatable(func(*model.Entry) bool { return true }))
	_ = cmd.RegisterFlagCompletionFunc("confirm", completeRotatable(func(e *model.Entry) bool { return e.ConfirmRotate }))
	return cmd
}

// completeRotatable completes the catalog's rotatable keys that keep says to offer.
func completeRotatable(keep func(*model.Entry) bool) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var keys []string
		for _, e := range model.NewCatalog().Entries() {
			if e.Rotatable() && keep(e) {
				keys = append(keys, cobra.CompletionWithDesc(e.Path, e.Title))
			}
		}
		return keys, cobra.ShellCompDirectiveNoFileComp
	}
}

// runRotate is rotate after its flags are parsed.
func runRotate(o rotateOptions, sio IO) error {
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
	opts := storeOptions(o.keepBackups, sio.Err, "crewai-setup rotate")
	// Without a terminal the whole read-modify-write holds the files' locks, so that two
	// scripted rotations run one after the other and neither change is lost. An interactive
	// session reads unlocked and takes the locks to write, refusing if a file changed meanwhile.
	interactive := len(o.keys) == 0 && o.fromStdin == "" && len(o.fromFile) == 0 && sio.InTerminal && sio.OutTerminal
	opts.HoldLock = !interactive
	x, readProbs, err := opts.ReadFiles(cat, o.values, o.secrets)
	if err != nil {
		return fail("%v", err)
	}
	defer x.Close()
	if x.Empty() {
		return fail("found neither %s nor %s: run rotate where they are, or name them with --values and --secrets", o.values, o.secrets)
	}
	a := x.Answers
	// What Helm misreads elsewhere in the files is reported, as check and init --from do; it
	// does not stop the rotation of other keys.
	for _, p := range append(readProbs, a.HelmFindings()...).Sorted() {
		fmt.Fprintln(sio.Err, "in the files: "+p.String())
	}
	// crewai-setup.yaml beside the files remembers the deployment; flags given win.
	if o.argocdSet {
		a.Wizard.ArgoCD = o.argocd
	}
	if o.releaseSet {
		a.Wizard.Release = o.release
	}
	if o.namespaceSet {
		a.Wizard.Namespace = o.namespace
	}
	// crewai-setup.yaml remembering encrypt: sops keeps the files encrypted: one that holds
	// secrets but was read in plaintext (decrypted by hand meanwhile) is written encrypted
	// again.
	warnings, err := x.KeepEncrypted(context.Background())
	if err != nil {
		return fail("%s", guard.Visible(err.Error()))
	}
	for _, w := range warnings {
		fmt.Fprintln(sio.Err, "warning: "+guard.Visible(w))
	}

	supplied, chosen, err := rotateInputs(cat, o, sio)
	if err != nil {
		return fail("%v", err)
	}
	if len(chosen) == 0 {
		if sio.InTerminal && sio.OutTerminal {
			return rotateInteractive(x, o.reveal, sio)
		}
		fmt.Fprintln(sio.Err, "crewai-setup rotate: name the keys to rotate, e.g. crewai-setup rotate --yes secrets.SECRET_KEY_BASE. Rotatable here:")
		for _, e := range model.RotationCandidates(a) {
			fmt.Fprintf(sio.Err, "  %s\n", e.Path)
		}
		return fmt.Errorf("no keys named: %w", ErrUsage)
	}
	changes, probs := model.PlanRotation(a, chosen, supplied)
	probs = append(probs, model.Unconfirmed(changes,
		func(e *model.Entry) bool {
			return slices.Contains(o.confirm, e.Path) || slices.Contains(o.confirm, e.Name())
		},
		func(e *model.Entry) string { return "add --confirm " + e.Name() })...)
	if probs.HasErrors() {
		printProblems(sio.Err, probs)
		fmt.Fprintln(sio.Err, "Nothing was changed.")
		return fmt.Errorf("cannot rotate: %w", ErrBadInput)
	}
	printRotationPlan(sio.Out, a, changes)
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
	return applyAndReport(x, changes, o.reveal, sio)
}

// applyAndReport writes the changes in place and says what changed and what to run next.
func applyAndReport(x *store.Existing, changes []model.Change, reveal bool, sio IO) error {
	// summary.md and crewai-setup.yaml beside the secrets file, written with the files as one
	// set, describe the credentials then in use: the rotated keys' fingerprints and the date of
	// their rotation.
	sets := make([]store.Set, len(changes))
	after := x.Answers.Clone()
	today := time.Now().Format("2006-01-02")
	for i, c := range changes {
		sets[i] = store.Set{Entry: c.Entry, Value: c.New}
		after.Set(c.Entry.Path, c.New)
		if c.Generated {
			after.MarkGenerated(c.Entry.Path)
		}
		after.MarkRotated(c.Entry.Path, today)
	}
	res, err := x.Write(sets, after)
	var written []store.Written
	if res != nil {
		written = res.Written
	}
	for _, w := range written {
		fmt.Fprintln(sio.Err, strings.Replace(writtenLine(w), "wrote ", "updated ", 1))
	}
	if err != nil {
		fmt.Fprintf(sio.Err, "crewai-setup rotate: %v\n", err)
		if len(written) == 0 {
			fmt.Fprintln(sio.Err, "Nothing was changed.")
		}
		return fmt.Errorf("%w: %w", err, ErrBadInput)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(sio.Err, "warning: "+guard.Visible(w))
	}
	for _, n := range res.AllNotes() {
		fmt.Fprintln(sio.Err, "note: "+n)
	}
	printGitWarning(sio.Err, res.GitWarning)
	printRotationAfter(sio.Out, after, changes, x.Paths(), x.Encrypted())
	printCopyTo(sio.Out, changes, reveal)
	return nil
}

// printCopyTo tells where else a rotated value must be entered, and with --reveal shows it
// once (control characters made visible; these values are generated letters and digits).
func printCopyTo(w io.Writer, changes []model.Change, reveal bool) {
	for _, c := range changes {
		if c.Entry.CopyTo == "" {
			continue
		}
		if reveal {
			fmt.Fprintf(w, "\nEnter the new %s in %s now; it is shown this once:\n\n  %s\n", c.Entry.Name(), c.Entry.CopyTo, guard.Visible(c.New))
			continue
		}
		fmt.Fprintf(w, "\nEnter the new %s in %s as well: run with --reveal to print it once, or read it from the secrets file.\n", c.Entry.Name(), c.Entry.CopyTo)
	}
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
func printRotationPlan(w io.Writer, a *model.Answers, changes []model.Change) {
	fmt.Fprintln(w, "Planned changes (values masked):")
	for _, c := range changes {
		before := "not in the files (the chart generated it)"
		if c.InFile {
			before = guard.Visible(a.Display(c.Entry, c.Old))
		}
		fmt.Fprintf(w, "\n  %s\n    before: %s\n    after:  %s", c.Entry.Path, before, guard.Visible(a.Display(c.Entry, c.New)))
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

// printRotationAfter says what changed and what to run next; encrypted are the SOPS files
// among paths, which helm gets through sops decrypt.
func printRotationAfter(w io.Writer, a *model.Answers, changes []model.Change, paths, encrypted []string) {
	fmt.Fprintln(w, "Rotated:")
	redeploy := false
	for _, c := range changes {
		fmt.Fprintf(w, "  %s → %s\n", c.Entry.Path, guard.Visible(a.Display(c.Entry, c.New)))
		redeploy = redeploy || c.Entry.Name() == "DEPLOYMENT_INSTANCE_JWT_SECRET"
	}
	fmt.Fprintf(w, "\nApply it: %s.\n\n  %s\n\n", model.UpgradeRollsPods,
		guard.Visible(render.HelmUpgradeDecrypting(a.Wizard.Release, a.Wizard.Namespace, paths, encrypted)))
	if len(encrypted) > 0 {
		fmt.Fprintf(w, "sops decrypts %s on the way into helm (no decrypted copy is written); with the helm-secrets plugin:\n\n  %s\n\n",
			guard.Visible(strings.Join(encrypted, " and ")), guard.Visible(render.HelmSecretsUpgrade(a.Wizard.Release, a.Wizard.Namespace, paths)))
	}
	if len(paths) < 2 {
		fmt.Fprintln(w, "Only one values file was found: pass every values file your install uses to helm, in the same order as before, or the others' settings fall back to the chart's defaults.")
	}
	if redeploy {
		fmt.Fprintln(w, "Then redeploy every active automation: crews still hold refresh tokens signed with the old secret.")
	}
	switch {
	case a.Wizard.ArgoCD && len(encrypted) > 0:
		fmt.Fprintln(w, "With ArgoCD, commit the encrypted files instead of running helm; the repo server decrypts them with helm-secrets or KSOPS.")
	case a.Wizard.ArgoCD:
		fmt.Fprintln(w, "With ArgoCD, commit the change through your secret path (SOPS, sealed-secrets, your secret manager) instead of running helm.")
	}
}

// rotateInteractive lets the operator pick keys, supply values and confirm in a terminal.
func rotateInteractive(x *store.Existing, reveal bool, sio IO) error {
	changes, err := ui.RunRotate(x.Answers, sio.In, sio.Out)
	if err != nil {
		fmt.Fprintf(sio.Err, "crewai-setup rotate: %v\nNothing was changed.\n", err)
		return interrupted(err)
	}
	if changes == nil {
		fmt.Fprintln(sio.Err, "Nothing was changed.")
		return ErrAborted
	}
	return applyAndReport(x, changes, reveal, sio)
}

package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/store"
	"crewai-setup/ui"

	"github.com/charmbracelet/x/term"
)

// start is what init begins with: the prefilled answers and, with --from (or files already in
// --out), the files read.
type start struct {
	a        *model.Answers
	existing *store.Existing
	probs    model.Problems
	// notes say what init decided about existing files and encryption; warnings what the
	// operator should reconsider.
	notes, warnings []string
	// fresh is set by --force: existing files are replaced, not edited.
	fresh bool
	// opts say how files are written (backups kept, lock wait, encryption).
	opts store.Options
	// encErr is why the files cannot be encrypted as asked (sops missing, no rule for
	// --encrypt=sops): nothing may be written.
	encErr error
	// planned is what the encryption in opts was planned for (encryptionKey).
	planned string
}

// prefill builds the starting answers from --from (existing values.yaml and secrets.yaml) and
// --answers (which wins, like a later -f file). Values files already in --out are read as if
// named with --from: a re-run edits them and never drops what it was not asked to change. With
// --force (also with --from) they are replaced, but every value the chart or this tool
// generated and every key that must only change through rotate is carried over.
func prefill(o initOptions, notes io.Writer) (*start, error) {
	cat := model.NewCatalog()
	st := &start{a: model.NewAnswers(cat)}
	from := o.from
	if from == "" && hasValuesFiles(o.out) {
		from = o.out
		if !o.force {
			st.notes = append(st.notes, fmt.Sprintf("%s already holds values files: they are edited in place, keeping every key the answers do not change (--force replaces them)", o.out))
		}
	}
	st.opts = storeOptions(o.keepBackups, notes, "crewai-setup init")
	if from != "" {
		x, probs, err := st.opts.ReadExisting(cat, from)
		if err != nil {
			return nil, err
		}
		st.existing, st.probs = x, probs
		st.a = x.Answers.Clone()
		if o.force {
			// Replaced, whether named with --from or found in --out: the answers start afresh,
			// and keepGenerated carries over only what must never be generated again.
			st.fresh = true
			st.a = model.NewAnswers(cat)
		}
	}
	if o.answers != "" {
		if err := st.readAnswers(cat, o.answers); err != nil {
			return nil, err
		}
	}
	st.probs = append(st.probs, st.a.Resolve()...)
	if st.existing != nil {
		st.keepGenerated()
		st.probs = append(st.probs, st.protected()...)
	}
	// A problem with encryption is reported together with the answers' problems.
	st.encErr = st.planEncryption(o)
	return st, nil
}

// readAnswers reads the answers file: alone, or over the existing files' answers as a later -f
// file, its wizard settings adding to the remembered ones (Merge sets only those given).
func (st *start) readAnswers(cat *model.Catalog, path string) error {
	if st.existing == nil || st.fresh {
		loaded, probs, err := model.LoadAnswersFile(cat, path)
		if err != nil {
			return err
		}
		st.a, st.probs = loaded, append(st.probs, probs...)
		return nil
	}
	data, err := guard.ReadFile(path, guard.ValuesFileLimit)
	if err != nil {
		return fmt.Errorf("cannot read answers file: %w", err)
	}
	st.a.Dir, st.a.Source = filepath.Dir(path), path
	probs, err := st.a.Merge(data, path, true)
	if err != nil {
		return err
	}
	st.probs = append(st.probs, probs...)
	// A key file the answers name wins over the key the existing files hold. The key-file
	// settings come from the answers alone: crewai-setup.yaml never stores them.
	for _, f := range st.a.Wizard.KeyFiles() {
		if *f.File != "" && st.a.Pos(f.Target).File != path {
			st.a.Set(f.Target, "")
		}
	}
	return nil
}

// hasValuesFiles reports whether dir holds a values.yaml or a secrets.yaml.
func hasValuesFiles(dir string) bool {
	for _, name := range []string{"values.yaml", "secrets.yaml"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// keepGenerated carries over, when existing files are replaced, every value the chart or this
// tool generated: generated once, they are never generated again by init (that is rotate's job).
func (st *start) keepGenerated() {
	old := st.existing.Answers
	for _, e := range st.a.Catalog().Entries() {
		v, had := old.Lookup(e.Path)
		if _, has := st.a.Lookup(e.Path); !had || has || (e.Gen == nil && e.ChartGen == "" && !e.Internal) {
			continue
		}
		st.a.Set(e.Path, v)
		if st.fresh {
			st.notes = append(st.notes, "kept "+e.Path+" from the existing files (generated once; change it with crewai-setup rotate)")
		}
	}
}

// protected refuses answers that would change a key init must never change: data at rest,
// deployed crews' tokens and cloud trust change through rotate only, with a confirmation.
func (st *start) protected() model.Problems {
	var probs model.Problems
	old := st.existing.Answers
	for _, e := range st.a.Catalog().Entries() {
		was, had := old.Lookup(e.Path)
		if !e.ConfirmRotate || !had || st.a.Get(e.Path) == was {
			continue
		}
		probs = append(probs, model.Problem{Path: e.Path, Severity: model.Error, Pos: st.a.Pos(e.Path),
			Message: "differs from the value in the existing files, and init never changes it: it " + e.ConfirmWhy +
				". Keep the existing value, or rotate it deliberately: crewai-setup rotate " + e.Name() + " --confirm " + e.Name()})
	}
	return probs
}

// changed lists the keys whose values differ from the existing files', for the report.
func (st *start) changed(a *model.Answers) []string {
	if st.existing == nil {
		return nil
	}
	var out []string
	for _, p := range a.Paths() {
		if e := a.Catalog().Lookup(p); !e.Internal && st.existing.Answers.Get(p) != a.Get(p) {
			out = append(out, p)
		}
	}
	return out
}

// save writes prepared answers: as in-place edits of the --from files when there are any,
// else as fresh files. left lists keys the files still hold that the answers no longer set.
// In the wizard the encryption may have been chosen again, or the directory changed: it is
// planned again for them first.
func (st *start) save(a *model.Answers, warnings model.Problems, dir string) (res *store.Result, left []string, err error) {
	opts, encWarnings, err := st.replan(a, dir)
	if err != nil {
		return nil, nil, err
	}
	if st.existing != nil && !st.existing.Empty() && !st.fresh {
		st.existing.SetEncryption(opts.Encrypt)
		res, left, err = st.existing.SaveInto(a, warnings, dir)
	} else {
		res, left, err = opts.SaveFresh(a, warnings, dir)
	}
	if res != nil {
		res.Warnings = slices.Concat(encWarnings, res.Warnings)
	}
	return res, left, err
}

// runWizard asks the questions interactively, then prints what was written.
func runWizard(o initOptions, sio IO) error {
	st, err := prefill(o, sio.Err)
	if err != nil {
		fmt.Fprintf(sio.Err, "crewai-setup init: %v\nNothing was written.\n", err)
		return fmt.Errorf("%w: %w", err, ErrBadInput)
	}
	if st.encErr != nil {
		fmt.Fprintf(sio.Err, "crewai-setup init: %s\nNothing was written.\n", guard.Visible(st.encErr.Error()))
		return fmt.Errorf("%w: %w", st.encErr, ErrBadInput)
	}
	st.printNotes(sio.Err)
	a := st.a
	if o.accessible {
		return runAccessible(st, o, sio)
	}
	m, err := ui.Run(ui.New(a, o.out).WithSave(st.save).WithEncryption(st.encryptionNote), sio.In, sio.Out, nil)
	switch {
	case err != nil && !m.Aborted():
		fmt.Fprintf(sio.Err, "crewai-setup init: %v\nNothing was written.\n", err)
		return interrupted(err)
	case m.Aborted():
		fmt.Fprintln(sio.Err, "Cancelled: nothing was written.")
		return ErrAborted
	}
	return report(m.Result(), m.Left(), nil, nil, sio)
}

// runAccessible is the plain line-by-line mode.
func runAccessible(st *start, o initOptions, sio IO) error {
	x := ui.NewAccessible(sio.In, sio.Err)
	x.Save, x.Encryption = st.save, st.encryptionNote
	if f, ok := sio.In.(*os.File); ok && sio.InTerminal {
		x.ReadSecret = func() (string, error) {
			b, err := term.ReadPassword(f.Fd())
			return string(b), err
		}
	}
	res, err := x.Run(st.a, o.out)
	switch {
	case errors.Is(err, ui.ErrDeclined) || errors.Is(err, ui.ErrInputEnded):
		// The accessible mode has said that nothing was written.
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

package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/render"
	"crewai-setup/render/yamledit"
)

// Existing is a values file and a secrets file as read, so that changed values can be spliced
// into them later without disturbing anything else. init --from and rotate both write
// through it.
type Existing struct {
	// Answers are the values the files hold.
	Answers *model.Answers
	files   []existingFile
}

type existingFile struct {
	path    string
	secrets bool // the secrets file: where new secrets.* and oauth.secrets.* keys go
	data    []byte
	snap    Snapshot
}

// ReadExisting reads dir/values.yaml and dir/secrets.yaml (each may be missing).
func ReadExisting(cat *model.Catalog, dir string) (*Existing, model.Problems, error) {
	return ReadFiles(cat, filepath.Join(dir, "values.yaml"), filepath.Join(dir, "secrets.yaml"))
}

// ReadFiles reads a values file and a secrets file, merged in that order as helm -f would;
// a missing file is skipped. Problems are findings about the keys in them; the error is for
// files that cannot be read or parsed.
func ReadFiles(cat *model.Catalog, valuesPath, secretsPath string) (*Existing, model.Problems, error) {
	x := &Existing{Answers: model.NewAnswers(cat)}
	var probs model.Problems
	for _, f := range []existingFile{{path: valuesPath}, {path: secretsPath, secrets: true}} {
		data, snap, err := ReadSnapshot(f.path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		more, err := x.Answers.Merge(data, f.path, false)
		if err != nil {
			return nil, nil, err
		}
		probs = append(probs, more...)
		f.data, f.snap = data, snap
		x.files = append(x.files, f)
	}
	more, err := ReadWizardFile(x.Answers, filepath.Dir(secretsPath))
	return x, append(probs, more...), err
}

// ReadWizardFile reads crewai-setup.yaml, the remembered deployment, from dir into a's wizard
// settings, when the file is there.
func ReadWizardFile(a *model.Answers, dir string) (model.Problems, error) {
	path := filepath.Join(dir, render.WizardFileName)
	data, err := guard.ReadFile(path, guard.ValuesFileLimit)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return a.Merge(data, path, true)
}

// Dir returns the directory of the secrets file (else the values file): where summary.md and
// crewai-setup.yaml live.
func (x *Existing) Dir() string {
	if len(x.files) == 0 {
		return "."
	}
	return filepath.Dir(x.files[len(x.files)-1].path)
}

// RefreshSummary rewrites summary.md and crewai-setup.yaml in dir from the answers (after a
// rotation: new fingerprints, rotation dates), each only when it exists already or differs, with
// a backup. A summary that was never written is not created.
func RefreshSummary(a *model.Answers, dir string) ([]Written, error) {
	var written []Written
	secrets := false
	if _, err := os.Stat(filepath.Join(dir, "secrets.yaml")); err == nil {
		secrets = true
	}
	wizard, err := render.WizardFile(a)
	if err != nil {
		return nil, err
	}
	summary := []byte(render.Summary(a, render.SummaryInfo{Warnings: model.Validate(a).Warnings(), SecretsWritten: secrets}))
	for _, f := range []struct {
		name string
		data []byte
	}{{"summary.md", summary}, {render.WizardFileName, wizard}} {
		name, data := f.name, f.data
		path := filepath.Join(dir, name)
		old, err := guard.ReadFile(path, guard.ValuesFileLimit)
		if err != nil || string(old) == string(data) {
			continue // absent (never written here) or already current
		}
		backup, err := WriteFileAtomic(path, data, 0o644, true)
		if err != nil {
			return written, err
		}
		written = append(written, Written{Path: path, Backup: backup})
	}
	return written, nil
}

// Empty reports whether neither file existed.
func (x *Existing) Empty() bool { return len(x.files) == 0 }

// Paths returns the files read, values file first.
func (x *Existing) Paths() []string {
	out := make([]string, len(x.files))
	for i, f := range x.files {
		out[i] = f.path
	}
	return out
}

// Set gives a catalog key a new value, for Apply.
type Set struct {
	Entry *model.Entry
	Value string
}

// editStyle is how a new value of an entry is spliced in.
func editStyle(e *model.Entry) yamledit.EditStyle {
	switch e.Kind {
	case model.KindBool:
		return yamledit.EditBool
	case model.KindOneLinePEM:
		return yamledit.EditOneLine
	case model.KindPEM:
		return yamledit.EditBlock
	default:
		return yamledit.EditKeep
	}
}

// target returns the file a key is written to: the one that holds it, else the secrets or the
// values file by where the key belongs, else whichever exists.
func (x *Existing) target(e *model.Entry) int {
	for i, f := range x.files {
		if f.path == x.Answers.Pos(e.Path).File {
			return i
		}
	}
	for i, f := range x.files {
		if f.secrets == e.InSecretsFile() {
			return i
		}
	}
	return len(x.files) - 1
}

// Apply splices the new values into the files, checks that no file changed on disk since it
// was read, and writes each changed file atomically with a dated backup into outDir ("" for
// where it was read; a file with no change is copied there too when outDir is elsewhere).
// Each written file is read back: the set keys must hold their new values and every other
// known key its old one, otherwise the backup is put back and the error says so. Nothing is
// written when any splice fails or any file changed meanwhile.
func (x *Existing) Apply(sets []Set, outDir string) ([]Written, error) {
	if x.Empty() {
		return nil, errors.New("there are no existing files to edit")
	}
	perFile := make([][]Set, len(x.files))
	for _, s := range sets {
		i := x.target(s.Entry)
		perFile[i] = append(perFile[i], s)
	}
	outs := make([][]byte, len(x.files))
	for i, f := range x.files {
		outs[i] = f.data
		if len(perFile[i]) == 0 {
			continue
		}
		edits := make([]yamledit.Edit, len(perFile[i]))
		for j, s := range perFile[i] {
			edits[j] = yamledit.Edit{Path: strings.Split(s.Entry.Path, "."), Value: s.Value, Style: editStyle(s.Entry)}
		}
		var err error
		if outs[i], err = yamledit.Splice(f.data, edits); err != nil {
			return nil, fmt.Errorf("%s: %w", f.path, err)
		}
	}
	for _, f := range x.files {
		if err := f.snap.Unchanged(); err != nil {
			return nil, err
		}
	}
	var written []Written
	for i, f := range x.files {
		dst := f.path
		if outDir != "" {
			dst = filepath.Join(outDir, filepath.Base(f.path))
		}
		same := sameFile(dst, f.path)
		if same && len(perFile[i]) == 0 {
			continue // nothing changed in this file: leave it (and its mtime) alone
		}
		perm := os.FileMode(0o644)
		if f.secrets {
			perm = 0o600
		}
		backup, err := WriteFileAtomic(dst, outs[i], perm, same)
		if err != nil {
			return written, err
		}
		if err := verifyWritten(dst, outs[i], f.data, perFile[i]); err != nil {
			return written, restore(dst, backup, err)
		}
		written = append(written, Written{Path: dst, Backup: backup})
	}
	return written, nil
}

// verifyWritten reads back a written file: the bytes must be what was written, the set keys
// must hold their new values and every other known key its old one.
func verifyWritten(path string, want, old []byte, sets []Set) error {
	got, err := guard.ReadFile(path, guard.ValuesFileLimit)
	switch {
	case err != nil:
		return err
	case string(got) != string(want):
		return errors.New("the bytes on disk differ from what was written")
	}
	before, after := flatten(old), flatten(got)
	if before == nil || after == nil {
		return errors.New("the file no longer parses")
	}
	for _, s := range sets {
		before[s.Entry.Path] = s.Value
	}
	var diff []string
	for k := range mergeKeys(before, after) {
		if before[k] != after[k] {
			diff = append(diff, k)
		}
	}
	if len(diff) > 0 {
		sort.Strings(diff)
		return fmt.Errorf("unexpected values at %s", strings.Join(diff, ", "))
	}
	return nil
}

// restore puts a backup back after a failed check (or removes a file that had none).
func restore(path, backup string, cause error) error {
	var err error
	if backup != "" {
		err = os.Rename(backup, path)
	} else {
		err = os.Remove(path)
	}
	if err != nil {
		return fmt.Errorf("%s did not hold the expected values after writing (%w), and putting the previous version back failed too (%w): restore %s by hand", path, cause, err, backup)
	}
	return fmt.Errorf("%s did not hold the expected values after writing (%w): the previous version was put back", path, cause)
}

// flatten reads a values document into catalog path → value text (nil when it does not parse).
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

func mergeKeys(a, b map[string]string) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// SaveInto writes the answers as edits of the existing files: only values that differ from
// what the files held change, each in the file that held it. The files go into outDir (the
// same directory replaces them, with backups) and summary.md is written afresh. Keys the
// answers no longer set stay in the files and are returned in left, for removal by hand.
func (x *Existing) SaveInto(a *model.Answers, warnings model.Problems, outDir string) (res *Result, left []string, err error) {
	var sets []Set
	for _, e := range a.Catalog().Entries() {
		old, had := x.Answers.Lookup(e.Path)
		v, has := a.Lookup(e.Path)
		switch {
		case e.Forbidden != "" || (had == has && old == v && !x.Answers.MisreadByHelm(e.Path)):
			// Unchanged. (A value Helm misreads, unquoted yes say, is written again even when the
			// text stays: the splicer quotes it.)
		case had && !has:
			left = append(left, e.Path)
		default:
			sets = append(sets, Set{Entry: e, Value: v})
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil { //nolint:gosec // values.yaml is meant to be readable; secrets.yaml itself is 0600
		return nil, left, fmt.Errorf("cannot create the output directory %s: %w", outDir, err)
	}
	res = &Result{Files: &render.Files{}}
	if res.Written, err = x.Apply(sets, outDir); err != nil {
		return res, left, err
	}
	secretsWritten := false
	for _, f := range x.files {
		secretsWritten = secretsWritten || f.secrets
	}
	res.Files.Summary = []byte(render.Summary(a, render.SummaryInfo{Warnings: warnings, SecretsWritten: secretsWritten}))
	summary := filepath.Join(outDir, "summary.md")
	backup, err := WriteFileAtomic(summary, res.Files.Summary, 0o644, false)
	if err != nil {
		return res, left, err
	}
	res.Written = append(res.Written, Written{Path: summary, Backup: backup})
	if res.Files.Wizard, err = render.WizardFile(a); err != nil {
		return res, left, err
	}
	wizard := filepath.Join(outDir, render.WizardFileName)
	if old, err := guard.ReadFile(wizard, guard.ValuesFileLimit); err != nil || string(old) != string(res.Files.Wizard) {
		if backup, err = WriteFileAtomic(wizard, res.Files.Wizard, 0o644, false); err != nil {
			return res, left, err
		}
		res.Written = append(res.Written, Written{Path: wizard, Backup: backup})
	}
	if secretsWritten {
		res.GitWarning = GitIgnoreWarning(outDir, "secrets.yaml")
	}
	return res, left, nil
}

// sameFile reports whether two paths name the same file (a missing dst is not the same).
func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

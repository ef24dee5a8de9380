package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/render"
	"crewai-setup/render/yamledit"
	"crewai-setup/store/sops"

	yaml "go.yaml.in/yaml/v3"
)

// Existing is a values file and a secrets file as read, so that changed values can be spliced
// into them later without disturbing anything else. init --from and rotate both write
// through it. Read with Options.HoldLock, it keeps the files locked until Close. A SOPS file
// is decrypted in memory when read (Options.Sops) and edited with sops set.
type Existing struct {
	// Answers are the values the files hold.
	Answers *model.Answers
	files   []existingFile
	// secretsPath is the secrets file as ReadFiles was given it, read or not.
	secretsPath string
	opts        Options
	held        locks // the locks taken when reading with HoldLock, released by Close
}

type existingFile struct {
	path    string
	secrets bool   // the secrets file: where new secrets.* and oauth.secrets.* keys go
	data    []byte // the bytes on disk
	// plain is what Helm reads: data, or for a SOPS file its decryption (in memory only).
	plain []byte
	// name is the file's name in the answers' positions: path, or for a SOPS file
	// sops.DecryptedLabel(path).
	name string
	// encrypted: data is a SOPS file; it is edited with sops set, never spliced.
	encrypted bool
	snap      Snapshot
	// doc is plain's YAML tree as the loader parsed it, reused by the splicer.
	doc *yaml.Node
}

// ReadExisting reads dir/values.yaml and dir/secrets.yaml (each may be missing).
func ReadExisting(cat *model.Catalog, dir string) (*Existing, model.Problems, error) {
	return DefaultOptions().ReadExisting(cat, dir)
}

// ReadExisting is the package-level ReadExisting with these options.
func (o Options) ReadExisting(cat *model.Catalog, dir string) (*Existing, model.Problems, error) {
	return o.ReadFiles(cat, filepath.Join(dir, "values.yaml"), filepath.Join(dir, "secrets.yaml"))
}

// ReadFiles reads a values file and a secrets file, merged in that order as helm -f would;
// a missing file is skipped. Problems are findings about the keys in them; the error is for
// files that cannot be read or parsed.
func ReadFiles(cat *model.Catalog, valuesPath, secretsPath string) (*Existing, model.Problems, error) {
	return DefaultOptions().ReadFiles(cat, valuesPath, secretsPath)
}

// ReadFiles is the package-level ReadFiles with these options: with HoldLock the files that
// exist are locked first (waiting up to LockWait for another run) and stay locked until
// Existing.Close, so that nothing can change them between reading and writing.
func (o Options) ReadFiles(cat *model.Catalog, valuesPath, secretsPath string) (x *Existing, probs model.Problems, err error) {
	x = &Existing{Answers: model.NewAnswers(cat), secretsPath: secretsPath, opts: o}
	if o.HoldLock {
		var items []lockItem
		for _, p := range []string{valuesPath, secretsPath} {
			if _, err := os.Lstat(p); err != nil {
				continue // nothing to protect: Write never creates a file that was not read
			}
			target, err := resolveAbs(p)
			if err != nil {
				return nil, nil, err
			}
			items = append(items, lockItem{name: p, target: target})
		}
		if x.held, err = o.lockAll(nil, items); err != nil {
			return nil, nil, err
		}
		held := x.held // an error return sets x to nil before this runs
		defer func() {
			if err != nil {
				held.release()
			}
		}()
	}
	var sopsErrs []error
	for _, f := range []existingFile{{path: valuesPath}, {path: secretsPath, secrets: true}} {
		data, snap, err := ReadSnapshot(f.path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		// A SOPS file is decrypted in memory; its findings name the decrypted document.
		f.plain, f.name, f.encrypted, err = o.decrypted(f.path, data)
		if err != nil {
			sopsErrs = append(sopsErrs, err)
			continue
		}
		doc, more, err := x.Answers.MergeDocument(f.plain, f.name, false)
		if err != nil {
			return nil, nil, err
		}
		probs = append(probs, more...)
		f.data, f.snap, f.doc = data, snap, doc
		x.files = append(x.files, f)
	}
	if len(sopsErrs) > 0 {
		return nil, nil, errors.Join(sopsErrs...)
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

// Close releases the locks taken when the files were read with Options.HoldLock; without it
// there are none. It may be called more than once.
func (x *Existing) Close() error {
	if x != nil {
		x.held.release()
	}
	return nil
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

// Set gives a catalog key a new value, for Write.
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
		if f.name == x.Answers.Pos(e.Path).File {
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

// Write splices the new values into the files where they were read, checks that no file
// changed on disk since it was read, and writes the changed files as one set (see
// Options.WriteSet), each with a dated backup. The files are locked from the check to the end
// (already when read with Options.HoldLock). Each written file is read back: it must hold the
// bytes written, otherwise every file of the set that is still the one written is put back
// and the error says so. Nothing is written when any splice fails or any file changed
// meanwhile. A SOPS file is never spliced: its values change with sops set, which checks the
// result's decryption before anything is written; a plaintext file is encrypted whole when
// SetEncryption says so.
//
// With after (the answers once the sets are made: new values, rotation dates), summary.md and
// crewai-setup.yaml beside the files are refreshed in the same set, each only where it exists
// and changes: a rotation creates neither, and they never describe files that were not
// written. The result lists the files written with their notes, temporary files removed, the
// .gitignore written and Git warnings.
func (x *Existing) Write(sets []Set, after *model.Answers) (*Result, error) {
	p, err := x.prepare(sets, "")
	if err != nil {
		return &Result{}, err
	}
	var extra []File
	if after != nil {
		if _, _, extra, err = x.summaryFiles(after, model.Validate(after).Warnings(), x.Dir(), p, true); err != nil {
			return &Result{}, err
		}
	}
	return x.commit(p, extra)
}

// pending is a write of the existing files worked out in memory: each file's new content, and
// what encryption did.
type pending struct {
	outDir  string
	perFile [][]Set
	outs    [][]byte
	// encOut marks the files whose new content is a SOPS file.
	encOut []bool
	// rewrite marks the files that must be written although no value changed (now encrypted).
	rewrite []bool
	enc     encrypted
}

// prepare works out the new content of every file: a plaintext file is spliced; a SOPS file is
// changed with sops set, so that only the set values' ciphertext and sops's metadata change,
// and never spliced or decrypted on disk; a plaintext file that Options.Encrypt says must be
// encrypted (the secrets file, a values file that holds a secret) is encrypted whole, in
// memory. Nothing is written.
func (x *Existing) prepare(sets []Set, outDir string) (*pending, error) {
	if x.Empty() {
		return nil, errors.New("there are no existing files to edit")
	}
	n := len(x.files)
	p := &pending{outDir: outDir, perFile: make([][]Set, n), outs: make([][]byte, n), encOut: make([]bool, n), rewrite: make([]bool, n)}
	for _, s := range sets {
		i := x.target(s.Entry)
		p.perFile[i] = append(p.perFile[i], s)
	}
	ctx := context.Background()
	var errs []error
	for i, f := range x.files {
		p.outs[i], p.encOut[i] = f.data, f.encrypted
		switch {
		case f.encrypted && len(p.perFile[i]) > 0:
			out, err := x.opts.Sops.SetValues(ctx, f.path, f.data, f.plain, sopsSets(p.perFile[i]))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			p.outs[i] = out
		case !f.encrypted && len(p.perFile[i]) > 0:
			out, err := yamledit.SpliceParsed(f.data, f.doc, edits(p.perFile[i]))
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", f.path, err))
				continue
			}
			p.outs[i] = out
		}
		held := x.sensitiveIn(i, p.perFile[i])
		if f.encrypted || x.opts.Encrypt == nil || (!f.secrets && len(held) == 0) {
			continue
		}
		// A plaintext file that must now be encrypted: the whole (edited) file, in memory.
		var keys [][]string
		what := "secrets"
		if !f.secrets {
			keys, what = sensitiveKeys(held)
		}
		out, ok, warn, err := x.opts.Encrypt.encryptFile(ctx, x.opts.Sops, x.dest(i, outDir), p.outs[i], keys, what)
		switch {
		case err != nil:
			errs = append(errs, err)
		case ok:
			p.outs[i], p.encOut[i], p.rewrite[i] = out, true, true
		}
		if warn != "" {
			p.enc.warnings = append(p.enc.warnings, warn)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var encOuts [][]byte
	for i, f := range x.files {
		if p.encOut[i] {
			encOuts = append(encOuts, p.outs[i])
			if f.secrets {
				p.enc.secrets = true
			} else {
				p.enc.values = true
			}
		}
	}
	p.enc.For = forWhom(encOuts...)
	return p, nil
}

// dest is where file i is written for outDir ("" for where it was read).
func (x *Existing) dest(i int, outDir string) string {
	if outDir == "" {
		return x.files[i].path
	}
	return filepath.Join(outDir, filepath.Base(x.files[i].path))
}

// sopsSets are sets as sops.SetValues takes them.
func sopsSets(sets []Set) []sops.Set {
	out := make([]sops.Set, len(sets))
	for i, s := range sets {
		out[i] = sops.Set{Path: s.Entry.KeyPath(), Value: s.Value, Bool: s.Entry.Kind == model.KindBool}
	}
	return out
}

// commit writes a prepared write, with extra files in the same set.
func (x *Existing) commit(p *pending, extra []File) (*Result, error) {
	res := &Result{Warnings: p.enc.warnings}
	var files []File
	var from []int // files[k] is x.files[from[k]]
	var protect []string
	for i, f := range x.files {
		dst := x.dest(i, p.outDir)
		secretPlain := f.secrets && !p.encOut[i]
		if secretPlain {
			protect = append(protect, dst)
		}
		same := sameFile(dst, f.path)
		if same && len(p.perFile[i]) == 0 && !p.rewrite[i] {
			continue // nothing changed in this file: leave it (and its mtime) alone
		}
		perm := os.FileMode(0o644)
		if f.secrets {
			perm = 0o600
		}
		// An encrypted secrets file may be committed: Git need not ignore it (its backups,
		// temporary and lock files still are).
		files = append(files, File{Path: dst, Data: p.outs[i], Perm: perm, KeepMode: same,
			Sensitive: f.secrets || x.sensitive(i, p.perFile[i]), GitIgnore: secretPlain})
		from = append(from, i)
	}
	files = append(files, extra...)
	sfs, err := prepareSet(files)
	if err != nil {
		return res, err
	}
	items := lockItems(sfs)
	for _, f := range x.files {
		// The files read are locked too, so that the check below holds until the write is done.
		if target, err := resolveAbs(f.path); err == nil {
			items = append(items, lockItem{name: f.path, target: target})
		}
	}
	taken, err := x.opts.lockAll(x.held, items)
	if err != nil {
		return res, err
	}
	defer taken.release()
	held := maps.Clone(x.held)
	if held == nil {
		held = locks{}
	}
	maps.Copy(held, taken)
	for _, f := range x.files {
		if err := f.snap.Unchanged(); err != nil {
			return res, err
		}
	}
	verify := func(k int, sf *setFile) error {
		if k >= len(from) {
			return nil // an extra file: nothing was spliced into it
		}
		// The bytes on disk must be those written. What they mean was checked before: the
		// splicer's output against the old document, sops set's by decrypting it against the
		// old decryption, sops encrypt's for its keys and for no value left in plaintext (a
		// file encrypted for a key the operator does not hold cannot be decrypted here).
		i := from[k]
		return x.opts.verify(sf.target, p.outs[i], x.files[i].data, p.perFile[i])
	}
	// The plaintext secrets files stay protected even when this write leaves them as they are.
	var existing []string
	for _, pr := range protect {
		if t, err := resolveAbs(pr); err == nil {
			if _, err := os.Stat(t); err == nil {
				existing = append(existing, t)
			}
		}
	}
	out, err := x.opts.writeLocked(sfs, held, verify, true, existing)
	out.Warnings = append(res.Warnings, out.Warnings...)
	if err == nil {
		for i := range x.files {
			x.files[i].encrypted = p.encOut[i]
		}
	}
	return out, err
}

// Encrypted returns the files read that are SOPS files (after a successful write: that were
// written as SOPS files), values file first.
func (x *Existing) Encrypted() []string {
	var out []string
	for _, f := range x.files {
		if f.encrypted {
			out = append(out, f.path)
		}
	}
	return out
}

// PlaintextSecrets returns the files read in plaintext that hold secrets: the secrets file,
// and a values file holding a value marked sensitive; SetEncryption would encrypt them.
func (x *Existing) PlaintextSecrets() []string {
	var out []string
	for i, f := range x.files {
		if !f.encrypted && (f.secrets || x.sensitive(i, nil)) {
			out = append(out, f.path)
		}
	}
	return out
}

// SetEncryption makes the write encrypt the files read in plaintext that hold secrets (the
// secrets file, a values file holding a value marked sensitive) as e says; nil leaves them
// plaintext. Files read encrypted stay encrypted either way.
func (x *Existing) SetEncryption(e *Encryption) { x.opts.Encrypt = e }

// KeepEncrypted applies what crewai-setup.yaml remembers to the write: with wizard.encrypt:
// sops, the files read in plaintext that hold secrets (decrypted by hand meanwhile) are
// encrypted again, for wizard.sopsAge or per .sops.yaml (PlanEncryption for the secrets file,
// whose warnings it returns). Files read encrypted are edited with sops set whatever it says.
func (x *Existing) KeepEncrypted(ctx context.Context) ([]string, error) {
	w := x.Answers.Wizard
	if w.Encrypt != string(EncryptSops) || len(x.PlaintextSecrets()) == 0 {
		return nil, nil
	}
	enc, warnings, err := x.opts.PlanEncryption(ctx, x.secretsPath, EncryptSops, w.SopsAge)
	if err != nil {
		return warnings, err
	}
	x.SetEncryption(enc)
	return warnings, nil
}

// sensitive reports whether file i, after the sets, holds a value marked sensitive.
func (x *Existing) sensitive(i int, sets []Set) bool { return len(x.sensitiveIn(i, sets)) > 0 }

// sensitiveIn returns the entries marked sensitive whose values file i holds after the sets:
// those it was read with (Answers.SensitiveInValues) and those the sets give it.
func (x *Existing) sensitiveIn(i int, sets []Set) []*model.Entry {
	out := x.Answers.SensitiveInValues(x.files[i].name)
	for _, s := range sets {
		if s.Entry.Sensitive && s.Value != "" && !slices.Contains(out, s.Entry) {
			out = append(out, s.Entry)
		}
	}
	return out
}

// verifyWritten reads back a written file: the bytes must be what was written, the set keys
// must hold their new values and everything else must read back as before (yamledit.Verify:
// one walk over both documents, no typo suggestions, linear in the file's size).
func verifyWritten(path string, want, old []byte, sets []Set) error { //nolint:unparam // the signature of the verify hook tests replace
	got, err := guard.ReadFile(path, guard.ValuesFileLimit)
	switch {
	case err != nil:
		return err
	case string(got) != string(want):
		return errors.New("the bytes on disk differ from what was written")
	}
	// The splicer checked these very bytes against the old document and the edits before they
	// were written (yamledit.Verify); what is on disk is byte for byte what it checked.
	return nil
}

// edits are sets as the splicer and yamledit.Verify take them.
func edits(sets []Set) []yamledit.Edit {
	out := make([]yamledit.Edit, len(sets))
	for j, s := range sets {
		out[j] = yamledit.Edit{Path: s.Entry.KeyPath(), Value: s.Value, Style: editStyle(s.Entry)}
	}
	return out
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
	// The new content first (sops set and encryption included): the summary says what it is.
	p, err := x.prepare(sets, outDir)
	if err != nil {
		return &Result{}, left, err
	}
	summary, wizard, extra, err := x.summaryFiles(a, warnings, outDir, p, false)
	if err != nil {
		return nil, left, err
	}
	res, err = x.commit(p, extra)
	res.Files = &render.Files{Summary: summary, Wizard: wizard}
	return res, left, err
}

// summaryFiles renders summary.md and crewai-setup.yaml in dir from a, for the write p, as
// files of its set, so that they never describe files that were not written: summary.md
// always, crewai-setup.yaml when it changes; with refresh (after a rotation) each only when it
// is there already and changes, keeping its mode.
func (x *Existing) summaryFiles(a *model.Answers, warnings model.Problems, dir string, p *pending, refresh bool) (summary, wizard []byte, files []File, err error) {
	secretsWritten := slices.ContainsFunc(x.files, func(f existingFile) bool { return f.secrets })
	summary = []byte(render.Summary(a, render.SummaryInfo{Warnings: warnings, SecretsWritten: secretsWritten, Encrypted: p.enc.info()}))
	wizard, err = render.WizardFile(a)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, f := range []struct {
		name   string
		data   []byte
		always bool
	}{{"summary.md", summary, !refresh}, {render.WizardFileName, wizard, false}} {
		path := filepath.Join(dir, f.name)
		old, err := guard.ReadFile(path, guard.ValuesFileLimit)
		switch {
		case refresh && err != nil:
			continue // never written here: a rotation creates neither file
		case !f.always && err == nil && string(old) == string(f.data):
			continue // already current
		}
		files = append(files, File{Path: path, Data: f.data, Perm: 0o644, KeepMode: refresh})
	}
	return summary, wizard, files, nil
}

// sameFile reports whether two paths name the same file (a missing dst is not the same).
func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

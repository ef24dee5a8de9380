package store

import (
	"fmt"
	"os"
	"path/filepath"

	"crewai-setup/model"
	"crewai-setup/render"
)

// Written is one file written, with the backup of what it replaced and what else the write
// did to it.
type Written struct {
	// Path is the file as the caller named it.
	Path string
	// Backup is the copy of the previous version ("" when there was none, or none is kept).
	Backup string
	// BackupsRemoved are older backups of the file removed to keep Options.KeepBackups.
	BackupsRemoved []string
	// ModeTightened is the mode the file had before, when the write took group and other
	// permissions away because it holds secrets (0 otherwise).
	ModeTightened os.FileMode
	// Target is the file written when Path is a symbolic link ("" otherwise).
	Target string
	// Notes say, one sentence each, what the write did besides replacing the content: mode
	// tightened, link followed, backups removed or tightened, an owner that could not be kept.
	Notes []string
}

// writeFiles writes the rendered files into dir as one set (see Options.WriteSet), keeping a
// dated backup of any file it replaces; enc says which files are encrypted already (an
// encrypted secrets.yaml needs no .gitignore line; its backups, temporary and lock files are
// still ignored).
func (o Options) writeFiles(f *render.Files, dir string, enc encrypted) (*Result, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil { //nolint:gosec // the output directory holds values.yaml for others to read too; secrets.yaml itself is 0600
		return &Result{Files: f}, fmt.Errorf("cannot create the output directory %s: %w", dir, err)
	}
	files := []File{{Path: filepath.Join(dir, "values.yaml"), Data: f.Values, Perm: 0o644, Sensitive: f.ValuesSensitive}}
	if f.Secrets != nil {
		files = append(files, File{Path: filepath.Join(dir, "secrets.yaml"), Data: f.Secrets, Perm: 0o600, Sensitive: true, GitIgnore: !enc.secrets})
	}
	files = append(files, File{Path: filepath.Join(dir, "summary.md"), Data: f.Summary, Perm: 0o644})
	if f.Wizard != nil {
		files = append(files, File{Path: filepath.Join(dir, render.WizardFileName), Data: f.Wizard, Perm: 0o644})
	}
	res, err := o.WriteSet(files)
	res.Files = f
	res.Warnings = append(enc.warnings, res.Warnings...)
	return res, err
}

// Result is what a save or an in-place edit did.
type Result struct {
	// Files are the rendered files (SaveInto: only the summary; Existing.Write and WriteSet: nil).
	Files *render.Files
	// Written are the files written, in the order given.
	Written []Written
	// GitWarning is set when a secrets file is tracked by Git (its secrets are in the
	// history), or when it could not be made sure that Git ignores it; one warning a line.
	GitWarning string
	// GitIgnore lists the .gitignore files created or extended.
	GitIgnore []string
	// TempsRemoved are temporary files of interrupted runs that were removed.
	TempsRemoved []string
	// Notes say, one sentence each, what was done besides writing the files (.gitignore
	// changed, temporary files removed).
	Notes []string
	// Warnings say, one sentence each, what the operator should know about the files written:
	// a file that holds a secret but was written in plaintext although others are encrypted.
	Warnings []string
}

// AllNotes returns every note of the result, the files' first; callers print them.
func (r *Result) AllNotes() []string {
	if r == nil {
		return nil
	}
	var out []string
	for _, w := range r.Written {
		out = append(out, w.Notes...)
	}
	return append(out, r.Notes...)
}

// Save renders the files for prepared, valid answers and writes them into dir. On a write
// error the result still lists the files already written.
func Save(a *model.Answers, warnings model.Problems, dir string) (*Result, error) {
	return DefaultOptions().Save(a, warnings, dir)
}

// Save is the package-level Save with these options. A fresh install gets its fingerprint key.
// With Options.Encrypt the files that hold secrets are encrypted in memory first; they reach
// the disk only as ciphertext.
func (o Options) Save(a *model.Answers, warnings model.Problems, dir string) (*Result, error) {
	if err := a.EnsureFingerprintKey(); err != nil {
		return nil, err
	}
	files, err := render.Documents(a)
	if err != nil {
		return nil, err
	}
	enc, err := o.encryptRendered(a, files, dir)
	if err != nil {
		return nil, err
	}
	// summary.md is rendered once it is known what was encrypted, and for whom.
	files.Summary = []byte(render.Summary(a, render.SummaryInfo{Warnings: warnings, SecretsWritten: files.Secrets != nil, Encrypted: enc.info()}))
	return o.writeFiles(files, dir, enc)
}

// SaveFunc writes prepared, valid answers into dir; left names keys that stay in existing
// files although the answers no longer set them.
type SaveFunc func(a *model.Answers, warnings model.Problems, dir string) (res *Result, left []string, err error)

// SaveFresh is the SaveFunc that writes new files with Save.
func SaveFresh(a *model.Answers, warnings model.Problems, dir string) (*Result, []string, error) {
	return DefaultOptions().SaveFresh(a, warnings, dir)
}

// SaveFresh is the package-level SaveFresh with these options; opts.SaveFresh is a SaveFunc.
func (o Options) SaveFresh(a *model.Answers, warnings model.Problems, dir string) (*Result, []string, error) {
	res, err := o.Save(a, warnings, dir)
	return res, nil, err
}

// PrepareAndSave is the one way answers become files: model.Prepare (read the wizard's files,
// generate, validate), then, only when neither prior problems (from loading) nor Prepare found
// an error, save (nil: SaveFresh). probs holds every problem found; err is for failures of
// the random source or of writing.
func PrepareAndSave(a *model.Answers, prior model.Problems, dir string, save SaveFunc) (res *Result, left []string, probs model.Problems, err error) {
	more, err := model.Prepare(a)
	probs = append(append(probs, prior...), more...)
	if err != nil || probs.HasErrors() {
		return nil, nil, probs, err
	}
	if save == nil {
		save = SaveFresh
	}
	res, left, err = save(a, probs.Warnings(), dir)
	return res, left, probs, err
}

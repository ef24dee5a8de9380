package store

import (
	"fmt"
	"os"
	"path/filepath"

	"crewai-setup/model"
	"crewai-setup/render"
)

// Written is one file written by Write, with the backup of what it replaced.
type Written struct {
	Path   string
	Backup string
}

// WriteFiles stores rendered files in dir (created if needed), each atomically, keeping a dated
// backup of any file it replaces. It stops at the first failure; files already written stay
// written and their backups are reported.
func WriteFiles(f *render.Files, dir string) ([]Written, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil { //nolint:gosec // the output directory holds values.yaml for others to read too; secrets.yaml itself is 0600
		return nil, fmt.Errorf("cannot create the output directory %s: %w", dir, err)
	}
	type out struct {
		name string
		data []byte
		perm os.FileMode
	}
	valuesPerm := os.FileMode(0o644)
	if f.ValuesSensitive {
		valuesPerm = 0o600
	}
	outs := []out{{"values.yaml", f.Values, valuesPerm}}
	if f.Secrets != nil {
		outs = append(outs, out{"secrets.yaml", f.Secrets, 0o600})
	}
	outs = append(outs, out{"summary.md", f.Summary, 0o644})
	if f.Wizard != nil {
		outs = append(outs, out{render.WizardFileName, f.Wizard, 0o644})
	}
	var done []Written
	for _, o := range outs {
		path := filepath.Join(dir, o.name)
		backup, err := WriteFileAtomic(path, o.data, o.perm, false)
		if err != nil {
			return done, err
		}
		done = append(done, Written{Path: path, Backup: backup})
	}
	return done, nil
}

// Result is what Save did.
type Result struct {
	Files   *render.Files
	Written []Written
	// GitWarning is set when secrets.yaml landed in a git work tree that does not ignore it.
	GitWarning string
}

// Save renders the files for prepared, valid answers and writes them into dir. On a write
// error the result still lists the files already written.
func Save(a *model.Answers, warnings model.Problems, dir string) (*Result, error) {
	if err := a.EnsureFingerprintKey(); err != nil {
		return nil, err
	}
	files, err := render.Build(a, warnings)
	if err != nil {
		return nil, err
	}
	res := &Result{Files: files}
	res.Written, err = WriteFiles(files, dir)
	if err != nil {
		return res, err
	}
	if files.Secrets != nil {
		res.GitWarning = GitIgnoreWarning(dir, "secrets.yaml")
	}
	return res, nil
}

// SaveFunc writes prepared, valid answers into dir; left names keys that stay in existing
// files although the answers no longer set them.
type SaveFunc func(a *model.Answers, warnings model.Problems, dir string) (res *Result, left []string, err error)

// SaveFresh is the SaveFunc that writes new files with Save.
func SaveFresh(a *model.Answers, warnings model.Problems, dir string) (*Result, []string, error) {
	res, err := Save(a, warnings, dir)
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

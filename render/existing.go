package render

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"crewai-setup/model"
)

// Existing is a directory's values.yaml and secrets.yaml as read, so that changed answers can
// be spliced into them later without disturbing anything else.
type Existing struct {
	Dir string
	// Answers are the values the files hold.
	Answers *model.Answers
	files   []existingFile
}

type existingFile struct {
	name string
	path string
	data []byte
	snap Snapshot
}

// ReadExisting reads dir/values.yaml and dir/secrets.yaml (each may be missing). Problems are
// findings about the keys in them; the error is for files that cannot be read or parsed.
func ReadExisting(cat *model.Catalog, dir string) (*Existing, model.Problems, error) {
	x := &Existing{Dir: dir, Answers: model.NewAnswers(cat)}
	var probs model.Problems
	for _, name := range []string{"values.yaml", "secrets.yaml"} {
		path := filepath.Join(dir, name)
		data, snap, err := ReadSnapshot(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		more, err := x.Answers.Merge(data, path, false)
		if err != nil {
			return nil, nil, err
		}
		probs = append(probs, more...)
		x.files = append(x.files, existingFile{name: name, path: path, data: data, snap: snap})
	}
	return x, probs, nil
}

// Empty reports whether the directory held neither file.
func (x *Existing) Empty() bool { return len(x.files) == 0 }

// editStyle is how a changed value of an entry is spliced in.
func editStyle(e *model.Entry) EditStyle {
	switch e.Kind {
	case model.KindBool:
		return EditBool
	case model.KindOneLinePEM:
		return EditOneLine
	case model.KindPEM:
		return EditBlock
	default:
		return EditKeep
	}
}

// SaveInto writes the answers as edits of the existing files: only values that differ from
// what the files held change, each in the file that held it (new keys go to secrets.yaml or
// values.yaml by where they belong). The files are written into outDir (the same directory
// replaces them, with backups), summary.md is written afresh. Keys that the answers no
// longer set stay in the files and are returned in left, for the operator to remove by hand.
func (x *Existing) SaveInto(a *model.Answers, warnings model.Problems, outDir string) (res *Result, left []string, err error) {
	byPath := map[string]int{}
	for i, f := range x.files {
		byPath[f.path] = i
	}
	edits := make([][]Edit, len(x.files))
	target := func(p string) int {
		if i, ok := byPath[x.Answers.Pos(p).File]; ok {
			return i
		}
		want := "values.yaml"
		if model.IsSecretsPath(p) {
			want = "secrets.yaml"
		}
		for i, f := range x.files {
			if f.name == want {
				return i
			}
		}
		return len(x.files) - 1
	}
	for _, e := range a.Catalog().Entries() {
		old, had := x.Answers.Lookup(e.Path)
		v, has := a.Lookup(e.Path)
		switch {
		case e.Forbidden != "" || (had == has && old == v):
		case had && !has:
			left = append(left, e.Path)
		default:
			i := target(e.Path)
			edits[i] = append(edits[i], Edit{Path: strings.Split(e.Path, "."), Value: v, Style: editStyle(e)})
		}
	}
	files := &Files{}
	outs := make([][]byte, len(x.files))
	for i, f := range x.files {
		outs[i] = f.data
		if len(edits[i]) > 0 {
			if outs[i], err = Splice(f.data, edits[i]); err != nil {
				return nil, left, fmt.Errorf("%s: %w", f.path, err)
			}
		}
		if f.name == "values.yaml" {
			files.Values = outs[i]
		} else {
			files.Secrets = outs[i]
		}
	}
	files.Summary = []byte(Summary(a, SummaryInfo{Warnings: warnings, SecretsWritten: files.Secrets != nil}))
	for _, f := range x.files {
		if err := f.snap.Unchanged(); err != nil {
			return nil, left, err
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil { //nolint:gosec // values.yaml is meant to be readable; secrets.yaml itself is 0600
		return nil, left, fmt.Errorf("cannot create the output directory %s: %w", outDir, err)
	}
	res = &Result{Files: files}
	for i, f := range x.files {
		dst := filepath.Join(outDir, f.name)
		same := sameFile(dst, f.path)
		if same && len(edits[i]) == 0 {
			continue // nothing changed in this file: leave it (and its mtime) alone
		}
		perm := os.FileMode(0o644)
		if f.name == "secrets.yaml" {
			perm = 0o600
		}
		backup, err := WriteFileAtomic(dst, outs[i], perm, same)
		if err != nil {
			return res, left, err
		}
		res.Written = append(res.Written, Written{Path: dst, Backup: backup})
	}
	summary := filepath.Join(outDir, "summary.md")
	backup, err := WriteFileAtomic(summary, files.Summary, 0o644, false)
	if err != nil {
		return res, left, err
	}
	res.Written = append(res.Written, Written{Path: summary, Backup: backup})
	if files.Secrets != nil {
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

package store

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"crewai-setup/guard"
)

// ErrChanged is wrapped by Snapshot.Unchanged when a file was modified after it was read.
var ErrChanged = errors.New("file changed on disk")

// WriteSet writes files as one set, locked against other runs (see Options): every temporary
// file is written and synced first, then the existing files are backed up, then everything is
// renamed into place. A failure before the first rename changes nothing; a failure between
// renames returns an error wrapping ErrMixedSet that lists the new and the old files and the
// command that goes back to the previous set (the result then lists the new files). After a
// successful write old backups beyond Options.KeepBackups are removed, temporary files left by
// an interrupted run are removed, and in a Git work tree the secrets files, backups,
// temporary and lock files are added to the .gitignore; the result says what was done.
func (o Options) WriteSet(files []File) (*Result, error) {
	return o.writeSet(files, true)
}

func (o Options) writeSet(files []File, git bool) (*Result, error) {
	sfs, err := prepareSet(files)
	if err != nil {
		return &Result{}, err
	}
	taken, err := o.lockAll(nil, lockItems(sfs))
	if err != nil {
		return &Result{}, err
	}
	defer taken.release()
	return o.writeLocked(sfs, taken, nil, git, nil)
}

// lockItems are the targets of a set, for lockAll.
func lockItems(sfs []*setFile) []lockItem {
	items := make([]lockItem, len(sfs))
	for i, sf := range sfs {
		items[i] = lockItem{name: sf.Path, target: sf.target}
	}
	return items
}

// writeLocked writes a prepared set whose targets held has locked: the files to replace looked
// at again (now that no other run can change them), leftover temporary files removed, the set
// committed, each file checked with verify (when not nil; on a failure every
// file is put back where it is still the one written), old backups pruned and, with git, the
// set's files (and the secret files in protect, which may not be part of it) kept out of Git.
func (o Options) writeLocked(sfs []*setFile, held locks, verify func(i int, sf *setFile) error, git bool, protect []string) (*Result, error) {
	res := &Result{}
	for _, sf := range sfs {
		if err := sf.inspect(); err != nil {
			return res, err
		}
	}
	seen := map[string]bool{}
	for _, sf := range sfs {
		dir := filepath.Dir(sf.target)
		if !seen[dir] {
			seen[dir] = true
			res.TempsRemoved = append(res.TempsRemoved, cleanTemps(dir, held)...)
		}
	}
	for _, t := range res.TempsRemoved {
		res.Notes = append(res.Notes, "removed "+t+", a temporary file left by an interrupted run")
	}
	if err := o.commitSet(sfs); err != nil {
		for _, sf := range sfs {
			if sf.renamed {
				res.Written = append(res.Written, Written{Path: sf.Path, Backup: sf.backup, Notes: sf.notes})
			}
		}
		return res, err
	}
	o.afterRenames()
	if verify != nil {
		var failed []string
		var first error
		for i, sf := range sfs {
			if err := verify(i, sf); err != nil {
				failed = append(failed, fmt.Sprintf("%s did not hold the expected values after writing (%v)", sf.Path, err))
				if first == nil {
					first = err
				}
			}
		}
		if first != nil {
			return res, &verifyError{msg: strings.Join(failed, "; ") + ": " + strings.Join(restoreSet(sfs), "; "), err: first}
		}
	}
	var ignore map[string][]ignoreSpec
	if git {
		ignore = map[string][]ignoreSpec{}
	}
	for _, sf := range sfs {
		w := Written{Path: sf.Path, Backup: sf.backup, ModeTightened: sf.tightened()}
		if sf.viaLink() {
			w.Target = sf.target
		}
		w.BackupsRemoved, w.Notes = pruneBackups(sf.target, sf.backup, o.KeepBackups, sf.Sensitive)
		w.Notes = append(sf.notes, w.Notes...)
		if slices.Contains(w.BackupsRemoved, w.Backup) {
			w.Backup = ""
		}
		if len(w.BackupsRemoved) > 0 {
			w.Notes = append(w.Notes, fmt.Sprintf("removed the old backups %s, keeping %d", strings.Join(w.BackupsRemoved, ", "), max(o.KeepBackups, 0)))
		}
		res.Written = append(res.Written, w)
		if ignore != nil {
			// Every file's backups, temporary and lock files stay out of Git (a values file's
			// backup may hold what its current version no longer does); secrets files entirely.
			dir := filepath.Dir(sf.target)
			ignore[dir] = append(ignore[dir], ignoreSpec{name: filepath.Base(sf.target), secret: sf.GitIgnore})
		}
	}
	if ignore != nil {
		for _, p := range protect {
			dir := filepath.Dir(p)
			if !slices.ContainsFunc(ignore[dir], func(s ignoreSpec) bool { return s.name == filepath.Base(p) }) {
				ignore[dir] = append(ignore[dir], ignoreSpec{name: filepath.Base(p), secret: true})
			}
		}
		gitPath, _ := exec.LookPath("git")
		for _, dir := range slices.Sorted(maps.Keys(ignore)) {
			g := ensureIgnored(dir, ignore[dir], gitPath)
			if g.file != "" {
				res.GitIgnore = append(res.GitIgnore, g.file)
			}
			res.Notes = append(res.Notes, g.notes()...)
			if len(g.warnings) > 0 {
				res.GitWarning = strings.TrimPrefix(res.GitWarning+"\n"+strings.Join(g.warnings, "\n"), "\n")
			}
		}
	}
	return res, nil
}

// verifyError is the failed read-back of a set, with what became of each file; it wraps the
// first file's cause.
type verifyError struct {
	msg string
	err error
}

func (e *verifyError) Error() string { return e.msg }
func (e *verifyError) Unwrap() error { return e.err }

// syncDir fsyncs a directory so that a rename inside it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	err = d.Sync()
	// Some file systems (certain network and FUSE mounts) cannot sync directories at all.
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		return nil
	}
	return err
}

// writeError is a write failure explained for the operator; it wraps the system error.
type writeError struct {
	msg string
	err error
}

func (e *writeError) Error() string { return e.msg }
func (e *writeError) Unwrap() error { return e.err }

// describeWriteError turns a system error into a message that names the file and says what to do.
func describeWriteError(path, dir string, err error) error {
	var what string
	switch {
	case errors.Is(err, syscall.EROFS):
		what = fmt.Sprintf("the directory %s is on a read-only file system: choose another --out directory or remount it read-write", dir)
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		what = fmt.Sprintf("the directory %s is read-only (permission denied): choose another --out directory or fix its permissions", dir)
	case errors.Is(err, syscall.ENOSPC):
		what = fmt.Sprintf("the disk holding %s is full: free some space and run again", dir)
	case errors.Is(err, syscall.EDQUOT):
		what = fmt.Sprintf("your disk quota for %s is used up: free some space and run again", dir)
	case errors.Is(err, syscall.EFBIG):
		what = "the disk is full or a file size limit (ulimit -f) was reached: free some space or raise the limit and run again"
	case errors.Is(err, syscall.ENOTDIR):
		what = fmt.Sprintf("part of the path %s is a file, not a directory: choose another --out directory", dir)
	case errors.Is(err, fs.ErrNotExist):
		if fi, serr := os.Stat(dir); serr == nil && fi.IsDir() {
			// The directory is there but refuses new files (/proc, some FUSE mounts).
			what = fmt.Sprintf("the directory %s does not accept new files: choose another --out directory", dir)
		} else {
			what = fmt.Sprintf("the directory %s does not exist: create it or choose another --out directory", dir)
		}
	default:
		what = fmt.Sprintf("%v: check the path and its permissions, then run again", err)
	}
	return &writeError{msg: fmt.Sprintf("write %s: %s", path, what), err: err}
}

// Snapshot records a file's content hash when it was read.
type Snapshot struct {
	// Path is the file as it was named when read.
	Path string
	// SHA256 is the hash of the content; it alone decides whether the file changed.
	SHA256 [32]byte
}

// ReadSnapshot reads the file and returns its bytes with a snapshot of them.
func ReadSnapshot(path string) ([]byte, Snapshot, error) {
	data, err := guard.ReadFile(path, guard.ValuesFileLimit)
	if err != nil {
		return nil, Snapshot{}, fmt.Errorf("read %s: %w", guard.Visible(path), err)
	}
	return data, Snapshot{Path: path, SHA256: sha256.Sum256(data)}, nil
}

// Unchanged returns an error naming the file if its content changed on disk since the snapshot.
// Size and time are not trusted: an editor can restore both, so the content hash decides.
func (s Snapshot) Unchanged() error {
	data, err := guard.ReadFile(s.Path, guard.ValuesFileLimit)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s was removed after it was read: nothing was written; restore it and run again: %w", s.Path, ErrChanged)
	}
	if err != nil {
		return fmt.Errorf("re-read %s to check it is unchanged: %w", s.Path, err)
	}
	if sha256.Sum256(data) != s.SHA256 {
		return fmt.Errorf("%s changed on disk after it was read (another editor or program wrote to it): nothing was written; run again to apply your changes to the new content: %w", s.Path, ErrChanged)
	}
	return nil
}

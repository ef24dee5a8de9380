package store

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"crewai-setup/guard"
	"crewai-setup/render"
)

// ErrMixedSet is wrapped by the error of a set write that failed between two renames, leaving
// some files new and others as they were; the error says which and how to go back.
var ErrMixedSet = errors.New("the files are a mixed set of new and old versions")

// File is one file of a set for WriteSet.
type File struct {
	// Path is where the file goes. A symbolic link there is written through when it is safe
	// (it belongs to the running user or root and is not in someone else's world-writable
	// directory); otherwise the write is refused.
	Path string
	// Data is the complete new content.
	Data []byte
	// Perm is the mode of the new file, e.g. 0644.
	Perm os.FileMode
	// KeepMode keeps the mode of the file being replaced instead of Perm.
	KeepMode bool
	// Sensitive marks a file that holds secrets: it and its backups end with mode 0600
	// whatever Perm, KeepMode and their mode before say.
	Sensitive bool
	// GitIgnore marks a file that must stay out of Git (secrets.yaml): in a Git work tree it is
	// added to the directory's .gitignore, and a warning says when Git already tracks it.
	GitIgnore bool
}

// setFile is a File on its way to disk.
type setFile struct {
	File
	target string      // the file replaced: absolute, symbolic links resolved
	old    os.FileInfo // the file replaced (nil when there is none)
	mode   os.FileMode // the new file's mode
	sum    [32]byte    // hash of Data, to recognise the file this run wrote
	tmp    string      // the temporary file, until it is renamed or removed
	backup string      // the backup of old
	// backupLinked: backup is a hard link to old, whose mode is set once it is no longer target.
	backupLinked bool
	renamed      bool
	notes        []string
}

// prepareSet resolves and checks every file of a set and decides its mode; nothing is written.
// All problems are reported together.
func prepareSet(files []File) ([]*setFile, error) {
	var sfs []*setFile
	var errs []error
	seen := map[string]string{}
	for _, f := range files {
		sf, err := prepareFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if first, dup := seen[sf.target]; dup {
			errs = append(errs, fmt.Errorf("write %s: it is the same file as %s: a set names each file once", f.Path, first))
			continue
		}
		seen[sf.target] = f.Path
		sfs = append(sfs, sf)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return sfs, nil
}

func prepareFile(f File) (*setFile, error) {
	target, err := resolveAbs(f.Path)
	if err != nil {
		return nil, err
	}
	sf := &setFile{File: f, target: target, sum: sha256.Sum256(f.Data)}
	return sf, sf.inspect()
}

// inspect looks at the file to be replaced and decides the new mode and the notes about it.
// It runs when the set is prepared, to refuse early, and again once the set is locked, when
// no other run can change the file any more.
func (sf *setFile) inspect() error {
	sf.old, sf.mode, sf.notes = nil, sf.Perm.Perm(), nil
	old, err := os.Lstat(sf.target)
	switch {
	case err == nil && old.IsDir():
		return &writeError{msg: fmt.Sprintf("write %s: it is a directory: give a file name, not a directory", sf.Path)}
	case err == nil && !old.Mode().IsRegular():
		return &writeError{msg: fmt.Sprintf("write %s: it is not a regular file: remove it or choose another file name", sf.Path)}
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return describeWriteError(sf.Path, filepath.Dir(sf.target), err)
	case err == nil:
		sf.old = old
		if sf.KeepMode {
			sf.mode = old.Mode().Perm()
		}
	}
	if sf.Sensitive {
		sf.mode = 0o600
	}
	if sf.viaLink() {
		sf.notes = append(sf.notes, fmt.Sprintf("%s is a symbolic link: the file it points to, %s, was written", sf.Path, sf.target))
	}
	if sf.tightened() != 0 {
		sf.notes = append(sf.notes, fmt.Sprintf("%s holds secrets, so its mode was tightened from %04o to %04o", sf.Path, sf.old.Mode().Perm(), sf.mode))
	}
	return nil
}

// viaLink reports whether the file is written through a symbolic link.
func (sf *setFile) viaLink() bool {
	abs, err := filepath.Abs(sf.Path)
	return err == nil && abs != sf.target
}

// tightened returns the old mode when the write takes group or other permissions away from a
// file that holds secrets, else 0.
func (sf *setFile) tightened() os.FileMode {
	if sf.old == nil || !sf.Sensitive || sf.old.Mode().Perm()&0o077 == 0 {
		return 0
	}
	return sf.old.Mode().Perm()
}

// backupMode is the mode of the backup of a file: its old mode, or 0600 when it holds secrets.
func (sf *setFile) backupMode() os.FileMode {
	if sf.Sensitive {
		return 0o600
	}
	return sf.old.Mode().Perm()
}

// writeTemp writes the new content to a synced temporary file beside the target, with the
// final mode (and, when replacing a file, its owner) set before any content lands.
func (sf *setFile) writeTemp() error {
	f, err := createTemp(sf.target)
	if err != nil {
		return err
	}
	sf.tmp = f.Name()
	err = f.Chmod(sf.mode)
	if err == nil && sf.old != nil {
		var note string
		if note, err = keepOwner(f, sf.old, sf.Path); note != "" {
			sf.notes = append(sf.notes, note)
		}
	}
	if err == nil {
		_, err = f.Write(sf.Data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// discard removes what this run made for a file that was not renamed: its temporary file and
// the backup of its (still current) old version.
func (sf *setFile) discard() {
	if sf.tmp != "" {
		_ = os.Remove(sf.tmp)
		sf.tmp = ""
	}
	if sf.backup != "" {
		_ = os.Remove(sf.backup)
		sf.backup = ""
	}
}

// commitSet writes a locked set: every temporary file written and synced, then every backup
// made, then the renames, then the directories synced. A failure before the first rename
// changes nothing; a failure between renames returns an error (wrapping ErrMixedSet) that says
// which files are new, which are old, and how to go back.
func (o Options) commitSet(sfs []*setFile) error {
	for _, sf := range sfs {
		if err := sf.writeTemp(); err != nil {
			return o.failBeforeRenames(sfs, sf, err)
		}
	}
	now := o.now()
	for _, sf := range sfs {
		if sf.old == nil {
			continue
		}
		b, linked, err := makeBackup(sf.target, sf.old, sf.backupMode(), now)
		if err != nil {
			return o.failBeforeRenames(sfs, sf, err)
		}
		sf.backup, sf.backupLinked = b, linked
	}
	for i, sf := range sfs {
		if err := o.rename(sf.tmp, sf.target); err != nil {
			if i == 0 {
				return o.failBeforeRenames(sfs, sf, err)
			}
			for _, rest := range sfs[i:] {
				rest.discard()
			}
			return mixedSetError(sfs[:i], sfs[i:], describeWriteError(sf.Path, filepath.Dir(sf.target), err))
		}
		sf.tmp, sf.renamed = "", true
		// A linked backup is the old file itself: only now, with the new file in place, can
		// its mode change without touching what target shows.
		if sf.backupLinked && sf.backupMode() != sf.old.Mode().Perm() {
			if err := os.Chmod(sf.backup, sf.backupMode()); err != nil {
				sf.notes = append(sf.notes, fmt.Sprintf("the backup %s holds secrets, and making it private failed (%v): run chmod 600 %s", sf.backup, err, render.ShellWord(sf.backup)))
			}
		}
	}
	// Without syncing the directories, a crash right after the renames could bring back the
	// old entries.
	synced := map[string]bool{}
	for _, sf := range sfs {
		dir := filepath.Dir(sf.target)
		if synced[dir] {
			continue
		}
		synced[dir] = true
		if err := syncDir(dir); err != nil {
			return &writeError{
				msg: fmt.Sprintf("write %s: the new content is in place but could not be flushed to disk (%v): check the disk before relying on it", sf.Path, err),
				err: err,
			}
		}
	}
	return nil
}

// failBeforeRenames removes every temporary file and backup of the set and explains the
// failure of file failed; nothing was changed.
func (o Options) failBeforeRenames(sfs []*setFile, failed *setFile, err error) error {
	for _, sf := range sfs {
		sf.discard()
	}
	werr := describeWriteError(failed.Path, filepath.Dir(failed.target), err)
	if len(sfs) == 1 {
		return werr
	}
	names := make([]string, len(sfs))
	for i, sf := range sfs {
		names[i] = sf.Path
	}
	return &writeError{msg: fmt.Sprintf("%s. Nothing was changed: %s are as they were.", werr.Error(), joinAnd(names)), err: werr}
}

// mixedSetError explains a set left half written: newer files were renamed into place, older
// were not, cause is why the first of older failed.
func mixedSetError(newer, older []*setFile, cause error) error {
	var nn, on, undo []string
	for _, sf := range newer {
		nn = append(nn, sf.Path)
		if sf.backup != "" {
			undo = append(undo, "mv -f -- "+render.ShellWord(sf.backup)+" "+render.ShellWord(sf.target))
		} else {
			undo = append(undo, "rm -f -- "+render.ShellWord(sf.target))
		}
	}
	for _, sf := range older {
		on = append(on, sf.Path)
	}
	msg := fmt.Sprintf("%s.\nThe files are now a mixed set: new: %s; as they were: %s.\nTo go back to the previous set, run: %s\nOr fix the problem and run the same command again to write the whole set.",
		cause.Error(), strings.Join(nn, ", "), strings.Join(on, ", "), strings.Join(undo, " && "))
	return &mixedError{msg: msg, err: cause}
}

// mixedError is a set write that failed between renames; it wraps the cause and ErrMixedSet.
type mixedError struct {
	msg string
	err error
}

func (e *mixedError) Error() string   { return e.msg }
func (e *mixedError) Unwrap() []error { return []error{e.err, ErrMixedSet} }

// restoreSet puts back the previous version of every renamed file of the set, but only where
// the file on disk is still the one this run wrote: a file someone else has written since is
// left alone. It returns a sentence per file saying what became of it.
func restoreSet(sfs []*setFile) (outcomes []string) {
	for _, sf := range sfs {
		if !sf.renamed {
			continue
		}
		cur, err := guard.ReadFile(sf.target, guard.ValuesFileLimit)
		switch {
		case err == nil && sha256.Sum256(cur) == sf.sum && sf.backup != "":
			if err := os.Rename(sf.backup, sf.target); err != nil {
				outcomes = append(outcomes, fmt.Sprintf("putting the previous version of %s back failed too (%v): restore it by hand from %s", sf.Path, err, sf.backup))
				continue
			}
			sf.backup = ""
			outcomes = append(outcomes, fmt.Sprintf("the previous version of %s was put back", sf.Path))
		case err == nil && sha256.Sum256(cur) == sf.sum:
			if err := os.Remove(sf.target); err != nil {
				outcomes = append(outcomes, fmt.Sprintf("%s did not exist before, and removing it failed (%v): remove it by hand", sf.Path, err))
				continue
			}
			outcomes = append(outcomes, fmt.Sprintf("%s, which did not exist before, was removed", sf.Path))
		case err == nil || errors.Is(err, fs.ErrNotExist):
			kept := "it did not exist before"
			if sf.backup != "" {
				kept = "its previous version is kept as " + sf.backup
			}
			outcomes = append(outcomes, fmt.Sprintf("%s was changed by another program after this run wrote it, so it was left as it is (%s): compare them and decide which to keep", sf.Path, kept))
		default:
			outcomes = append(outcomes, fmt.Sprintf("%s could not be read back to decide whether to put the previous version back (%v): check it by hand against %s", sf.Path, err, sf.backup))
		}
	}
	return outcomes
}

// tempName matches the temporary files createTemp makes, .NAME.tmp-DIGITS, and the working
// copies sops.SetValues makes beside a SOPS file, .NAME.sops-set-HEX.
var tempName = regexp.MustCompile(`^\.(.+)\.(tmp-[0-9]+|sops-set-[0-9a-f]+)$`)

// staleTempAge is how old a temporary file without a lock file must be to count as left over.
const staleTempAge = time.Minute

// cleanTemps removes the temporary files an interrupted run left in dir: files with the
// tool's temporary name whose target this run has locked, or whose lock no live run holds, or
// (when there is no lock file) that are older than a minute; sops set's working copies when
// they are older than a minute (a run may make one before it takes any lock). It returns the
// files removed.
func cleanTemps(dir string, held locks) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		m := tempName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if strings.HasPrefix(m[2], "sops-set-") && !stale(path) || !leftOver(filepath.Join(dir, m[1]), path, held) {
			continue
		}
		if os.Remove(path) == nil {
			removed = append(removed, path)
		}
	}
	return removed
}

// leftOver decides whether the temporary file tmp of target belongs to no live run.
func leftOver(target, tmp string, held locks) bool {
	if held[target] != nil {
		return true // only the holder of the lock writes temporary files of target: this run
	}
	f, err := os.OpenFile(lockFileName(target), os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return stale(tmp)
	}
	if err != nil {
		return false
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return false // a live run holds the lock and may be writing this very file
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return true
}

// stale reports whether the file at p was last written more than staleTempAge ago.
func stale(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && time.Since(fi.ModTime()) > staleTempAge
}

// joinAnd joins names as "a, b and c".
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

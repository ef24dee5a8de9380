package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"syscall"
	"time"
)

// backupTimeLayout names backups NAME.bak-20261129-083000.
const backupTimeLayout = "20060102-150405"

// createTemp creates a new, empty, private (0600) temporary file beside target, named
// .NAME.tmp-DIGITS, the pattern cleanTemps recognises. It never follows a symbolic link and
// never opens an existing file.
func createTemp(target string) (*os.File, error) {
	dir, base := filepath.Dir(target), filepath.Base(target)
	for range 10000 {
		name := filepath.Join(dir, "."+base+".tmp-"+strconv.FormatUint(uint64(rand.Uint32()), 10)) //nolint:gosec // a unique name, not a secret; O_EXCL settles collisions
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, &fs.PathError{Op: "createtemp", Path: filepath.Join(dir, "."+base+".tmp-*"), Err: fs.ErrExist}
}

// makeBackup keeps the current content of target (old is its file info) under the first free
// name of target.bak-STAMP, target.bak-STAMP-2, ..., complete or not at all. Usually the backup
// is a second hard link to the current file: nothing is copied, and owner, mode and content
// are the original's until the new file is renamed over target (the caller then sets mode).
// Where no hard link can be made (some file systems; another user's file under
// fs.protected_hardlinks) the content is copied to a temporary file, given mode and, when run
// as root, the original's owner, and linked or renamed to its name. linked says which.
func makeBackup(target string, old os.FileInfo, mode os.FileMode, now time.Time) (name string, linked bool, err error) {
	base := target + ".bak-" + now.Format(backupTimeLayout)
	name, err = linkFree(target, base)
	if err == nil {
		return name, true, nil
	}
	if errors.Is(err, fs.ErrExist) || errors.Is(err, fs.ErrNotExist) {
		return "", false, err
	}
	name, err = copyBackup(target, base, old, mode)
	return name, false, err
}

// linkFree links src to the first free name of base, base-2, base-3, ...; linking fails rather
// than replaces when a name is taken, so two writers can never pick the same one.
func linkFree(src, base string) (string, error) {
	name := base
	for i := 2; ; i++ {
		err := os.Link(src, name)
		if err == nil || !errors.Is(err, fs.ErrExist) || i > 10000 {
			return name, err
		}
		name = base + "-" + strconv.Itoa(i)
	}
}

// copyBackup copies target to a synced temporary file with mode (and, as root, old's owner),
// then gives it the first free name of base.
func copyBackup(target, base string, old os.FileInfo, mode os.FileMode) (string, error) {
	in, err := os.OpenFile(target, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return "", err
	}
	defer in.Close()
	tmp, err := createTemp(target)
	if err != nil {
		return "", err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // the backup's own name stays; the temporary one goes in any case
	err = tmp.Chmod(mode)
	if err == nil && os.Geteuid() == 0 {
		if uid, gid, ok := ownerOf(old); ok {
			err = tmp.Chown(uid, gid)
		}
	}
	if err == nil {
		if _, err = io.Copy(tmp, in); err == nil {
			err = tmp.Sync()
		}
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	name, err := linkFree(tmp.Name(), base)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		// No hard links at all on this file system: a rename, safe while this run holds the
		// file's lock, after checking the name is free.
		name = base
		for i := 2; ; i++ {
			if _, lerr := os.Lstat(name); errors.Is(lerr, fs.ErrNotExist) || i > 10000 {
				break
			}
			name = base + "-" + strconv.Itoa(i)
		}
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		return "", err
	}
	return name, nil
}

// backupsOf lists the backups of target that carry the tool's name pattern, oldest first
// (by the time in their names, then their number).
func backupsOf(target string) ([]string, error) {
	dir, base := filepath.Dir(target), filepath.Base(target)
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(base) + `\.bak-(\d{8}-\d{6})(?:-(\d+))?$`)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type bak struct {
		name, stamp string
		n           int
	}
	var found []bak
	for _, e := range entries {
		m := re.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		n := 1
		if m[2] != "" {
			n, _ = strconv.Atoi(m[2])
		}
		found = append(found, bak{e.Name(), m[1], n})
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].stamp != found[j].stamp {
			return found[i].stamp < found[j].stamp
		}
		return found[i].n < found[j].n
	})
	out := make([]string, len(found))
	for i, b := range found {
		out[i] = filepath.Join(dir, b.name)
	}
	return out, nil
}

// pruneBackups removes the oldest backups of target until keep are left; latest, the backup
// this run made ("" for none), counts as the newest whatever its name says (the clock may have
// been set back). For a file that holds secrets, the kept backups that other users could read
// are made 0600. It returns the backups removed and notes on anything else it did or failed
// to do.
func pruneBackups(target, latest string, keep int, sensitive bool) (removed, notes []string) {
	all, err := backupsOf(target)
	if err != nil {
		return nil, []string{fmt.Sprintf("could not list the backups of %s to remove old ones (%v): remove old %s.bak-* files by hand", target, err, filepath.Base(target))}
	}
	if latest != "" {
		for i, b := range all {
			if b == latest {
				all = append(append(all[:i:i], all[i+1:]...), latest)
				break
			}
		}
	}
	for len(all) > max(keep, 0) {
		b := all[0]
		all = all[1:]
		if err := os.Remove(b); err != nil {
			notes = append(notes, fmt.Sprintf("could not remove the old backup %s (%v): remove it by hand", b, err))
			continue
		}
		removed = append(removed, b)
	}
	if sensitive {
		for _, b := range all {
			fi, err := os.Lstat(b)
			if err != nil || fi.Mode().Perm()&0o077 == 0 {
				continue
			}
			if err := os.Chmod(b, 0o600); err != nil {
				notes = append(notes, fmt.Sprintf("the backup %s holds secrets and others may read it (mode %04o), and making it private failed (%v): run chmod 600 %s", b, fi.Mode().Perm(), err, b))
				continue
			}
			notes = append(notes, fmt.Sprintf("made the older backup %s private (mode %04o to 0600), since it holds secrets", b, fi.Mode().Perm()))
		}
	}
	return removed, notes
}

package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"crewai-setup/guard"
)

// ErrChanged is wrapped by Snapshot.Unchanged when a file was modified after it was read.
var ErrChanged = errors.New("file changed on disk")

// backupTimeLayout names backups NAME.bak-20261129-083000.
const backupTimeLayout = "20060102-150405"

// WriteFileAtomic replaces path with data so that path always holds either the complete old or the
// complete new content, even if the process dies half-way. An existing file is first copied to a
// dated backup beside it (NAME.bak-20261129-083000, then -2, -3... when that name is taken), whose
// name is returned ("" when there was nothing to back up). The backup keeps the original's mode,
// except that it is 0600 when perm has no group/other bits (a secrets file). The new file gets perm,
// or the existing file's mode when keepMode is true. On error path is left as it was and no
// temporary file or backup is left behind; the error names the path and says what to do.
func WriteFileAtomic(path string, data []byte, perm os.FileMode, keepMode bool) (backup string, err error) {
	return writeFileAtomic(path, data, perm, keepMode, time.Now(), os.Rename)
}

// writeFileAtomic is WriteFileAtomic with the clock and the final rename passed in, so tests can
// provoke backup-name collisions and a failure after the backup was made (which even root cannot
// otherwise provoke reliably in a container).
func writeFileAtomic(path string, data []byte, perm os.FileMode, keepMode bool, now time.Time, rename func(oldpath, newpath string) error) (backup string, err error) {
	target := path
	// Write through a symlink (values files kept in a dotfiles repo, say) instead of replacing the link.
	if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&os.ModeSymlink != 0 {
		if resolved, rerr := filepath.EvalSymlinks(path); rerr == nil {
			target = resolved
		}
	}
	dir := filepath.Dir(target)
	mode := perm.Perm()
	old, statErr := os.Stat(target)
	exists := statErr == nil
	switch {
	case exists && old.IsDir():
		return "", &writeError{msg: fmt.Sprintf("write %s: it is a directory: give a file name, not a directory", path)}
	case exists && !old.Mode().IsRegular():
		return "", &writeError{msg: fmt.Sprintf("write %s: it is not a regular file: remove it or choose another file name", path)}
	case statErr != nil && !errors.Is(statErr, fs.ErrNotExist):
		return "", describeWriteError(path, dir, statErr)
	}
	if exists && keepMode {
		mode = old.Mode().Perm()
	}

	// The temporary file lives in the target's directory: rename is only atomic within one file system.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return "", describeWriteError(path, dir, err)
	}
	renamed, made := false, ""
	defer func() {
		if err != nil && !renamed {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
			if made != "" {
				_ = os.Remove(made)
			}
		}
	}()
	// The final mode is set before any content lands; CreateTemp's 0600 already keeps a secret
	// from other users while the file is being written.
	if err = tmp.Chmod(mode); err != nil {
		return "", describeWriteError(path, dir, err)
	}
	if _, err = tmp.Write(data); err != nil {
		return "", describeWriteError(path, dir, err)
	}
	if err = tmp.Sync(); err != nil {
		return "", describeWriteError(path, dir, err)
	}
	if err = tmp.Close(); err != nil {
		return "", describeWriteError(path, dir, err)
	}

	if exists {
		bmode := old.Mode().Perm()
		if perm.Perm()&0o077 == 0 {
			bmode = 0o600
		}
		if made, err = copyToBackup(target, bmode, now); err != nil {
			return "", describeWriteError(path, dir, err)
		}
	}
	if err = rename(tmp.Name(), target); err != nil {
		return "", describeWriteError(path, dir, err)
	}
	renamed = true
	backup = made
	// Without syncing the directory, a crash right after rename could bring back the old entry.
	if err = syncDir(dir); err != nil {
		return backup, &writeError{
			msg: fmt.Sprintf("write %s: the new content is in place but could not be flushed to disk (%v): check the disk before relying on it", path, err),
			err: err,
		}
	}
	return backup, nil
}

// copyToBackup copies src to the first free name of src.bak-STAMP, src.bak-STAMP-2, ...
func copyToBackup(src string, mode os.FileMode, now time.Time) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	base := src + ".bak-" + now.Format(backupTimeLayout)
	var out *os.File
	name := base
	for i := 2; ; i++ {
		// O_EXCL makes the name choice race-free against another writer doing the same.
		out, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if err == nil || !errors.Is(err, fs.ErrExist) || i > 10000 {
			break
		}
		name = base + "-" + strconv.Itoa(i)
	}
	if err != nil {
		return "", err
	}
	if err = out.Chmod(mode); err == nil { // the umask may have narrowed the mode given to OpenFile
		if _, err = io.Copy(out, in); err == nil {
			err = out.Sync()
		}
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(name)
		return "", err
	}
	return name, nil
}

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

// Snapshot records a file's content hash, size and modification time when it was read.
type Snapshot struct {
	// Path is the file as it was named when read.
	Path string
	// Size is the content length in bytes.
	Size int64
	// ModTime is the modification time reported when the file was read.
	ModTime time.Time
	// SHA256 is the hash of the content; it alone decides whether the file changed.
	SHA256 [32]byte
}

// ReadSnapshot reads the file and returns its bytes with a snapshot of them.
func ReadSnapshot(path string) ([]byte, Snapshot, error) {
	data, err := guard.ReadFile(path, guard.ValuesFileLimit)
	if err != nil {
		return nil, Snapshot{}, fmt.Errorf("read %s: %w", guard.Visible(path), err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, Snapshot{}, fmt.Errorf("read %s: %w", guard.Visible(path), err)
	}
	return data, Snapshot{Path: path, Size: int64(len(data)), ModTime: fi.ModTime(), SHA256: sha256.Sum256(data)}, nil
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

// GitIgnoreWarning returns a warning, or "", when dir is inside a git work tree where a file called
// name would not be ignored (or is already tracked). The warning names the work tree and the exact
// line to add to which .gitignore. It uses the git binary when installed; without git it only looks
// for a .git entry in dir and its parents and says that it could not verify. It never fails.
func GitIgnoreWarning(dir, name string) string {
	gitPath, _ := exec.LookPath("git")
	return gitIgnoreWarning(dir, name, gitPath)
}

// gitIgnoreWarning is GitIgnoreWarning with the git binary passed in ("" when not installed).
func gitIgnoreWarning(dir, name, gitPath string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	ignoreFile := filepath.Join(abs, ".gitignore")
	line := "/" + gitIgnoreEscape(filepath.ToSlash(name))
	if gitPath == "" {
		if top := findDotGit(abs); top != "" {
			return fmt.Sprintf("%s is inside the git work tree %s, and git is not installed, so it could not be verified that %s is ignored: make sure %s contains the line %s", abs, top, name, ignoreFile, line)
		}
		return ""
	}
	// The --out directory may not exist yet: ask git from its nearest existing ancestor.
	base, rel := abs, name
	for {
		if fi, err := os.Stat(base); (err == nil && fi.IsDir()) || filepath.Dir(base) == base {
			break
		}
		rel = filepath.Join(filepath.Base(base), rel)
		base = filepath.Dir(base)
	}
	// A hung git (network file system, fsmonitor) must not hang the write.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	top, code, err := runGit(ctx, gitPath, base, "rev-parse", "--show-toplevel")
	if err != nil || code != 0 {
		if found := findDotGit(abs); found != "" {
			return fmt.Sprintf("%s seems to be inside the git work tree %s, but git could not be asked whether %s is ignored (%s): make sure %s contains the line %s", abs, found, name, gitDetail(top, err), ignoreFile, line)
		}
		return ""
	}
	top = strings.TrimSpace(top)
	if _, code, err := runGit(ctx, gitPath, base, "ls-files", "--error-unmatch", "--", rel); err == nil && code == 0 {
		return fmt.Sprintf("%s is tracked by git in the work tree %s, so it may be committed: run git -C %s rm --cached -- %s, then add the line %s to %s", filepath.Join(abs, name), top, abs, name, line, ignoreFile)
	}
	out, code, err := runGit(ctx, gitPath, base, "check-ignore", "-q", "--", rel)
	switch {
	case err == nil && code == 0:
		return ""
	case err == nil && code == 1:
		return fmt.Sprintf("%s is inside the git work tree %s and would not be ignored by git, so it could be committed: add the line %s to %s", filepath.Join(abs, name), top, line, ignoreFile)
	default:
		return fmt.Sprintf("%s is inside the git work tree %s, but git could not say whether %s is ignored (%s): make sure %s contains the line %s", abs, top, name, gitDetail(out, err), ignoreFile, line)
	}
}

// runGit runs git -C dir args... and returns its combined output and exit code; err is set only
// when git could not be run at all.
func runGit(ctx context.Context, gitPath, dir string, args ...string) (string, int, error) {
	cmd := exec.CommandContext(ctx, gitPath, append([]string{"-C", dir}, args...)...) //nolint:gosec // git found with LookPath; dir and args are ours
	// GIT_DIR and friends would make git answer about some other repository than dir's.
	cmd.Env = filterEnv(os.Environ(), "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return out.String(), exitErr.ExitCode(), nil
	}
	if err != nil {
		return out.String(), -1, err
	}
	return out.String(), 0, nil
}

// filterEnv drops the named variables from env.
func filterEnv(env []string, names ...string) []string {
	kept := env[:0:0]
	for _, kv := range env {
		drop := false
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				drop = true
				break
			}
		}
		if !drop {
			kept = append(kept, kv)
		}
	}
	return kept
}

// gitDetail summarises why a git command gave no answer.
func gitDetail(out string, err error) string {
	if err != nil {
		return err.Error()
	}
	if s := strings.TrimSpace(out); s != "" {
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[:i]
		}
		return "git said: " + s
	}
	return "git gave no answer"
}

// findDotGit returns the first of dir and its parents that holds a .git directory or file, or "".
func findDotGit(dir string) string {
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// gitIgnoreEscape escapes the characters that a .gitignore pattern would treat as special.
func gitIgnoreEscape(name string) string {
	var b strings.Builder
	for i, r := range name {
		switch {
		case strings.ContainsRune(`\*?[`, r):
			b.WriteByte('\\')
		case r == ' ' && strings.TrimRight(name[i:], " ") == "":
			b.WriteByte('\\') // trailing spaces are ignored unless escaped
		}
		b.WriteRune(r)
	}
	return b.String()
}

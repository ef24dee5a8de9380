package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// writeAtomic writes one file as a set with DefaultOptions (no .gitignore) and returns its
// backup: path always holds either the complete old or the complete new content; a perm
// without group/other bits marks a file that holds secrets.
func writeAtomic(path string, data []byte, perm os.FileMode, keepMode bool) (backup string, err error) {
	return writeFileAtomic(path, data, perm, keepMode, time.Now(), os.Rename)
}

// writeFileAtomic is writeAtomic with the clock and the final rename passed in, so tests can
// provoke backup-name collisions and a failure after the backup was made (which even root cannot
// otherwise provoke reliably in a container).
func writeFileAtomic(path string, data []byte, perm os.FileMode, keepMode bool, now time.Time, rename func(oldpath, newpath string) error) (backup string, err error) {
	o := DefaultOptions()
	o.hooks = &hooks{now: func() time.Time { return now }, rename: rename}
	res, err := o.writeSet([]File{{Path: path, Data: data, Perm: perm, KeepMode: keepMode, Sensitive: perm.Perm()&0o077 == 0}}, false)
	if err != nil || len(res.Written) == 0 {
		return "", err
	}
	return res.Written[0].Backup, nil
}

// childEnv names the variable that makes the test binary, re-executed by a test, run one
// child body (see runChild) instead of the tests; RENDER_WRITE_PATH names the file to write.
const childEnv = "RENDER_WRITE_CHILD"

// TestMain runs the child body when the test binary was re-executed by a test, and the tests
// otherwise; a child is not a test, so it never shows up in the test list.
func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(runChild(mode, os.Getenv("RENDER_WRITE_PATH")))
	}
	os.Exit(m.Run())
}

// crashOld and crashNew are the two contents of the crash test; they differ in length and bytes
// so that any mix or truncation is detected.
func crashOld() []byte {
	return bytes.Repeat([]byte("old: line of the previous values file\n"), 8_000)
}
func crashNew() []byte { return bytes.Repeat([]byte("new: LINE\n"), 40_000) }

// runChild is the body of a child process; it reports on stdout and returns the exit code.
func runChild(mode, path string) int {
	switch mode {
	case "crash":
		// READY lets the parent aim its kill at the write itself rather than at process start-up.
		data := crashNew()
		fmt.Println("READY")
		start := time.Now()
		if _, err := writeAtomic(path, data, 0o600, false); err != nil {
			fmt.Println("ERR:" + err.Error())
			return 1
		}
		fmt.Printf("TOOK:%d\n", time.Since(start))
	case "fsize":
		// Without ignoring SIGXFSZ the kernel kills the process instead of returning EFBIG.
		signal.Ignore(syscall.SIGXFSZ)
		var lim syscall.Rlimit
		if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			fmt.Println("SETUP:" + err.Error())
			return 1
		}
		// Lowering the soft limit up to the hard limit needs no privilege.
		lim.Cur = min(64<<10, lim.Max)
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			fmt.Println("SETUP:" + err.Error())
			return 1
		}
		_, err := writeAtomic(path, bytes.Repeat([]byte("x"), 1<<20), 0o600, false)
		if err == nil {
			fmt.Println("OK")
			return 0
		}
		fmt.Printf("ERR:%s\nEFBIG:%v\n", err, errors.Is(err, syscall.EFBIG))
	case "write":
		_, err := writeAtomic(path, []byte("new"), 0o600, false)
		if err == nil {
			fmt.Println("OK")
			return 0
		}
		fmt.Printf("ERR:%s\nEACCES:%v\n", err, errors.Is(err, syscall.EACCES))
	default:
		if code, ok := runCustodyChild(mode, path, os.Getenv(childArgsEnv)); ok {
			return code
		}
		fmt.Println("SETUP:unknown child mode " + mode)
		return 2
	}
	return 0
}

// childCommand re-executes the test binary as a child running mode against path.
func childCommand(t *testing.T, mode, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = childEnviron(mode, path)
	return cmd
}

// childEnviron is the environment of a child running mode against path. A binary built with
// -race otherwise sleeps a second before every successful exit.
func childEnviron(mode, path string) []string {
	return append(os.Environ(), childEnv+"="+mode, "RENDER_WRITE_PATH="+path, "GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0")
}

// childArgsEnv passes a child the further arguments of its mode.
const childArgsEnv = "RENDER_WRITE_ARGS"

// sharedTempDir returns a new directory that every user can traverse (0755, and so are all its
// parents), removed at the end of the test.
func sharedTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "render-write-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o001 == 0 {
			t.Fatalf("%s cannot be traversed by other users (mode %v), so an unprivileged child cannot reach %s: point TMPDIR at a directory such as /tmp and run again", p, fi.Mode().Perm(), dir)
		}
		if filepath.Dir(p) == p {
			break
		}
	}
	return dir
}

// unprivilegedChild is childCommand for a child that has no power to override file permissions.
// Run as root, the test binary is copied into shared (see sharedTempDir), where the user nobody
// can execute it, and the child runs as nobody; otherwise the child already is unprivileged.
func unprivilegedChild(t *testing.T, mode, path, shared string) *exec.Cmd {
	t.Helper()
	if os.Geteuid() != 0 {
		return childCommand(t, mode, path)
	}
	// The go command builds test binaries in a directory that only root can enter.
	bin := filepath.Join(shared, "render.test")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// A test may start several children: the copy made for the first serves them all.
	if err := copyExecutable(self, bin); err != nil && !errors.Is(err, fs.ErrExist) {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env, cmd.Dir = childEnviron(mode, path), shared
	uid, gid := nobodyIDs()
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: gid}}
	return cmd
}

// nobodyIDs returns the uid and gid of the user nobody (65534, Debian's, when not listed).
func nobodyIDs() (uint32, uint32) {
	uid, gid := uint64(65534), uint64(65534)
	if u, err := user.Lookup("nobody"); err == nil {
		if n, err := strconv.ParseUint(u.Uid, 10, 32); err == nil {
			uid = n
		}
		if n, err := strconv.ParseUint(u.Gid, 10, 32); err == nil {
			gid = n
		}
	}
	return uint32(uid), uint32(gid)
}

// copyExecutable copies the file src to dst with mode 0755.
func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err = io.Copy(out, in); err == nil {
		err = out.Chmod(0o755) // the umask may have narrowed the mode
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

func readOrFail(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func permOf(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// extraEntries lists the entries of dir other than the given names.
func extraEntries(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var extra []string
outer:
	for _, e := range entries {
		for _, k := range keep {
			if e.Name() == k {
				continue outer
			}
		}
		extra = append(extra, e.Name())
	}
	return extra
}

func TestWriteFileAtomicNewFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.yaml")
	backup, err := writeAtomic(path, []byte("a: 1\n"), 0o600, true)
	if err != nil {
		t.Fatal(err)
	}
	if backup != "" {
		t.Errorf("backup = %q for a new file, want none", backup)
	}
	if got := string(readOrFail(t, path)); got != "a: 1\n" {
		t.Errorf("content = %q", got)
	}
	if m := permOf(t, path); m != 0o600 {
		t.Errorf("mode = %v, want 0600", m)
	}
	if extra := extraEntries(t, dir, "secrets.yaml", ".secrets.yaml.lock"); extra != nil {
		t.Errorf("left behind: %v", extra)
	}
}

func TestWriteFileAtomicBackup(t *testing.T) {
	stamp := regexp.MustCompile(`\.bak-\d{8}-\d{6}$`)
	for _, tc := range []struct {
		name             string
		oldMode, perm    os.FileMode
		wantBak, wantNew os.FileMode
	}{
		{"secrets file: backup is 0600", 0o644, 0o600, 0o600, 0o600},
		{"values file: backup keeps the original mode", 0o640, 0o644, 0o640, 0o644},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "values.yaml")
			if err := os.WriteFile(path, []byte("old\n"), tc.oldMode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.oldMode); err != nil { // WriteFile is subject to the umask
				t.Fatal(err)
			}
			backup, err := writeAtomic(path, []byte("new\n"), tc.perm, false)
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Dir(backup) != dir || !strings.HasPrefix(filepath.Base(backup), "values.yaml.bak-") || !stamp.MatchString(backup) {
				t.Errorf("backup name = %q, want values.yaml.bak-YYYYMMDD-HHMMSS beside the file", backup)
			}
			if got := string(readOrFail(t, backup)); got != "old\n" {
				t.Errorf("backup content = %q", got)
			}
			if got := string(readOrFail(t, path)); got != "new\n" {
				t.Errorf("new content = %q", got)
			}
			if m := permOf(t, backup); m != tc.wantBak {
				t.Errorf("backup mode = %v, want %v", m, tc.wantBak)
			}
			if m := permOf(t, path); m != tc.wantNew {
				t.Errorf("new mode = %v, want %v", m, tc.wantNew)
			}
		})
	}
}

func TestWriteFileAtomicBackupUniqueWithinSecond(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.yaml")
	if err := os.WriteFile(path, []byte("v0"), 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 29, 8, 30, 0, 0, time.Local)
	want := []string{"secrets.yaml.bak-20261129-083000", "secrets.yaml.bak-20261129-083000-2", "secrets.yaml.bak-20261129-083000-3"}
	for i, w := range want {
		backup, err := writeFileAtomic(path, []byte(fmt.Sprintf("v%d", i+1)), 0o600, false, now, os.Rename)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(backup) != w {
			t.Errorf("write %d: backup = %q, want %q", i+1, filepath.Base(backup), w)
		}
		if got, want := string(readOrFail(t, backup)), fmt.Sprintf("v%d", i); got != want {
			t.Errorf("write %d: backup holds %q, want %q", i+1, got, want)
		}
	}
	// The real clock: two writes in quick succession never share a backup.
	b1, err1 := writeAtomic(path, []byte("x"), 0o600, false)
	b2, err2 := writeAtomic(path, []byte("y"), 0o600, false)
	if err1 != nil || err2 != nil || b1 == b2 {
		t.Errorf("backups %q, %q (errors %v, %v): want two distinct backups", b1, b2, err1, err2)
	}
}

// keepMode keeps the mode of a file that holds no secrets; a secrets file (perm without group
// or other bits) ends 0600 whatever its mode before.
func TestWriteFileAtomicKeepMode(t *testing.T) {
	for _, tc := range []struct {
		perm os.FileMode
		keep bool
		want os.FileMode
	}{
		{0o644, true, 0o640},
		{0o644, false, 0o644},
		{0o600, true, 0o600},
		{0o600, false, 0o600},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "values.yaml")
		if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o640); err != nil {
			t.Fatal(err)
		}
		if _, err := writeAtomic(path, []byte("new"), tc.perm, tc.keep); err != nil {
			t.Fatal(err)
		}
		if m := permOf(t, path); m != tc.want {
			t.Errorf("perm %v, keepMode=%v: mode = %v, want %v", tc.perm, tc.keep, m, tc.want)
		}
	}
}

func TestWriteFileAtomicFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.yaml")
	link := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(real, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.yaml", link); err != nil {
		t.Fatal(err)
	}
	backup, err := writeAtomic(link, []byte("new"), 0o644, true)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced by a regular file")
	}
	if got := string(readOrFail(t, real)); got != "new" {
		t.Errorf("link target holds %q, want new", got)
	}
	if !strings.HasPrefix(filepath.Base(backup), "real.yaml.bak-") {
		t.Errorf("backup = %q, want a backup of the link target", backup)
	}
}

func TestWriteFileAtomicUnwritableDirectory(t *testing.T) {
	t.Run("parent is a regular file", func(t *testing.T) {
		dir := t.TempDir()
		parent := filepath.Join(dir, "out")
		if err := os.WriteFile(parent, []byte("not a directory"), 0o644); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(parent, "secrets.yaml")
		_, err := writeAtomic(path, []byte("a"), 0o600, false)
		want := "write " + path + ": part of the path " + parent + " is a file, not a directory: choose another --out directory"
		if err == nil || err.Error() != want {
			t.Fatalf("err = %v, want %q", err, want)
		}
		if got := string(readOrFail(t, parent)); got != "not a directory" {
			t.Errorf("the file in the way was changed: %q", got)
		}
	})
	t.Run("directory that refuses new files", func(t *testing.T) {
		// Root ignores permission bits, but nobody can create files in /proc.
		path := "/proc/crewai-setup-test-secrets.yaml"
		_, err := writeAtomic(path, []byte("a"), 0o600, false)
		want := "write " + path + ": the directory /proc does not accept new files: choose another --out directory"
		if err == nil || err.Error() != want {
			t.Fatalf("err = %v, want %q", err, want)
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "nodir")
		_, err := writeAtomic(filepath.Join(dir, "secrets.yaml"), []byte("a"), 0o600, false)
		if err == nil || !strings.Contains(err.Error(), "the directory "+dir+" does not exist: create it") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("path is a directory", func(t *testing.T) {
		dir := t.TempDir()
		_, err := writeAtomic(dir, []byte("a"), 0o600, false)
		if err == nil || err.Error() != "write "+dir+": it is a directory: give a file name, not a directory" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("directory without write permission", func(t *testing.T) {
		// Root ignores permission bits, so the writer runs in a child without that power.
		shared := sharedTempDir(t)
		dir := filepath.Join(shared, "out")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "secrets.yaml")
		if err := os.WriteFile(path, []byte("original"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
		out, err := unprivilegedChild(t, "write", path, shared).CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		want := "ERR:write " + path + ": the directory " + dir + " is read-only (permission denied): choose another --out directory or fix its permissions\n"
		if !bytes.Contains(out, []byte(want)) || !bytes.Contains(out, []byte("EACCES:true")) {
			t.Fatalf("child output:\n%s\nwant it to contain %q and wrap EACCES", out, want)
		}
		if got := string(readOrFail(t, path)); got != "original" {
			t.Errorf("original changed to %q", got)
		}
		if extra := extraEntries(t, dir, "secrets.yaml"); extra != nil {
			t.Errorf("left behind: %v", extra)
		}
	})
}

func TestWriteFileAtomicCleansUpWhenRenameFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(path, []byte("original"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The rename is the last step: the temporary file and the backup both exist when it fails,
	// as it does for an immutable (chattr +i) file.
	var before []string
	failRename := func(oldpath, newpath string) error {
		before = extraEntries(t, dir, "values.yaml", ".values.yaml.lock")
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: syscall.EPERM}
	}
	backup, err := writeFileAtomic(path, []byte("new"), 0o644, false, time.Now(), failRename)
	want := "write " + path + ": the directory " + dir + " is read-only (permission denied): choose another --out directory or fix its permissions"
	if err == nil || err.Error() != want || !errors.Is(err, syscall.EPERM) {
		t.Fatalf("err = %v, want %q wrapping EPERM", err, want)
	}
	if len(before) != 2 {
		t.Errorf("at the rename the directory held %v besides the file, want the temporary file and the backup", before)
	}
	if backup != "" {
		t.Errorf("backup %q returned on failure", backup)
	}
	if got := string(readOrFail(t, path)); got != "original" {
		t.Errorf("original changed to %q", got)
	}
	if extra := extraEntries(t, dir, "values.yaml", ".values.yaml.lock"); extra != nil {
		t.Errorf("temporary file or backup left behind: %v", extra)
	}
}

func TestWriteFileAtomicDiskFull(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.yaml")
	if err := os.WriteFile(path, []byte("original: true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := childCommand(t, "fsize", path).CombinedOutput()
	if bytes.Contains(out, []byte("SETUP:")) {
		t.Fatalf("the child could not lower RLIMIT_FSIZE: %s", out)
	}
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	want := "ERR:write " + path + ": the disk is full or a file size limit (ulimit -f) was reached: free some space"
	if !bytes.Contains(out, []byte(want)) || !bytes.Contains(out, []byte("EFBIG:true")) {
		t.Fatalf("child output:\n%s\nwant it to contain %q and wrap EFBIG", out, want)
	}
	if got := string(readOrFail(t, path)); got != "original: true\n" {
		t.Errorf("original changed to %q", got)
	}
	if extra := extraEntries(t, dir, "secrets.yaml", ".secrets.yaml.lock"); extra != nil {
		t.Errorf("temporary file or backup left behind: %v", extra)
	}
}

func TestWriteErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "open", Path: "/x/.s", Err: syscall.ENOSPC}, "write secrets.yaml: the disk holding /x is full: free some space and run again"},
		{&fs.PathError{Op: "open", Path: "/x/.s", Err: syscall.EACCES}, "write secrets.yaml: the directory /x is read-only (permission denied): choose another --out directory or fix its permissions"},
		{&fs.PathError{Op: "open", Path: "/x/.s", Err: syscall.EROFS}, "write secrets.yaml: the directory /x is on a read-only file system: choose another --out directory or remount it read-write"},
		{&fs.PathError{Op: "open", Path: "/x/.s", Err: syscall.EDQUOT}, "write secrets.yaml: your disk quota for /x is used up: free some space and run again"},
	} {
		err := describeWriteError("secrets.yaml", "/x", tc.err)
		if err.Error() != tc.want {
			t.Errorf("got  %q\nwant %q", err, tc.want)
		}
		var pe *fs.PathError
		if !errors.As(tc.err, &pe) || !errors.Is(err, pe.Err) {
			t.Errorf("%q does not wrap the system error", err)
		}
	}
}

// crashChild runs the crash child against path up to the moment it begins writing.
func crashChild(path string) (*exec.Cmd, *bufio.Reader, error) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = childEnviron("crash", path)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	r := bufio.NewReader(stdout)
	if line, err := r.ReadString('\n'); line != "READY\n" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, nil, fmt.Errorf("child said %q (%w), want READY", line, err)
	}
	return cmd, r, nil
}

// resetCrashDir puts the old content at path and removes everything else from its directory.
func resetCrashDir(path string, old []byte) error {
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() != filepath.Base(path) {
			if err := os.Remove(filepath.Join(filepath.Dir(path), e.Name())); err != nil {
				return err
			}
		}
	}
	return os.WriteFile(path, old, 0o644)
}

// TestWriteFileAtomicCrash kills child processes with SIGKILL at many points of a write: the file
// must always hold the complete old or the complete new content. Four workers share the kills,
// since most of each one's time is process start-up and fsync, not CPU.
func TestWriteFileAtomicCrash(t *testing.T) {
	oldData, newData := crashOld(), crashNew()

	// Calibrate: how long does the write itself take?
	path := filepath.Join(t.TempDir(), "values.yaml")
	var took time.Duration
	for range 2 {
		if err := resetCrashDir(path, oldData); err != nil {
			t.Fatal(err)
		}
		cmd, r, err := crashChild(path)
		if err != nil {
			t.Fatal(err)
		}
		rest, _ := io.ReadAll(r)
		if err := cmd.Wait(); err != nil || !bytes.HasPrefix(rest, []byte("TOOK:")) {
			t.Fatalf("child: %v\n%s", err, rest)
		}
		d, err := strconv.ParseInt(strings.TrimSpace(string(rest[len("TOOK:"):])), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		took = max(took, time.Duration(d))
		if !bytes.Equal(readOrFail(t, path), newData) {
			t.Fatal("an uninterrupted child did not write the new content")
		}
	}

	const workers, killsEach = 4, 10
	type result struct {
		sawOld, sawNew int
		err            error
	}
	results := make(chan result, workers)
	for w := range workers {
		path := filepath.Join(t.TempDir(), "values.yaml")
		go func() {
			rng := rand.New(rand.NewPCG(1, uint64(w)))
			var res result
			defer func() { results <- res }()
			for i := range killsEach {
				if res.err = resetCrashDir(path, oldData); res.err != nil {
					return
				}
				cmd, r, err := crashChild(path)
				if err != nil {
					res.err = err
					return
				}
				// Up to 1.5 times the write, so that some kills land after the rename.
				time.Sleep(time.Duration(rng.Int64N(int64(took)*3/2 + 1)))
				_ = cmd.Process.Signal(syscall.SIGKILL)
				_, _ = io.Copy(io.Discard, r)
				_ = cmd.Wait()
				got, err := os.ReadFile(path)
				switch {
				case err != nil:
					res.err = err
					return
				case bytes.Equal(got, oldData):
					res.sawOld++
				case bytes.Equal(got, newData):
					res.sawNew++
				default:
					res.err = fmt.Errorf("worker %d, kill %d: file holds %d bytes that are neither the old (%d) nor the new (%d) content", w, i, len(got), len(oldData), len(newData))
					return
				}
			}
		}()
	}
	// Every worker reports before the test can end and remove the directories they write in.
	var sum result
	for range workers {
		r := <-results
		if r.err != nil {
			t.Error(r.err)
		}
		sum.sawOld += r.sawOld
		sum.sawNew += r.sawNew
	}
	t.Logf("the write takes %v; after %d kills the file held the old content %d times and the new content %d times", took, workers*killsEach, sum.sawOld, sum.sawNew)
}

func TestSnapshot(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.yaml")
	if err := os.WriteFile(path, []byte("DB_PASSWORD: aaaa\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	mtime := fi.ModTime()
	data, snap, err := ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "DB_PASSWORD: aaaa\n" || snap.Path != path {
		t.Fatalf("ReadSnapshot = %q, %+v", data, snap)
	}
	if err := snap.Unchanged(); err != nil {
		t.Errorf("unchanged file reported as changed: %v", err)
	}

	// Touching without changing content is not a change.
	later := mtime.Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if err := snap.Unchanged(); err != nil {
		t.Errorf("touched file reported as changed: %v", err)
	}

	// Same size, mtime restored: only the hash can tell.
	if err := os.WriteFile(path, []byte("DB_PASSWORD: bbbb\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	err = snap.Unchanged()
	if err == nil || !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), path) {
		t.Errorf("Unchanged() = %v, want ErrChanged naming %s", err, path)
	}

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := snap.Unchanged(); err == nil || !strings.Contains(err.Error(), "removed") {
		t.Errorf("Unchanged() after removal = %v", err)
	}
	if _, _, err := ReadSnapshot(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("ReadSnapshot of a missing file = %v", err)
	}
}

func TestGitIgnoreWarningWithoutGit(t *testing.T) {
	top := t.TempDir()
	if err := os.Mkdir(filepath.Join(top, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(top, "charts")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	spec := []ignoreSpec{{name: "secrets.yaml", secret: true}}
	w := strings.Join(ensureIgnored(sub, spec, "").warnings, "\n")
	if !strings.Contains(w, "could not be verified") || !strings.Contains(w, top) || !strings.Contains(w, "/secrets.yaml") {
		t.Errorf("warning = %q", w)
	}
	if w := ensureIgnored(t.TempDir(), spec, "").warnings; w != nil {
		t.Errorf("outside any repository: warning = %q", w)
	}
}

func TestGitIgnoreEscape(t *testing.T) {
	for in, want := range map[string]string{"secrets.yaml": "secrets.yaml", "a*b?[c]": `a\*b\?\[c]`, "x ": `x\ `} {
		if got := gitIgnoreEscape(in); got != want {
			t.Errorf("gitIgnoreEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

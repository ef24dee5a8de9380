package render

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childEnv selects what TestWriteChildProcess does when the test binary re-executes itself.
const childEnv = "RENDER_WRITE_CHILD"

// crashOld and crashNew are the two contents of the crash test; they differ in length and bytes
// so that any mix or truncation is detected.
func crashOld() []byte {
	return bytes.Repeat([]byte("old: line of the previous values file\n"), 200_000)
}
func crashNew() []byte { return bytes.Repeat([]byte("new: LINE\n"), 900_000) }

// TestWriteChildProcess is not a test: it is the body of the child processes started by the
// crash and disk-full tests, which re-execute the test binary with childEnv set.
func TestWriteChildProcess(t *testing.T) {
	path := os.Getenv("RENDER_WRITE_PATH")
	switch os.Getenv(childEnv) {
	case "":
		t.Skip("only runs as a child process of other tests")
	case "crash":
		if _, err := WriteFileAtomic(path, crashNew(), 0o600, false); err != nil {
			fmt.Println("ERR:" + err.Error())
		}
	case "fsize":
		// Without ignoring SIGXFSZ the kernel kills the process instead of returning EFBIG.
		signal.Ignore(syscall.SIGXFSZ)
		var lim syscall.Rlimit
		if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			fmt.Println("SETUP:" + err.Error())
			return
		}
		lim.Cur = 64 << 10
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			fmt.Println("SETUP:" + err.Error())
			return
		}
		_, err := WriteFileAtomic(path, bytes.Repeat([]byte("x"), 1<<20), 0o600, false)
		if err == nil {
			fmt.Println("OK")
			return
		}
		fmt.Printf("ERR:%s\nEFBIG:%v\n", err, errors.Is(err, syscall.EFBIG))
	}
}

func childCommand(t *testing.T, mode, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWriteChildProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, "RENDER_WRITE_PATH="+path)
	return cmd
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
	backup, err := WriteFileAtomic(path, []byte("a: 1\n"), 0o600, true)
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
	if extra := extraEntries(t, dir, "secrets.yaml"); extra != nil {
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
			backup, err := WriteFileAtomic(path, []byte("new\n"), tc.perm, false)
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
		backup, err := writeFileAtomic(path, []byte(fmt.Sprintf("v%d", i+1)), 0o600, false, now)
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
	b1, err1 := WriteFileAtomic(path, []byte("x"), 0o600, false)
	b2, err2 := WriteFileAtomic(path, []byte("y"), 0o600, false)
	if err1 != nil || err2 != nil || b1 == b2 {
		t.Errorf("backups %q, %q (errors %v, %v): want two distinct backups", b1, b2, err1, err2)
	}
}

func TestWriteFileAtomicKeepMode(t *testing.T) {
	for _, keep := range []bool{true, false} {
		dir := t.TempDir()
		path := filepath.Join(dir, "values.yaml")
		if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o640); err != nil {
			t.Fatal(err)
		}
		if _, err := WriteFileAtomic(path, []byte("new"), 0o600, keep); err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o600)
		if keep {
			want = 0o640
		}
		if m := permOf(t, path); m != want {
			t.Errorf("keepMode=%v: mode = %v, want %v", keep, m, want)
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
	backup, err := WriteFileAtomic(link, []byte("new"), 0o644, true)
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
		_, err := WriteFileAtomic(path, []byte("a"), 0o600, false)
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
		_, err := WriteFileAtomic(path, []byte("a"), 0o600, false)
		want := "write " + path + ": the directory /proc does not accept new files: choose another --out directory"
		if err == nil || err.Error() != want {
			t.Fatalf("err = %v, want %q", err, want)
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "nodir")
		_, err := WriteFileAtomic(filepath.Join(dir, "secrets.yaml"), []byte("a"), 0o600, false)
		if err == nil || !strings.Contains(err.Error(), "the directory "+dir+" does not exist: create it") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("path is a directory", func(t *testing.T) {
		dir := t.TempDir()
		_, err := WriteFileAtomic(dir, []byte("a"), 0o600, false)
		if err == nil || err.Error() != "write "+dir+": it is a directory: give a file name, not a directory" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("directory without write permission", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root ignores directory permissions; the read-only mount case covers root")
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "secrets.yaml")
		if err := os.WriteFile(path, []byte("original"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
		_, err := WriteFileAtomic(path, []byte("new"), 0o600, false)
		want := "write " + path + ": the directory " + dir + " is read-only (permission denied): choose another --out directory or fix its permissions"
		if err == nil || err.Error() != want {
			t.Fatalf("err = %v, want %q", err, want)
		}
		if got := string(readOrFail(t, path)); got != "original" {
			t.Errorf("original changed to %q", got)
		}
	})
	t.Run("read-only mount keeps the original", func(t *testing.T) {
		dir := t.TempDir()
		if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=1m"); err != nil {
			t.Skipf("cannot mount a tmpfs here (%v)", err)
		}
		t.Cleanup(func() { _ = syscall.Unmount(dir, 0) })
		path := filepath.Join(dir, "secrets.yaml")
		if err := os.WriteFile(path, []byte("original"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
			t.Skipf("cannot remount read-only (%v)", err)
		}
		_, err := WriteFileAtomic(path, []byte("new"), 0o600, false)
		want := "write " + path + ": the directory " + dir + " is on a read-only file system: choose another --out directory"
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("err = %v, want prefix %q", err, want)
		}
		if !errors.Is(err, syscall.EROFS) {
			t.Errorf("err does not wrap EROFS")
		}
		if got := string(readOrFail(t, path)); got != "original" {
			t.Errorf("original changed to %q", got)
		}
	})
}

func TestWriteFileAtomicCleansUpWhenRenameFails(t *testing.T) {
	chattr, err := exec.LookPath("chattr")
	if err != nil {
		t.Skip("chattr not installed")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(path, []byte("original"), 0o644); err != nil {
		t.Fatal(err)
	}
	// An immutable file can be read (so the backup works) but not replaced, even by root.
	if out, err := exec.Command(chattr, "+i", path).CombinedOutput(); err != nil {
		t.Skipf("chattr +i failed: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(chattr, "-i", path).Run() })
	backup, err := WriteFileAtomic(path, []byte("new"), 0o644, false)
	if err == nil || !strings.Contains(err.Error(), "write "+path+": ") {
		t.Fatalf("err = %v, want one naming %s", err, path)
	}
	if backup != "" {
		t.Errorf("backup %q returned on failure", backup)
	}
	if got := string(readOrFail(t, path)); got != "original" {
		t.Errorf("original changed to %q", got)
	}
	if extra := extraEntries(t, dir, "values.yaml"); extra != nil {
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
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("SETUP:")) {
		t.Skipf("cannot set RLIMIT_FSIZE: %s", out)
	}
	want := "ERR:write " + path + ": the disk is full or a file size limit (ulimit -f) was reached: free some space"
	if !bytes.Contains(out, []byte(want)) || !bytes.Contains(out, []byte("EFBIG:true")) {
		t.Fatalf("child output:\n%s\nwant it to contain %q and wrap EFBIG", out, want)
	}
	if got := string(readOrFail(t, path)); got != "original: true\n" {
		t.Errorf("original changed to %q", got)
	}
	if extra := extraEntries(t, dir, "secrets.yaml"); extra != nil {
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
		if !errors.Is(err, tc.err.(*fs.PathError).Err) {
			t.Errorf("%q does not wrap the system error", err)
		}
	}
}

// TestWriteFileAtomicCrash kills a child process with SIGKILL at many points of a large write:
// the file must always hold the complete old or the complete new content.
func TestWriteFileAtomicCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test is slow")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "values.yaml")
	oldData, newData := crashOld(), crashNew()
	reset := func() {
		t.Helper()
		if err := os.WriteFile(path, oldData, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, name := range extraEntries(t, dir, "values.yaml") {
			_ = os.Remove(filepath.Join(dir, name))
		}
	}

	// Calibrate: how long does an uninterrupted child take, from exec to exit?
	var full time.Duration
	for range 3 {
		reset()
		start := time.Now()
		if out, err := childCommand(t, "crash", path).CombinedOutput(); err != nil || bytes.Contains(out, []byte("ERR:")) {
			t.Fatalf("child: %v\n%s", err, out)
		}
		full = max(full, time.Since(start))
		if !bytes.Equal(readOrFail(t, path), newData) {
			t.Fatal("an uninterrupted child did not write the new content")
		}
	}

	rng := rand.New(rand.NewPCG(1, 2))
	var sawOld, sawNew int
	for i := range 50 {
		reset()
		cmd := childCommand(t, "crash", path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Up to 1.5 times the full run, so that some kills land after the rename or after exit.
		time.Sleep(time.Duration(rng.Int64N(int64(full) * 3 / 2)))
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		switch got := readOrFail(t, path); {
		case bytes.Equal(got, oldData):
			sawOld++
		case bytes.Equal(got, newData):
			sawNew++
		default:
			t.Fatalf("kill %d: file holds %d bytes that are neither the old (%d) nor the new (%d) content", i, len(got), len(oldData), len(newData))
		}
	}
	t.Logf("child takes %v; after 50 kills the file held the old content %d times and the new content %d times", full, sawOld, sawNew)
}

func TestSnapshot(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.yaml")
	if err := os.WriteFile(path, []byte("DB_PASSWORD: aaaa\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data, snap, err := ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "DB_PASSWORD: aaaa\n" || snap.Size != int64(len(data)) || snap.Path != path {
		t.Fatalf("ReadSnapshot = %q, %+v", data, snap)
	}
	if err := snap.Unchanged(); err != nil {
		t.Errorf("unchanged file reported as changed: %v", err)
	}

	// Touching without changing content is not a change.
	later := snap.ModTime.Add(time.Hour)
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
	if err := os.Chtimes(path, snap.ModTime, snap.ModTime); err != nil {
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

func TestGitIgnoreWarning(t *testing.T) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	git := func(dir string, args ...string) {
		t.Helper()
		if out, err := exec.Command(gitPath, append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	top := t.TempDir()
	git(top, "init", "-q")
	out := filepath.Join(top, "deploy", "prod")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}

	w := GitIgnoreWarning(out, "secrets.yaml")
	for _, want := range []string{top, "add the line /secrets.yaml to " + filepath.Join(out, ".gitignore")} {
		if !strings.Contains(w, want) {
			t.Errorf("warning %q does not contain %q", w, want)
		}
	}

	// An --out directory that does not exist yet is checked from its nearest existing parent.
	future := filepath.Join(top, "not", "yet")
	if w := GitIgnoreWarning(future, "secrets.yaml"); !strings.Contains(w, "add the line /secrets.yaml to "+filepath.Join(future, ".gitignore")) {
		t.Errorf("directory not created yet: warning = %q", w)
	}

	// Following the advice silences the warning.
	if err := os.WriteFile(filepath.Join(out, ".gitignore"), []byte("/secrets.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if w := GitIgnoreWarning(out, "secrets.yaml"); w != "" {
		t.Errorf("ignored file still warned about: %q", w)
	}
	if w := GitIgnoreWarning(out, "values.yaml"); w == "" {
		t.Errorf("values.yaml is not ignored, want a warning")
	}

	// A pattern in the top-level .gitignore counts too.
	other := filepath.Join(top, "other")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(top, ".gitignore"), []byte("secrets*.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if w := GitIgnoreWarning(other, "secrets.yaml"); w != "" {
		t.Errorf("file ignored by the top-level .gitignore warned about: %q", w)
	}

	// An already tracked file is not protected by .gitignore.
	if err := os.WriteFile(filepath.Join(other, "secrets.yaml"), []byte("a: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	git(top, "add", "-f", "other/secrets.yaml")
	if w := GitIgnoreWarning(other, "secrets.yaml"); !strings.Contains(w, "tracked") || !strings.Contains(w, "rm --cached") {
		t.Errorf("tracked file: warning = %q", w)
	}

	if w := GitIgnoreWarning(t.TempDir(), "secrets.yaml"); w != "" {
		t.Errorf("outside any repository: warning = %q", w)
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
	w := gitIgnoreWarning(sub, "secrets.yaml", "")
	if !strings.Contains(w, "could not be verified") || !strings.Contains(w, top) || !strings.Contains(w, "/secrets.yaml") {
		t.Errorf("warning = %q", w)
	}
	if w := gitIgnoreWarning(t.TempDir(), "secrets.yaml", ""); w != "" {
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

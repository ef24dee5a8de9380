package store

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fixedClock is a hooks.now that returns the same moment every time.
func fixedClock() func() time.Time {
	at := time.Date(2026, 11, 29, 8, 30, 0, 0, time.Local)
	return func() time.Time { return at }
}

// failRenameNumber returns a rename that fails with EPERM on call n (1-based) and renames
// otherwise.
func failRenameNumber(n int) func(string, string) error {
	calls := 0
	return func(oldpath, newpath string) error {
		calls++
		if calls == n {
			return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: syscall.EPERM}
		}
		return os.Rename(oldpath, newpath)
	}
}

// checkThree fails unless each file of threeFiles in dir holds what threeFiles writes for
// the text given for its name.
func checkThree(t *testing.T, dir string, text map[string]string) {
	t.Helper()
	for name, txt := range text {
		for _, f := range threeFiles(dir, txt, 0) {
			if filepath.Base(f.Path) != name {
				continue
			}
			if got, err := os.ReadFile(f.Path); err != nil || string(got) != string(f.Data) {
				t.Errorf("%s holds %q (%v), want %q", name, got, err, f.Data)
			}
		}
	}
}

var lockFiles = []string{".values.yaml.lock", ".secrets.yaml.lock", ".summary.md.lock"}

// A failure before the first rename changes nothing: every temporary file and backup is
// removed, and the message says that no file changed.
func TestSetFailureBeforeRenamesChangesNothing(t *testing.T) {
	dir := t.TempDir()
	writeThree(t, dir, "old")
	o := DefaultOptions()
	o.hooks = &hooks{now: fixedClock(), rename: failRenameNumber(1)}
	res, err := o.WriteSet(threeFiles(dir, "new", 0))
	want := "write " + dir + "/values.yaml: the directory " + dir + " is read-only (permission denied): choose another --out directory or fix its permissions. " +
		"Nothing was changed: " + dir + "/values.yaml, " + dir + "/secrets.yaml and " + dir + "/summary.md are as they were."
	if err == nil || err.Error() != want || !errors.Is(err, syscall.EPERM) || errors.Is(err, ErrMixedSet) {
		t.Fatalf("err = %v\nwant %q wrapping EPERM", err, want)
	}
	if len(res.Written) != 0 {
		t.Errorf("written = %+v, want none", res.Written)
	}
	checkThree(t, dir, map[string]string{"values.yaml": "old", "secrets.yaml": "old", "summary.md": "old"})
	if extra := extraEntries(t, dir, append([]string{"values.yaml", "secrets.yaml", "summary.md"}, lockFiles...)...); extra != nil {
		t.Errorf("left behind: %v", extra)
	}
}

// A failure between two renames leaves a mixed set, and the error says exactly which files
// are new, which are old, and gives the command that goes back; running that command does.
func TestSetFailureBetweenRenames(t *testing.T) {
	for _, tc := range []struct {
		name     string
		valuesOf string // "" when values.yaml did not exist before
		undo     string
	}{
		{"replacing", "old", "mv -f -- DIR/values.yaml.bak-20261129-083000 DIR/values.yaml"},
		{"values.yaml new", "", "rm -f -- DIR/values.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeThree(t, dir, "old")
			if tc.valuesOf == "" {
				if err := os.Remove(filepath.Join(dir, "values.yaml")); err != nil {
					t.Fatal(err)
				}
			}
			o := DefaultOptions()
			o.hooks = &hooks{now: fixedClock(), rename: failRenameNumber(2)}
			res, err := o.WriteSet(threeFiles(dir, "new", 0))
			want := "write DIR/secrets.yaml: the directory DIR is read-only (permission denied): choose another --out directory or fix its permissions.\n" +
				"The files are now a mixed set: new: DIR/values.yaml; as they were: DIR/secrets.yaml, DIR/summary.md.\n" +
				"To go back to the previous set, run: " + tc.undo + "\n" +
				"Or fix the problem and run the same command again to write the whole set."
			want = strings.ReplaceAll(want, "DIR", dir)
			if err == nil || err.Error() != want || !errors.Is(err, ErrMixedSet) || !errors.Is(err, syscall.EPERM) {
				t.Fatalf("err = %v\nwant %q wrapping ErrMixedSet and EPERM", err, want)
			}
			if len(res.Written) != 1 || res.Written[0].Path != filepath.Join(dir, "values.yaml") {
				t.Errorf("written = %+v, want values.yaml only", res.Written)
			}
			checkThree(t, dir, map[string]string{"values.yaml": "new", "secrets.yaml": "old", "summary.md": "old"})
			keep := append([]string{"values.yaml", "secrets.yaml", "summary.md"}, lockFiles...)
			if tc.valuesOf != "" {
				keep = append(keep, "values.yaml.bak-20261129-083000")
			}
			if extra := extraEntries(t, dir, keep...); extra != nil {
				t.Errorf("left behind: %v", extra)
			}
			undo := err.Error()[strings.Index(err.Error(), "run: ")+len("run: "):]
			undo = undo[:strings.IndexByte(undo, '\n')]
			if out, err := exec.Command("sh", "-c", undo).CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", undo, err, out)
			}
			if tc.valuesOf == "" {
				if _, err := os.Stat(filepath.Join(dir, "values.yaml")); !os.IsNotExist(err) {
					t.Errorf("after the undo command values.yaml exists (%v)", err)
				}
				return
			}
			checkThree(t, dir, map[string]string{"values.yaml": "old", "secrets.yaml": "old", "summary.md": "old"})
		})
	}
}

// A real disk-full (the file size limit) while writing the second file of a set: nothing is
// changed, where the writer before this issue left a new values.yaml beside an old
// secrets.yaml.
func TestSetDiskFullChangesNothing(t *testing.T) {
	dir := t.TempDir()
	writeThree(t, dir, "old")
	out, err := childCommand(t, "setfsize", dir).CombinedOutput()
	if bytes.Contains(out, []byte("SETUP:")) {
		t.Fatalf("the child could not lower RLIMIT_FSIZE: %s", out)
	}
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	want := "ERR:write " + dir + "/secrets.yaml: the disk is full or a file size limit (ulimit -f) was reached: free some space or raise the limit and run again. " +
		"Nothing was changed: " + dir + "/values.yaml, " + dir + "/secrets.yaml and " + dir + "/summary.md are as they were.\nEFBIG:true\n"
	if string(out) != want {
		t.Fatalf("child output:\n%s\nwant:\n%s", out, want)
	}
	checkThree(t, dir, map[string]string{"values.yaml": "old", "secrets.yaml": "old", "summary.md": "old"})
	if extra := extraEntries(t, dir, append([]string{"values.yaml", "secrets.yaml", "summary.md"}, lockFiles...)...); extra != nil {
		t.Errorf("temporary files or backups left behind: %v", extra)
	}
}

// A file named twice in one set (directly and through a link) is refused before anything is
// written.
func TestSetNamesEachFileOnce(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "values.yaml")
	if err := os.Symlink("values.yaml", filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	_, err := DefaultOptions().WriteSet([]File{{Path: a, Data: []byte("1"), Perm: 0o644}, {Path: filepath.Join(dir, "link.yaml"), Data: []byte("2"), Perm: 0o644}})
	want := "write " + filepath.Join(dir, "link.yaml") + ": it is the same file as " + a + ": a set names each file once"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
	if _, err := os.Stat(a); !os.IsNotExist(err) {
		t.Errorf("values.yaml was written (%v)", err)
	}
}

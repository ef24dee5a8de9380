package store

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"crewai-setup/model"
)

// A run killed with SIGKILL at the rename leaves its temporary file behind; the next write in
// that directory removes it and says so. A temporary file of a live run (its lock held) stays,
// and one without a lock file only goes once it is older than a minute.
func TestTempFilesOfAKilledRunRemoved(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.yaml")
	if err := os.WriteFile(path, []byte("before\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	crashed := childCommand(t, "stall", path)
	startChild(t, crashed, "STALLED")
	// A run stalled while writing summary.md in the same directory stays alive throughout
	// (started before the kill, its own clean-up leaves the other run's temporary file alone).
	summary := filepath.Join(dir, "summary.md")
	live := childCommand(t, "stall", summary)
	startChild(t, live, "STALLED")
	liveTemps := entriesMatching(t, dir, ".summary.md.tmp-*")
	if len(liveTemps) != 1 {
		t.Fatalf("the live child's temporary files: %v", liveTemps)
	}
	killChild(t, crashed)
	temps := entriesMatching(t, dir, ".secrets.yaml.tmp-*")
	if len(temps) != 1 {
		t.Fatalf("after the kill the directory holds the temporary files %v, want one", temps)
	}
	if got := string(readOrFail(t, path)); got != "before\n" {
		t.Fatalf("killed before its rename, the child changed the file to %q", got)
	}

	// Two orphans of some older run without a lock file, one fresh, one old.
	fresh, old := filepath.Join(dir, ".notes.txt.tmp-1"), filepath.Join(dir, ".notes.txt.tmp-2")
	for _, p := range []string{fresh, old} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * time.Minute)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}

	res, err := DefaultOptions().WriteSet([]File{{Path: path, Data: []byte("after\n"), Perm: 0o600, Sensitive: true}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, ".notes.txt.tmp-2"), filepath.Join(dir, temps[0])}
	slices.Sort(res.TempsRemoved)
	if !slices.Equal(res.TempsRemoved, want) {
		t.Errorf("removed %v, want %v", res.TempsRemoved, want)
	}
	wantNote := "removed " + filepath.Join(dir, temps[0]) + ", a temporary file left by an interrupted run"
	if !slices.Contains(res.Notes, wantNote) {
		t.Errorf("notes %q, want %q", res.Notes, wantNote)
	}
	left := entriesMatching(t, dir, ".*.tmp-*")
	if wantLeft := []string{".notes.txt.tmp-1", liveTemps[0]}; !slices.Equal(left, wantLeft) {
		t.Errorf("temporary files after the write: %v, want %v (the live run's and the fresh orphan)", left, wantLeft)
	}
	if got := string(readOrFail(t, path)); got != "after\n" {
		t.Errorf("file = %q", got)
	}
}

// A secrets file ends 0600 after a write whatever its mode before, and the result says the mode
// was tightened; a values file does too when it holds a value marked sensitive, and keeps its
// mode otherwise.
func TestModeTightened(t *testing.T) {
	for _, before := range []os.FileMode{0o644, 0o666, 0o640} {
		dir := t.TempDir()
		path := filepath.Join(dir, "secrets.yaml")
		if err := os.WriteFile(path, []byte("secrets:\n  DB_PASSWORD: a\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, before); err != nil {
			t.Fatal(err)
		}
		cat := model.NewCatalog()
		x, _, err := ReadFiles(cat, "", path)
		if err != nil {
			t.Fatal(err)
		}
		res, err := x.Write([]Set{{Entry: cat.Lookup("secrets.DB_PASSWORD"), Value: "b"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if m := permOf(t, path); m != 0o600 {
			t.Errorf("from %04o: mode %04o, want 0600", before, m)
		}
		if m := permOf(t, res.Written[0].Backup); m != 0o600 {
			t.Errorf("from %04o: backup mode %04o, want 0600", before, m)
		}
		note := path + " holds secrets, so its mode was tightened from " + octal(before) + " to 0600"
		if res.Written[0].ModeTightened != before || !slices.Contains(res.Written[0].Notes, note) {
			t.Errorf("from %04o: ModeTightened %04o, notes %q; want %q", before, res.Written[0].ModeTightened, res.Written[0].Notes, note)
		}
	}

	// values.yaml with envVars.WORKOS_COOKIE_PASSWORD (marked sensitive) versus without.
	for _, tc := range []struct {
		name, text string
		want       os.FileMode
	}{
		{"holds a sensitive value", "envVars:\n  WORKOS_COOKIE_PASSWORD: cookie-password-of-32-characters\n  DB_HOST: a\n", 0o600},
		{"holds none", "envVars:\n  DB_HOST: a\n", 0o644},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "values.yaml")
		if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		cat := model.NewCatalog()
		x, _, err := ReadFiles(cat, path, filepath.Join(dir, "secrets.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.Write([]Set{{Entry: cat.Lookup("envVars.DB_HOST"), Value: "b"}}, nil); err != nil {
			t.Fatal(err)
		}
		if m := permOf(t, path); m != tc.want {
			t.Errorf("values.yaml that %s: mode %04o, want %04o", tc.name, m, tc.want)
		}
	}

	// Save decides the same from the answers.
	a := model.NewAnswers(model.NewCatalog())
	a.Set("envVars.WORKOS_COOKIE_PASSWORD", "cookie-password-of-32-characters")
	if len(a.SensitiveInValues("")) == 0 {
		t.Error("answers with WORKOS_COOKIE_PASSWORD: values.yaml not taken as sensitive")
	}
	a.Set("envVars.WORKOS_COOKIE_PASSWORD", "")
	a.Set("secrets.DB_PASSWORD", "pw")
	if len(a.SensitiveInValues("")) > 0 {
		t.Error("a secret that goes to secrets.yaml made values.yaml sensitive")
	}
	// A key the chart forbids is still a secret in the file that holds it.
	a.Set("envVars.RAILS_MASTER_KEY", "rails-master-key")
	if got := a.SensitiveInValues(""); len(got) != 1 || got[0].Path != "envVars.RAILS_MASTER_KEY" {
		t.Errorf("a forbidden secret in values.yaml: %v", got)
	}
}

// octal writes a mode as 0644.
func octal(m os.FileMode) string {
	const digits = "01234567"
	p := m.Perm()
	return "0" + string(digits[p>>6&7]) + string(digits[p>>3&7]) + string(digits[p&7])
}

// Run as root, rewriting another user's file keeps its owner and group, and so does its
// backup.
func TestOwnerKeptWhenRoot(t *testing.T) {
	mustBeRoot(t)
	uid, gid := nobodyIDs()
	dir := t.TempDir()
	for _, f := range threeFiles(dir, "old", 0) {
		if err := os.WriteFile(f.Path, f.Data, 0o640); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(f.Path, int(uid), int(gid)); err != nil {
			t.Fatal(err)
		}
	}
	files := threeFiles(dir, "new", 0)
	for i := range files {
		files[i].KeepMode = true
	}
	res, err := DefaultOptions().WriteSet(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Written {
		for _, p := range []string{w.Path, w.Backup} {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			st := fi.Sys().(*syscall.Stat_t)
			if st.Uid != uid || st.Gid != gid {
				t.Errorf("%s belongs to %d:%d, want %d:%d", p, st.Uid, st.Gid, uid, gid)
			}
		}
	}
	if got := string(readOrFail(t, filepath.Join(dir, "values.yaml"))); got != "values: new\n" {
		t.Errorf("values.yaml = %q", got)
	}
}

// A symbolic link planted by another user in a sticky world-writable directory (as in /tmp) is
// not written through; one of our own there is; and another user cannot make the tool write
// through ours, which sits in a world-writable directory that is not theirs.
func TestSymlinkPolicy(t *testing.T) {
	mustBeRoot(t)
	shared := sharedTempDir(t)
	sticky := filepath.Join(shared, "tmp")
	if err := os.Mkdir(sticky, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sticky, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(shared, "real.yaml")
	if err := os.WriteFile(real, []byte("precious\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	planted := filepath.Join(sticky, "values.yaml")
	cmd := unprivilegedChild(t, "symlink", planted, shared)
	cmd.Env = append(cmd.Env, childArgsEnv+"="+real)
	if out, err := cmd.CombinedOutput(); err != nil || string(out) != "OK\n" {
		t.Fatalf("nobody planting the link: %v\n%s", err, out)
	}
	_, err := writeAtomic(planted, []byte("owned\n"), 0o644, true)
	want := "write " + planted + ": refused to write through the symbolic link " + planted + ": it belongs to nobody, not to you or root, so it may have been planted to send the write to another file; check where it points (ls -l " + planted + "), then write to that file directly or remove the link"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %q", err, want)
	}
	if got := string(readOrFail(t, real)); got != "precious\n" {
		t.Errorf("the planted link's target was changed to %q", got)
	}
	if fi, err := os.Lstat(planted); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the planted link was replaced (%v)", err)
	}
	if extra := extraEntries(t, sticky, "values.yaml"); extra != nil {
		t.Errorf("left in the sticky directory: %v", extra)
	}

	ours := filepath.Join(sticky, "ours.yaml")
	if err := os.Symlink(real, ours); err != nil {
		t.Fatal(err)
	}
	res, err := DefaultOptions().WriteSet([]File{{Path: ours, Data: []byte("through our link\n"), Perm: 0o644, KeepMode: true}})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(readOrFail(t, real)); got != "through our link\n" {
		t.Errorf("our link's target holds %q", got)
	}
	if fi, err := os.Lstat(ours); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("our link was replaced by a file (%v)", err)
	}
	w := res.Written[0]
	if w.Target != real || !slices.Contains(w.Notes, ours+" is a symbolic link: the file it points to, "+real+", was written") {
		t.Errorf("target %q, notes %q", w.Target, w.Notes)
	}

	out, err := unprivilegedChild(t, "write", ours, shared).CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	wantChild := "ERR:write " + ours + ": refused to write through the symbolic link " + ours + ": it sits in " + sticky + ", a directory every user may write to that belongs to root, where another user can plant or swap links; write to the file it points to directly, or keep your files in a directory of your own\n"
	if !strings.HasPrefix(string(out), wantChild) {
		t.Errorf("nobody writing through root's link:\n%s\nwant:\n%s", out, wantChild)
	}
	if got := string(readOrFail(t, real)); got != "through our link\n" {
		t.Errorf("the target was changed to %q", got)
	}
}

package store

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// steppingClock is a hooks.now that moves one second per call, starting at 08:30:00.
func steppingClock() func() time.Time {
	at := time.Date(2026, 11, 29, 8, 30, 0, 0, time.Local)
	return func() time.Time { at = at.Add(time.Second); return at }
}

// Each write keeps a backup; beyond KeepBackups the oldest go first, and the result names the
// backup kept and the ones removed.
func TestBackupsKeptAndPruned(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.yaml")
	if err := os.WriteFile(path, []byte("v0"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions()
	o.hooks = &hooks{now: steppingClock()}
	for i := 1; i <= 5; i++ {
		res, err := o.WriteSet([]File{{Path: path, Data: []byte(fmt.Sprintf("v%d", i)), Perm: 0o600, Sensitive: true}})
		if err != nil {
			t.Fatal(err)
		}
		w := res.Written[0]
		if want := fmt.Sprintf("%s.bak-20261129-0830%02d", path, i); w.Backup != want {
			t.Errorf("write %d: backup %q, want %q", i, w.Backup, want)
		}
		var wantRemoved []string
		if i > 3 {
			wantRemoved = []string{fmt.Sprintf("%s.bak-20261129-0830%02d", path, i-3)}
		}
		if !slices.Equal(w.BackupsRemoved, wantRemoved) {
			t.Errorf("write %d: removed %v, want %v", i, w.BackupsRemoved, wantRemoved)
		}
		if i > 3 && !slices.Contains(w.Notes, "removed the old backups "+wantRemoved[0]+", keeping 3") {
			t.Errorf("write %d: notes %q do not mention the removed backup", i, w.Notes)
		}
	}
	backups := entriesMatching(t, dir, "secrets.yaml.bak-*")
	if want := []string{"secrets.yaml.bak-20261129-083003", "secrets.yaml.bak-20261129-083004", "secrets.yaml.bak-20261129-083005"}; !slices.Equal(backups, want) {
		t.Fatalf("backups %v, want the three newest %v", backups, want)
	}
	for i, b := range backups {
		if got, want := string(readOrFail(t, filepath.Join(dir, b))), fmt.Sprintf("v%d", i+2); got != want {
			t.Errorf("%s holds %q, want %q", b, got, want)
		}
		if m := permOf(t, filepath.Join(dir, b)); m != 0o600 {
			t.Errorf("%s has mode %v, want 0600", b, m)
		}
	}

	// KeepBackups 0: no backup stays, not even this write's.
	o.KeepBackups = 0
	res, err := o.WriteSet([]File{{Path: path, Data: []byte("v6"), Perm: 0o600, Sensitive: true}})
	if err != nil {
		t.Fatal(err)
	}
	if w := res.Written[0]; w.Backup != "" || len(w.BackupsRemoved) != 4 || !strings.HasSuffix(w.BackupsRemoved[3], ".bak-20261129-083006") {
		t.Errorf("keep 0: backup %q, removed %v; want none kept and all four removed, this write's last", w.Backup, w.BackupsRemoved)
	}
	if b := entriesMatching(t, dir, "secrets.yaml.bak-*"); len(b) != 0 {
		t.Errorf("keep 0 left %v", b)
	}
}

// The backup this run made counts as the newest even when the clock was set back, and older
// backups of a secrets file that others could read are made private, with a note.
func TestBackupsPruneClockBackAndTighten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.yaml")
	if err := os.WriteFile(path, []byte("current"), 0o600); err != nil {
		t.Fatal(err)
	}
	future := path + ".bak-20991231-235959"
	if err := os.WriteFile(future, []byte("from a clock ahead"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(future, 0o644); err != nil {
		t.Fatal(err)
	}
	o := DefaultOptions()
	o.KeepBackups = 2
	o.hooks = &hooks{now: fixedClock()}
	res, err := o.WriteSet([]File{{Path: path, Data: []byte("next"), Perm: 0o600, Sensitive: true}})
	if err != nil {
		t.Fatal(err)
	}
	w := res.Written[0]
	if w.Backup != path+".bak-20261129-083000" || len(w.BackupsRemoved) != 0 {
		t.Errorf("backup %q, removed %v", w.Backup, w.BackupsRemoved)
	}
	if m := permOf(t, future); m != 0o600 {
		t.Errorf("the older backup has mode %v, want 0600", m)
	}
	if want := "made the older backup " + future + " private (mode 0644 to 0600), since it holds secrets"; !slices.Contains(w.Notes, want) {
		t.Errorf("notes %q, want %q", w.Notes, want)
	}

	o.KeepBackups = 1
	o.hooks = &hooks{now: func() time.Time { return time.Date(2026, 11, 29, 8, 31, 0, 0, time.Local) }}
	res, err = o.WriteSet([]File{{Path: path, Data: []byte("last"), Perm: 0o600, Sensitive: true}})
	if err != nil {
		t.Fatal(err)
	}
	w = res.Written[0]
	if want := []string{path + ".bak-20261129-083000", future}; w.Backup != path+".bak-20261129-083100" || !slices.Equal(w.BackupsRemoved, want) {
		t.Errorf("backup %q, removed %v; want this write's kept and %v removed", w.Backup, w.BackupsRemoved, want)
	}
}

// A backup is a complete copy that keeps the previous content even though the file is
// replaced, also where it is made by hard link, and the values file's backup keeps its mode.
func TestBackupIsThePreviousFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(path, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	res, err := DefaultOptions().WriteSet([]File{{Path: path, Data: []byte("new\n"), Perm: 0o644, KeepMode: true}})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Written[0].Backup
	if got := string(readOrFail(t, b)); got != "old\n" {
		t.Errorf("backup holds %q", got)
	}
	if m := permOf(t, b); m != 0o640 {
		t.Errorf("backup mode %v, want 0640", m)
	}
	fb, _ := os.Stat(b)
	fp, _ := os.Stat(path)
	if os.SameFile(fb, fp) {
		t.Error("the backup and the file are the same file")
	}
}

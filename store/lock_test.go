package store

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"crewai-setup/model"
)

// A run that finds the file locked by another process says whom it waits for, and after the
// wait refuses with an error naming that process; nothing is written. Once the holder is gone
// (killed: the kernel drops its lock) the write goes through.
func TestLockRefusalNamesTheHolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.yaml")
	if err := os.WriteFile(path, []byte("secrets: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	holder := childCommand(t, "hold", path)
	startChild(t, holder, "HOLDING")

	var notes []string
	o := DefaultOptions()
	o.LockWait = 300 * time.Millisecond
	o.Note = func(s string) { notes = append(notes, s) }
	start := time.Now()
	_, err := o.WriteSet([]File{{Path: path, Data: []byte("new\n"), Perm: 0o600, Sensitive: true}})
	if waited := time.Since(start); waited < o.LockWait {
		t.Errorf("gave up after %v, want a wait of %v", waited, o.LockWait)
	}
	var le *LockedError
	if !errors.Is(err, ErrLocked) || !errors.As(err, &le) {
		t.Fatalf("err = %v, want a LockedError", err)
	}
	me, _ := user.Current()
	host, _ := os.Hostname()
	h := le.Holder
	if h.PID != holder.Process.Pid || h.User != me.Username || h.Host != host || h.Command != "crewai-setup rotate" || time.Since(h.Since) > time.Minute {
		t.Errorf("holder = %+v, want pid %d, %s@%s, crewai-setup rotate, just now", h, holder.Process.Pid, me.Username, host)
	}
	who := fmt.Sprintf("pid %d (%s@%s, crewai-setup rotate) since %s", holder.Process.Pid, me.Username, host, h.Since.Local().Format("15:04:05"))
	wantErr := path + " is being written by " + who + " (lock file " + filepath.Join(dir, ".secrets.yaml.lock") + "), and the lock was not released within "
	wantEnd := ": nothing was written; wait until that run has finished (or stop it if it hangs) and run again"
	if !strings.HasPrefix(err.Error(), wantErr) || !strings.HasSuffix(err.Error(), wantEnd) {
		t.Errorf("err = %q\nwant %q...%q", err, wantErr, wantEnd)
	}
	if want := []string{"waiting for the lock on " + path + " held by " + who + "…"}; strings.Join(notes, "\n") != want[0] {
		t.Errorf("notes = %q, want %q", notes, want)
	}
	if got := string(readOrFail(t, path)); got != "secrets: {}\n" {
		t.Errorf("the locked file was changed to %q", got)
	}
	if extra := extraEntries(t, dir, "secrets.yaml", ".secrets.yaml.lock"); extra != nil {
		t.Errorf("left behind: %v", extra)
	}

	killChild(t, holder)
	notes = nil
	if _, err := o.WriteSet([]File{{Path: path, Data: []byte("new\n"), Perm: 0o600, Sensitive: true}}); err != nil {
		t.Fatalf("after the holder died: %v", err)
	}
	if len(notes) != 0 {
		t.Errorf("a dead holder's stale description made the run wait: %q", notes)
	}
}

// ReadFiles with HoldLock keeps the files locked until Close: another run waits, and goes
// through once the first is done. The holder itself can Write without locking itself out.
func TestHoldLockFromReadToClose(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.yaml")
	if err := os.WriteFile(path, []byte("secrets:\n  DB_PASSWORD: a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cat := model.NewCatalog()
	o := DefaultOptions()
	o.HoldLock = true
	x, _, err := o.ReadFiles(cat, filepath.Join(dir, "values.yaml"), path)
	if err != nil {
		t.Fatal(err)
	}
	other := DefaultOptions()
	other.LockWait = 50 * time.Millisecond
	if _, err := other.WriteSet([]File{{Path: path, Data: []byte("x"), Perm: 0o600}}); !errors.Is(err, ErrLocked) {
		t.Fatalf("write while another run holds the lock: err = %v, want ErrLocked", err)
	}
	if _, err := x.Write([]Set{{Entry: cat.Lookup("secrets.DB_PASSWORD"), Value: "b"}}, nil); err != nil {
		t.Fatalf("the holder's own Write: %v", err)
	}

	// A waiting run gets the lock as soon as the holder closes.
	other.LockWait = 10 * time.Second
	var notes []string
	var mu sync.Mutex
	other.Note = func(s string) { mu.Lock(); notes = append(notes, s); mu.Unlock() }
	done := make(chan error)
	go func() {
		_, err := other.WriteSet([]File{{Path: path, Data: []byte("secrets:\n  DB_PASSWORD: c\n"), Perm: 0o600}})
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if got := string(readOrFail(t, path)); got != "secrets:\n  DB_PASSWORD: b\n" {
		t.Fatalf("the waiting run wrote before the holder closed: %q", got)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the waiting run: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "waiting for the lock on "+path+" held by pid ") {
		t.Errorf("notes = %q, want one note on waiting", notes)
	}
	if got := string(readOrFail(t, path)); got != "secrets:\n  DB_PASSWORD: c\n" {
		t.Errorf("file = %q", got)
	}
}

// A lock file is opened without following a symbolic link: one planted there to make the tool
// write its description into another file is refused, and that file stays as it was.
func TestLockFileSymlinkRefused(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("precious\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "secrets.yaml")
	lock := filepath.Join(dir, ".secrets.yaml.lock")
	if err := os.Symlink(victim, lock); err != nil {
		t.Fatal(err)
	}
	_, err := writeAtomic(path, []byte("a"), 0o600, false)
	want := "the lock file " + lock + " is a symbolic link, which crewai-setup never makes: someone may be trying to redirect the write; remove it and run again"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %q", err, want)
	}
	if got := string(readOrFail(t, victim)); got != "precious\n" {
		t.Errorf("the link's target was changed to %q", got)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the file was written although the lock was refused (%v)", err)
	}
}

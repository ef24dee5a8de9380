//go:build linux

package sopstest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The watch is able to catch a leak: a plaintext file written, then removed at once.
func TestWatchCatchesPlaintext(t *testing.T) {
	dir := t.TempDir()
	secret := Marker("leaked")
	w := Watch(t, dir)
	p := filepath.Join(dir, ".tmp-plain")
	if err := os.WriteFile(p, []byte("secrets:\n  A: "+secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	seen := w.Stop(t)
	_ = os.Remove(p)
	if got := Leaks(seen, []string{secret}); len(got) == 0 {
		t.Errorf("the watch missed a plaintext file (saw %v)", seen)
	}
}

// The snapshot wrapper catches a file that exists only while sops runs.
func TestSnapshotWrapperCatchesTransientFile(t *testing.T) {
	dir := t.TempDir()
	secret := Marker("transient")
	bin, snapshots := SnapshotWrapper(t, dir)
	p := filepath.Join(dir, ".transient")
	if err := os.WriteFile(p, []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	// The wrapper snapshots before sops runs; sops --version then exits.
	cmd := exec.Command(filepath.Join(bin, "sops"), "--version")
	cmd.Env = []string{"SOPS_DISABLE_VERSION_CHECK=true"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	_ = os.Remove(p)
	data, err := os.ReadFile(snapshots)
	if err != nil {
		t.Fatal(err)
	}
	if got := Leaks(map[string][][]byte{"snapshots": {data}}, []string{secret}); len(got) == 0 {
		t.Error("the snapshots missed a file present while sops ran")
	}
}

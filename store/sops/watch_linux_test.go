//go:build linux

package sops

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"crewai-setup/store"
)

// watcher records every file created or written in a directory, with its content read the
// moment inotify reports it.
type watcher struct {
	dir  string
	fd   int
	done chan struct{}
	mu   sync.Mutex
	seen map[string][][]byte // file name -> contents read
}

// stopName is the file whose creation ends the watch.
const stopName = "stop-watching"

func watch(t *testing.T, dir string) *watcher {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if err != nil {
		t.Fatalf("inotify: %v", err)
	}
	if _, err := syscall.InotifyAddWatch(fd, dir, syscall.IN_CREATE|syscall.IN_MODIFY|syscall.IN_CLOSE_WRITE|syscall.IN_MOVED_TO); err != nil {
		t.Fatalf("inotify watch: %v", err)
	}
	w := &watcher{dir: dir, fd: fd, done: make(chan struct{}), seen: map[string][][]byte{}}
	go w.loop()
	return w
}

func (w *watcher) loop() {
	defer close(w.done)
	buf := make([]byte, 64<<10)
	for {
		n, err := syscall.Read(w.fd, buf)
		if err != nil {
			return
		}
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			nameLen := int(binary.NativeEndian.Uint32(buf[off+12 : off+16]))
			name := strings.TrimRight(string(buf[off+syscall.SizeofInotifyEvent:off+syscall.SizeofInotifyEvent+nameLen]), "\x00")
			off += syscall.SizeofInotifyEvent + nameLen
			if name == stopName {
				return
			}
			data, _ := os.ReadFile(filepath.Join(w.dir, name)) // gone already: the snapshots cover it
			w.mu.Lock()
			w.seen[name] = append(w.seen[name], data)
			w.mu.Unlock()
		}
	}
}

// stop ends the watch and returns what was seen.
func (w *watcher) stop(t *testing.T) map[string][][]byte {
	t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, stopName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	<-w.done
	_ = syscall.Close(w.fd)
	_ = os.Remove(filepath.Join(w.dir, stopName))
	return w.seen
}

// leaks lists the secrets found in contents.
func leaks(contents map[string][][]byte, secrets []string) []string {
	var out []string
	for name, versions := range contents {
		for _, data := range versions {
			for _, s := range secrets {
				if bytes.Contains(data, []byte(s)) {
					out = append(out, name+" held "+s[:12]+"…")
				}
			}
		}
	}
	return out
}

func marker(prefix string) string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}

// No plaintext secret is ever written under the output directory, by encryption, by the
// caller's atomic write of the result, or by a rotation (whose working copy holds ciphertext
// only): inotify reads every file the moment it is created or written, and a sops wrapper
// copies the whole directory before and after every sops run.
func TestNoPlaintextEverOnDisk(t *testing.T) {
	f := newFixture(t)
	snapshots := filepath.Join(t.TempDir(), "snapshots")
	wrapper := script(t, t.TempDir(), "sops", `snap() { for x in "$WATCH_DIR"/.* "$WATCH_DIR"/*; do [ -f "$x" ] && { echo "== $x"; cat "$x"; } >> "$SNAPSHOTS"; done; }
snap; "$REAL_SOPS" "$@"; rc=$?; snap; exit $rc
`)
	tool := Tool{Bin: wrapper, Env: append(f.tool.Env, "WATCH_DIR="+f.dir, "SNAPSHOTS="+snapshots, "REAL_SOPS="+realSops(t))}
	secrets := []string{marker("db-password"), marker("secret-key-base"), marker("pem-body"), marker("rotated-value"), marker("rotated-pem")}
	doc := "secrets:\n  DB_PASSWORD: \"" + secrets[0] + "\"\n  SECRET_KEY_BASE: \"" + secrets[1] + "\"\n" +
		"  OIDC_PRIVATE_KEY: |\n    -----BEGIN PRIVATE KEY-----\n    " + secrets[2] + "\n    -----END PRIVATE KEY-----\n"

	w := watch(t, f.dir)
	path := filepath.Join(f.dir, "secrets.yaml")
	enc, err := tool.Encrypt(ctx(t), []byte(doc), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.WriteFileAtomic(path, enc, 0o600, false); err != nil {
		t.Fatal(err)
	}
	if _, err := tool.Decrypt(ctx(t), enc, path); err != nil {
		t.Fatal(err)
	}
	out, err := tool.SetValues(ctx(t), path, enc, []Set{
		{Path: []string{"secrets", "SECRET_KEY_BASE"}, Value: secrets[3]},
		{Path: []string{"secrets", "OIDC_PRIVATE_KEY"}, Value: "-----BEGIN PRIVATE KEY-----\n" + secrets[4] + "\n-----END PRIVATE KEY-----\n"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.WriteFileAtomic(path, out, 0o600, true); err != nil {
		t.Fatal(err)
	}
	seen := w.stop(t)

	snap, err := os.ReadFile(snapshots)
	if err != nil {
		t.Fatal(err)
	}
	// The watch saw the working copy, the atomic write's temporary file and the backup: it
	// looks where a leak would be.
	var names []string
	for name := range seen {
		names = append(names, name)
	}
	all := strings.Join(names, " ")
	for _, want := range []string{".secrets.yaml.sops-set-", ".secrets.yaml.tmp-", "secrets.yaml.bak-"} {
		if !strings.Contains(all, want) && !strings.Contains(string(snap), want) {
			t.Errorf("the watch never saw a %s* file (saw %s)", want, all)
		}
	}
	if !strings.Contains(string(snap), ".sops-set-") {
		t.Error("the snapshots never caught the working copy")
	}
	final := map[string][][]byte{}
	for _, name := range dirNames(t, f.dir) {
		data, _ := os.ReadFile(filepath.Join(f.dir, name))
		final[name] = [][]byte{data}
	}
	for _, l := range append(append(leaks(seen, secrets), leaks(map[string][][]byte{"a snapshot": {snap}}, secrets)...), leaks(final, secrets)...) {
		t.Errorf("plaintext on disk: %s", l)
	}
}

// The watch is able to catch a leak: a plaintext file written, then removed at once.
func TestWatchCatchesPlaintext(t *testing.T) {
	dir := t.TempDir()
	secret := marker("leaked")
	w := watch(t, dir)
	p := filepath.Join(dir, ".tmp-plain")
	if err := os.WriteFile(p, []byte("secrets:\n  A: "+secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	seen := w.stop(t)
	_ = os.Remove(p)
	if got := leaks(seen, []string{secret}); len(got) == 0 {
		t.Errorf("the watch missed a plaintext file (saw %v)", seen)
	}
}

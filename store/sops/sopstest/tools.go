package sopstest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Hint is the one line a test fails with when the real tools are missing.
const Hint = "put sops and age on PATH (export PATH=$PATH:/root/go/bin; install: go install github.com/getsops/sops/v3/cmd/sops@v3.13.3 filippo.io/age/cmd/...@latest)"

// Need returns the path of the real sops binary, failing the test when sops, age or
// age-keygen is not on PATH.
func Need(t testing.TB) string {
	t.Helper()
	var sops string
	for _, name := range []string{"sops", "age", "age-keygen"} {
		p, err := exec.LookPath(name)
		if err != nil {
			t.Fatalf("%s not found: %s", name, Hint)
		}
		if name == "sops" {
			sops = p
		}
	}
	return sops
}

// AgeKey makes a fresh age identity in dir and returns its key file and recipient.
func AgeKey(t testing.TB, dir, name string) (keyFile, recipient string) {
	t.Helper()
	keyFile = filepath.Join(dir, name+".txt")
	if out, err := exec.CommandContext(t.Context(), "age-keygen", "-o", keyFile).CombinedOutput(); err != nil {
		t.Fatalf("age-keygen: %v: %s (%s)", err, out, Hint)
	}
	out, err := exec.CommandContext(t.Context(), "age-keygen", "-y", keyFile).Output()
	if err != nil {
		t.Fatalf("age-keygen -y: %v", err)
	}
	return keyFile, strings.TrimSpace(string(out))
}

// Env is a sops environment with nothing of the developer's: the test's PATH, an empty HOME
// (no ~/.config/sops/age/keys.txt, no ~/.ssh keys), no SOPS_*, AWS_* or GnuPG settings, plus
// extra.
func Env(t testing.TB, extra ...string) []string {
	t.Helper()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "SOPS_DISABLE_VERSION_CHECK=true"}
	return slices.Clip(append(env, extra...))
}

// Marker returns prefix with random hex appended: a value no file holds by chance.
func Marker(prefix string) string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}

// Script writes an executable shell script and returns its path.
func Script(t testing.TB, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	//nolint:gosec // a script must be executable
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

// SnapshotWrapper writes, into a new directory, a script called sops that copies every file
// of watchDir into the file snapshots before and after running the real sops with its
// arguments: a plaintext file that lives only while sops runs is caught too. It returns the
// directory (put it first on PATH) and the snapshots file.
func SnapshotWrapper(t testing.TB, watchDir string) (binDir, snapshots string) {
	t.Helper()
	real := Need(t)
	binDir = t.TempDir()
	snapshots = filepath.Join(t.TempDir(), "snapshots")
	Script(t, binDir, "sops", `snap() { for x in "`+watchDir+`"/.* "`+watchDir+`"/*; do [ -f "$x" ] && { echo "== $x"; cat "$x"; } >> "`+snapshots+`"; done; }
snap; "`+real+`" "$@"; rc=$?; snap; exit $rc
`)
	return binDir, snapshots
}

// Names lists the files seen, sorted.
func Names(seen map[string][][]byte) []string {
	var out []string
	for name := range seen {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Leaks lists, one line each, the secrets found in contents (a secret is named by its first
// 12 characters).
func Leaks(contents map[string][][]byte, secrets []string) []string {
	var out []string
	for name, versions := range contents {
		for _, data := range versions {
			for _, s := range secrets {
				if bytes.Contains(data, []byte(s)) {
					out = append(out, name+" held "+s[:min(12, len(s))]+"…")
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// Files reads every regular file now in dir, for Leaks.
func Files(t testing.TB, dir string) map[string][][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][][]byte{}
	for _, e := range entries {
		if e.Type().IsRegular() {
			data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			out[e.Name()] = [][]byte{data}
		}
	}
	return out
}

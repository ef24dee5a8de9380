package sops

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// toolHint is the one line a test fails with when the real tools are missing.
const toolHint = "put sops and age on PATH (export PATH=$PATH:/root/go/bin; install: go install github.com/getsops/sops/v3/cmd/sops@v" +
	TestedVersion + " filippo.io/age/cmd/...@latest)"

// realSops returns the path of the real sops binary, failing the test when sops, age or
// age-keygen is missing.
func realSops(t *testing.T) string {
	t.Helper()
	var sops string
	for _, name := range []string{"sops", "age", "age-keygen"} {
		p, err := exec.LookPath(name)
		if err != nil {
			t.Fatalf("%s not found: %s", name, toolHint)
		}
		if name == "sops" {
			sops = p
		}
	}
	return sops
}

// ageKey makes a fresh age identity in dir and returns its key file and recipient.
func ageKey(t *testing.T, dir, name string) (keyFile, recipient string) {
	t.Helper()
	keyFile = filepath.Join(dir, name+".txt")
	if out, err := exec.Command("age-keygen", "-o", keyFile).CombinedOutput(); err != nil {
		t.Fatalf("age-keygen: %v: %s (%s)", err, out, toolHint)
	}
	out, err := exec.Command("age-keygen", "-y", keyFile).Output()
	if err != nil {
		t.Fatalf("age-keygen -y: %v", err)
	}
	return keyFile, strings.TrimSpace(string(out))
}

// testEnv is a sops environment with nothing of the developer's: the test's PATH, an empty
// HOME (no ~/.config/sops/age/keys.txt, no ~/.ssh keys), no SOPS_*, AWS_* or GnuPG settings,
// plus extra.
func testEnv(t *testing.T, extra ...string) []string {
	t.Helper()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "SOPS_DISABLE_VERSION_CHECK=true"}
	return slices.Clip(append(env, extra...))
}

// fixture is a directory with an age key and a .sops.yaml encrypting everything for it.
type fixture struct {
	dir       string // physical path of the temp dir
	keyFile   string
	recipient string
	tool      Tool
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	realSops(t)
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	keys := t.TempDir() // keys outside dir, so that scans of dir see only what the code wrote
	f := fixture{dir: dir}
	f.keyFile, f.recipient = ageKey(t, keys, "key")
	f.tool = Tool{Env: testEnv(t, "SOPS_AGE_KEY_FILE="+f.keyFile)}
	writeFile(t, filepath.Join(dir, ".sops.yaml"), "creation_rules:\n  - path_regex: \\.yaml$\n    age: "+f.recipient+"\n")
	return f
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// ctx is a context that ends with the test, bounded so a hanging sops fails the test.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

// script writes an executable shell script and returns its path.
func script(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

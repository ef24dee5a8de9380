package sops

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"crewai-setup/store/sops/sopstest"
)

// realSops returns the path of the real sops binary, failing the test when sops, age or
// age-keygen is missing.
func realSops(t *testing.T) string { t.Helper(); return sopstest.Need(t) }

// ageKey makes a fresh age identity in dir and returns its key file and recipient.
func ageKey(t *testing.T, dir, name string) (keyFile, recipient string) {
	t.Helper()
	return sopstest.AgeKey(t, dir, name)
}

// testEnv is a sops environment with nothing of the developer's (sopstest.Env).
func testEnv(t *testing.T, extra ...string) []string { t.Helper(); return sopstest.Env(t, extra...) }

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
	return sopstest.Script(t, dir, name, body)
}

// The shared test helpers name the sops release the tests run against.
func TestHintNamesTestedVersion(t *testing.T) {
	if !strings.Contains(sopstest.Hint, "sops@v"+TestedVersion) {
		t.Errorf("sopstest.Hint names another sops than %s: %s", TestedVersion, sopstest.Hint)
	}
}

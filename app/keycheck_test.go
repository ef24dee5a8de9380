package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/model/pemkey"
)

// init --non-interactive with a 4096-bit GitHub App key tests the key's factors for
// primality once, although it reads, validates, describes and writes the key. The key file is
// used by no other test, so the process has not tested it before.
func TestInitTestsTheGitHubAppKeyOnce(t *testing.T) {
	dir := t.TempDir()
	example, err := os.ReadFile("../testdata/answers.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	key, err := filepath.Abs("testdata/github-app-4096.pem")
	if err != nil {
		t.Fatal(err)
	}
	answers := strings.Replace(string(example), "githubAppPrivateKeyFile: example-github-app.pem", "githubAppPrivateKeyFile: "+key, 1)
	if answers == string(example) {
		t.Fatal("the example answers no longer name example-github-app.pem: update this test")
	}
	path := filepath.Join(dir, "answers.yaml")
	if err := os.WriteFile(path, []byte(answers), 0o600); err != nil {
		t.Fatal(err)
	}
	before := pemkey.PrimalityTests()
	stdout, stderr, err := run(t, "", "init", "--non-interactive", "--answers", path, "--out", filepath.Join(dir, "out"))
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	tests := pemkey.PrimalityTests() - before
	if !strings.Contains(stdout, "RSA 4096-bit") {
		t.Fatalf("the summary does not describe the 4096-bit key:\n%s", stdout)
	}
	// 0 only when this test runs again in the same process (-count): the key is remembered.
	if tests > 1 {
		t.Errorf("the key's factors were tested %d times in one run, want once", tests)
	}
}

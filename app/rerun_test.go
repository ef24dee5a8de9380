package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/model"
)

// readDir reads values.yaml and secrets.yaml of dir as Helm would merge them.
func readDir(t *testing.T, dir string) *model.Answers {
	t.Helper()
	a := model.NewAnswers(model.NewCatalog())
	for _, name := range []string{"values.yaml", "secrets.yaml"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Merge(data, name, false); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

const argoAnswers = "wizard:\n  argocd: true\n  replicated: true\npostgres:\n  enabled: true\nenvVars:\n  AUTH_PROVIDER: local\nsecrets:\n  DB_PASSWORD: \"pw\"\n"

// A re-run of init --answers over files it wrote earlier keeps what it was not asked to change:
// keys kept by hand, and under ArgoCD every secret it generated (ENCRYPTION_KEY and the Active
// Record keys above all), and says which keys changed.
func TestRerunKeepsHandKeptAndGeneratedKeys(t *testing.T) {
	dir := t.TempDir()
	answers, out := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "out")
	mustWrite(t, answers, argoAnswers)
	if _, stderr, err := run(t, "", "init", "--answers", answers, "--out", out, "--non-interactive"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	first := readDir(t, out)
	// An operator adds a key by hand and a comment.
	secretsPath := filepath.Join(out, "secrets.yaml")
	data, _ := os.ReadFile(secretsPath)
	mustWrite(t, secretsPath, strings.Replace(string(data), "secrets:\n", "secrets:\n  # kept by hand\n  MY_EXTRA_TOKEN: \"keep-me\"\n", 1))

	// Run again with a changed password.
	mustWrite(t, answers, strings.Replace(argoAnswers, `DB_PASSWORD: "pw"`, `DB_PASSWORD: "new-pw"`, 1))
	_, stderr, err := run(t, "", "init", "--answers", answers, "--out", out, "--non-interactive")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	second := readDir(t, out)
	for _, e := range model.NewCatalog().Entries() {
		if e.ArgoCD && first.Get(e.Path) != "" && second.Get(e.Path) != first.Get(e.Path) {
			t.Errorf("%s was generated again on the re-run", e.Path)
		}
	}
	after, _ := os.ReadFile(secretsPath)
	if !strings.Contains(string(after), "  # kept by hand\n  MY_EXTRA_TOKEN: \"keep-me\"\n") {
		t.Errorf("the hand-kept key or its comment was dropped:\n%s", after)
	}
	if second.Get("secrets.DB_PASSWORD") != "new-pw" {
		t.Error("the changed password was not written")
	}
	if !strings.Contains(stderr, "changed secrets.DB_PASSWORD") || strings.Contains(stderr, "changed secrets.ENCRYPTION_KEY") {
		t.Errorf("the report does not name exactly the changed key:\n%s", stderr)
	}
}

// init never changes a key that protects data at rest (or deployed crews' tokens, or cloud
// trust): an answers file that would is refused, nothing is written.
func TestRerunRefusesDataAtRestChange(t *testing.T) {
	dir := t.TempDir()
	answers, out := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "out")
	mustWrite(t, answers, argoAnswers)
	if _, stderr, err := run(t, "", "init", "--answers", answers, "--out", out, "--non-interactive"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	before, _ := os.ReadFile(filepath.Join(out, "secrets.yaml"))
	mustWrite(t, answers, argoAnswers+"  ENCRYPTION_KEY: \""+strings.Repeat("ab", 32)+"\"\n")
	for _, extra := range [][]string{nil, {"--force"}} {
		_, stderr, err := run(t, "", append([]string{"init", "--answers", answers, "--out", out, "--non-interactive"}, extra...)...)
		if !errors.Is(err, ErrBadInput) || !strings.Contains(stderr, "rotate ENCRYPTION_KEY --confirm ENCRYPTION_KEY") {
			t.Fatalf("%v: a changed ENCRYPTION_KEY was not refused (err=%v):\n%s", extra, err, stderr)
		}
		if after, _ := os.ReadFile(filepath.Join(out, "secrets.yaml")); string(after) != string(before) {
			t.Fatalf("%v: secrets.yaml changed although init refused", extra)
		}
	}
}

// --force replaces the files but keeps every generated value.
func TestRerunForceKeepsGenerated(t *testing.T) {
	dir := t.TempDir()
	answers, out := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "out")
	mustWrite(t, answers, argoAnswers)
	if _, stderr, err := run(t, "", "init", "--answers", answers, "--out", out, "--non-interactive"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	first := readDir(t, out)
	_, stderr, err := run(t, "", "init", "--answers", answers, "--out", out, "--non-interactive", "--force")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	second := readDir(t, out)
	for _, p := range []string{"secrets.ENCRYPTION_KEY", "secrets.ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY", "secrets.OIDC_PRIVATE_KEY", model.FingerprintKeyPath} {
		if first.Get(p) == "" || second.Get(p) != first.Get(p) {
			t.Errorf("%s changed under --force", p)
		}
	}
	if !strings.Contains(stderr, "kept secrets.ENCRYPTION_KEY from the existing files") {
		t.Errorf("--force does not say what it kept:\n%s", stderr)
	}
}

// --force with --from replaces the files just as with files found in --out: a key kept by hand
// is gone, every generated value is kept.
func TestFromForceReplaces(t *testing.T) {
	dir := t.TempDir()
	answers, out := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "out")
	mustWrite(t, answers, argoAnswers)
	if _, stderr, err := run(t, "", "init", "--answers", answers, "--out", out, "--non-interactive"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	first := readDir(t, out)
	secretsPath := filepath.Join(out, "secrets.yaml")
	data, _ := os.ReadFile(secretsPath)
	mustWrite(t, secretsPath, strings.Replace(string(data), "secrets:\n", "secrets:\n  MY_EXTRA_TOKEN: \"hand-kept\"\n", 1))
	_, stderr, err := run(t, "", "init", "--from", out, "--answers", answers, "--non-interactive", "--force")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if after, _ := os.ReadFile(secretsPath); strings.Contains(string(after), "MY_EXTRA_TOKEN") {
		t.Errorf("--from --force edited secrets.yaml in place instead of replacing it:\n%s", after)
	}
	second := readDir(t, out)
	for _, p := range []string{"secrets.ENCRYPTION_KEY", "secrets.ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY", model.FingerprintKeyPath} {
		if first.Get(p) == "" || second.Get(p) != first.Get(p) {
			t.Errorf("%s changed under --from --force", p)
		}
	}
	if !strings.Contains(stderr, "kept secrets.ENCRYPTION_KEY from the existing files") {
		t.Errorf("--from --force does not say what it kept:\n%s", stderr)
	}
}

// A key file the answers name on a re-run wins over the key the existing files hold, as a
// later -f file would; the answers' findings are reported once.
func TestRerunKeyFileFromAnswersWins(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if _, stderr, err := run(t, "", "init", "--answers", "../testdata/answers.example.yaml", "--out", out, "--non-interactive"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	first := readDir(t, out).Get("secrets.GITHUB_APP_PRIVATE_KEY")
	example, err := os.ReadFile("../testdata/answers.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	key, err := filepath.Abs("testdata/github-app-4096.pem")
	if err != nil {
		t.Fatal(err)
	}
	answers := filepath.Join(dir, "a.yaml")
	withKey := strings.Replace(string(example), "githubAppPrivateKeyFile: example-github-app.pem", "githubAppPrivateKeyFile: "+key, 1)
	mustWrite(t, answers, strings.Replace(withKey, "\nenvVars:\n", "\nenvVars:\n  DB_PROT: \"5432\"\n", 1))
	_, stderr, err := run(t, "", "init", "--answers", answers, "--out", out, "--non-interactive")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if second := readDir(t, out).Get("secrets.GITHUB_APP_PRIVATE_KEY"); second == first || second == "" {
		t.Error("the key file the answers name did not replace the key in the existing files")
	}
	if !strings.Contains(stderr, "changed secrets.GITHUB_APP_PRIVATE_KEY") {
		t.Errorf("the report does not name the changed key:\n%s", stderr)
	}
	if n := strings.Count(stderr, "envVars.DB_PROT"); n != 1 {
		t.Errorf("the answers' finding on envVars.DB_PROT is reported %d times:\n%s", n, stderr)
	}
}

// init --from never carries a value Helm misreads forward silently: alone it refuses with the
// finding (exit 2); with the value given again (here from an answers file; in the wizard by
// editing the field) the file gets it quoted, whatever else it keeps.
func TestFromRefusesValuesHelmMisreads(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "values.yaml"), "postgres:\n  enabled: true\nenvVars:\n  AUTH_PROVIDER: local\n  DB_PORT: 05432 # octal to Helm\n")
	mustWrite(t, filepath.Join(dir, "secrets.yaml"), "secrets:\n  DB_PASSWORD: \"pw\"\n")
	mustWrite(t, filepath.Join(dir, "crewai-setup.yaml"), "wizard:\n  replicated: true\n")
	_, stderr, err := run(t, "", "init", "--from", dir, "--non-interactive")
	if !errors.Is(err, ErrBadInput) || !strings.Contains(stderr, "envVars.DB_PORT") || !strings.Contains(stderr, "the number 2842") {
		t.Fatalf("want the octal port refused with what Helm reads (err=%v):\n%s", err, stderr)
	}
	answers := filepath.Join(t.TempDir(), "a.yaml")
	mustWrite(t, answers, "envVars:\n  DB_PORT: \"5432\"\n")
	if _, stderr, err := run(t, "", "init", "--from", dir, "--answers", answers, "--non-interactive"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	values, _ := os.ReadFile(filepath.Join(dir, "values.yaml"))
	if !strings.Contains(string(values), `DB_PORT: "5432" # octal to Helm`) {
		t.Fatalf("the port was not written quoted, in place:\n%s", values)
	}
}

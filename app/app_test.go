package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run executes the CLI with captured streams, as a pipe (no terminal).
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = Run(args, IO{In: strings.NewReader(stdin), Out: &out, Err: &errb, Getenv: func(string) string { return "" }})
	return out.String(), errb.String(), err
}

func TestInitExampleAnswers(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, err := run(t, "", "init", "--answers", "../testdata/answers.example.yaml", "--out", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for name, mode := range map[string]os.FileMode{"values.yaml": 0o644, "secrets.yaml": 0o600, "summary.md": 0o644} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s has mode %v, want %v", name, st.Mode().Perm(), mode)
		}
	}
	summary, _ := os.ReadFile(filepath.Join(dir, "summary.md"))
	if stdout != string(summary) {
		t.Error("init did not print the summary it wrote")
	}
	secrets, _ := os.ReadFile(filepath.Join(dir, "secrets.yaml"))
	if strings.Contains(stdout+stderr, "example-github-client-secret") || !strings.Contains(string(secrets), "example-github-client-secret") {
		t.Error("a secret was printed, or not written")
	}

	// A second run edits the files in place: nothing changed, so secrets.yaml keeps its bytes
	// (the generated webhook secret included: generated once) and needs no backup.
	if _, stderr, err := run(t, "", "init", "--answers", "../testdata/answers.example.yaml", "--out", dir); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "secrets.yaml")); string(again) != string(secrets) {
		t.Fatalf("a second run with the same answers changed secrets.yaml:\n%s", again)
	}
	if backups, _ := filepath.Glob(filepath.Join(dir, "secrets.yaml.bak-*")); len(backups) != 0 {
		t.Fatalf("an unchanged file was backed up: %v", backups)
	}
	// --force replaces the files, keeping the first run's as backups and the generated secret.
	if _, stderr, err := run(t, "", "init", "--answers", "../testdata/answers.example.yaml", "--out", dir, "--force"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "secrets.yaml")); string(again) != string(secrets) {
		t.Errorf("--force regenerated or dropped a value:\n%s", again)
	}
	backups, _ := filepath.Glob(filepath.Join(dir, "secrets.yaml.bak-*"))
	if len(backups) != 1 {
		t.Fatalf("want one secrets backup, got %v", backups)
	}
	if st, _ := os.Stat(backups[0]); st.Mode().Perm() != 0o600 {
		t.Errorf("secrets backup has mode %v", st.Mode().Perm())
	}
}

// Invalid answers: every problem on stderr, exit 2, nothing written, no secret echoed.
func TestInitInvalidWritesNothing(t *testing.T) {
	dir := t.TempDir()
	answers := filepath.Join(dir, "answers.yaml")
	mustWrite(t, answers, `
postgres: {enabled: false}
envVars:
  DB_PORT: "99999"
  AUTH_PROVIDER: okta
secrets:
  WORKOS_API_KEY: "pk_secret_value_123"
  RAILS_MASTER_KEY: "abc"
`)
	out := filepath.Join(dir, "out")
	_, stderr, err := run(t, "", "init", "--answers", answers, "--out", out, "--non-interactive")
	if !errors.Is(err, ErrBadInput) {
		t.Fatalf("want ErrBadInput, got %v", err)
	}
	for _, want := range []string{"secrets.DB_PASSWORD", "envVars.DB_HOST", "envVars.DB_PORT", "envVars.OKTA_SITE",
		"secrets.OKTA_CLIENT_SECRET", "secrets.WORKOS_API_KEY", "secrets.RAILS_MASTER_KEY", "nothing was written"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not mention %s:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "pk_secret_value_123") {
		t.Error("stderr shows a secret value")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("output directory was created although validation failed")
	}
}

func TestInitNeedsAnswersWithoutTerminal(t *testing.T) {
	_, stderr, err := run(t, "", "init")
	if !errors.Is(err, ErrUsage) || !strings.Contains(stderr, "--answers") {
		t.Fatalf("err=%v stderr=%s", err, stderr)
	}
}

func TestInitSyntaxError(t *testing.T) {
	dir := t.TempDir()
	answers := filepath.Join(dir, "a.yaml")
	mustWrite(t, answers, "secrets:\n  DB_PASSWORD: x\n  bad: [\n")
	_, stderr, err := run(t, "", "init", "--answers", answers, "--out", dir)
	if !errors.Is(err, ErrBadInput) || !strings.Contains(stderr, "a.yaml") || !strings.Contains(stderr, "line") {
		t.Fatalf("err=%v stderr=%s", err, stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"init", "--bogus"}, {"init", "extra-arg"}, {"check"}, {"check", "--format", "xml", "x"}} {
		if _, _, err := run(t, "", args...); !errors.Is(err, ErrUsage) {
			t.Errorf("%v: want ErrUsage, got %v", args, err)
		}
	}
	for _, args := range [][]string{{"--help"}, {"help"}, {"init", "--help"}, {"check", "--help"}, {"--version"}} {
		if out, _, err := run(t, "", args...); err != nil || out == "" {
			t.Errorf("%v: err=%v, stdout empty=%v", args, err, out == "")
		}
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	values := filepath.Join(dir, "values.yaml")
	secrets := filepath.Join(dir, "secrets.yaml")
	override := filepath.Join(dir, "override.yaml")
	mustWrite(t, values, "postgres:\n  enabled: true\nenvVars:\n  AUTH_PROVIDER: local\n  DB_PORT: \"70000\"\n")
	mustWrite(t, secrets, "secrets:\n  DB_PASSWORD: pw\n")
	mustWrite(t, override, "envVars:\n  DB_PORT: \"5432\"\n")

	out, _, err := run(t, "", "check", "--replicated", "--strict", values, secrets)
	if !errors.Is(err, ErrFindings) || !strings.Contains(out, "envVars.DB_PORT ("+values+":5)") {
		t.Fatalf("want a DB_PORT finding with file and line; err=%v\n%s", err, out)
	}
	// Later files win, as with helm -f.
	if out, _, err := run(t, "", "check", "--replicated", values, secrets, override); err != nil {
		t.Fatalf("override not applied: %v\n%s", err, out)
	}
	// Without secrets.yaml the password is missing; JSON lists it.
	out, _, err = run(t, "", "check", "--format", "json", "--replicated", values, override)
	if !errors.Is(err, ErrFindings) {
		t.Fatalf("want findings, got %v", err)
	}
	var rep checkReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Errors != 1 || rep.Findings[0].Path != "secrets.DB_PASSWORD" {
		t.Fatalf("unexpected report %+v", rep)
	}
	// ArgoCD: chart-generated secrets must be pinned.
	out, _, _ = run(t, "", "check", "--argocd", "--replicated", values, secrets, override)
	if !strings.Contains(out, "secrets.SECRET_KEY_BASE") || !strings.Contains(out, "ArgoCD") {
		t.Fatalf("ArgoCD check did not ask for pinned secrets:\n%s", out)
	}
	// A YAML error names the file and line and is bad input, not a finding.
	mustWrite(t, override, "envVars: [\n")
	if _, stderr, err := run(t, "", "check", values, override); !errors.Is(err, ErrBadInput) || !strings.Contains(stderr, "override.yaml: line") {
		t.Fatalf("err=%v stderr=%s", err, stderr)
	}
}

// check reads crewai-setup.yaml where init writes it and rotate reads it, beside the secrets
// file (the last one), and a flag given wins over what it remembers, as with rotate.
func TestCheckRemembersBesideSecrets(t *testing.T) {
	valuesDir, secretsDir := t.TempDir(), t.TempDir()
	values, secrets := filepath.Join(valuesDir, "values.yaml"), filepath.Join(secretsDir, "secrets.yaml")
	mustWrite(t, values, "postgres:\n  enabled: true\nenvVars:\n  AUTH_PROVIDER: local\n")
	mustWrite(t, secrets, "secrets:\n  DB_PASSWORD: pw\n")
	mustWrite(t, filepath.Join(secretsDir, "crewai-setup.yaml"), "wizard:\n  argocd: true\n  replicated: true\n")
	const argo = "secrets.SECRET_KEY_BASE: must be set explicitly under ArgoCD"
	out, _, err := run(t, "", "check", values, secrets)
	if !errors.Is(err, ErrFindings) || !strings.Contains(out, argo) {
		t.Errorf("check did not read crewai-setup.yaml beside the secrets file (err=%v):\n%s", err, out)
	}
	out, _, err = run(t, "", "check", "--argocd=false", values, secrets)
	if err != nil || strings.Contains(out, "ArgoCD") {
		t.Errorf("--argocd=false did not win over the remembered ArgoCD (err=%v):\n%s", err, out)
	}
}

// Re-running init on existing files edits them in place: only the changed value's text moves.
func TestInitFromExistingFiles(t *testing.T) {
	dir := t.TempDir()
	values := "# hand-written\npostgres:\n  enabled: true\nenvVars:\n  AUTH_PROVIDER: local   # for now\n  EXTRA: 'kept'\n"
	secrets := "secrets:\n  DB_PASSWORD: 'old'\n"
	mustWrite(t, filepath.Join(dir, "values.yaml"), values)
	mustWrite(t, filepath.Join(dir, "secrets.yaml"), secrets)
	answers := filepath.Join(dir, "change.yaml")
	mustWrite(t, answers, "wizard: {replicated: true}\nsecrets:\n  DB_PASSWORD: new\n")
	_, stderr, err := run(t, "", "init", "--from", dir, "--answers", answers, "--non-interactive")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "values.yaml")); string(got) != values {
		t.Fatalf("values.yaml changed although nothing in it did:\n%s", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "secrets.yaml")); string(got) != "secrets:\n  DB_PASSWORD: 'new'\n" {
		t.Fatalf("secrets.yaml:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "summary.md")); err != nil {
		t.Fatal("summary.md not written next to the files")
	}
}

// mustWrite writes a test file, failing the test when it cannot.
func mustWrite(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

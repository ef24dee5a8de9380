package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/model"
	"crewai-setup/model/pemkey"
)

// rotateDir makes a directory with a values and a secrets file written by hand, with the
// comments, quoting and line endings a tool must not disturb.
func rotateDir(t *testing.T) (dir, values, secrets string) {
	t.Helper()
	dir = t.TempDir()
	values = filepath.Join(dir, "values.yaml")
	secrets = filepath.Join(dir, "secrets.yaml")
	mustWrite(t, values, "# platform values\nenvVars:\n  DB_HOST: db  # primary\n  AUTH_PROVIDER: local\npostgres: {enabled: false}\n")
	mustWrite(t, secrets, "secrets:\r\n  # rotated quarterly\r\n  DB_PASSWORD: 'old pw'   # keep\r\n  SECRET_KEY_BASE: abc\r\n  ENCRYPTION_KEY: \"00112233\"\r\n  UNKNOWN_TO_TOOL: [1, 2]\r\n")
	if err := os.Chmod(secrets, 0o640); err != nil { // a group-readable secrets file: rotating tightens it to 0600 (issue 11)
		t.Fatal(err)
	}
	return dir, values, secrets
}

func runIn(t *testing.T, dir, stdin string, args ...string) (string, string, error) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := os.Chdir(wd); err != nil {
			t.Fatal(err)
		}
	}()
	return run(t, stdin, args...)
}

func TestRotateGeneratedKeyChangesOnlyItsText(t *testing.T) {
	dir, values, secrets := rotateDir(t)
	beforeValues, _ := os.ReadFile(values)
	before, _ := os.ReadFile(secrets)
	out, stderr, err := runIn(t, dir, "", "rotate", "--yes", "SECRET_KEY_BASE")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	after, _ := os.ReadFile(secrets)
	bl, al := strings.Split(string(before), "\n"), strings.Split(string(after), "\n")
	if len(bl) != len(al) {
		t.Fatalf("line count changed:\n%s", after)
	}
	changed := 0
	for i := range bl {
		if bl[i] != al[i] {
			changed++
			if !strings.HasPrefix(al[i], "  SECRET_KEY_BASE: ") || !strings.HasSuffix(al[i], "\r") {
				t.Errorf("unexpected change on line %d: %q", i+1, al[i])
			}
		}
	}
	if changed != 1 {
		t.Fatalf("%d lines changed, want 1", changed)
	}
	if v, _ := os.ReadFile(values); string(v) != string(beforeValues) {
		t.Error("values.yaml changed although nothing in it was rotated")
	}
	if st, _ := os.Stat(secrets); st.Mode().Perm() != 0o600 {
		t.Errorf("secrets file not tightened to 0600: %v", st.Mode().Perm())
	}
	backups, _ := filepath.Glob(secrets + ".bak-*")
	if len(backups) != 1 {
		t.Fatalf("backups: %v", backups)
	}
	if b, _ := os.ReadFile(backups[0]); string(b) != string(before) {
		t.Error("backup does not hold the old file")
	}
	if strings.Contains(out+stderr, "abc\n") || !strings.Contains(out, "signed out") || !strings.Contains(out, "helm upgrade") {
		t.Errorf("output misses the consequence or the command, or shows a value:\n%s", out)
	}
}

func TestRotateRefusesWithoutTouching(t *testing.T) {
	dir, _, secrets := rotateDir(t)
	before, _ := os.ReadFile(secrets)
	for _, tc := range []struct {
		name string
		args []string
		want string
		err  error
	}{
		{"unknown key", []string{"rotate", "--yes", "NOPE_KEY"}, "not a key this tool knows", ErrBadInput},
		{"not a credential", []string{"rotate", "--yes", "envVars.DB_HOST"}, "not a credential", ErrBadInput},
		{"ambiguous", []string{"rotate", "--yes", "DB_USER"}, "ambiguous", ErrBadInput},
		{"cannot generate", []string{"rotate", "--yes", "DB_PASSWORD"}, "--from-file secrets.DB_PASSWORD=PATH", ErrBadInput},
		{"data at rest needs confirm", []string{"rotate", "--yes", "ENCRYPTION_KEY"}, "--confirm ENCRYPTION_KEY", ErrBadInput},
		{"no --yes without terminal", []string{"rotate", "SECRET_KEY_BASE"}, "add --yes", ErrUsage},
		{"no keys without terminal", []string{"rotate"}, "secrets.SECRET_KEY_BASE", ErrUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := runIn(t, dir, "", tc.args...)
			if !errors.Is(err, tc.err) || !strings.Contains(stderr, tc.want) {
				t.Fatalf("err=%v, stderr:\n%s", err, stderr)
			}
			if after, _ := os.ReadFile(secrets); string(after) != string(before) {
				t.Fatal("the file was changed")
			}
			if b, _ := filepath.Glob(secrets + ".bak-*"); len(b) != 0 {
				t.Fatal("a backup was made although nothing was written")
			}
		})
	}
}

func TestRotateFromFileAndStdin(t *testing.T) {
	dir, _, secrets := rotateDir(t)
	pw := filepath.Join(dir, "pw.txt")
	mustWrite(t, pw, "n3w:p@ss/w?rd#%\n")
	_, stderr, err := runIn(t, dir, "", "rotate", "--yes", "--from-file", "DB_PASSWORD="+pw)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	got := readAnswers(t, secrets)
	if got.Get("secrets.DB_PASSWORD") != "n3w:p@ss/w?rd#%" {
		t.Fatalf("DB_PASSWORD = %q", got.Get("secrets.DB_PASSWORD"))
	}
	data, _ := os.ReadFile(secrets)
	if !strings.Contains(string(data), "# keep") || !strings.Contains(string(data), "UNKNOWN_TO_TOOL: [1, 2]") {
		t.Fatalf("comment or unknown key lost:\n%s", data)
	}
	// A key read from stdin; 64-hex encryption key with the data-loss confirmation.
	_, stderr, err = runIn(t, dir, strings.Repeat("ab", 32)+"\n", "rotate", "--yes", "--from-stdin", "ENCRYPTION_KEY", "--confirm", "ENCRYPTION_KEY")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if readAnswers(t, secrets).Get("secrets.ENCRYPTION_KEY") != strings.Repeat("ab", 32) {
		t.Fatal("ENCRYPTION_KEY not rotated from stdin")
	}
	// An invalid supplied value is refused with the rule's message.
	mustWrite(t, pw, "not-hex")
	_, stderr, err = runIn(t, dir, "", "rotate", "--yes", "--confirm", "ENCRYPTION_KEY", "--from-file", "ENCRYPTION_KEY="+pw)
	if !errors.Is(err, ErrBadInput) || !strings.Contains(stderr, "hexadecimal") {
		t.Fatalf("err=%v\n%s", err, stderr)
	}
}

// Paired keys rotate together; a key the chart generated is written explicitly.
func TestRotatePairsAndChartGenerated(t *testing.T) {
	dir, _, secrets := rotateDir(t)
	out, stderr, err := runIn(t, dir, "", "rotate", "--yes", "secrets.OIDC_PRIVATE_KEY", "--confirm", "OIDC_PRIVATE_KEY")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	a := readAnswers(t, secrets)
	if _, err := pemkey.ParsePrivateKeyPEM(a.Get("secrets.OIDC_PRIVATE_KEY")); err != nil {
		t.Fatalf("OIDC key not written as a PEM: %v", err)
	}
	if !strings.HasPrefix(a.Get("secrets.OIDC_KEY_ID"), "crewai-oidc-") {
		t.Fatal("OIDC_KEY_ID did not rotate with its key")
	}
	if !strings.Contains(out, "lookup") || !strings.Contains(out, "rotates together with secrets.OIDC_PRIVATE_KEY") {
		t.Fatalf("missing explanations:\n%s", out)
	}
}

func readAnswers(t *testing.T, path string) *model.Answers {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a := model.NewAnswers(model.NewCatalog())
	if _, err := a.Merge(data, path, false); err != nil {
		t.Fatal(err)
	}
	return a
}

// A rotated value that must also be entered elsewhere (the GitHub webhook secret) is named
// with where it goes; --reveal prints it once, and never without the flag.
func TestRotateRevealsWhatMustBeCopied(t *testing.T) {
	dir, _, secrets := rotateDir(t)
	out, stderr, err := runIn(t, dir, "", "rotate", "GITHUB_WEBHOOK_SECRET_TOKEN", "--yes")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	a := readAnswers(t, secrets)
	v := a.Get("secrets.GITHUB_WEBHOOK_SECRET_TOKEN")
	if strings.Contains(out+stderr, v) || !strings.Contains(out, "webhook settings") || !strings.Contains(out, "--reveal") {
		t.Fatalf("without --reveal: the value was shown, or where it goes was not said:\n%s", out)
	}
	out, stderr, err = runIn(t, dir, "", "rotate", "GITHUB_WEBHOOK_SECRET_TOKEN", "--yes", "--reveal")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	v = readAnswers(t, secrets).Get("secrets.GITHUB_WEBHOOK_SECRET_TOKEN")
	if strings.Count(out, v) != 1 || strings.Contains(stderr, v) {
		t.Fatalf("--reveal did not show the new value exactly once on stdout:\n%s", out)
	}
}

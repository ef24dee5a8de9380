package app

import (
	"crypto/md5"  // the test looks for weak hashes of secrets in the output
	"crypto/sha1" // same
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/model"
)

// TestNoGuessableFingerprints: nothing the tool prints or writes for people (stdout, stderr,
// summary.md, rotate's plan) holds an unkeyed hash of a secret — the first 8 hex characters of
// its MD5, SHA-1, SHA-256 or SHA-512, in hex or base64 — which would confirm a guessed password
// from a file meant to be shared. The keyed fingerprints still tell values apart.
func TestNoGuessableFingerprints(t *testing.T) {
	dir := t.TempDir()
	answers, out := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "out")
	secrets := map[string]string{
		"secrets.DB_PASSWORD": "Summer2024!", "secrets.GITHUB_TOKEN": "ghp_guessable", "secrets.UV_DEFAULT_INDEX": "https://u:Winter2023@pypi.example.com/simple/",
		"secrets.WORKOS_API_KEY": "sk_test_password1", "envVars.WORKOS_COOKIE_PASSWORD": "correcthorsebatterystaplecorrecthorse",
	}
	text := "wizard:\n  generate: [secrets.GITHUB_WEBHOOK_SECRET_TOKEN]\npostgres:\n  enabled: true\nenvVars:\n  AUTH_PROVIDER: workos\n" +
		"  WORKOS_CLIENT_ID: \"c\"\n  WORKOS_AUTHKIT_DOMAIN: \"x.authkit.app\"\n  WORKOS_COOKIE_PASSWORD: \"" + secrets["envVars.WORKOS_COOKIE_PASSWORD"] + "\"\n" +
		"secrets:\n"
	for _, k := range []string{"DB_PASSWORD", "GITHUB_TOKEN", "UV_DEFAULT_INDEX", "WORKOS_API_KEY"} {
		text += "  " + k + ": \"" + secrets["secrets."+k] + "\"\n"
	}
	mustWrite(t, answers, text)
	stdout, stderr, err := run(t, "", "init", "--answers", answers, "--out", out, "--non-interactive")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	// The generated secrets count too.
	written := model.NewAnswers(model.NewCatalog())
	data, err := os.ReadFile(filepath.Join(out, "secrets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := written.Merge(data, "secrets.yaml", false); err != nil {
		t.Fatal(err)
	}
	secrets["secrets.GITHUB_WEBHOOK_SECRET_TOKEN"] = written.Get("secrets.GITHUB_WEBHOOK_SECRET_TOKEN")
	// rotate prints a plan with before and after.
	plan, rstderr, err := runIn(t, out, "", "rotate", "secrets.GITHUB_WEBHOOK_SECRET_TOKEN", "--yes")
	if err != nil {
		t.Fatalf("%v\n%s", err, rstderr)
	}
	summary, err := os.ReadFile(filepath.Join(out, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{"stdout": stdout, "stderr": stderr, "summary.md": string(summary), "rotate": plan + rstderr}
	for key, v := range secrets {
		for name, sum := range map[string][]byte{"md5": sumMD5(v), "sha1": sumSHA1(v), "sha256": sumSHA256(v), "sha512": sumSHA512(v)} {
			for _, form := range []string{hex.EncodeToString(sum)[:8], base64.StdEncoding.EncodeToString(sum)[:8], base64.RawURLEncoding.EncodeToString(sum)[:8]} {
				for where, text := range outputs {
					if strings.Contains(text, form) {
						t.Errorf("%s holds the %s prefix %s of %s", where, name, form, key)
					}
				}
			}
		}
		for where, text := range outputs {
			if strings.Contains(text, v) {
				t.Errorf("%s holds the value of %s", where, key)
			}
		}
	}
	if !strings.Contains(string(summary), "(fp:") {
		t.Error("the summary shows no keyed fingerprints at all")
	}
}

func sumMD5(v string) []byte    { s := md5.Sum([]byte(v)); return s[:] }
func sumSHA1(v string) []byte   { s := sha1.Sum([]byte(v)); return s[:] }
func sumSHA256(v string) []byte { s := sha256.Sum256([]byte(v)); return s[:] }
func sumSHA512(v string) []byte { s := sha512.Sum512([]byte(v)); return s[:] }

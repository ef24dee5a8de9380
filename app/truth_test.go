package app

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/model"
	"crewai-setup/model/pemkey"

	"github.com/charmbracelet/x/exp/golden"
)

// The tests in this file follow the chart-truth issue item by item: each writes the files an
// operator might, runs the real command and asserts the finding (or its absence) and the exit
// status (the sentinel error main maps to it).

// checkFiles writes values.yaml and secrets.yaml and runs check on them with extra flags.
func checkFiles(t *testing.T, values, secrets string, flags ...string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	v, s := filepath.Join(dir, "values.yaml"), filepath.Join(dir, "secrets.yaml")
	mustWrite(t, v, values)
	mustWrite(t, s, secrets)
	out, _, err := run(t, "", append(append([]string{"check"}, flags...), v, s)...)
	return out, err
}

// finding returns the first output line about path, or "".
func finding(out, path string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, " "+path+" ") || strings.Contains(l, " "+path+":") {
			return l
		}
	}
	return ""
}

// baseValues is a plain, complete install every test changes one thing of.
const baseValues = "postgres:\n  enabled: true\nenvVars:\n  AUTH_PROVIDER: local\n"

const baseSecrets = "secrets:\n  DB_PASSWORD: \"pw\"\n"

func keyPEM(t *testing.T, block string, der []byte) string {
	t.Helper()
	return string(pem.EncodeToMemory(&pem.Block{Type: block, Bytes: der}))
}

// yamlBlock indents text as a literal block value.
func yamlBlock(text string) string {
	return "|\n    " + strings.ReplaceAll(strings.TrimSuffix(text, "\n"), "\n", "\n    ") + "\n"
}

// Item 1: Wharf connects as envVars.DB_USER, never as secrets.DB_USER.
func TestTruthWharfDatabaseUser(t *testing.T) {
	out, err := checkFiles(t, "postgres:\n  enabled: false\nenvVars:\n  DB_HOST: \"db\"\n  AUTH_PROVIDER: local\n",
		"secrets:\n  DB_PASSWORD: \"pw\"\n  DB_USER: \"crewai\"\n", "--replicated")
	if err != nil {
		t.Fatalf("a warning made check fail: %v\n%s", err, out)
	}
	if l := finding(out, "envVars.DB_USER"); !strings.HasPrefix(l, "warning") || !strings.Contains(l, "Wharf connects as envVars.DB_USER") {
		t.Fatalf("no warning that Wharf uses envVars.DB_USER:\n%s", out)
	}
	// init: the summary's SQL grants each database to the role that connects to it.
	dir := t.TempDir()
	answers := filepath.Join(dir, "a.yaml")
	mustWrite(t, answers, "wizard:\n  replicated: true\npostgres:\n  enabled: false\noauth:\n  enabled: true\n"+
		"envVars:\n  DB_HOST: \"db\"\n  DB_USER: \"wharf_role\"\n  AUTH_PROVIDER: local\nsecrets:\n  DB_PASSWORD: \"pw\"\n  DB_USER: \"app_role\"\n")
	summary, _, err := run(t, "", "init", "--answers", answers, "--out", filepath.Join(dir, "out"), "--non-interactive")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`ON DATABASE "oauth_db" TO "app_role"`, `ON DATABASE "wharf" TO "wharf_role"`} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary.md lacks %s:\n%s", want, summary)
		}
	}
}

// Item 2: the 30 per-product keys are made by the chart from oauth.secrets.
func TestTruthPerProductOAuthKeys(t *testing.T) {
	out, err := checkFiles(t, baseValues+"oauth:\n  enabled: true\n", baseSecrets+"  GOOGLE_GMAIL_CLIENT_ID: \"x\"\n", "--replicated")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if l := finding(out, "secrets.GOOGLE_GMAIL_CLIENT_ID"); !strings.HasPrefix(l, "warning") || !strings.Contains(l, "oauth.secrets.google") {
		t.Fatalf("no finding pointing to oauth.secrets:\n%s", out)
	}
	if _, err := checkFiles(t, baseValues+"oauth:\n  enabled: true\n", baseSecrets+"  GOOGLE_GMAIL_CLIENT_ID: \"x\"\n", "--replicated", "--strict"); !errors.Is(err, ErrFindings) {
		t.Fatalf("--strict: want exit 1, got %v", err)
	}
}

// Item 3: the GitHub App key must be PKCS#1, and literal \n pairs get one rule.
func TestTruthGitHubAppKeyType(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8 := keyPEM(t, "PRIVATE KEY", der)
	out, err := checkFiles(t, baseValues, baseSecrets+"  GITHUB_APP_PRIVATE_KEY: "+yamlBlock(pkcs8), "--replicated")
	if !errors.Is(err, ErrFindings) || !strings.Contains(finding(out, "secrets.GITHUB_APP_PRIVATE_KEY"), "crewai-setup pem") {
		t.Fatalf("a PKCS#8 key passed check (err=%v):\n%s", err, out)
	}

	pkcs1 := keyPEM(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k))
	single := "'" + strings.ReplaceAll(pkcs1, "\n", `\n`) + "'" // the awk output single-quoted
	out, err = checkFiles(t, baseValues, baseSecrets+"  GITHUB_APP_PRIVATE_KEY: "+single+"\n", "--replicated")
	if !errors.Is(err, ErrFindings) || !strings.Contains(finding(out, "secrets.GITHUB_APP_PRIVATE_KEY"), "double-quoted") {
		t.Fatalf("literal \\n pairs passed check (err=%v):\n%s", err, out)
	}
	// init takes the same value, converts it and says so.
	dir := t.TempDir()
	answers2 := filepath.Join(dir, "b.yaml")
	mustWrite(t, answers2, "wizard:\n  replicated: true\npostgres:\n  enabled: true\nenvVars:\n  AUTH_PROVIDER: local\n"+
		"  GITHUB_APP_ID: \"1\"\n  GITHUB_CLIENT_ID: \"Iv1.x\"\n  GITHUB_APP_URL: \"https://github.com/apps/x/installations/new\"\n"+
		"secrets:\n  DB_PASSWORD: \"pw\"\n  GITHUB_CLIENT_SECRET: \"s\"\n  GITHUB_APP_PRIVATE_KEY: "+single+"\n")
	out2 := filepath.Join(dir, "out")
	_, stderr, err := run(t, "", "init", "--answers", answers2, "--out", out2, "--non-interactive")
	if err != nil || !strings.Contains(stderr, "turned into line breaks") {
		t.Fatalf("init did not convert and say so (err=%v):\n%s", err, stderr)
	}
	written, err := os.ReadFile(filepath.Join(out2, "secrets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := `GITHUB_APP_PRIVATE_KEY: "` + pemkey.OneLine(pkcs1) + `"`; !strings.Contains(string(written), want) {
		t.Fatalf("the key is not written in the reference's double-quoted form:\n%s", written)
	}
}

// Item 4: OIDC_PRIVATE_KEY is an RSA key.
func TestTruthOIDCKeyIsRSA(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	out, err := checkFiles(t, baseValues, baseSecrets+"  OIDC_PRIVATE_KEY: "+yamlBlock(keyPEM(t, "PRIVATE KEY", der)), "--replicated")
	if !errors.Is(err, ErrFindings) || !strings.Contains(finding(out, "secrets.OIDC_PRIVATE_KEY"), "not an RSA key") {
		t.Fatalf("an EC OIDC key passed (err=%v):\n%s", err, out)
	}
}

// Item 5: OAUTH_DB_ENCRYPTION_KEY has exactly 64 hex characters; ENCRYPTION_KEY only should.
func TestTruthOAuthDBEncryptionKeyLength(t *testing.T) {
	short := strings.Repeat("ab", 31)
	out, err := checkFiles(t, baseValues, baseSecrets+"  OAUTH_DB_ENCRYPTION_KEY: \""+short+"\"\n", "--replicated")
	if !errors.Is(err, ErrFindings) || !strings.HasPrefix(finding(out, "secrets.OAUTH_DB_ENCRYPTION_KEY"), "error") {
		t.Fatalf("a 62-character OAuth key passed (err=%v):\n%s", err, out)
	}
	out, err = checkFiles(t, baseValues, baseSecrets+"  ENCRYPTION_KEY: \""+short+"\"\n", "--replicated")
	if err != nil || !strings.HasPrefix(finding(out, "secrets.ENCRYPTION_KEY"), "warning") {
		t.Fatalf("ENCRYPTION_KEY's recommended length is not a warning (err=%v):\n%s", err, out)
	}
}

// Item 6: rotating DEPLOYMENT_INSTANCE_JWT_SECRET or OIDC_PRIVATE_KEY is deliberate.
func TestTruthDeliberateRotations(t *testing.T) {
	for _, key := range []string{"DEPLOYMENT_INSTANCE_JWT_SECRET", "OIDC_PRIVATE_KEY"} {
		dir := t.TempDir()
		mustWrite(t, filepath.Join(dir, "values.yaml"), baseValues)
		mustWrite(t, filepath.Join(dir, "secrets.yaml"), baseSecrets)
		before, _ := os.ReadFile(filepath.Join(dir, "secrets.yaml"))
		_, stderr, err := runIn(t, dir, "", "rotate", key, "--yes")
		after, _ := os.ReadFile(filepath.Join(dir, "secrets.yaml"))
		if !errors.Is(err, ErrBadInput) || !strings.Contains(stderr, "--confirm "+key) || string(before) != string(after) {
			t.Fatalf("%s rotated with --yes alone (err=%v):\n%s", key, err, stderr)
		}
		if _, stderr, err := runIn(t, dir, "", "rotate", key, "--yes", "--confirm", key); err != nil {
			t.Fatalf("%s with --confirm: %v\n%s", key, err, stderr)
		}
	}
}

// Item 7: "typically" is not "must".
func TestTruthWorkOSKeyPrefixIsAWarning(t *testing.T) {
	out, err := checkFiles(t, "postgres:\n  enabled: true\nenvVars:\n  AUTH_PROVIDER: workos\n  WORKOS_CLIENT_ID: \"c\"\n"+
		"  WORKOS_AUTHKIT_DOMAIN: \"x.authkit.app\"\n  WORKOS_COOKIE_PASSWORD: \""+strings.Repeat("c", 40)+"\"\n",
		baseSecrets+"  WORKOS_API_KEY: \"sk_other_123\"\n", "--replicated")
	if err != nil || !strings.HasPrefix(finding(out, "secrets.WORKOS_API_KEY"), "warning") {
		t.Fatalf("want a warning and exit 0 (err=%v):\n%s", err, out)
	}
}

// Item 8: the OAuth session-cookie secret is listed as chart-generated, its name as unknown.
func TestTruthOAuthSessionCookieSecret(t *testing.T) {
	dir := t.TempDir()
	answers := filepath.Join(dir, "a.yaml")
	mustWrite(t, answers, "wizard:\n  replicated: true\n"+baseValues+"oauth:\n  enabled: true\n"+baseSecrets)
	summary, _, err := run(t, "", "init", "--answers", answers, "--out", filepath.Join(dir, "out"), "--non-interactive")
	if err != nil {
		t.Fatal(err)
	}
	chart := summary[strings.Index(summary, "## What the chart generates itself"):]
	if !strings.Contains(chart, "OAuth session-cookie secret (key name not in the reference)") {
		t.Fatalf("the chart-generated list lacks the session-cookie secret:\n%s", summary)
	}
}

// Item 9: rules the reference does not state are warnings.
func TestTruthInferredRulesAreWarnings(t *testing.T) {
	values := "postgres:\n  enabled: true\nenvVars:\n  AUTH_PROVIDER: keycloak\n  KEYCLOAK_CLIENT_ID: \"c\"\n" +
		"  KEYCLOAK_SITE: \"http://keycloak.internal\"\n  KEYCLOAK_REALM: \"r\"\n  GITHUB_APP_ID: \"1\"\n  GITHUB_CLIENT_ID: \"Iv1.x\"\n" +
		"  GITHUB_APP_URL: \"http://ghe.internal/github-apps/x/installations/new\"\n  ENTRA_ID_TENANT_ID: \"contoso\"\n" +
		"  WORKOS_COOKIE_PASSWORD: \"short\"\n"
	out, err := checkFiles(t, values, baseSecrets+"  KEYCLOAK_CLIENT_SECRET: \"s\"\n  GITHUB_CLIENT_SECRET: \"s\"\n  GITHUB_APP_PRIVATE_KEY: "+
		yamlBlock(testKey(t)), "--replicated")
	if err != nil {
		t.Fatalf("an inferred rule failed check: %v\n%s", err, out)
	}
	for _, path := range []string{"envVars.KEYCLOAK_SITE", "envVars.GITHUB_APP_URL", "envVars.ENTRA_ID_TENANT_ID", "envVars.WORKOS_COOKIE_PASSWORD"} {
		if !strings.HasPrefix(finding(out, path), "warning") {
			t.Errorf("%s: want a warning:\n%s", path, out)
		}
	}
}

// Item 10: keys the reference names are known; already-encoded values are warned about.
func TestTruthReferenceNamedKeysAndEncodings(t *testing.T) {
	encoded := base64.StdEncoding.EncodeToString([]byte("https://u:p@pypi.example.com/simple/"))
	out, err := checkFiles(t, "postgres:\n  enabled: true\n  fullnameOverride: \"pg\"\nenvVars:\n  AUTH_PROVIDER: local\nglobal:\n  replicated:\n    licenseFields:\n      replicated_customer_id: \"c\"\n    dockerconfigjson: \"{}\"\n",
		"secrets:\n  DB_PASSWORD: \"p%40ss\"\n  UV_DEFAULT_INDEX: \""+encoded+"\"\n", "--replicated")
	for _, path := range []string{"postgres.fullnameOverride", "global.replicated.licenseFields.replicated_customer_id", "global.replicated.dockerconfigjson"} {
		if l := finding(out, path); strings.Contains(l, "unknown key") {
			t.Errorf("%s is unknown to check: %s", path, l)
		}
	}
	if !strings.Contains(finding(out, "secrets.DB_PASSWORD"), "URL-encoded") {
		t.Errorf("no warning about a pre-encoded password:\n%s", out)
	}
	if !strings.Contains(out, "base64-encoded already") {
		t.Errorf("no warning about an already base64-encoded index URL:\n%s", out)
	}
	// An encoded URL is no https URL either: the reference's requirements refuse it.
	if !errors.Is(err, ErrFindings) {
		t.Errorf("an encoded index URL passed check: %v", err)
	}
}

// Item 11: values.yaml holding a secret is private and the summary says so.
func TestTruthValuesYAMLWithASecretIsPrivate(t *testing.T) {
	dir := t.TempDir()
	answers := filepath.Join(dir, "a.yaml")
	mustWrite(t, answers, "wizard:\n  replicated: true\npostgres:\n  enabled: true\nenvVars:\n  AUTH_PROVIDER: workos\n  WORKOS_CLIENT_ID: \"c\"\n"+
		"  WORKOS_AUTHKIT_DOMAIN: \"x.authkit.app\"\n  WORKOS_COOKIE_PASSWORD: \""+strings.Repeat("c", 40)+"\"\n"+
		"secrets:\n  DB_PASSWORD: \"pw\"\n  WORKOS_API_KEY: \"sk_test_1\"\n")
	out := filepath.Join(dir, "out")
	summary, _, err := run(t, "", "init", "--answers", answers, "--out", out, "--non-interactive")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(out, "values.yaml"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("values.yaml mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if !strings.Contains(summary, "private too (mode 0600)") || strings.Contains(summary, "non-secret settings") {
		t.Fatalf("the summary does not say values.yaml holds a secret:\n%s", summary)
	}
}

// testKey returns a fresh PKCS#1 RSA key.
func testKey(t *testing.T) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return keyPEM(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k))
}

// explain: three keys, golden output, every statement with its source.
func TestExplainGolden(t *testing.T) {
	for _, key := range []string{"secrets.ENCRYPTION_KEY", "secrets.GITHUB_APP_PRIVATE_KEY", "envVars.DB_USER"} {
		t.Run(key, func(t *testing.T) {
			out, stderr, err := run(t, "", "explain", key)
			if err != nil || stderr != "" {
				t.Fatalf("%v %s", err, stderr)
			}
			if strings.Count(out, "\n  source: ") != len(model.Explain(model.NewAnswers(model.NewCatalog()), model.NewCatalog().Lookup(key))) {
				t.Errorf("a statement without its source:\n%s", out)
			}
			golden.RequireEqual(t, []byte(out))
		})
	}
	out, _, err := run(t, "", "explain")
	if err != nil || !strings.Contains(out, "secrets.DB_PASSWORD") || !strings.Contains(out, "Platform secrets") {
		t.Fatalf("explain without a key does not list the keys by section (%v):\n%s", err, out)
	}
	if _, stderr, err := run(t, "", "explain", "NO_SUCH_KEY"); !errors.Is(err, ErrUsage) || !strings.Contains(stderr, "NO_SUCH_KEY is not a key this tool knows") {
		t.Fatalf("an unknown key: want ErrUsage and what is wrong, got %v:\n%s", err, stderr)
	}
	// A short name several keys share explains each of them.
	if out, _, err := run(t, "", "explain", "DB_USER"); err != nil || strings.Count(out, "DB_USER — ") != 2 {
		t.Fatalf("explain DB_USER does not explain both keys (%v):\n%s", err, out)
	}
}

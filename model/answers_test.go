package model

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadString(t *testing.T, text string) (*Answers, Problems, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "answers.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return LoadAnswersFile(NewCatalog(), path)
}

// Values are taken byte for byte: nothing trimmed, nothing URL-encoded, numbers kept as typed.
func TestAnswersByteForByte(t *testing.T) {
	a, probs, err := loadString(t, `
envVars:
  DB_PORT: 05432
  DB_USER: " spaced user "
  GITHUB_APP_ID: 1e3
secrets:
  DB_PASSWORD: 'p@ss:w/rd?#%20 ''quoted'''
  GITHUB_TOKEN: "tab\there"
`)
	if err != nil || len(probs) > 0 {
		t.Fatalf("err=%v probs=%v", err, probs)
	}
	for path, want := range map[string]string{
		"envVars.DB_PORT": "05432", "envVars.DB_USER": " spaced user ", "envVars.GITHUB_APP_ID": "1e3",
		"secrets.DB_PASSWORD": "p@ss:w/rd?#%20 'quoted'", "secrets.GITHUB_TOKEN": "tab\there",
	} {
		if got := a.Get(path); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
}

// JSON is YAML, so JSON answers work too.
func TestAnswersJSON(t *testing.T) {
	a, probs, err := loadString(t, `{"wizard": {"argocd": true}, "secrets": {"DB_PASSWORD": "x"}, "postgres": {"enabled": true}}`)
	if err != nil || len(probs) > 0 {
		t.Fatalf("err=%v probs=%v", err, probs)
	}
	if !a.Wizard.ArgoCD || a.Get("secrets.DB_PASSWORD") != "x" || !a.Enabled("postgres.enabled") {
		t.Fatalf("JSON answers not read: %+v", a.Wizard)
	}
}

func TestAnswersTyposAndMisplacedKeys(t *testing.T) {
	_, probs, err := loadString(t, `
envVar:
  DB_HOST: x
secrets:
  DB_PASWORD: x
  DB_HOST: db.example.com
wizard:
  argocdd: true
`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"envVar":             "did you mean envVars?",
		"secrets.DB_PASWORD": "did you mean secrets.DB_PASSWORD?",
		"secrets.DB_HOST":    "reads DB_HOST from envVars.DB_HOST",
		"wizard.argocdd":     "did you mean wizard.argocd?",
	}
	for path, text := range want {
		ps := probs.For(path)
		if len(ps) != 1 || ps[0].Severity != Warning || !strings.Contains(ps[0].Message, text) {
			t.Errorf("%s: want one warning containing %q, got %v", path, text, ps)
		}
		if len(ps) == 1 && ps[0].Pos.Line == 0 {
			t.Errorf("%s: the warning has no line number", path)
		}
	}
}

// Unknown keys are kept, under the same parents and in order, to pass through.
func TestAnswersKeepUnknownKeys(t *testing.T) {
	a, _, err := loadString(t, `
envVars:
  DB_HOST: h
  MY_FLAG: "1"
web:
  replicaCount: 3
  tls:
    autoGenerate: true
    extra: x
`)
	if err != nil {
		t.Fatal(err)
	}
	ex := a.Extra()
	if ex == nil {
		t.Fatal("unknown keys were dropped")
	}
	var got []string
	var walk func(prefix string, m *yamlNode)
	walk = func(prefix string, m *yamlNode) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			p := joinPath(prefix, m.Content[i].Value)
			if m.Content[i+1].Kind == mappingKind {
				walk(p, m.Content[i+1])
			} else {
				got = append(got, p+"="+m.Content[i+1].Value)
			}
		}
	}
	walk("", ex)
	if strings.Join(got, " ") != "envVars.MY_FLAG=1 web.replicaCount=3 web.tls.extra=x" {
		t.Fatalf("kept %v", got)
	}
	if !a.Enabled("web.tls.autoGenerate") {
		t.Fatal("known key inside a mapping with unknown keys was not read")
	}
}

func TestAnswersBadShapes(t *testing.T) {
	_, probs, err := loadString(t, `
envVars: just-a-string
secrets:
  DB_PASSWORD: [a, b]
  GITHUB_TOKEN: {a: b}
wizard:
  argocd: yes
  awsCredentials: keys
  oauthProviders: [google, slack]
  generate: GITHUB_WEBHOOK_SECRET_TOKEN
`)
	if err != nil {
		t.Fatal(err)
	}
	for path, text := range map[string]string{
		"envVars":               "must be a mapping",
		"secrets.DB_PASSWORD":   "not a list",
		"secrets.GITHUB_TOKEN":  "not a mapping",
		"wizard.argocd":         "true or false",
		"wizard.awsCredentials": "static",
		"wizard.oauthProviders": `"slack"`,
		"wizard.generate":       "must be a list",
	} {
		ps := probs.For(path)
		if len(ps) == 0 || ps[0].Severity != Error || !strings.Contains(ps[0].Message, text) {
			t.Errorf("%s: want an error containing %q, got %v", path, text, ps)
		}
	}
}

// A syntax error names the file and the line.
func TestAnswersSyntaxError(t *testing.T) {
	_, _, err := loadString(t, "envVars:\n  DB_HOST: a\n bad: [\n")
	if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "answers.yaml") || !strings.Contains(err.Error(), "line") {
		t.Fatalf("want a syntax error naming file and line, got %v", err)
	}
}

func TestAnswersNullsAndAliases(t *testing.T) {
	a, probs, err := loadString(t, `
common: &pw "shared-secret"
secrets:
  DB_PASSWORD: *pw
  GITHUB_TOKEN: ~
`)
	if err != nil || probs.HasErrors() {
		t.Fatal(err, probs)
	}
	if a.Get("secrets.DB_PASSWORD") != "shared-secret" {
		t.Error("alias not followed")
	}
	if _, ok := a.Lookup("secrets.GITHUB_TOKEN"); ok {
		t.Error("null treated as a value")
	}
}

// Wizard file paths are relative to the answers file, and the key file becomes the PKCS#1 value.
func TestResolveKeyFileRelative(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "keys"), 0o700); err != nil {
		t.Fatal(err)
	}
	// A PKCS#8 key with CRLF line endings, as a Windows download might be.
	key := strings.ReplaceAll(fxPKCS8(t), "\n", "\r\n")
	if err := os.WriteFile(filepath.Join(dir, "keys", "app.pem"), []byte(key), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "answers.yaml")
	if err := os.WriteFile(path, []byte("wizard:\n  githubAppPrivateKeyFile: keys/app.pem\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, _, err := LoadAnswersFile(NewCatalog(), path)
	if err != nil {
		t.Fatal(err)
	}
	probs := a.Resolve()
	if probs.HasErrors() {
		t.Fatal(probs)
	}
	if got := a.Get("secrets.GITHUB_APP_PRIVATE_KEY"); got != fxPKCS1(t) {
		t.Fatalf("key not converted to PKCS#1:\n%.60s", got)
	}
	if len(probs.For("secrets.GITHUB_APP_PRIVATE_KEY")) != 1 {
		t.Error("conversion not reported")
	}
}

func TestResolveKeyFileProblems(t *testing.T) {
	cat := NewCatalog()
	a := NewAnswers(cat)
	a.Dir = t.TempDir()
	a.Wizard.GitHubAppPrivateKeyFile = "missing.pem"
	if probs := a.Resolve(); len(probs.For("wizard.githubAppPrivateKeyFile")) != 1 {
		t.Fatalf("missing file not reported: %v", probs)
	}
	a.Set("secrets.GITHUB_APP_PRIVATE_KEY", fxPKCS1(t))
	if probs := a.Resolve(); !strings.Contains(probs.Error(), "keep only one") {
		t.Fatalf("file and inline key together not reported: %v", probs)
	}
}

// An inline key copied from a values file keeps its \n escapes; Resolve turns it back into PEM.
func TestResolveInlineEscapedKey(t *testing.T) {
	a := NewAnswers(NewCatalog())
	a.Set("secrets.GITHUB_APP_PRIVATE_KEY", strings.ReplaceAll(fxPKCS1(t), "\n", `\n`))
	if probs := a.Resolve(); probs.HasErrors() {
		t.Fatal(probs)
	}
	if a.Get("secrets.GITHUB_APP_PRIVATE_KEY") != fxPKCS1(t) {
		t.Fatal("escaped key not restored")
	}
}

// Keys Helm cannot read (null, lists, mappings) are reported, not passed through.
func TestAnswersKeysHelmCannotRead(t *testing.T) {
	a, probs, err := loadString(t, "web:\n  ~: x\n  ok: 1\n? [a, b]\n: c\nsecrets:\n  DB_PASSWORD: pw\n")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(probs.Errors()); n != 2 {
		t.Fatalf("want 2 errors, got %v", probs)
	}
	for _, p := range probs {
		if !strings.Contains(p.Message, "plain key names") {
			t.Errorf("unexpected message %q", p.Message)
		}
	}
	if a.Get("secrets.DB_PASSWORD") != "pw" {
		t.Error("a good key next to a bad one was lost")
	}
}

// An unknown key whose own text holds dots (annotations) stays one key under its parent when it
// is passed through; it is never split into nested mappings.
func TestPassThroughDottedKeys(t *testing.T) {
	a := NewAnswers(NewCatalog())
	if _, err := a.Merge([]byte("serviceAccount:\n  annotations:\n    iam.gke.io/gcp-service-account: \"sa@p.iam.gserviceaccount.com\"\n"+
		"    eks.amazonaws.com/role-arn: \"arn:aws:iam::123456789012:role/r\"\nenvVars:\n  MY.DOTTED: \"x\"\n"), "v.yaml", false); err != nil {
		t.Fatal(err)
	}
	if a.Get("serviceAccount.annotations.eks.amazonaws.com/role-arn") == "" {
		t.Error("the IRSA annotation was not read")
	}
	extra := a.Extra()
	ann := childMapping(childMapping(extra, "serviceAccount"), "annotations")
	if len(ann.Content) != 2 || ann.Content[0].Value != "iam.gke.io/gcp-service-account" {
		t.Errorf("the dotted annotation was not kept as one key: %#v", ann.Content)
	}
	env := childMapping(extra, "envVars")
	if len(env.Content) != 2 || env.Content[0].Value != "MY.DOTTED" {
		t.Errorf("the dotted envVars key was split")
	}
}

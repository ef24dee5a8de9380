package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/cryptotest"

	"crewai-setup/model"
	"crewai-setup/store"
)

// accessibleScript answers the line-by-line mode's questions for the realistic install, in
// the order it asks them. The GitHub App ID is first given wrong, so the screen is asked again.
func accessibleScript() string {
	lines := []string{
		// Deployment
		"", "n", "", "", "maybe", "", "y", "", "", // ... Cube gets "maybe" first: asked again
		"crewai.example.com", "crewai", "crewai-platform", "", "",
		// Database
		"crewai-db.example.internal", "", "", "crewai", "p@ss:w/rd?#%-example", "crewai_oauth", "",
		// GitHub App
		"123456", "Iv1.0123456789abcdef", "https://github.com/apps/crewai-example/installations/new",
		"example-github-client-secret", "example-webhook-secret-0123456789", keyFile,
		"ghp_exampleexampleexampleexample", "", "http://customer:example-password@pypi.example.com/simple/",
		"https://customer:example-password@pypi.example.com/simple/", // asked again after the validation error
		// Authentication
		"okta", "https://example.okta.com", "0oa1234567890abcdef", "default", "api://default", "example-okta-client-secret",
		// OAuth products
		"1", "123456789-abcdefg.apps.googleusercontent.com", "GOCSPX-example-not-a-real-secret",
		// LLM
		"openai", "gpt-4o-mini", "sk-proj-example",
		// Storage
		"amazon", "static", "us-east-1", "crewai-example-artifacts", "", "AKIAEXAMPLEEXAMPLE12",
		"example/secret+access/key0123456789abcdef",
		// Review
		"y",
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestAccessibleRealisticInstall(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "accessible")
	var prompts strings.Builder
	cryptotest.SetGlobalRandom(t, 7) // the fingerprint key is random: the same seed for both runs
	x := NewAccessible(strings.NewReader(accessibleScript()), &prompts)
	x.Encryption = func(w model.Wizard, dir string) string { return "ENCRYPTION(" + w.Encrypt + ", " + dir + ")" }
	res, err := x.Run(model.NewAnswers(model.NewCatalog()), out)
	if err != nil {
		t.Fatalf("accessible run: %v\n%s", err, prompts.String())
	}
	if len(res.Written) != 4 { // values.yaml, secrets.yaml, summary.md, crewai-setup.yaml
		t.Fatalf("wrote %v", res.Written)
	}
	text := prompts.String()
	for _, want := range []string{
		"Please answer y or n.",
		"error: Private Python package index (secrets.UV_DEFAULT_INDEX): ", // named away from its question
		"Before you start, have these ready",                               // a fresh run: the checklist, which blocks nothing
		"Please answer these again.",
		"Loaded: RSA 2048-bit, PKCS#1, SHA256:",
		"== OAuth products (screen 5 of 7) ==",
		// What the screens show below their fields: how secrets.yaml is written, the URLs to register.
		"[when a .sops.yaml rule matches]: ENCRYPTION(, " + out + ")\n\n== Database",
		"Callback URL to set in the App (tick \"Request user authorization (OAuth) during installation\"):\nhttps://crewai.example.com/",
		"Redirect (callback) URL to register at the provider:\nhttps://crewai.example.com/",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the prompts lack %q", want)
		}
	}
	// Secrets are never echoed back in brackets or in the review.
	for _, secret := range []string{"example-okta-client-secret", "sk-proj-example", "GOCSPX-example"} {
		if strings.Count(text, secret) > 0 {
			t.Errorf("the prompts show the secret %q", secret)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
	cryptotest.SetGlobalRandom(t, 7)
	sameFiles(t, out, reference(t, dir))
}

// reference writes the realistic answers file through the non-interactive path.
func reference(t *testing.T, dir string) string {
	t.Helper()
	return referenceFrom(t, fixture, filepath.Join(dir, "reference"))
}

// referenceFrom writes the files of an answers file into out through the non-interactive path.
func referenceFrom(t *testing.T, answers, out string) string {
	t.Helper()
	a, probs, err := model.LoadAnswersFile(model.NewCatalog(), answers)
	if err != nil {
		t.Fatal(err)
	}
	_, _, probs, err = store.PrepareAndSave(a, probs, out, nil)
	if err != nil || probs.HasErrors() {
		t.Fatalf("the answers file does not write: %v %v", err, probs.Errors())
	}
	return out
}

func TestAccessibleDeclineWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	script := strings.TrimSuffix(accessibleScript(), "y\n") + "n\n"
	var prompts strings.Builder
	_, err := NewAccessible(strings.NewReader(script), &prompts).Run(model.NewAnswers(model.NewCatalog()), out)
	if !errors.Is(err, ErrDeclined) {
		t.Fatalf("answering n to writing: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("declining wrote files")
	}
}

func TestAccessibleInputEnds(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	_, err := NewAccessible(strings.NewReader("\nn\n"), &strings.Builder{}).Run(model.NewAnswers(model.NewCatalog()), out)
	if !errors.Is(err, ErrInputEnded) {
		t.Fatalf("input ending early: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("input ending early wrote files")
	}
}

// "-" clears a value only where a question may be left empty: a choice without an empty
// option and a yes/no question say they cannot be, and the intro does not promise more.
func TestAccessibleClearsOnlyWhatMayBeEmpty(t *testing.T) {
	var prompts strings.Builder
	// Deployed with (a choice of two): "-", then Enter; Installed through Replicated (y/n): "-".
	_, err := NewAccessible(strings.NewReader("-\n\n-\n"), &prompts).Run(model.NewAnswers(model.NewCatalog()), filepath.Join(t.TempDir(), "out"))
	if !errors.Is(err, ErrInputEnded) {
		t.Fatalf("input ending early: %v", err)
	}
	text := prompts.String()
	for _, want := range []string{
		"- to clear a value where the question may be left empty",
		"This question cannot be left empty: answer with one of the numbers shown.",
		"This question cannot be left empty: answer y or n.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the prompts lack %q:\n%s", want, text)
		}
	}
}

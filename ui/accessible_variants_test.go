package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/cryptotest"

	"crewai-setup/model"
)

// The second ArgoCD install (not Replicated, external PostgreSQL, Wharf off, Microsoft OAuth,
// chart-made TLS, Entra ID, OpenAI, S3 through IRSA), answered line by line, writes the bytes
// the non-interactive path writes from testdata/wizard-argocd-external.yaml.
func TestAccessibleArgoCDExternalInstall(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "accessible")
	lines := []string{
		// Deployment: ArgoCD, not Replicated, my own server, Wharf off, Cube as is (off), Built-in
		// Integrations on, external store as is (no), chart-generated TLS, encryption when a rule matches.
		"2", "n", "1", "n", "", "y", "", "1", "platform.example.org", "crewai-prod", "crewai-prod", "", "",
		// Database
		"pg.example.org", "", "", "crewai_app", "external-db-password-example", "crewai_oauth",
		// GitHub App
		"777777", "Iv1.1111222233334444", "https://github.com/apps/crewai-prod/installations/new",
		"example-prod-client-secret", "example-prod-webhook-secret-0123", keyFile,
		"ghp_prodexampleprodexampleprodexample", "", "https://customer:prod-password@pypi.example.org/simple/",
		// Authentication
		"entra_id", "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000", "example-entra-client-secret",
		// OAuth products
		"2", "00000000-1111-2222-3333-444444444444", "example-microsoft-oauth-secret",
		// LLM
		"openai", "gpt-4o", "sk-proj-prod-example",
		// Storage: S3 through an IAM role.
		"amazon", "irsa", "arn:aws:iam::123456789012:role/crewai-artifacts", "eu-west-1", "crewai-prod-artifacts", "",
		// Review
		"y",
	}
	cryptotest.SetGlobalRandom(t, 11)
	var prompts strings.Builder
	_, err := NewAccessible(strings.NewReader(strings.Join(lines, "\n")+"\n"), &prompts).Run(model.NewAnswers(model.NewCatalog()), out)
	if err != nil {
		t.Fatalf("accessible run: %v\n%s", err, prompts.String())
	}
	cryptotest.SetGlobalRandom(t, 11)
	sameFiles(t, out, referenceFrom(t, absFixture(t, "../testdata/wizard-argocd-external.yaml"), filepath.Join(dir, "reference")))
	if t.Failed() {
		t.Log(prompts.String())
	}
}

// absFixture is a testdata file's absolute path.
func absFixture(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(rel)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

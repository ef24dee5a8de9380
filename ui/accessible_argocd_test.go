package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/cryptotest"

	"crewai-setup/internal/pemtest"
	"crewai-setup/model"
)

// The ArgoCD install of the teatest walk (Replicated, in-cluster PostgreSQL, Cube, own TLS
// files, never encrypted, WorkOS, no LLM, Azure storage, two values generated on request),
// answered line by line, writes the bytes the non-interactive path writes from the same
// answers.
func TestAccessibleArgoCDInstall(t *testing.T) {
	dir := t.TempDir()
	cert, key := pemtest.WriteTLSPair(t, dir)
	out := filepath.Join(dir, "accessible")
	lines := []string{
		// Deployment: ArgoCD, Replicated, in the cluster, Wharf on, Cube on, Built-in
		// Integrations off, no external store, own certificate, never encrypted.
		"2", "y", "2", "", "y", "", "", "2", cert, key, "crewai.example.com", "crewai", "crewai-gitops", "", "3",
		// Database: default port, user placement and user; the password; default Wharf database.
		"", "", "", "in-cluster-example-password", "",
		// GitHub App, the webhook secret generated.
		"654321", "Iv1.fedcba9876543210", "https://github.com/apps/crewai-gitops/installations/new",
		"example-gitops-client-secret", "generate", keyFile,
		// Authentication: WorkOS, the cookie password generated.
		"workos", "client_01HXYZ123ABC456", "example.authkit.app", "generate", "sk_test_example0123456789",
		// LLM: none.
		"",
		// Storage: Azure, no client secret.
		"microsoft", "crewaiexample", "example-azure-access-key==", "",
		// Review
		"y",
	}
	cryptotest.SetGlobalRandom(t, 42)
	var prompts strings.Builder
	res, err := NewAccessible(strings.NewReader(strings.Join(lines, "\n")+"\n"), &prompts).Run(model.NewAnswers(model.NewCatalog()), out)
	if err != nil {
		t.Fatalf("accessible run: %v\n%s", err, prompts.String())
	}
	if len(res.Written) != 4 {
		t.Fatalf("wrote %v", res.Written)
	}
	answers := argoCDAnswers(t, dir, cert, key)
	cryptotest.SetGlobalRandom(t, 42)
	sameFiles(t, out, referenceFrom(t, answers, filepath.Join(dir, "reference")))
	if t.Failed() {
		t.Log(prompts.String())
	}
}

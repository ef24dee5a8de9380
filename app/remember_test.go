package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The deployment is remembered in crewai-setup.yaml: a re-run with --from, rotate and check
// know it is ArgoCD, the host and the namespace without being told again, and every helm
// command they print is the one to run.
func TestRememberDeployment(t *testing.T) {
	dir := t.TempDir()
	answers, out := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "deploy")
	mustWrite(t, answers, "wizard:\n  argocd: true\n  replicated: true\n  host: crewai.example.com\n  release: crewai\n  namespace: crewai-prod\n"+
		"postgres:\n  enabled: true\nenvVars:\n  AUTH_PROVIDER: okta\n  OKTA_SITE: \"https://x.okta.com\"\n  OKTA_CLIENT_ID: \"c\"\n"+
		"  OKTA_AUTHORIZATION_SERVER: \"default\"\n  OKTA_AUDIENCE: \"api://default\"\nsecrets:\n  DB_PASSWORD: \"pw\"\n  OKTA_CLIENT_SECRET: \"s\"\n")
	first, stderr, err := run(t, "", "init", "--answers", answers, "--out", out, "--non-interactive")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	remembered, err := os.ReadFile(filepath.Join(out, "crewai-setup.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(remembered), "pw") || !strings.Contains(string(remembered), `namespace: "crewai-prod"`) {
		t.Fatalf("crewai-setup.yaml holds a secret or lacks the namespace:\n%s", remembered)
	}
	const helm = "helm upgrade --install crewai oci://registry.crewai.com/crewai/stable/crewai-platform --namespace crewai-prod --create-namespace -f values.yaml -f secrets.yaml"

	// init --from alone: the same summary as the answers file gave.
	again, stderr, err := run(t, "", "init", "--from", out, "--non-interactive")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if again != first {
		t.Fatalf("init --from forgot the deployment:\n--- first\n%s\n--- --from\n%s", first, again)
	}
	for _, want := range []string{"through ArgoCD", "https://crewai.example.com/auth/okta/callback", helm} {
		if !strings.Contains(again, want) {
			t.Errorf("the --from summary lacks %q", want)
		}
	}

	// rotate: the full helm command, the ArgoCD advice, and a refreshed summary.
	secretFile := filepath.Join(dir, "new-secret")
	mustWrite(t, secretFile, "rotated-okta-secret\n")
	plan, stderr, err := runIn(t, out, "", "rotate", "--from-file", "OKTA_CLIENT_SECRET="+secretFile, "--yes")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(plan, "helm upgrade --install crewai oci://registry.crewai.com/crewai/stable/crewai-platform --namespace crewai-prod --create-namespace -f values.yaml -f secrets.yaml") {
		t.Errorf("rotate's helm command is not the one to run:\n%s", plan)
	}
	if !strings.Contains(plan, "With ArgoCD") {
		t.Errorf("rotate forgot the deployment is ArgoCD:\n%s", plan)
	}
	summary, err := os.ReadFile(filepath.Join(out, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(summary), "rotated "+time.Now().Format("2006-01-02")) {
		t.Errorf("summary.md was not refreshed after the rotation:\n%s", summary)
	}

	// check: ArgoCD from crewai-setup.yaml, so a missing generated key is an error.
	secrets := filepath.Join(out, "secrets.yaml")
	data, _ := os.ReadFile(secrets)
	var kept []string
	for _, l := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(l, "  SECRET_KEY_BASE:") {
			kept = append(kept, l)
		}
	}
	mustWrite(t, secrets, strings.Join(kept, "\n"))
	report, _, err := run(t, "", "check", filepath.Join(out, "values.yaml"), secrets)
	if !errors.Is(err, ErrFindings) || !strings.Contains(report, "secrets.SECRET_KEY_BASE: must be set explicitly under ArgoCD") {
		t.Fatalf("check forgot the deployment is ArgoCD (err=%v):\n%s", err, report)
	}
}

// rotate with only a secrets file says to pass every values file to helm.
func TestRotateNamesEveryValuesFile(t *testing.T) {
	dir := t.TempDir()
	secrets := filepath.Join(dir, "only-secrets.yaml")
	mustWrite(t, secrets, "secrets:\n  DB_PASSWORD: \"pw\"\n  SECRET_KEY_BASE: \"abc\"\n")
	plan, stderr, err := runIn(t, dir, "", "rotate", "SECRET_KEY_BASE", "--secrets", secrets, "--yes")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(plan, "pass every values file your install uses") {
		t.Errorf("no warning that one file alone would reset the others:\n%s", plan)
	}
}

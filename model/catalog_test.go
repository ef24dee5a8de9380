package model

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// The catalog must cover every secrets.* key the chart's reference page names.
func TestCatalogCoversReferenceSecrets(t *testing.T) {
	f, err := os.Open("testdata/reference-secret-keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat := NewCatalog()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n++
		if cat.Lookup(line) == nil {
			t.Errorf("reference key %s has no catalog entry", line)
		}
	}
	if n < 60 {
		t.Fatalf("read only %d reference keys; the fixture looks truncated", n)
	}
}

// The envVars and toggles the core issue names must all be in the catalog.
func TestCatalogCoversNamedValues(t *testing.T) {
	cat := NewCatalog()
	for _, p := range []string{
		"envVars.DB_HOST", "envVars.DB_PORT", "envVars.DB_USER", "envVars.POSTGRES_OAUTH_DB",
		"envVars.GITHUB_CLIENT_ID", "envVars.GITHUB_APP_ID", "envVars.GITHUB_APP_URL", "envVars.AUTH_PROVIDER",
		"envVars.ENTRA_ID_CLIENT_ID", "envVars.ENTRA_ID_TENANT_ID", "envVars.OKTA_SITE", "envVars.OKTA_CLIENT_ID",
		"envVars.OKTA_AUTHORIZATION_SERVER", "envVars.OKTA_AUDIENCE", "envVars.WORKOS_CLIENT_ID",
		"envVars.WORKOS_AUTHKIT_DOMAIN", "envVars.WORKOS_COOKIE_PASSWORD", "envVars.KEYCLOAK_CLIENT_ID",
		"envVars.KEYCLOAK_SITE", "envVars.KEYCLOAK_REALM", "envVars.BUILT_IN_LLM_PROVIDER",
		"envVars.BUILT_IN_LLM_MODEL", "envVars.STORAGE_SERVICE",
		"postgres.enabled", "oauth.enabled", "wharf.enabled", "cube.enabled", "web.tls.autoGenerate", "externalSecret.enabled",
		"oauth.secrets.google.clientId", "oauth.secrets.microsoft.clientSecret", "oauth.secrets.hubspot.clientId", "oauth.secrets.notion.clientSecret",
	} {
		if cat.Lookup(p) == nil {
			t.Errorf("%s has no catalog entry", p)
		}
	}
}

// Every entry must carry what the wizard, summary and rotate need.
func TestCatalogEntriesComplete(t *testing.T) {
	cat := NewCatalog()
	for _, e := range cat.Entries() {
		if e.Title == "" {
			t.Errorf("%s: no title", e.Path)
		}
		if e.Forbidden == "" && e.Hint == "" {
			t.Errorf("%s: no hint", e.Path)
		}
		if e.Section == "" {
			t.Errorf("%s: no section", e.Path)
		}
		if e.ArgoCD && (e.ChartGen == "" || e.Gen == nil) {
			t.Errorf("%s: ArgoCD must set it, but there is no chart generator or no way to generate it", e.Path)
		}
		if e.Required != nil && e.RequiredWhen == "" {
			t.Errorf("%s: required condition without words", e.Path)
		}
		if e.Pair != "" {
			p := cat.Lookup(e.Pair)
			if p == nil || p.Pair != e.Path {
				t.Errorf("%s: pair %s does not point back", e.Path, e.Pair)
			}
		}
		if e.InSecretsFile() && e.Kind == KindBool {
			t.Errorf("%s: a toggle in secrets.yaml", e.Path)
		}
	}
}

// Whatever a generator makes must pass the entry's own format rules.
func TestGeneratedValuesPassRules(t *testing.T) {
	cat := NewCatalog()
	for _, e := range cat.Entries() {
		if e.Gen == nil {
			continue
		}
		v, err := e.Gen.New()
		if err != nil {
			t.Fatalf("%s: %v", e.Path, err)
		}
		for _, r := range e.Rules {
			if fs := r.Check(v); len(fs) > 0 {
				t.Errorf("%s: generated value fails its rule: %v", e.Path, fs)
			}
		}
	}
}

func TestTypoSuggestions(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"envVar", "envVars"}, {"DB_PASWORD", "DB_PASSWORD"}, {"db_password", "DB_PASSWORD"},
		{"secret", "secrets"}, {"COMPLETELY_DIFFERENT", ""}, {"DB_PASSWORD", ""},
	} {
		got := closest(tc.name, []string{"envVars", "secrets", "DB_PASSWORD", "DB_USER", "DB_PORT"})
		if got != tc.want {
			t.Errorf("closest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

package model

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"regexp"
	"strings"
	"testing"
)

func TestRandomStringFormatAndUniqueness(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		s, err := RandomString(rand.Reader, alphaNum, 64)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^[A-Za-z0-9]{64}$`).MatchString(s) {
			t.Fatalf("not 64 alphanumerics: %q", s)
		}
		if seen[s] {
			t.Fatal("duplicate value")
		}
		seen[s] = true
	}
}

// With a reader that yields every byte value equally often, each character must come out
// equally often: bytes that would bias the result are dropped, not folded with a modulo.
func TestRandomStringNoModuloBias(t *testing.T) {
	n := 50 * (256 - 256%62) // characters made from 50 cycles of all 256 byte values
	s, err := RandomString(&cycleReader{}, alphaNum, n)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[rune]int{}
	for _, r := range s {
		counts[r]++
	}
	for _, r := range alphaNum {
		if counts[r] != n/62 {
			t.Fatalf("character %q appears %d times, want %d", r, counts[r], n/62)
		}
	}
}

// cycleReader yields 0, 1, ..., 255, 0, 1, ... forever.
type cycleReader struct{ next byte }

func (c *cycleReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = c.next
		c.next++
	}
	return len(p), nil
}

func TestRandomHex(t *testing.T) {
	s, err := RandomHex(rand.Reader, 64)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(s) {
		t.Fatalf("not 64 hex: %q", s)
	}
}

func TestNewRSAKeyPEMIsPKCS1(t *testing.T) {
	s, err := NewRSAKeyPEM(2048)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(s))
	if block == nil || block.Type != "RSA PRIVATE KEY" {
		t.Fatalf("want an RSA PRIVATE KEY block, got %q", strings.SplitN(s, "\n", 2)[0])
	}
	k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil || k.N.BitLen() != 2048 {
		t.Fatalf("bad key: %v", err)
	}
}

func TestOIDCKeyIDFormat(t *testing.T) {
	a, _ := oidcKeyIDGen().New()
	b, _ := oidcKeyIDGen().New()
	re := regexp.MustCompile(`^crewai-oidc-[a-z0-9]{16}$`)
	if !re.MatchString(a) || a == b {
		t.Fatalf("bad or repeated key IDs %q %q", a, b)
	}
}

// ArgoCD mode generates exactly the chart-generated keys that apply, never replacing a given one;
// plain Helm mode generates none of them.
func TestGenerateArgoCD(t *testing.T) {
	cat := NewCatalog()
	a := NewAnswers(cat)
	a.Wizard.ArgoCD = true
	a.Set("secrets.SECRET_KEY_BASE", "given-by-operator")
	a.SetBool("oauth.enabled", true)
	done, err := Generate(a)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"secrets.CREWAI_PLUS_INTERNAL_API_KEY": true, "secrets.ENCRYPTION_KEY": true,
		"secrets.ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY": true, "secrets.ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY": true,
		"secrets.ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT": true, "secrets.FACTORY_DEBUG_TOKEN": true,
		"secrets.REGISTRY_HTTP_SECRET": true, "secrets.OIDC_PRIVATE_KEY": true, "secrets.OIDC_KEY_ID": true,
		"secrets.DEPLOYMENT_INSTANCE_JWT_SECRET": true, "secrets.WHARF_JWT_SECRET": true,
		"secrets.OAUTH_DB_ENCRYPTION_KEY": true, "secrets.OAUTH_INTERNAL_API_KEY": true,
	}
	got := map[string]bool{}
	for _, p := range done {
		got[p] = true
	}
	for p := range want {
		if !got[p] {
			t.Errorf("%s was not generated", p)
		}
	}
	for p := range got {
		if !want[p] {
			t.Errorf("%s was generated but should not be", p)
		}
	}
	if a.Get("secrets.SECRET_KEY_BASE") != "given-by-operator" {
		t.Error("a given value was replaced")
	}
	if n := len(a.Get("secrets.REGISTRY_HTTP_SECRET")); n != 32 {
		t.Errorf("REGISTRY_HTTP_SECRET has %d characters, want 32", n)
	}
	if probs := Validate(a).For("secrets.ENCRYPTION_KEY"); len(probs) > 0 {
		t.Errorf("generated ENCRYPTION_KEY fails validation: %v", probs)
	}

	plain := NewAnswers(cat)
	plain.SetBool("cube.enabled", true)
	if done, _ := Generate(plain); len(done) != 0 {
		t.Errorf("plain Helm mode generated %v", done)
	}
}

func TestGenerateCubeOnlyWhenEnabled(t *testing.T) {
	cat := NewCatalog()
	for _, on := range []bool{false, true} {
		a := NewAnswers(cat)
		a.Wizard.ArgoCD = true
		a.SetBool("cube.enabled", on)
		a.SetBool("wharf.enabled", false)
		if _, err := Generate(a); err != nil {
			t.Fatal(err)
		}
		if _, got := a.Lookup("secrets.CUBE_JWT_SECRET"); got != on {
			t.Errorf("cube %v: CUBE_JWT_SECRET generated = %v", on, got)
		}
		if _, got := a.Lookup("secrets.WHARF_JWT_SECRET"); got {
			t.Error("WHARF_JWT_SECRET generated with wharf off")
		}
	}
}

func TestGenerateRequestedFreshValues(t *testing.T) {
	a := NewAnswers(NewCatalog())
	a.Wizard.Generate = []string{"GITHUB_WEBHOOK_SECRET_TOKEN", "envVars.WORKOS_COOKIE_PASSWORD"}
	if _, err := Generate(a); err != nil {
		t.Fatal(err)
	}
	if len(a.Get("secrets.GITHUB_WEBHOOK_SECRET_TOKEN")) != 64 || len(a.Get("envVars.WORKOS_COOKIE_PASSWORD")) < 32 {
		t.Fatal("requested values not generated in their formats")
	}
	if !a.Generated("envVars.WORKOS_COOKIE_PASSWORD") {
		t.Fatal("generated value not marked")
	}
}

func TestGenerateNothingWithExternalSecrets(t *testing.T) {
	a := NewAnswers(NewCatalog())
	a.Wizard.ArgoCD = true
	a.SetBool("externalSecret.enabled", true)
	if done, _ := Generate(a); len(done) != 0 {
		t.Fatalf("generated %v although secrets.yaml is not written", done)
	}
}

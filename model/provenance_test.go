package model

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
)

// probeValues are inputs of every shape a rule might judge: empty, short, long, URLs, hex,
// PEMs of several key types, control characters.
func probeValues(t *testing.T) []string {
	t.Helper()
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	ecPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	return []string{"", "x", "yes", "0", "65536", "12ab", "http://example.com", "https://u:p@example.com/x",
		"ftp://h/simple/", "not a url %zz", strings.Repeat("a", 65), strings.Repeat("f", 63), "zz",
		"sk_other", "aHR0cHM6Ly91OnBAaC9zaW1wbGUv", "p%40ss", "a/b", "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----\n",
		ecPEM, fxPKCS8(t), "line\nbreak", "\x1b[2J"}
}

// TestCatalogProvenance: every entry says where it comes from; a rule that may refuse a value
// (an error) cites the reference, Helm/Kubernetes or this tool's own input format; inferred
// rules and rules from other docs only warn, whatever the input.
func TestCatalogProvenance(t *testing.T) {
	cat := NewCatalog()
	probes := probeValues(t)
	for _, e := range cat.Entries() {
		if !e.Source.Known() {
			t.Errorf("%s: no source recorded for the key", e.Path)
		}
		for _, r := range e.Rules {
			if !r.Source.Known() {
				t.Errorf("%s: a rule without a source", e.Path)
				continue
			}
			if r.Refuses && !r.Source.Authoritative() {
				t.Errorf("%s: the rule %q may refuse values, but its source %q is not the reference or Helm/Kubernetes", e.Path, r.Name, r.Source)
			}
			if r.Refuses {
				continue
			}
			for _, v := range probes {
				for _, f := range r.Check(v) {
					if f.Severity == Error {
						t.Errorf("%s: the warn-only rule %q (%s) reports an error: %s", e.Path, r.Name, r.Source, f.Message)
					}
				}
			}
		}
		for _, st := range Explain(NewAnswers(cat), e) {
			if !st.Source.Known() {
				t.Errorf("%s: the statement %q has no source", e.Path, st.Topic)
			}
		}
	}
}

// TestRequiredWithoutReferenceWarns: a key the reference does not make required is only
// expected: missing, it is a warning (Auth0's keys come from the SSO page, not the reference).
func TestRequiredWithoutReferenceWarns(t *testing.T) {
	a := NewAnswers(NewCatalog())
	a.Set("envVars.AUTH_PROVIDER", "auth0")
	a.Set("postgres.enabled", "false")
	probs := Validate(a)
	for _, path := range []string{"envVars.AUTH0_CLIENT_ID", "envVars.DB_HOST"} {
		ps := probs.For(path)
		if len(ps) != 1 || ps[0].Severity != Warning {
			t.Errorf("%s: want one warning, got %v", path, ps)
		}
	}
	if ps := probs.For("secrets.DB_PASSWORD"); len(ps) != 1 || ps[0].Severity != Error {
		t.Errorf("secrets.DB_PASSWORD (Required: Yes in the reference): want an error, got %v", ps)
	}
}

// Every key the chart generates says what it protects, in one line (summary.md and rotate
// show it).
func TestGeneratedKeysHavePurpose(t *testing.T) {
	for _, e := range NewCatalog().Entries() {
		if (e.ChartGen != "" || e.Rotatable()) && e.Purpose == "" {
			t.Errorf("%s: no purpose line", e.Path)
		}
	}
	for _, g := range Gaps() {
		if g.Purpose == "" || !g.Source.Known() {
			t.Errorf("gap %s: no purpose or source", g.Name)
		}
	}
}

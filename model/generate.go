package model

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
)

const alphaNum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
const lowerAlphaNum = "abcdefghijklmnopqrstuvwxyz0123456789"

// Generator makes a fresh value for a key. Chart describes how the chart itself makes it
// ("randAlphaNum 64"); Format says what the value looks like in words.
type Generator struct {
	Chart  string
	Format string
	New    func() (string, error)
}

// RandomString returns n characters drawn uniformly from alphabet using r (crypto/rand in
// production). Bytes that would bias the result are rejected rather than reduced modulo.
func RandomString(r io.Reader, alphabet string, n int) (string, error) {
	if len(alphabet) == 0 || len(alphabet) > 256 {
		return "", fmt.Errorf("alphabet of %d characters", len(alphabet))
	}
	// limit is the largest multiple of len(alphabet) not above 256: bytes >= limit are
	// dropped, so every character keeps exactly the same probability.
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/4+8)
	for len(out) < n {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("reading random bytes: %w", err)
		}
		for _, b := range buf {
			if int(b) < limit {
				out = append(out, alphabet[int(b)%len(alphabet)])
				if len(out) == n {
					break
				}
			}
		}
	}
	return string(out), nil
}

// RandomHex returns n hexadecimal characters (n/2 random bytes; n must be even).
func RandomHex(r io.Reader, n int) (string, error) {
	b := make([]byte, n/2)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// NewRSAKeyPEM returns a new RSA private key as PKCS#1 PEM ("BEGIN RSA PRIVATE KEY"), the
// form Helm's genPrivateKey "rsa" produces.
func NewRSAKeyPEM(bits int) (string, error) {
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return "", fmt.Errorf("generating an RSA key: %w", err)
	}
	block := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}
	return string(pem.EncodeToMemory(block)), nil
}

func alphaNumGen(n int) *Generator {
	return &Generator{
		Chart:  fmt.Sprintf("randAlphaNum %d", n),
		Format: fmt.Sprintf("%d random letters and digits", n),
		New:    func() (string, error) { return RandomString(rand.Reader, alphaNum, n) },
	}
}

func hexGen(n int) *Generator {
	return &Generator{
		Chart:  fmt.Sprintf("%d hexadecimal characters", n),
		Format: fmt.Sprintf("%d hexadecimal characters", n),
		New:    func() (string, error) { return RandomHex(rand.Reader, n) },
	}
}

func rsaGen() *Generator {
	return &Generator{
		Chart:  `genPrivateKey "rsa"`,
		Format: "an RSA 2048-bit private key, PKCS#1 PEM",
		New:    func() (string, error) { return NewRSAKeyPEM(2048) },
	}
}

// oidcKeyIDGen makes "crewai-oidc-" plus 16 random lowercase letters and digits. The chart's
// own suffix format is not documented; only the prefix is.
func oidcKeyIDGen() *Generator {
	return &Generator{
		Chart:  "crewai-oidc-<random>",
		Format: "crewai-oidc- followed by 16 random lowercase letters and digits",
		New: func() (string, error) {
			s, err := RandomString(rand.Reader, lowerAlphaNum, 16)
			return "crewai-oidc-" + s, err
		},
	}
}

// Maker says who makes a value the answers leave unset.
type Maker int

// The makers of unset values.
const (
	// ByChart: the chart generates it at the first install and keeps it with Helm's lookup.
	ByChart Maker = iota
	// ByTool: crewai-setup generates it when it writes the files (ArgoCD, wizard.generate).
	ByTool
	// ByStore: externalSecret.enabled is true, so the operator's secret store must hold it.
	ByStore
)

// Planned is one value the plan says will be made rather than typed: the catalog entry (nil for
// a documented secret whose key name the reference does not give), who makes it and why.
type Planned struct {
	Entry *Entry
	Gap   *Gap
	By    Maker
}

// Name returns the key's name, or a description of a key whose name is not documented.
func (p Planned) Name() string {
	if p.Entry != nil {
		return p.Entry.Name()
	}
	return p.Gap.Name
}

// PlanGeneration returns, in catalog order, every value that will be generated rather than
// given: by the chart (plain Helm), by this tool (ArgoCD has no lookup; wizard.generate; keys
// the tool already generated in this run) or by the operator's external store. Review,
// summary.md, check --argocd and explain all read this one list.
func PlanGeneration(a *Answers) []Planned {
	external := a.Enabled("externalSecret.enabled")
	var out []Planned
	for _, e := range a.cat.Entries() {
		if e.Forbidden != "" || e.Internal {
			continue
		}
		if a.Generated(e.Path) {
			out = append(out, Planned{Entry: e, By: ByTool})
			continue
		}
		if _, set := a.Lookup(e.Path); set {
			continue
		}
		switch {
		case e.Gen != nil && a.listedForGeneration(e):
			out = append(out, Planned{Entry: e, By: ByTool})
		case !e.ChartGenerates(a):
		case external && e.InSecretsFile():
			out = append(out, Planned{Entry: e, By: ByStore})
		case a.Wizard.ArgoCD && e.ArgoCD && e.Gen != nil:
			out = append(out, Planned{Entry: e, By: ByTool})
		default:
			out = append(out, Planned{Entry: e, By: ByChart})
		}
	}
	for _, g := range Gaps() {
		if g.When(a) {
			by := ByChart
			if external {
				by = ByStore
			}
			out = append(out, Planned{Gap: &g, By: by})
		}
	}
	return out
}

// KeptInCluster lists the secrets.yaml keys the chart will generate at the first install,
// which then exist only in the cluster's Secret: the ones to read back and keep after
// installing (summary.md's backup section and the Done screen both list these).
func KeptInCluster(a *Answers) []*Entry {
	var out []*Entry
	for _, p := range PlanGeneration(a) {
		if p.By == ByChart && p.Entry != nil && p.Entry.InSecretsFile() {
			out = append(out, p.Entry)
		}
	}
	return out
}

// listedForGeneration reports whether wizard.generate names the entry.
func (a *Answers) listedForGeneration(e *Entry) bool {
	for _, name := range a.Wizard.Generate {
		if r, err := ResolveKey(a.cat, name); err == nil && r == e {
			return true
		}
	}
	return false
}

// Generate fills the keys the plan leaves to this tool with fresh random values and returns
// their paths. Keys the operator gave are never replaced. In plain Helm mode chart-generated
// keys stay unset: the chart makes them and keeps them with lookup.
func Generate(a *Answers) ([]string, error) {
	var done []string
	for _, p := range PlanGeneration(a) {
		e := p.Entry
		if p.By != ByTool || e == nil || a.Generated(e.Path) {
			continue
		}
		v, err := e.Gen.New()
		if err != nil {
			return done, fmt.Errorf("generating %s: %w", e.Path, err)
		}
		a.Set(e.Path, v)
		a.MarkGenerated(e.Path)
		done = append(done, e.Path)
	}
	return done, nil
}

// EnsureFingerprintKey gives a fresh install its fingerprint key (the tool's own, kept in
// secrets.yaml) when it has none and a secrets file will be written. Files written before keep
// their bytes: an edit of existing files never adds it.
func (a *Answers) EnsureFingerprintKey() error {
	if _, set := a.Lookup(FingerprintKeyPath); set || a.Enabled("externalSecret.enabled") {
		return nil
	}
	v, err := a.cat.Lookup(FingerprintKeyPath).Gen.New()
	if err != nil {
		return fmt.Errorf("generating the fingerprint key: %w", err)
	}
	a.Set(FingerprintKeyPath, v)
	return nil
}

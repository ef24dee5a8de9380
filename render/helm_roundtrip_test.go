package render_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"crewai-setup/internal/helmtest"
	"crewai-setup/internal/testtool"
	"crewai-setup/model"
	"crewai-setup/store"

	"go.yaml.in/yaml/v3"
	helmyaml "sigs.k8s.io/yaml"
)

// hostile are strings a YAML 1.1 reader (Helm's) takes for something else, or that break
// careless quoting: each must reach Helm's rendering exactly as given.
var hostile = []string{
	"yes", "no", "on", "off", "y", "n", "Y", "N", "No", "NO", "On", "True", "false", "~", "null", "Null", "NULL",
	"0777", "0o17", "0x1F", "0b101", "1e3", "1E3", "1_000", "+1", "-1", "1.0", "0.", ".inf", "-.Inf", ".NaN",
	"2024-01-01", "2001-12-14t21:59:43.10-05:00", "12:30:45", "190:20:30",
	" leading", "trailing ", "  both  ", "\tleading tab", "a: b", "a:", ":", "a #b", "#hash", "- dash", "-", "?", "? q",
	"@at", "`tick", "%pct", "&anchor", "*alias", "!tag", "!!str x", "|pipe", ">gt", "'sq", `"dq`, "[x", "{x", "]", "}",
	",comma", "=", "<<", "---", "...", "--- x", "{{ .Values.x }}", "%s %d",
	"\x01\x02\x1b[31mred\x7f", "bell\a", "line1\nline2", "trailing newline\n", "\r\ncrlf\r\n", "\u2028\u2029\u0085",
	"\ufeffbom", "\u00a0nbsp", "ünïcødé", "日本語", "emoji 🎉", `back\slash`, `\n not an escape`, `"quoted"`, "'single'",
	"p@ss:w/rd?#%&=+ \"'\\ü", strings.Repeat("a long value with spaces ", 12),
}

// value is one answer: where it goes, how the answers file writes it, and what Helm must read.
type value struct {
	path []string
	node *yaml.Node
	want any
}

func str(path []string, s string) value {
	return value{path: path, node: &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}, want: s}
}

func block(path []string, s string) value {
	return value{path: path, node: &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.LiteralStyle}, want: s}
}

// plain is a value written unquoted, as people write numbers and booleans.
func plain(path []string, text string, want any) value {
	return value{path: path, node: &yaml.Node{Kind: yaml.ScalarNode, Value: text}, want: want}
}

func p(keys ...string) []string { return keys }

// keyPlaceholder marks where the answers file gets the GitHub App key's one-line form.
const keyPlaceholder = "@@GITHUB_APP_PRIVATE_KEY@@"

// selfSigned returns a matching certificate and private key in PEM.
func selfSigned(t *testing.T) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "crewai.example.com"},
		DNSNames: []string{"crewai.example.com"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}))
}

// answersDoc builds the answers file's mapping from the values, in order.
func answersDoc(values []value) *yaml.Node {
	root := &yaml.Node{Kind: yaml.MappingNode}
	for _, v := range values {
		m := root
		for i, k := range v.path {
			var next *yaml.Node
			for j := 0; j+1 < len(m.Content); j += 2 {
				if m.Content[j].Value == k {
					next = m.Content[j+1]
				}
			}
			if next == nil {
				next = v.node
				if i < len(v.path)-1 {
					next = &yaml.Node{Kind: yaml.MappingNode}
				}
				key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}
				if v.path[0] == "hostileKeys" {
					key.Style = yaml.DoubleQuotedStyle
				}
				m.Content = append(m.Content, key, next)
			}
			m = next
		}
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
}

// What crewai-setup writes comes back byte-exact through real Helm: an answers file full of
// YAML 1.1 traps, control characters, unicode, PEMs (the GitHub App key in its one-line form
// with \n escapes, others as blocks) and keys the tool does not know is written with the
// answers loader and store.PrepareAndSave, then `helm template` renders a chart that echoes
// .Values as JSON with -f values.yaml -f secrets.yaml, and every value must be what the
// answers said. `helm lint` must accept the chart with the same files.
func TestRealHelmReadsBackEveryValue(t *testing.T) {
	helm := testtool.Path(t, "helm")
	keyPEM, err := os.ReadFile("../testdata/example-github-app.pem")
	if err != nil {
		t.Fatal(err)
	}
	cert, certKey := selfSigned(t)

	values := []value{
		plain(p("wizard", "replicated"), "true", nil), // Replicated supplies GITHUB_TOKEN and the package index
		plain(p("postgres", "enabled"), "false", false),
		str(p("envVars", "DB_HOST"), "db.example.internal"),
		str(p("envVars", "AUTH_PROVIDER"), "local"),
		// Written below as the one line people paste: "-----BEGIN ...\nMII...\n".
		{path: p("secrets", "GITHUB_APP_PRIVATE_KEY"), node: str(nil, keyPlaceholder).node, want: string(keyPEM)},
		block(p("secrets", "OIDC_PRIVATE_KEY"), string(keyPEM)),
		str(p("secrets", "OIDC_KEY_ID"), "0777"),
		block(p("secrets", "SSL_CERTIFICATE"), cert),
		block(p("secrets", "SSL_PRIVATE_KEY"), certKey),
		// Known free-form keys.
		str(p("secrets", "DB_PASSWORD"), "p@ss:w/rd?#% \"'\\ü\x01 "),
		str(p("envVars", "DB_USER"), "yes"),
		str(p("envVars", "POSTGRES_OAUTH_DB"), "on"),
		str(p("secrets", "GITHUB_CLIENT_SECRET"), "0x1F"),
		str(p("secrets", "BUILT_IN_LLM_API_KEY"), "- dash #hash"),
		// Keys the tool does not know, with every trap, and trap-shaped key names.
		plain(p("web", "replicaCount"), "2", float64(2)),
		plain(p("web", "debug"), "on", true), // not a string in the answers: Helm reads what it read before
		plain(p("envVars", "CUSTOM_FLAG"), "on", "on"),
		str(p("hostileKeys", "on"), "key on"),
		str(p("hostileKeys", "0777"), "key 0777"),
		str(p("hostileKeys", "a: b #c"), "key with indicators"),
		str(p("hostileKeys", " spaced "), "key with spaces"),
		str(p("hostileKeys", "ü日本"), "unicode key"),
	}
	for i, s := range hostile {
		n := fmt.Sprintf("%03d", i)
		values = append(values,
			str(p("envVars", "HOSTILE_"+n), s),
			str(p("secrets", "HOSTILE_"+n), s),
			str(p("passThrough", "s"+n), s),
			str(p("oauth", "secrets", "unknownProvider", "s"+n), s))
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(answersDoc(values)); err != nil {
		t.Fatal(err)
	}
	text := buf.Bytes()
	oneLine := strings.ReplaceAll(string(keyPEM), "\n", `\n`)
	pasted := strings.Replace(string(text), `"`+keyPlaceholder+`"`, `"`+oneLine+`"`, 1)
	if pasted == string(text) || !strings.Contains(pasted, `  GITHUB_APP_PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nMII`) {
		t.Fatalf("the answers file does not hold the GitHub App key as the one line people paste:\n%s", text)
	}

	dir := t.TempDir()
	answers := filepath.Join(dir, "answers.yaml")
	if err := os.WriteFile(answers, []byte(pasted), 0o600); err != nil {
		t.Fatal(err)
	}
	a, probs, err := model.LoadAnswersFile(model.NewCatalog(), answers)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if _, _, probs, err = store.PrepareAndSave(a, probs, out, nil); err != nil || probs.HasErrors() {
		t.Fatalf("the answers were refused: %v\n%v", err, probs)
	}

	env := append(os.Environ(), "HELM_CACHE_HOME="+filepath.Join(dir, "helm", "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(dir, "helm", "config"), "HELM_DATA_HOME="+filepath.Join(dir, "helm", "data"))
	chart, files := filepath.Join("testdata", "echo-chart"), []string{"-f", filepath.Join(out, "values.yaml"), "-f", filepath.Join(out, "secrets.yaml")}
	lint := exec.Command(helm, append([]string{"lint", "--strict", chart}, files...)...)
	lint.Env = env
	if msg, err := lint.CombinedOutput(); err != nil {
		t.Errorf("helm lint: %v\n%s", err, msg)
	}
	tmpl := exec.Command(helm, append([]string{"template", "roundtrip", chart}, files...)...)
	tmpl.Env = env
	rendered, err := tmpl.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok { //nolint:errorlint // Output returns *ExitError itself
			stderr = ee.Stderr
		}
		t.Fatalf("helm template: %v\n%s", err, stderr)
	}
	var cm struct {
		Data struct {
			Values string `json:"values"`
		} `json:"data"`
	}
	if err := helmyaml.Unmarshal(rendered, &cm); err != nil || cm.Data.Values == "" {
		t.Fatalf("helm template's output holds no echoed values (%v):\n%s", err, rendered)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(cm.Data.Values), &got); err != nil {
		t.Fatalf("the echoed values are not JSON: %v", err)
	}

	checked := 0
	for _, v := range values {
		if v.path[0] == "wizard" {
			continue
		}
		have, ok := helmtest.Lookup(got, v.path...)
		if !ok {
			t.Errorf("%q: not in Helm's values", v.path)
			continue
		}
		if !reflect.DeepEqual(have, v.want) {
			t.Errorf("%q: %s", v.path, difference(have, v.want))
		}
		checked++
	}
	if want := len(values) - 1; checked != want {
		t.Errorf("checked %d values, want %d", checked, want)
	}
	if _, ok := got["wizard"]; ok {
		t.Error("the wizard block reached Helm")
	}
}

// difference says how what Helm read differs from the answer: for strings, where, with a few
// bytes around (the whole value may be a key).
func difference(have, want any) string {
	hs, ok1 := have.(string)
	ws, ok2 := want.(string)
	if !ok1 || !ok2 {
		return fmt.Sprintf("Helm reads %#v, the answers said %#v", have, want)
	}
	i := 0
	for i < len(hs) && i < len(ws) && hs[i] == ws[i] {
		i++
	}
	from := max(i-8, 0)
	return fmt.Sprintf("Helm reads %d bytes, the answers said %d; they differ from byte %d: Helm %q…, answers %q…",
		len(hs), len(ws), i, hs[from:min(i+8, len(hs))], ws[from:min(i+8, len(ws))])
}

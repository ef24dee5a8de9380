package render

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"crewai-setup/internal/helmtest"
	"crewai-setup/model"
	"crewai-setup/render/yamledit"

	yaml "go.yaml.in/yaml/v3"
	helmyaml "sigs.k8s.io/yaml"
)

// FuzzLoadAnswers feeds arbitrary answers files through loading, preparation, validation and
// rendering. Properties: nothing panics; every problem names a key and says something; and
// whenever the answers are valid, Helm's parser reads every answered value back exactly from
// the rendered files.
func FuzzLoadAnswers(f *testing.F) {
	for _, name := range []string{"../testdata/answers.example.yaml", "testdata/answers-golden.yaml"} {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("secrets:\n  DB_PASSWORD: \"yes\"\npostgres: {enabled: true}\nenvVars: {AUTH_PROVIDER: local, DB_PORT: 0777}\n"))
	f.Add([]byte(`{"secrets": {"DB_PASSWORD": "x"}, "envVars": {"CUSTOM": "on"}}`))
	cat := model.NewCatalog()
	f.Fuzz(func(t *testing.T, data []byte) {
		a := model.NewAnswers(cat)
		probs, err := a.Merge(data, "fuzz.yaml", true)
		if err != nil {
			return
		}
		// Keep the fuzzer away from the file system and from slow RSA generation.
		a.Wizard.GitHubAppPrivateKeyFile, a.Wizard.SSLCertificateFile, a.Wizard.SSLPrivateKeyFile = "", "", ""
		a.Wizard.ArgoCD, a.Wizard.Generate = false, nil
		more, err := model.Prepare(a)
		if err != nil {
			t.Fatal(err)
		}
		probs = append(probs, more...)
		for _, p := range probs {
			if p.Path == "" || p.Message == "" {
				t.Fatalf("problem without a key or a message: %+v", p)
			}
		}
		if probs.HasErrors() {
			return
		}
		files, err := Build(a, probs.Warnings())
		if err != nil {
			t.Fatalf("valid answers do not render: %v", err)
		}
		var values, secrets map[string]any
		if err := helmyaml.Unmarshal(files.Values, &values); err != nil {
			t.Fatalf("Helm cannot read values.yaml: %v\n%s", err, files.Values)
		}
		if files.Secrets != nil {
			if err := helmyaml.Unmarshal(files.Secrets, &secrets); err != nil {
				t.Fatalf("Helm cannot read secrets.yaml: %v\n%s", err, files.Secrets)
			}
		}
		for _, p := range a.Paths() {
			e := cat.Lookup(p)
			doc := values
			if e.InSecretsFile() {
				if files.Secrets == nil {
					continue
				}
				doc = secrets
			}
			got, ok := helmtest.LookupDotted(doc, p)
			want := any(a.Get(p))
			if e.Kind == model.KindBool {
				want = a.Get(p) == "true"
			}
			if !ok || got != want {
				t.Fatalf("%s: Helm reads %#v, the answers say %#v", p, got, want)
			}
		}
	})
}

// FuzzHelmQuoting checks the quoting rules against Helm's parser: a string written with
// String reads back as exactly that string, and a string PlainSafe accepts does too when
// written plain; a key written with Key reads back as the same key.
func FuzzHelmQuoting(f *testing.F) {
	for _, s := range []string{"yes", "0777", "1e3", "~", "a: b", " x", "p@ss:w/rd?#%", "日本", "\t", "<<", "=", "-", "2024-01-01", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		check := func(n *yaml.Node) {
			doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Content: []*yaml.Node{yamledit.Key("k"), n}}}}
			out, err := yamledit.Encode(doc)
			if err != nil {
				return // yaml.v3 refuses some strings (e.g. lone control characters) — never silently changes them
			}
			var m map[string]any
			if err := helmyaml.Unmarshal(out, &m); err != nil {
				t.Fatalf("Helm cannot read %q written as %q: %v", s, out, err)
			}
			if got, ok := m["k"].(string); !ok || got != s {
				t.Fatalf("%q written as %q reads back as %#v", s, out, m["k"])
			}
		}
		check(yamledit.String(s))
		if yamledit.PlainSafe(s) {
			check(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s})
		}
		if strings.TrimSpace(s) == "" {
			return
		}
		doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Content: []*yaml.Node{yamledit.Key(s), yamledit.String("v")}}}}
		out, err := yamledit.Encode(doc)
		if err != nil {
			return
		}
		var m map[string]any
		if err := helmyaml.Unmarshal(out, &m); err != nil {
			t.Fatalf("Helm cannot read key %q written as %q: %v", s, out, err)
		}
		if _, ok := m[s]; !ok || len(m) != 1 {
			t.Fatalf("key %q written as %q reads back as %v", s, out, m)
		}
	})
}

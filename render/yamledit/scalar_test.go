package yamledit

import (
	"testing"

	yaml "go.yaml.in/yaml/v3"
	helmyaml "sigs.k8s.io/yaml"
)

func TestKey(t *testing.T) {
	quoted := []string{
		"<<", "yes", "No", "on", "off", "y", "true", "null", "~", "", "1", "0777", "1e3", "0x1F", ".inf", "2024-01-01",
		" lead", "trail ", "a: b", "x:", ":", "? q", "- x", "-", "#c", "a #b", "&a", "*a", "!t", "|", ">", "[x]", "{x}", "'q'", "\"q\"", "%d", "@x", "`x",
		"tab\there", "line\nbreak",
	}
	plain := []string{"DB_PASSWORD", "secrets", "GITHUB_APP_PRIVATE_KEY", "envVars", "oauth", "my-key.name_2", "ключ", "a<<b", "x=y"}
	for _, k := range append(quoted, plain...) {
		n := Key(k)
		wantQuoted := false
		for _, q := range quoted {
			wantQuoted = wantQuoted || q == k
		}
		if got := n.Style == yaml.DoubleQuotedStyle; got != wantQuoted {
			t.Errorf("Key(%q): quoted = %v, want %v", k, got, wantQuoted)
		}
		// Whatever the style, both parsers read the key back as exactly k, never as a merge.
		m := Mapping()
		m.Content = append(m.Content, n, String("v"))
		out, err := Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{m}})
		if err != nil {
			t.Fatalf("Key(%q): %v", k, err)
		}
		var v3, helm map[string]any
		if err := yaml.Unmarshal(out, &v3); err != nil || len(v3) != 1 || v3[k] != "v" {
			t.Errorf("Key(%q): yaml.v3 reads %q as %#v (%v)", k, out, v3, err)
		}
		if err := helmyaml.Unmarshal(out, &helm); err != nil || len(helm) != 1 || helm[k] != "v" {
			t.Errorf("Key(%q): Helm reads %q as %#v (%v)", k, out, helm, err)
		}
	}
}

// NEL (U+0085) is a line break to YAML: no plain, single-quoted or block scalar may carry it.
// unicode.IsControl covers it, with the rest of the C1 controls.
func TestNELNeedsDoubleQuotes(t *testing.T) {
	for _, s := range []string{"nel\u0085", "\u0085", "a\u0085b"} {
		if PlainSafe(s) || blockSafe(s) || oneLineSafe(s) {
			t.Errorf("%q: PlainSafe %v, blockSafe %v, oneLineSafe %v; want all false", s, PlainSafe(s), blockSafe(s), oneLineSafe(s))
		}
	}
}

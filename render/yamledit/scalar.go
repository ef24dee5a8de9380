package yamledit

import (
	"strings"
	"unicode"

	yaml "go.yaml.in/yaml/v3"
	helmyaml "sigs.k8s.io/yaml"
)

// String returns a double-quoted string scalar. Every string the tool writes is double-quoted:
// Helm reads values with a YAML 1.1 parser, where plain yes, on, 0777, 1e3 or 2024-01-01 would
// become something other than the string the operator typed.
func String(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.DoubleQuotedStyle, Value: s}
}

// Bool returns a plain true/false scalar.
func Bool(b bool) *yaml.Node {
	v := "false"
	if b {
		v = "true"
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: v}
}

// Block returns a literal block scalar (|) for multi-line text such as a PEM. yaml.v3 falls
// back to double quotes on its own when the text cannot be a literal block.
func Block(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.LiteralStyle, Value: s}
}

// Key returns a mapping key: plain when yaml.v3 and Helm both read it back as that string key,
// double-quoted otherwise (<< would be a merge key, yes a boolean, 1 a number, and so on).
func Key(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	quote := s == "<<" || !PlainSafe(s)
	if !quote {
		// Some text reads back unchanged as a value but not as a key (a trailing colon, say):
		// ask both parsers about it in key position too.
		doc := []byte(s + ": x\n")
		var v3, helm map[string]any
		quote = yaml.Unmarshal(doc, &v3) != nil || len(v3) != 1 || v3[s] != "x" ||
			helmyaml.Unmarshal(doc, &helm) != nil || len(helm) != 1 || helm[s] != "x"
	}
	if quote {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// PlainSafe reports whether s, written as a plain (unquoted) scalar, reads back as exactly the
// string s both through Helm's parser (sigs.k8s.io/yaml, YAML 1.1 rules) and through yaml.v3.
// The parsers themselves are the oracle, so no hand-kept list of YAML 1.1 words can go stale.
func PlainSafe(s string) bool {
	if s == "" || strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u0085' || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
			return false
		}
	}
	doc := []byte("k: " + s + "\n")
	var helm map[string]any
	if err := helmyaml.Unmarshal(doc, &helm); err != nil || len(helm) != 1 {
		return false
	}
	if v, ok := helm["k"].(string); !ok || v != s {
		return false
	}
	var v3 map[string]any
	if err := yaml.Unmarshal(doc, &v3); err != nil || len(v3) != 1 {
		return false
	}
	v, ok := v3["k"].(string)
	return ok && v == s
}

// Mapping returns an empty block mapping node.
func Mapping() *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
}

// Encode writes a document node with two-space indentation and no line folding.
func Encode(doc *yaml.Node) ([]byte, error) {
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

package yamledit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"crewai-setup/guard/yamlguard"

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
	quote := !PlainSafe(s)
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
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
			return false
		}
	}
	if helm, err := yamlguard.HelmPlain(s); err != nil || helm != s {
		return false
	}
	doc := []byte("k: " + s + "\n")
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

// keyText writes a mapping key as Key does: plain when both parsers read it back as that key,
// else double-quoted.
func keyText(k string) (string, error) {
	if Key(k).Style == 0 {
		return k, nil
	}
	return doubleQuoted(k)
}

// doubleQuoted renders v as a one-line double-quoted scalar, letting yaml.v3 do the escaping.
func doubleQuoted(v string) (string, error) {
	b, err := Encode(String(v))
	if err != nil {
		return "", fmt.Errorf("cannot write the value as YAML (%w): check it for invalid characters", err)
	}
	t := strings.TrimSuffix(string(b), "\n")
	if strings.ContainsAny(t, "\r\n") {
		return "", errors.New("internal: the double-quoted value came out on more than one line; nothing was changed")
	}
	return t, nil
}

// plainOK reports whether v may be written unquoted where the old value was unquoted.
func plainOK(v string, flow bool) bool {
	if flow && strings.ContainsAny(v, ",[]{}:#") {
		return false
	}
	return PlainSafe(v)
}

// oneLineSafe reports whether v fits in a one-line single-quoted scalar.
func oneLineSafe(v string) bool {
	return !strings.Contains(v, "\n") && blockSafe(v)
}

// blockSafe reports whether v has no characters that only a double-quoted scalar can carry.
func blockSafe(v string) bool {
	for _, r := range v {
		if r == '\n' {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
			return false
		}
	}
	return true
}

// literal is a literal block scalar ready to be written.
type literal struct {
	header string   // |, |2-, |+ ...
	lines  []string // indented content lines; empty lines carry no spaces
	chomp  byte     // '-', '+' or 0 (clip)
}

// makeLiteral renders v as a literal block with content indentation indent inside a node whose
// parent has indentation parentIndent. ok is false when a literal block cannot hold v exactly.
func makeLiteral(v string, indent, parentIndent int) (literal, bool) {
	if v == "" || !blockSafe(v) {
		return literal{}, false
	}
	// Chomping as yaml.v3's own emitter picks it: | for exactly one final newline, |- for none, |+ for more.
	var chomp byte
	switch {
	case v[len(v)-1] != '\n':
		chomp = '-'
	case len(v) == 1 || v[len(v)-2] == '\n':
		chomp = '+'
	}
	header := "|"
	// A leading space or empty line would spoil indentation auto-detection: state it.
	if v[0] == ' ' || v[0] == '\n' {
		d := indent - parentIndent
		if d < 1 || d > 9 {
			return literal{}, false
		}
		header += strconv.Itoa(d)
	}
	body := v
	if chomp != 0 {
		header += string(rune(chomp))
	}
	if chomp != '-' {
		body = v[:len(v)-1] // the last line break is the one the file already has after the block
	}
	lines := strings.Split(body, "\n")
	pad := strings.Repeat(" ", indent)
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return literal{header: header, lines: lines, chomp: chomp}, true
}

// text renders the block: header, the comment tail of the header line, then the content lines.
// The caller's existing line break follows the last content line.
func (l literal) text(tail, eol string) string {
	return l.header + tail + eol + strings.Join(l.lines, eol)
}

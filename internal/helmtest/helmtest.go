// Package helmtest holds what tests need to read YAML as Helm does: parse a values file with
// Helm's parser (sigs.k8s.io/yaml), look a value up by its path, and quote a hostile string
// for a hand-written file.
package helmtest

import (
	"fmt"
	"strings"
	"testing"

	helmyaml "sigs.k8s.io/yaml"
)

// Values parses data as Helm parses a values file; what names it in the failure.
func Values(t testing.TB, what string, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := helmyaml.Unmarshal(data, &m); err != nil {
		t.Fatalf("Helm cannot parse %s: %v", what, err)
	}
	return m
}

// Lookup returns the value at path (one key a level) of a parsed document.
func Lookup(m map[string]any, path ...string) (any, bool) {
	var cur any = m
	for _, k := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = mm[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// LookupDotted is Lookup with the path written with dots ("secrets.DB_PASSWORD").
func LookupDotted(m map[string]any, path string) (any, bool) {
	return Lookup(m, strings.Split(path, ".")...)
}

// Quote writes s as a YAML double-quoted scalar with every character outside printable ASCII
// escaped, so that a test file carries control characters, line separators and invalid
// text to the parser exactly.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			fmt.Fprintf(&b, `\U%08X`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

package yamledit

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
	helmyaml "sigs.k8s.io/yaml"
)

// fuzzTarget is one place FuzzSplice can edit: an existing scalar or a key to create.
type fuzzTarget struct {
	path []string
	node *yaml.Node // the existing scalar; nil for a new key
	flow bool       // the scalar is inside a flow collection
}

// fuzzTargets lists the existing scalars reachable through mapping keys, and new keys under
// every block mapping and every empty flow mapping ({}) outside a flow collection (and a new key
// with a new parent at the top level).
func fuzzTargets(doc *yaml.Node, newKey string) []fuzzTarget {
	var out []fuzzTarget
	var walk func(m *yaml.Node, path []string, flow bool)
	walk = func(m *yaml.Node, path []string, flow bool) {
		emptyFlow := !flow && m.Style&yaml.FlowStyle != 0 && len(m.Content) == 0
		flow = flow || m.Style&yaml.FlowStyle != 0
		exists := false
		for i := 0; i+1 < len(m.Content); i += 2 {
			exists = exists || m.Content[i].Value == newKey
		}
		if (!flow || emptyFlow) && !exists {
			out = append(out, fuzzTarget{path: append(append([]string{}, path...), newKey)})
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				continue
			}
			p := append(append([]string{}, path...), k.Value)
			switch v.Kind {
			case yaml.ScalarNode:
				out = append(out, fuzzTarget{path: p, node: v, flow: flow})
			case yaml.MappingNode:
				walk(v, p, flow)
			default: // sequences and aliases are not edit targets
			}
		}
	}
	if doc == nil || len(doc.Content) == 0 {
		return []fuzzTarget{{path: []string{newKey}}, {path: []string{newKey, "child"}}}
	}
	if root := doc.Content[0]; root.Kind == yaml.MappingNode {
		walk(root, nil, false)
		if mappingValue(root, newKey+"_parent") == nil {
			out = append(out, fuzzTarget{path: []string{newKey + "_parent", newKey}})
		}
	}
	return out
}

// nextNodeLine returns the line of the first node that starts after n in document order, or 0
// when n is the last.
func nextNodeLine(doc, n *yaml.Node) int {
	best := 0
	var walk func(x *yaml.Node)
	walk = func(x *yaml.Node) {
		if x != n && x.Kind != yaml.DocumentNode && (x.Line > n.Line || (x.Line == n.Line && x.Column > n.Column)) {
			if best == 0 || x.Line < best {
				best = x.Line
			}
		}
		for _, c := range x.Content {
			walk(c)
		}
	}
	walk(doc)
	return best
}

// splitLines splits text into lines, each with its line break, breaking where YAML does.
func splitLines(src []byte) [][]byte {
	starts := lineStarts(src)
	starts[0] = 0
	var lines [][]byte
	for i, s := range starts {
		end := len(src)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		if s < end {
			lines = append(lines, src[s:end])
		}
	}
	return lines
}

// changedLines returns the 0-based range [from, to) of lines of a that differ from b, after
// removing their common first and last lines.
func changedLines(a, b []byte) (int, int) {
	la, lb := splitLines(a), splitLines(b)
	p := 0
	for p < len(la) && p < len(lb) && bytes.Equal(la[p], lb[p]) {
		p++
	}
	s := 0
	for s < len(la)-p && s < len(lb)-p && bytes.Equal(la[len(la)-1-s], lb[len(lb)-1-s]) {
		s++
	}
	return p, len(la) - s
}

// FuzzSplice edits a chosen scalar (or a new key) of a YAML document. Whenever Splice succeeds,
// the result must read back as the original with only that key changed, exactly to the new
// value (through yaml.v3 and through Helm's parser), every line outside the edited value's
// lines must be byte-identical, and running the same edit again must change nothing.
func FuzzSplice(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/splice/*.in.yaml")
	values := []string{"n3w-p@ss", "yes", "0777", "", " lead", "a #b", "-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n", "x\n\n", "é🔑\t\r\n"}
	for i, s := range seeds {
		f.Add(string(mustReadF(f, s)), values[i%len(values)], uint(i*7), uint8(i), "NEW_KEY")
	}
	f.Add("secrets:\n  A: |2-\n     x\n  B: 'q'\n", "  y\n", uint(1), uint8(2), "K")
	f.Add("a: {b: c, d: [1, 2]}\n", "v, w", uint(2), uint8(0), "n")
	// Empty flow mappings, which gain keys as block mappings: sel picks each {} in turn.
	emptyFlow := "secrets: {}  # c\noauth:\n  google: &g {}\n  x: {a: {}}\nz:\n  {}\nw: !!map { }\n"
	for sel := range uint(8) {
		f.Add(emptyFlow, values[int(sel)%len(values)], sel, uint8(sel), "K")
	}
	f.Add("a: 1\r\nsecrets: {} # none\r\n", "-----BEGIN KEY-----\nAAAA\n-----END KEY-----\n", uint(2), uint8(2), "PEM")
	f.Add("{}\n", "v", uint(0), uint8(0), "<<")
	f.Add("--- {}\n...\n", "yes", uint(1), uint8(1), "yes")
	f.Add("a: {}\n  # deeper comment\nb: |+\n  x\n\n", "x\n\n", uint(0), uint8(2), "n")

	f.Fuzz(func(t *testing.T, src, value string, sel uint, style uint8, newKey string) {
		_ = checkSpliceProperty(t, src, value, sel, style, newKey) // a refusal is not a failure; broken properties fail inside
	})
}

// checkSpliceProperty edits the target chosen by sel and checks the properties FuzzSplice
// promises. It returns Splice's error, if any (a refusal is not a failure).
func checkSpliceProperty(t testing.TB, src, value string, sel uint, style uint8, newKey string) error {
	t.Helper()
	if len(src) > 1<<14 || len(value) > 1<<12 {
		return nil
	}
	doc, err := parseSingle([]byte(src))
	if err != nil {
		_, err = Splice([]byte(src), []Edit{{Path: []string{"k"}, Value: value}}) // must not panic
		return err
	}
	var orig any
	if doc != nil {
		if err := doc.Decode(&orig); err != nil {
			return err
		}
	}
	targets := fuzzTargets(doc, newKey)
	if len(targets) == 0 {
		return nil
	}
	target := targets[sel%uint(len(targets))]
	edit := Edit{Path: target.path, Value: value, Style: EditStyle(style % 3)}
	out, err := Splice([]byte(src), []Edit{edit})
	if err != nil {
		if out != nil {
			t.Fatalf("bytes returned with error %v", err)
		}
		return err
	}
	// Read back through yaml.v3: only the edited key changed, to exactly the new value.
	got, err := parseValues(out)
	if err != nil {
		t.Fatalf("result does not parse: %v\n%s", err, out)
	}
	if at, d := firstDiff(got, withValue(orig, edit.Path, value), ""); d {
		t.Fatalf("result differs at %q\n--- src:\n%s\n--- out:\n%s", at, src, out)
	}

	// Read back through Helm's parser, when it reads the original with the same keys.
	var helmOrig any
	if helmyaml.Unmarshal([]byte(src), &helmOrig) == nil && sameKeys(orig, helmOrig, edit.Path) {
		var helmGot any
		if err := helmyaml.Unmarshal(out, &helmGot); err != nil {
			t.Fatalf("Helm cannot parse the result: %v\n%s", err, out)
		}
		if at, d := firstDiff(helmGot, withValue(helmOrig, edit.Path, value), ""); d {
			t.Fatalf("Helm reads the result differently at %q\n--- src:\n%s\n--- out:\n%s", at, src, out)
		}
	}

	// Only the edited value's lines changed.
	from, to := changedLines([]byte(src), out)
	lines := splitLines([]byte(src))
	if target.node != nil {
		first := target.node.Line - 1
		last := len(lines) - 1
		if next := nextNodeLine(doc, target.node); next > 0 {
			last = next - 1
			if target.flow {
				last = next // in a flow collection the next node may follow on the value's last line
			}
		}
		if to > from && (from < first || to-1 > last) {
			t.Fatalf("lines %d-%d changed, the value spans %d-%d\n--- src:\n%s\n--- out:\n%s", from+1, to, first+1, last+1, src, out)
		}
	} else {
		// A new key is inserted after a line end; only blank lines after it may be replaced
		// (swallowed by a |+ block), and the line it attaches to gains at most a line break
		// or loses a null.
		for i := from + 1; i < to; i++ {
			if strings.TrimSpace(string(lines[i])) != "" {
				t.Fatalf("new key: original line %d changed\n--- src:\n%s\n--- out:\n%s", i+1, src, out)
			}
		}
	}

	// Running the same edit again changes nothing.
	again, err := Splice(out, []Edit{edit})
	if err != nil {
		t.Fatalf("second run failed: %v\n--- out:\n%s", err, out)
	}
	if !bytes.Equal(again, out) {
		t.Fatalf("second run changed the file\n--- first:\n%q\n--- second:\n%q", out, again)
	}
	return nil
}

// sameKeys reports whether Helm's reading of the original has the keys that yaml.v3's reading
// has along path (YAML 1.1 reads a plain key such as yes or on as a boolean).
func sameKeys(v3, helm any, path []string) bool {
	for _, k := range path {
		m3, ok3 := v3.(map[string]any)
		mh, okh := helm.(map[string]any)
		if !ok3 {
			return true
		}
		if !okh || len(m3) != len(mh) {
			return false
		}
		x, in3 := m3[k]
		y, inh := mh[k]
		if in3 != inh {
			return false
		}
		if !in3 {
			return true
		}
		v3, helm = x, y
	}
	return true
}

func mustReadF(f *testing.F, path string) []byte {
	f.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// parseValues decodes a single-document file into generic values.
func parseValues(src []byte) (any, error) {
	doc, err := parseSingle(src)
	if err != nil || doc == nil {
		return nil, err
	}
	var v any
	if err := doc.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

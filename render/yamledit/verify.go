package yamledit

import (
	"fmt"

	yaml "go.yaml.in/yaml/v3"
)

// This file holds the read-back checks: an edited document must read back as the original
// with exactly the edits applied.

// editTrie holds the edits by path: a leaf is a new string value, an inner node a mapping
// some of whose keys are edited.
type editTrie struct {
	leaf     bool
	value    string
	isBool   bool // the leaf is a boolean (EditBool), not a string
	children map[string]*editTrie
}

// newEditTrie files the edits by path; a later edit of the same path wins.
func newEditTrie(edits []Edit) *editTrie {
	root := &editTrie{}
	for _, e := range edits {
		t := root
		for _, k := range e.Path {
			if t.children == nil {
				t.leaf, t.children = false, map[string]*editTrie{}
			}
			if t.children[k] == nil {
				t.children[k] = &editTrie{}
			}
			t = t.children[k]
		}
		t.leaf, t.value, t.isBool, t.children = true, e.Value, e.Style == EditBool, nil
	}
	return root
}

// Verify checks that after is before with the edits applied and nothing else changed, as a
// YAML reader sees it: after is one YAML document, every edited path holds its new value (a
// string, or a boolean for EditBool), no key of an edited mapping appears twice, and every
// other node reads back as before (same kind, resolved tag, value and anchor; quoting,
// comments, order of untouched keys' text and positions may differ). It walks the two node
// trees once, so its cost grows linearly with the files. Splice makes the same check before it
// returns; callers that write the result use Verify on what they read back. The error names
// the first key path that differs and never holds a value.
func Verify(before, after []byte, edits []Edit) error {
	// The two parses are independent: the original is parsed on another goroutine meanwhile,
	// which halves the wait where a second core is free.
	type parsed struct {
		doc *yaml.Node
		err error
	}
	done := make(chan parsed, 1)
	go func() {
		doc, err := parseSingle(before)
		done <- parsed{doc, err}
	}()
	res, resErr := parseSingle(after)
	orig := <-done
	if orig.err != nil {
		return fmt.Errorf("the original: %w", orig.err)
	}
	if resErr != nil {
		return resErr
	}
	return compareTrees(orig.doc, res, edits)
}

// verify parses out and checks it against the original document orig, as Verify describes.
func verify(orig *yaml.Node, out []byte, edits []Edit) error {
	res, err := parseSingle(out)
	if err != nil {
		return err
	}
	return compareTrees(orig, res, edits)
}

// compareTrees checks the parsed result res against the original orig under the edits.
// Comparing the node trees (kind, resolved tag, value, anchor) implies that the documents
// decode to equal generic values, without decoding them: yaml.v3's decoder checks duplicate
// keys in time quadratic in the size of a mapping, and a 100k-line secrets: mapping is one.
func compareTrees(orig, res *yaml.Node, edits []Edit) error {
	o, r := docRoot(orig), docRoot(res)
	if o != nil && o.Kind == yaml.ScalarNode && o.ShortTag() == "!!null" {
		o = nil // an empty document gains its first keys
	}
	return compareNodes(o, r, newEditTrie(edits), nil)
}

// docRoot returns a document's top node, or nil.
func docRoot(doc *yaml.Node) *yaml.Node {
	if doc == nil || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// mappingValue returns the value of key k in mapping m, or nil.
func mappingValue(m *yaml.Node, k string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == k {
			return m.Content[i+1]
		}
	}
	return nil
}

// compareNodes checks the result node r against the original o (nil when new) under the edits w.
func compareNodes(o, r *yaml.Node, w *editTrie, path []string) error {
	at := pathString(path)
	switch {
	case w != nil && w.leaf:
		if r == nil || r.Kind != yaml.ScalarNode || r.Value != w.value {
			return fmt.Errorf("the value at %q does not read back as intended", at)
		}
		if w.isBool {
			if r.ShortTag() != "!!bool" {
				return fmt.Errorf("the value at %q does not read back as a boolean", at)
			}
			return nil
		}
		if r.ShortTag() != "!!str" {
			// A plain << is tagged !!merge on its own yet decodes as the string "<<" as a value.
			var v any
			if err := r.Decode(&v); err != nil || v != w.value {
				return fmt.Errorf("the value at %q does not read back as a string", at)
			}
		}
		return nil
	case w != nil && w.children != nil:
		if r == nil || r.Kind != yaml.MappingNode {
			return fmt.Errorf("%q does not read back as a mapping", at)
		}
		old := make(map[string][2]*yaml.Node, len(r.Content)/2)
		if o != nil && o.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(o.Content); i += 2 {
				old[o.Content[i].Value] = [2]*yaml.Node{o.Content[i], o.Content[i+1]}
			}
		} else if o != nil && (o.Kind != yaml.ScalarNode || o.ShortTag() != "!!null") {
			return fmt.Errorf("%q was not a mapping", at)
		}
		seen := make(map[string]bool, len(r.Content)/2)
		for i := 0; i+1 < len(r.Content); i += 2 {
			kn, vn := r.Content[i], r.Content[i+1]
			k := kn.Value
			if seen[k] {
				return fmt.Errorf("the key %q appears twice under %q", k, at)
			}
			seen[k] = true
			if sub, edited := w.children[k]; edited {
				if kn.Kind != yaml.ScalarNode || kn.ShortTag() != "!!str" {
					return fmt.Errorf("the key %q under %q does not read back as a string", k, at)
				}
				if err := compareNodes(old[k][1], vn, sub, append(path, k)); err != nil {
					return err
				}
				continue
			}
			pair, ok := old[k]
			if !ok || !sameNode(pair[0], kn) {
				return fmt.Errorf("the value at %q does not read back as before", pathString(append(path, k)))
			}
			if !sameNode(pair[1], vn) {
				return fmt.Errorf("the value at %q does not read back as before", changedAt(pair[1], vn, append(path, k)))
			}
		}
		for k := range old {
			if !seen[k] {
				return fmt.Errorf("the key %q under %q is lost", k, at)
			}
		}
		for k := range w.children {
			if !seen[k] {
				return fmt.Errorf("the key %q under %q is missing", k, at)
			}
		}
		return nil
	}
	if !sameNode(o, r) {
		return fmt.Errorf("the value at %q does not read back as before", changedAt(o, r, path))
	}
	return nil
}

// changedAt returns the path of the first difference between two nodes that are not the same,
// as deep as the two trees agree on their shape, for the error message.
func changedAt(a, b *yaml.Node, path []string) string {
	for a != nil && b != nil && a.Kind == b.Kind && len(a.Content) == len(b.Content) && a.Anchor == b.Anchor && a.ShortTag() == b.ShortTag() {
		next := -1
		for i := range a.Content {
			if !sameNode(a.Content[i], b.Content[i]) {
				next = i
				break
			}
		}
		switch {
		case next < 0:
			return pathString(path)
		case a.Kind == yaml.MappingNode && next%2 == 1:
			path = append(path, a.Content[next-1].Value)
		case a.Kind == yaml.MappingNode:
			return pathString(append(path, a.Content[next].Value))
		case a.Kind == yaml.SequenceNode:
			path = append(path, fmt.Sprintf("[%d]", next))
		default:
			return pathString(path)
		}
		a, b = a.Content[next], b.Content[next]
	}
	return pathString(path)
}

// sameNode reports whether two nodes read back as the same data: same kind, resolved tag,
// value and anchor, recursively. Style (quoting) and position do not matter.
func sameNode(a, b *yaml.Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind || a.Value != b.Value || a.Anchor != b.Anchor || len(a.Content) != len(b.Content) || a.ShortTag() != b.ShortTag() {
		return false
	}
	if a.Kind == yaml.AliasNode {
		// The anchored node itself is compared where it is defined.
		return (a.Alias == nil) == (b.Alias == nil) && (a.Alias == nil || a.Alias.Kind == b.Alias.Kind)
	}
	for i := range a.Content {
		if !sameNode(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

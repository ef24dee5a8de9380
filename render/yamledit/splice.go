package yamledit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"crewai-setup/guard/yamlguard"
)

// EditStyle says how Splice writes a new value.
type EditStyle int

const (
	// EditKeep keeps the existing scalar's style where the new value allows it: plain stays plain
	// only if PlainSafe, single-quoted stays single-quoted without newlines or control characters,
	// double stays double, a literal or folded block becomes a literal block with the same
	// indentation. Everything else, a null placeholder (~, null or nothing) and every new key
	// is written double-quoted.
	EditKeep EditStyle = iota
	// EditOneLine writes the value double-quoted on one line with \n escapes, never folded: the
	// form of secrets.GITHUB_APP_PRIVATE_KEY.
	EditOneLine
	// EditBlock writes a literal block scalar (|, |- or |+), the form of PEMs such as
	// OIDC_PRIVATE_KEY. Where YAML cannot hold the value as a literal block (control characters,
	// an empty value, inside a flow collection, a deeper-indented comment that the block would
	// swallow) it is written double-quoted instead, so the value is still exact.
	EditBlock
	// EditBool writes true or false plain, as a YAML boolean: the form of toggles such as
	// oauth.enabled. Value must be "true" or "false".
	EditBool
)

// Edit sets the scalar at Path (mapping keys from the document root, e.g.
// ["secrets", "DB_PASSWORD"]) to the string Value.
type Edit struct {
	// Path is the chain of mapping keys from the document root.
	Path []string
	// Value is the new string, taken byte for byte.
	Value string
	// Style says how Value is written.
	Style EditStyle
}

// Splice applies edits to src and returns the new bytes. Only the edited values' text changes:
// comments, key order, other keys' quoting, indentation, blank lines and line endings stay byte
// for byte. A key that does not exist is added at the end of its parent mapping with the parent's
// indentation, creating missing parent mappings at the end of their own parent. A key added to
// an empty flow mapping ({}, outside any other flow collection) turns it into a block mapping,
// indented one step deeper than its parent. Adding to a non-empty flow mapping ({a: 1}), editing
// an alias (*x), and editing anything that an alias elsewhere refers to are refused. The result is parsed again and must hold every edited value exactly and every
// other value unchanged; otherwise Splice returns an error and no bytes.
func Splice(src []byte, edits []Edit) ([]byte, error) {
	if !utf8.Valid(src) {
		return nil, errors.New("the file is not valid UTF-8 text: convert it to UTF-8 and run again")
	}
	orig, err := parseSingle(src)
	if err != nil {
		return nil, err
	}
	for _, e := range edits {
		if len(e.Path) == 0 {
			return nil, errors.New("an edit has an empty key path: name the key to set, e.g. secrets.DB_PASSWORD")
		}
		if !utf8.ValidString(e.Value) {
			return nil, fmt.Errorf("%s: the new value is not valid UTF-8 text: pass it as UTF-8", pathString(e.Path))
		}
		if e.Style == EditBool && e.Value != "true" && e.Value != "false" {
			return nil, fmt.Errorf("%s: a boolean edit needs true or false", pathString(e.Path))
		}
		for _, k := range e.Path {
			if !utf8.ValidString(k) {
				return nil, fmt.Errorf("%s: the key is not valid UTF-8 text: pass it as UTF-8", pathString(e.Path))
			}
		}
	}

	out, doc := bytes.Clone(src), orig
	for i, e := range edits {
		if i > 0 {
			// Each edit is located in the text produced by the previous ones, so that two new
			// keys under the same new parent share that parent.
			if doc, err = parseSingle(out); err != nil {
				return nil, fmt.Errorf("%s: the file no longer parses after the previous edits (%w): nothing was changed; edit the file by hand", pathString(e.Path), err)
			}
		}
		if out, err = newSplicer(out, doc).apply(e); err != nil {
			return nil, err
		}
	}
	if len(edits) == 0 {
		return out, nil
	}

	// The safety net: whatever the text surgery did, the document must read back as intended.
	if err := verify(orig, out, edits); err != nil {
		paths := make([]string, len(edits))
		for i, e := range edits {
			paths[i] = pathString(e.Path)
		}
		return nil, fmt.Errorf("%s: editing the file in place failed its own check (%w): nothing was changed; edit the file by hand or write it afresh", strings.Join(paths, ", "), err)
	}
	return out, nil
}

// parseSingle parses src as one YAML document; it returns nil for an empty or comments-only file.
func parseSingle(src []byte) (*yaml.Node, error) {
	if err := yamlguard.CheckSize(src); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("the file is not valid YAML (%w): fix it and run again", err)
	}
	if err := yamlguard.Check(&doc); err != nil { // aliases and depth bounded before any walk
		return nil, err
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return nil, errors.New("the file holds more than one YAML document (separated by ---): a values file has exactly one; split it into one file per document and run again")
	}
	return &doc, nil
}

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

// verify parses out and checks it against the original document: every edited path holds its
// new string, and every other node is unchanged. Comparing the node trees (kind, resolved tag,
// value, anchor) implies that the documents decode to equal generic values, without paying for
// decoding two whole documents (yaml.v3's decoder also checks duplicate keys in quadratic time);
// the top-level sections that hold edits are in addition decoded and compared as generic values.
func verify(orig *yaml.Node, out []byte, edits []Edit) error {
	res, err := parseSingle(out)
	if err != nil {
		return err
	}
	want := newEditTrie(edits)
	o, r := docRoot(orig), docRoot(res)
	if o != nil && o.Kind == yaml.ScalarNode && o.ShortTag() == "!!null" {
		o = nil // an empty document gains its first keys
	}
	if err := compareNodes(o, r, want, nil); err != nil {
		return err
	}
	for k, sub := range want.children {
		var ov, rv any
		if on := mappingValue(o, k); on != nil {
			if err := on.Decode(&ov); err != nil {
				return fmt.Errorf("cannot read %s: %w", k, err)
			}
		}
		if err := mappingValue(r, k).Decode(&rv); err != nil {
			return fmt.Errorf("cannot read %s: %w", k, err)
		}
		for _, e := range edits {
			if e.Path[0] == k {
				ov = withValue(ov, e.Path[1:], editValue(e))
			}
		}
		if sub.leaf {
			ov = any(sub.value)
			if sub.isBool {
				ov = sub.value == "true"
			}
		}
		if at, differs := firstDiff(rv, ov, k); differs {
			return fmt.Errorf("the value at %q would not read back as intended", at)
		}
	}
	return nil
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
			return fmt.Errorf("the value at %q would not read back as intended", at)
		}
		if w.isBool {
			if r.ShortTag() != "!!bool" {
				return fmt.Errorf("the value at %q would not read back as a boolean", at)
			}
			return nil
		}
		if r.ShortTag() != "!!str" {
			// A plain << is tagged !!merge on its own yet decodes as the string "<<" as a value.
			var v any
			if err := r.Decode(&v); err != nil || v != w.value {
				return fmt.Errorf("the value at %q would not read back as a string", at)
			}
		}
		return nil
	case w != nil && w.children != nil:
		if r == nil || r.Kind != yaml.MappingNode {
			return fmt.Errorf("%q would not read back as a mapping", at)
		}
		old := map[string][2]*yaml.Node{}
		if o != nil && o.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(o.Content); i += 2 {
				old[o.Content[i].Value] = [2]*yaml.Node{o.Content[i], o.Content[i+1]}
			}
		} else if o != nil && (o.Kind != yaml.ScalarNode || o.ShortTag() != "!!null") {
			return fmt.Errorf("%q was not a mapping", at)
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(r.Content); i += 2 {
			kn, vn := r.Content[i], r.Content[i+1]
			k := kn.Value
			if seen[k] {
				return fmt.Errorf("the key %q would appear twice under %q", k, at)
			}
			seen[k] = true
			if sub, edited := w.children[k]; edited {
				if kn.Kind != yaml.ScalarNode || kn.ShortTag() != "!!str" {
					return fmt.Errorf("the key %q under %q would not read back as a string", k, at)
				}
				if err := compareNodes(old[k][1], vn, sub, append(path, k)); err != nil {
					return err
				}
				continue
			}
			pair, ok := old[k]
			if !ok || !sameNode(pair[0], kn) || !sameNode(pair[1], vn) {
				return fmt.Errorf("the value at %q would not read back as before", pathString(append(path, k)))
			}
		}
		for k := range old {
			if !seen[k] {
				return fmt.Errorf("the key %q under %q would be lost", k, at)
			}
		}
		for k := range w.children {
			if !seen[k] {
				return fmt.Errorf("the key %q under %q would be missing", k, at)
			}
		}
		return nil
	}
	if !sameNode(o, r) {
		return fmt.Errorf("the value at %q would not read back as before", at)
	}
	return nil
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

// pathString joins a key path for messages: secrets.DB_PASSWORD.
func pathString(path []string) string { return strings.Join(path, ".") }

// splicer edits one parsed version of a file.
type splicer struct {
	src     []byte
	doc     *yaml.Node
	starts  []int // byte offset where each line starts, numbered as yaml.v3 numbers lines
	eol     string
	aliased map[*yaml.Node]bool // nodes that some alias (*x) refers to
}

// newSplicer prepares to edit src, whose parse is doc.
func newSplicer(src []byte, doc *yaml.Node) *splicer {
	sp := &splicer{src: src, doc: doc, eol: detectEOL(src), aliased: map[*yaml.Node]bool{}}
	sp.starts = lineStarts(src)
	if doc != nil {
		markAliased(doc, sp.aliased)
	}
	return sp
}

// markAliased records in set every node that an alias below n refers to.
func markAliased(n *yaml.Node, set map[*yaml.Node]bool) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		set[n.Alias] = true
	}
	for _, c := range n.Content {
		markAliased(c, set)
	}
}

// replacement replaces src[start:end] with text.
type replacement struct {
	start, end int
	text       string
}

// splice applies non-overlapping replacements given in order.
func (sp *splicer) splice(reps ...replacement) []byte {
	var b bytes.Buffer
	b.Grow(len(sp.src) + 256)
	last := 0
	for _, r := range reps {
		b.Write(sp.src[last:r.start])
		b.WriteString(r.text)
		last = r.end
	}
	b.Write(sp.src[last:])
	return b.Bytes()
}

// apply performs one edit.
func (sp *splicer) apply(e Edit) ([]byte, error) {
	var root *yaml.Node
	if sp.doc != nil && len(sp.doc.Content) > 0 {
		root = sp.doc.Content[0]
	}
	if root == nil || isImplicitNull(root) {
		return sp.insertAtEnd(e, e.Path)
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: the file's top level is not a mapping of keys (it is %s): it is not a values file; check the file name", pathString(e.Path), kindName(root))
	}
	cur, flow := root, false
	keyIndent := 0 // where keys added to an empty flow mapping cur would start
	for i, key := range e.Path {
		here := pathString(e.Path[:i])
		outerFlow := flow
		flow = flow || cur.Style&yaml.FlowStyle != 0
		var val *yaml.Node
		for j := 0; j+1 < len(cur.Content); j += 2 {
			k := cur.Content[j]
			if k.Kind != yaml.ScalarNode || (k.ShortTag() != "!!str" && k.ShortTag() != "!!merge") {
				// yaml.v3 reads 0: or true: as a number or boolean, Helm as the string "0" or
				// "true"; which key a path means would be a guess.
				where := here
				if where == "" {
					where = "the top level"
				}
				return nil, fmt.Errorf("%s: %s has a key that is not a plain string (%q on line %d), which YAML readers disagree about: quote that key by hand and run again", pathString(e.Path), where, k.Value, k.Line)
			}
			if k.Value == key {
				if val != nil {
					return nil, fmt.Errorf("%s: the key %q appears more than once in the same mapping (line %d and earlier): remove the duplicate by hand and run again", pathString(e.Path), key, k.Line)
				}
				val = cur.Content[j+1]
			}
		}
		if val == nil {
			if sp.aliased[cur] {
				return nil, sharedError(e.Path, here, cur)
			}
			if flow && !outerFlow && len(cur.Content) == 0 {
				// secrets: {} is how charts write "no keys yet": it becomes a block mapping.
				return sp.fillEmptyFlow(cur, keyIndent, e, e.Path[i:])
			}
			if flow {
				return nil, fmt.Errorf("%s: cannot add the key %q inside the flow mapping ({...}) on line %d: rewrite that mapping in block style (one key per line) and run again", pathString(e.Path), key, cur.Line)
			}
			return sp.insertInto(cur, e, e.Path[i:])
		}
		at := pathString(e.Path[:i+1])
		if val.Kind == yaml.AliasNode {
			what := "the value"
			if i < len(e.Path)-1 {
				what = at
			}
			return nil, fmt.Errorf("%s: %s is an alias (*%s) of something defined elsewhere in the file: edit the anchored original (&%s) instead, or replace the alias by its own copy by hand", pathString(e.Path), what, val.Value, val.Value)
		}
		if sp.aliased[val] {
			return nil, sharedError(e.Path, at, val)
		}
		if i == len(e.Path)-1 {
			if val.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("%s: holds %s, not a single value: edit one of its keys instead, or replace it by hand", at, kindName(val))
			}
			return sp.editScalar(val, e, mappingIndent(cur), flow)
		}
		switch {
		case val.Kind == yaml.MappingNode:
			keyIndent = mappingIndent(cur) + sp.indentStep()
			cur = val
		case val.Kind == yaml.ScalarNode && val.ShortTag() == "!!null" && val.Style == 0:
			if flow {
				return nil, fmt.Errorf("%s: cannot add keys under %s inside a flow mapping ({...}) on line %d: rewrite that mapping in block style and run again", pathString(e.Path), at, val.Line)
			}
			return sp.fillNull(val, mappingIndent(cur), e, e.Path[i+1:])
		default:
			return nil, fmt.Errorf("%s: %s holds %s, not a mapping of keys: fix the file by hand (or choose another key)", pathString(e.Path), at, kindName(val))
		}
	}
	return nil, fmt.Errorf("%s: internal error: the key path was not followed; nothing was changed", pathString(e.Path))
}

// sharedError refuses an edit at or inside a node that an alias reuses.
func sharedError(path []string, at string, n *yaml.Node) error {
	what := "the value"
	switch {
	case at == "":
		what = "the top level"
	case at != pathString(path):
		what = "the enclosing mapping " + at
	}
	return fmt.Errorf("%s: %s carries the anchor &%s, which an alias (*%s) elsewhere in the file reuses, so editing it would change those places too: edit the file by hand (or give this place its own copy of the values first)", pathString(path), what, n.Anchor, n.Anchor)
}

// kindName describes what a node holds, for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "null"
		}
		if n.ShortTag() == "!!str" {
			return "a string"
		}
		return "the value " + n.Value
	default:
		return "something else"
	}
}

// isImplicitNull reports whether n is a null with no text at all (key: with nothing after it).
func isImplicitNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Value == "" && n.Style == 0 && n.Anchor == "" && n.ShortTag() == "!!null"
}

// mappingIndent is a block mapping's indentation in columns: where its first key starts.
func mappingIndent(m *yaml.Node) int {
	if len(m.Content) == 0 {
		return m.Column - 1
	}
	return m.Content[0].Column - 1
}

// editScalar replaces the text of the scalar val, whose mapping has indentation parentIndent.
func (sp *splicer) editScalar(val *yaml.Node, e Edit, parentIndent int, flow bool) ([]byte, error) {
	if val.Style&yaml.TaggedStyle != 0 && val.ShortTag() != "!!str" {
		return nil, fmt.Errorf("%s: the value carries the explicit tag %s, which would turn the new text into something other than a string: remove the tag by hand and run again", pathString(e.Path), val.Tag)
	}
	s, err := sp.scalarSpan(val, parentIndent, flow)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: nothing was changed; edit the value by hand", pathString(e.Path), err)
	}
	empty := s.start == s.end && !s.block
	// A value written right after "key:" needs a separating space; an empty flow entry such
	// as {a} has no ":" at all.
	lead := ""
	if empty {
		lead = " "
		if flow && sp.prevNonBlank(s.start) != ':' {
			lead = ": "
		}
	}

	var wantBlock bool
	inline := ""
	switch e.Style {
	case EditBool:
		inline = e.Value
	case EditOneLine:
		// written double-quoted below
	case EditBlock:
		wantBlock = true
	case EditKeep:
		switch {
		case s.block:
			wantBlock = true
		case val.Style&yaml.SingleQuotedStyle != 0 && oneLineSafe(e.Value):
			inline = "'" + strings.ReplaceAll(e.Value, "'", "''") + "'"
		case val.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) == 0 && !empty && val.ShortTag() != "!!null" && plainOK(e.Value, flow):
			inline = e.Value
		}
	}

	if wantBlock && !flow {
		indent := parentIndent + 2
		if s.block && (s.contentEnd > s.lineEnd || s.explicit) {
			indent = s.indent // an empty block without |N has no indentation of its own to keep
		}
		lit, ok := makeLiteral(e.Value, indent, parentIndent)
		if !ok && indent != parentIndent+2 {
			// A kept indentation too deep for an indentation indicator (|N) needs a new one.
			indent = parentIndent + 2
			lit, ok = makeLiteral(e.Value, indent, parentIndent)
		}
		if ok {
			start, end, tail := s.start, s.valueEnd(), ""
			if s.block {
				tail = string(sp.src[s.headerEnd:s.lineEnd])
				if lit.chomp != '+' {
					end = s.contentEnd // an old |+ block's trailing empty lines stay, as blank lines
				}
			} else {
				end = sp.lineEnd(s.end)
				tail = string(sp.src[s.end:end])
			}
			if end2, ok := sp.blockFollowers(end, indent, lit.chomp == '+'); ok && blankOrComment(tail) {
				text := lead + lit.text(tail, sp.eol)
				if end2 == len(sp.src) && lit.chomp != '-' {
					text += sp.eol // a clip or keep block needs its last line break
				}
				return sp.splice(replacement{start, end2, text}), nil
			}
		}
	}
	if inline == "" {
		if inline, err = doubleQuoted(e.Value); err != nil {
			return nil, fmt.Errorf("%s: %w", pathString(e.Path), err)
		}
	}
	if s.block {
		// The header line's comment (key: | # note) moves behind the new value; an old |+
		// block's trailing empty lines stay, now as blank lines.
		return sp.splice(replacement{s.start, s.contentEnd, inline + string(sp.src[s.headerEnd:s.lineEnd])}), nil
	}
	return sp.splice(replacement{s.start, s.end, lead + inline}), nil
}

// fillNull turns an empty or null value (secrets: / secrets: ~) into a mapping holding keys.
func (sp *splicer) fillNull(val *yaml.Node, parentIndent int, e Edit, keys []string) ([]byte, error) {
	s, err := sp.scalarSpan(val, parentIndent, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: nothing was changed; edit the file by hand", pathString(e.Path), err)
	}
	at := sp.lineEnd(s.end)
	ins, end, err := sp.newKeys(at, parentIndent+sp.indentStep(), keys, e)
	if err != nil {
		return nil, err
	}
	if s.start == s.end {
		return sp.splice(replacement{at, end, ins}), nil
	}
	// Remove the ~ or null together with the blanks before it, keeping any comment after it.
	ws := s.start
	for ws > 0 && (sp.src[ws-1] == ' ' || sp.src[ws-1] == '\t') {
		ws--
	}
	return sp.splice(replacement{ws, s.end, ""}, replacement{at, end, ins}), nil
}

// fillEmptyFlow turns the empty flow mapping m ({}) into a block mapping holding keys, the first
// at indentation indent: the {} and the blanks before it go, anchor, tag and comment stay, and
// the keys follow on new lines (in place of the {} when it stood alone on its line).
func (sp *splicer) fillEmptyFlow(m *yaml.Node, indent int, e Edit, keys []string) ([]byte, error) {
	open := sp.skipBlanks(sp.skipProperties(sp.offset(m.Line, m.Column)))
	end, err := sp.flowEnd(open)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: nothing was changed; add the key by hand", pathString(e.Path), err)
	}
	at := sp.lineEnd(open)
	if end > at || bytes.IndexByte(sp.src[open:end], '#') >= 0 {
		return nil, fmt.Errorf("%s: the empty mapping {} on line %d spans several lines or holds a comment: rewrite it in block style (one key per line) and run again", pathString(e.Path), m.Line)
	}
	if !blankOrComment(string(sp.src[end:at])) {
		return nil, fmt.Errorf("%s: unexpected text after the empty mapping {} on line %d: rewrite it in block style (one key per line) and run again", pathString(e.Path), m.Line)
	}
	ins, to, err := sp.newKeys(at, indent, keys, e)
	if err != nil {
		return nil, err
	}
	ws := open
	for ws > 0 && (sp.src[ws-1] == ' ' || sp.src[ws-1] == '\t') {
		ws--
	}
	if lineStart := sp.starts[sp.line(open)-1]; ws == lineStart && strings.TrimSpace(string(sp.src[end:at])) == "" {
		// Nothing else on the line: the keys take its place instead of leaving it blank.
		return sp.splice(replacement{lineStart, to, strings.TrimPrefix(ins, sp.eol)}), nil
	}
	return sp.splice(replacement{ws, end, ""}, replacement{at, to, ins}), nil
}

// insertInto adds keys (the missing tail of e.Path) at the end of the block mapping m.
func (sp *splicer) insertInto(m *yaml.Node, e Edit, keys []string) ([]byte, error) {
	last := m.Content[len(m.Content)-1]
	end, err := sp.nodeEnd(last, mappingIndent(m), false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: nothing was changed; add the key by hand", pathString(e.Path), err)
	}
	at := sp.lineEnd(end)
	ins, to, err := sp.newKeys(at, mappingIndent(m), keys, e)
	if err != nil {
		return nil, err
	}
	return sp.splice(replacement{at, to, ins}), nil
}

// insertAtEnd creates the whole path in a file that has no top-level mapping yet.
func (sp *splicer) insertAtEnd(e Edit, keys []string) ([]byte, error) {
	at := len(sp.src)
	if at > 0 && !sp.endsWithBreak() {
		ins, to, err := sp.newKeys(at, 0, keys, e)
		if err != nil {
			return nil, err
		}
		return sp.splice(replacement{at, to, ins}), nil
	}
	// The new lines go after the final line break: render them as if inserted before a break
	// and move that break to the end.
	ins, _, err := sp.newKeys(at, 0, keys, e)
	if err != nil {
		return nil, err
	}
	ins = strings.TrimPrefix(ins, sp.eol)
	if !strings.HasSuffix(ins, sp.eol) {
		ins += sp.eol
	}
	return sp.splice(replacement{at, at, ins}), nil
}

// newKeys renders keys as nested lines to be inserted at offset at (a line end), the first key
// at indentation indent. It returns the text and the end of the region it replaces (beyond at
// when a keep-chomped block swallows the blank lines after it).
func (sp *splicer) newKeys(at, indent int, keys []string, e Edit) (string, int, error) {
	step := 2
	if len(keys) > 1 {
		step = sp.indentStep()
	}
	var b strings.Builder
	for i, k := range keys {
		kt, err := keyText(k)
		if err != nil {
			return "", 0, fmt.Errorf("%s: %w", pathString(e.Path), err)
		}
		b.WriteString(sp.eol)
		b.WriteString(strings.Repeat(" ", indent+i*step))
		b.WriteString(kt)
		b.WriteString(":")
	}
	keyIndent := indent + (len(keys)-1)*step
	if e.Style == EditBlock {
		if lit, ok := makeLiteral(e.Value, keyIndent+2, keyIndent); ok {
			if end, ok := sp.blockFollowers(at, keyIndent+2, lit.chomp == '+'); ok {
				b.WriteString(" ")
				b.WriteString(lit.text("", sp.eol))
				if end == len(sp.src) && lit.chomp != '-' {
					b.WriteString(sp.eol)
				}
				return b.String(), end, nil
			}
		}
	}
	v := e.Value
	if e.Style != EditBool {
		var err error
		if v, err = doubleQuoted(e.Value); err != nil {
			return "", 0, fmt.Errorf("%s: %w", pathString(e.Path), err)
		}
	}
	b.WriteString(" ")
	b.WriteString(v)
	return b.String(), at, nil
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
		if unicode.IsControl(r) || r == '\u0085' || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
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

// blankOrComment reports whether the rest of a line after a value is only blanks and a comment.
func blankOrComment(tail string) bool {
	t := strings.TrimLeft(tail, " \t")
	return t == "" || (t[0] == '#' && len(t) < len(tail))
}

// blockFollowers checks the lines after offset end (a line end) for a new block scalar with
// content indentation indent: a following line indented that deep would become part of it.
// For a keep-chomped (|+) block the blank lines right after it would become part of its value
// too, so the returned end then extends over them and the block's own text replaces them.
func (sp *splicer) blockFollowers(end, indent int, keep bool) (int, bool) {
	lastBlank := end
	for q := end + sp.breakLen(end); end < len(sp.src) && q < len(sp.src); {
		le := sp.lineEnd(q)
		k := 0
		for q+k < le && sp.src[q+k] == ' ' {
			k++
		}
		switch {
		case q+k == le && k > indent:
			// Spaces beyond the indentation are content, even on an otherwise empty line.
			return 0, false
		case q+k == le:
			lastBlank = le
			q = le + sp.breakLen(le) // len(src) after the last line
			continue
		case k >= indent, sp.src[q+k] == '\t':
			// A tab where the block's indentation is expected is a syntax error.
			return 0, false
		}
		break
	}
	if keep {
		return lastBlank, true
	}
	return end, true
}

// span locates a scalar's text.
type span struct {
	start, end int  // the scalar's own text, after any anchor and tag; start == end for an implicit null
	block      bool // literal or folded block scalar; then end is the end of the header indicators
	chomp      byte // block: '-', '+' or 0
	indent     int  // block: content indentation in columns
	explicit   bool // block: the indentation is stated in the header (|2)
	headerEnd  int  // block: just after the indicators (|2-)
	lineEnd    int  // block: end of the header line, before its line break
	contentEnd int  // block: end of the last content line, or lineEnd when there is none
	keepEnd    int  // block: end of the last empty line that follows the content, or contentEnd
}

// valueEnd is where the value's text ends for what follows it.
func (s span) valueEnd() int {
	switch {
	case !s.block:
		return s.end
	case s.chomp == '+':
		return s.keepEnd
	}
	return s.contentEnd
}

// scalarSpan finds the text of scalar n; parentIndent is the indentation of its collection.
func (sp *splicer) scalarSpan(n *yaml.Node, parentIndent int, flow bool) (span, error) {
	// yaml.v3 reports where the node's properties (&anchor !tag) start, not its text.
	p := sp.offset(n.Line, n.Column)
	s := p
	if n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
		s = sp.skipProperties(p)
	}
	const textStyles = yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle | yaml.LiteralStyle | yaml.FoldedStyle
	if n.Style&textStyles == 0 && n.Value == "" {
		return span{start: s, end: s}, nil
	}
	if s != p {
		s = sp.skipBlanks(s)
	}
	fail := fmt.Errorf("cannot find the text of the value on line %d", n.Line)
	if s >= len(sp.src) {
		return span{}, fail
	}
	c := sp.src[s]
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		if c != '"' {
			return span{}, fail
		}
		for i := s + 1; i < len(sp.src); i++ {
			switch sp.src[i] {
			case '\\': // escapes the next byte, a line break included (line continuation)
				i++
			case '"':
				return span{start: s, end: i + 1}, nil
			}
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		if c != '\'' {
			return span{}, fail
		}
		for i := s + 1; i < len(sp.src); i++ {
			if sp.src[i] == '\'' {
				if i+1 < len(sp.src) && sp.src[i+1] == '\'' {
					i++
					continue
				}
				return span{start: s, end: i + 1}, nil
			}
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		if c != '|' && c != '>' {
			return span{}, fail
		}
		return sp.blockSpan(s, parentIndent), nil
	default:
		if e, ok := sp.plainEnd(s, n.Value, flow); ok {
			return span{start: s, end: e}, nil
		}
	}
	return span{}, fail
}

// blockSpan measures the block scalar whose indicator (| or >) is at s, following the YAML
// rules for indentation (explicit indicator or auto-detected) and trailing empty lines.
func (sp *splicer) blockSpan(s, parentIndent int) span {
	i, explicit := s+1, 0
	var chomp byte
	// The indicators come in either order: |2- or |-2.
	for k := 0; k < 2 && i < len(sp.src); k++ {
		switch c := sp.src[i]; {
		case c == '+' || c == '-':
			chomp = c
		case c >= '1' && c <= '9':
			explicit = int(c - '0')
		default:
			k = 2
			continue
		}
		i++
	}
	r := span{start: s, end: i, block: true, chomp: chomp, headerEnd: i, lineEnd: sp.lineEnd(i)}
	first := r.lineEnd + sp.breakLen(r.lineEnd)
	if r.lineEnd == len(sp.src) {
		first = len(sp.src)
	}
	if explicit > 0 {
		r.indent, r.explicit = parentIndent+explicit, true
	} else {
		// Auto-detection: the deepest of the leading empty lines and the first non-empty line.
		lead := 0
		for q := first; q < len(sp.src); {
			le := sp.lineEnd(q)
			k := 0
			for q+k < le && sp.src[q+k] == ' ' {
				k++
			}
			lead = max(lead, k)
			if q+k < le || sp.breakLen(le) == 0 {
				break
			}
			q = le + sp.breakLen(le)
		}
		r.indent = max(lead, parentIndent+1, 1)
	}
	r.contentEnd, r.keepEnd = r.lineEnd, r.lineEnd
	for q := first; q < len(sp.src); {
		le := sp.lineEnd(q)
		k := 0
		for q+k < le && sp.src[q+k] == ' ' {
			k++
		}
		if q+k == le && k <= r.indent {
			r.keepEnd = le // an empty line: content if more follows, else trailing
		} else if k >= r.indent {
			r.contentEnd, r.keepEnd = le, le
		} else {
			break
		}
		n := sp.breakLen(le)
		if n == 0 {
			break
		}
		q = le + n
	}
	return r
}

// plainEnd finds where the plain scalar starting at s ends, by reading its lines until their
// folded text equals value (the parser's own reading of it); ok is false when it never does.
func (sp *splicer) plainEnd(s int, value string, flow bool) (int, bool) {
	pos := 0 // how much of value has been matched
	segStart, blanks := s, 0
	for first := true; ; first = false {
		segEnd, stop := sp.plainSegment(segStart, flow)
		seg := string(sp.src[segStart:segEnd])
		if !first {
			if strings.HasPrefix(seg, "#") {
				return 0, false
			}
			fold := " "
			if blanks > 0 {
				fold = strings.Repeat("\n", blanks)
			}
			if !strings.HasPrefix(value[pos:], fold) {
				return 0, false
			}
			pos += len(fold)
		}
		if !strings.HasPrefix(value[pos:], seg) {
			return 0, false
		}
		pos += len(seg)
		if pos == len(value) {
			return segEnd, true
		}
		if stop {
			return 0, false
		}
		// Continue on the next non-empty line.
		le := sp.lineEnd(segEnd)
		blanks = 0
		for {
			n := sp.breakLen(le)
			if n == 0 {
				return 0, false
			}
			q := le + n
			for q < len(sp.src) && (sp.src[q] == ' ' || sp.src[q] == '\t') {
				q++
			}
			le = sp.lineEnd(q)
			if q < le {
				segStart = q
				break
			}
			blanks++
		}
	}
}

// plainSegment returns the end of the plain text on the line starting at i (trailing blanks
// removed) and whether something other than the line end stopped it (a comment, or a flow
// indicator in flow context).
func (sp *splicer) plainSegment(i int, flow bool) (int, bool) {
	le := sp.lineEnd(i)
	end, stop := le, false
	for j := i; j < le; j++ {
		c := sp.src[j]
		if c == '#' && j > i && (sp.src[j-1] == ' ' || sp.src[j-1] == '\t') {
			end, stop = j, true
			break
		}
		if flow {
			if strings.IndexByte(",[]{}", c) >= 0 {
				end, stop = j, true
				break
			}
			if c == ':' && (j+1 == le || strings.IndexByte(" \t,[]{}", sp.src[j+1]) >= 0) {
				end, stop = j, true
				break
			}
		}
	}
	for end > i && (sp.src[end-1] == ' ' || sp.src[end-1] == '\t') {
		end--
	}
	return end, stop
}

// nodeEnd is the offset where the text of n (and everything nested in it) ends.
func (sp *splicer) nodeEnd(n *yaml.Node, parentIndent int, flow bool) (int, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		s, err := sp.scalarSpan(n, parentIndent, flow)
		if err != nil {
			return 0, err
		}
		return s.valueEnd(), nil
	case yaml.AliasNode:
		p := sp.offset(n.Line, n.Column)
		for p < len(sp.src) && !isBlankOrBreak(sp.src[p]) && strings.IndexByte(",[]{}", sp.src[p]) < 0 {
			p++
		}
		return p, nil
	case yaml.MappingNode, yaml.SequenceNode:
		if n.Style&yaml.FlowStyle != 0 || len(n.Content) == 0 {
			return sp.flowEnd(sp.skipBlanks(sp.skipProperties(sp.offset(n.Line, n.Column))))
		}
		last := n.Content[len(n.Content)-1]
		if n.Kind == yaml.MappingNode {
			return sp.nodeEnd(last, mappingIndent(n), false)
		}
		return sp.nodeEnd(last, sp.sequenceIndent(n), false)
	default:
		return 0, fmt.Errorf("cannot find the end of the value on line %d", n.Line)
	}
}

// sequenceIndent is the column of a block sequence's first "-".
func (sp *splicer) sequenceIndent(n *yaml.Node) int {
	p := sp.skipBlanks(sp.skipProperties(sp.offset(n.Line, n.Column)))
	return sp.column(p)
}

// flowEnd returns the offset just after the flow collection opening at p.
func (sp *splicer) flowEnd(p int) (int, error) {
	fail := fmt.Errorf("cannot find the end of the flow collection at line %d", sp.line(p))
	if p >= len(sp.src) || (sp.src[p] != '[' && sp.src[p] != '{') {
		return 0, fail
	}
	depth, token := 0, true // token: at the start of a flow node, where a quote opens a scalar
	for i := p; i < len(sp.src); i++ {
		c := sp.src[i]
		switch {
		case c == '[' || c == '{':
			depth++
			token = true
		case c == ']' || c == '}':
			depth--
			token = false
			if depth == 0 {
				return i + 1, nil
			}
		case c == ',' || (c == '?' && (i+1 >= len(sp.src) || isBlankOrBreak(sp.src[i+1]))):
			token = true
		case c == ':':
			token = token || i+1 >= len(sp.src) || isBlankOrBreak(sp.src[i+1]) || sp.src[i-1] == '"' || sp.src[i-1] == '\''
			if !token && i+1 < len(sp.src) && strings.IndexByte(",[]{}", sp.src[i+1]) >= 0 {
				token = true
			}
		case c == '#' && (isBlankOrBreak(sp.src[i-1])):
			i = sp.lineEnd(i) - 1
		case isBlankOrBreak(c):
		case token && (c == '"' || c == '\''):
			for i++; i < len(sp.src); i++ {
				if c == '"' && sp.src[i] == '\\' {
					i++
				} else if sp.src[i] == c {
					if c == '\'' && i+1 < len(sp.src) && sp.src[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
			token = false
		case token && (c == '&' || c == '!'):
			for i+1 < len(sp.src) && !isBlankOrBreak(sp.src[i+1]) && strings.IndexByte(",[]{}", sp.src[i+1]) < 0 {
				i++
			}
		default:
			token = false
		}
	}
	return 0, fail
}

// skipProperties skips the anchor and tag tokens (&a !!str) starting at p and returns the
// offset just after the last of them.
func (sp *splicer) skipProperties(p int) int {
	for p < len(sp.src) && (sp.src[p] == '&' || sp.src[p] == '!') {
		for p < len(sp.src) && !isBlankOrBreak(sp.src[p]) && strings.IndexByte(",[]{}", sp.src[p]) < 0 {
			p++
		}
		q := sp.skipBlanks(p)
		if q < len(sp.src) && (sp.src[q] == '&' || sp.src[q] == '!') {
			p = q
		}
	}
	return p
}

// skipBlanks skips spaces, tabs, line breaks and comments.
func (sp *splicer) skipBlanks(p int) int {
	for p < len(sp.src) {
		switch c := sp.src[p]; {
		case c == ' ' || c == '\t':
			p++
		case c == '#':
			p = sp.lineEnd(p)
		case sp.breakLen(p) > 0:
			p += sp.breakLen(p)
		default:
			return p
		}
	}
	return p
}

// prevNonBlank returns the byte before p, skipping spaces and tabs (0 at the start).
func (sp *splicer) prevNonBlank(p int) byte {
	for p > 0 {
		p--
		if c := sp.src[p]; c != ' ' && c != '\t' {
			return c
		}
	}
	return 0
}

// isBlankOrBreak reports whether c is a space, tab or ASCII line break.
func isBlankOrBreak(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// indentStep guesses the file's indentation step from its nested block mappings (2 if none).
func (sp *splicer) indentStep() int {
	step := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle == 0 {
			for j := 0; j+1 < len(n.Content); j += 2 {
				k, v := n.Content[j], n.Content[j+1]
				if v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0 && v.Line > k.Line {
					if d := v.Content[0].Column - k.Column; d > 0 && (step == 0 || d < step) {
						step = d
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	if sp.doc != nil {
		walk(sp.doc)
	}
	if step == 0 {
		return 2
	}
	return step
}

// lineStarts returns the offset of every line start, breaking lines exactly where yaml.v3 does.
func lineStarts(src []byte) []int {
	first := 0
	if bytes.HasPrefix(src, []byte("\ufeff")) {
		first = 3 // yaml.v3 does not count the byte order mark as a column
	}
	starts := []int{first}
	for i := first; i < len(src); {
		if n := breakLenAt(src, i); n > 0 {
			i += n
			starts = append(starts, i)
			continue
		}
		i++
	}
	return starts
}

// breakLenAt is the length of the line break at src[i], or 0: CRLF, CR, LF, NEL, LS and PS
// all end a line for YAML.
func breakLenAt(src []byte, i int) int {
	if i >= len(src) {
		return 0
	}
	switch src[i] {
	case '\r':
		if i+1 < len(src) && src[i+1] == '\n' {
			return 2
		}
		return 1
	case '\n':
		return 1
	case 0xC2:
		if i+1 < len(src) && src[i+1] == 0x85 {
			return 2
		}
	case 0xE2:
		if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// breakLen is breakLenAt in the splicer's text.
func (sp *splicer) breakLen(i int) int { return breakLenAt(sp.src, i) }

// lineEnd returns the offset of the line break at or after p (len(src) on the last line).
func (sp *splicer) lineEnd(p int) int {
	for i := p; i < len(sp.src); i++ {
		if c := sp.src[i]; (c == '\r' || c == '\n' || c == 0xC2 || c == 0xE2) && sp.breakLen(i) > 0 {
			return i
		}
	}
	return len(sp.src)
}

// endsWithBreak reports whether the text ends with a line break.
func (sp *splicer) endsWithBreak() bool {
	n := len(sp.src)
	return n > 0 && (sp.src[n-1] == '\n' || sp.src[n-1] == '\r' || (n >= 2 && sp.breakLen(n-2) == 2) || (n >= 3 && sp.breakLen(n-3) == 3))
}

// offset converts a yaml.v3 position (1-based line, 1-based column counted in characters, not
// bytes) into a byte offset.
func (sp *splicer) offset(line, col int) int {
	if line < 1 || line > len(sp.starts) {
		return len(sp.src)
	}
	p := sp.starts[line-1]
	for c := 1; c < col && p < len(sp.src); c++ {
		_, size := utf8.DecodeRune(sp.src[p:])
		p += size
	}
	return p
}

// line returns the 1-based line number of offset p.
func (sp *splicer) line(p int) int {
	lo, hi := 0, len(sp.starts)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if sp.starts[mid] <= p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1
}

// column returns the 0-based column (in characters) of offset p.
func (sp *splicer) column(p int) int {
	return utf8.RuneCount(sp.src[sp.starts[sp.line(p)-1]:p])
}

// detectEOL returns the file's line ending: that of its first line.
func detectEOL(src []byte) string {
	for i := 0; i < len(src); i++ {
		switch n := breakLenAt(src, i); {
		case n == 2 && src[i] == '\r':
			return "\r\n"
		case n == 1 && src[i] == '\r':
			return "\r"
		case n > 0:
			return "\n"
		}
	}
	return "\n"
}

// withValue returns v with the string val set at path, copying only the maps along the path.
// editValue is the value an edit leaves in the decoded document.
func editValue(e Edit) any {
	if e.Style == EditBool {
		return e.Value == "true"
	}
	return e.Value
}

func withValue(v any, path []string, val any) any {
	if len(path) == 0 {
		return val
	}
	switch m := v.(type) {
	case map[string]any:
		c := maps.Clone(m)
		c[path[0]] = withValue(m[path[0]], path[1:], val)
		return c
	case map[any]any:
		c := maps.Clone(m)
		c[path[0]] = withValue(m[path[0]], path[1:], val)
		return c
	}
	return map[string]any{path[0]: withValue(nil, path[1:], val)}
}

// firstDiff compares two decoded documents and returns the path of the first difference.
// NaN equals NaN here: .nan in a file must not look like a change.
func firstDiff(a, b any, at string) (string, bool) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return at, true
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok {
				return at + "." + k, true
			}
			if p, d := firstDiff(xv, yv, at+"."+k); d {
				return p, true
			}
		}
		return "", false
	case map[any]any:
		y, ok := b.(map[any]any)
		if !ok || len(x) != len(y) {
			return at, true
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok {
				return fmt.Sprintf("%s.%v", at, k), true
			}
			if p, d := firstDiff(xv, yv, fmt.Sprintf("%s.%v", at, k)); d {
				return p, true
			}
		}
		return "", false
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return at, true
		}
		for i := range x {
			if p, d := firstDiff(x[i], y[i], fmt.Sprintf("%s[%d]", at, i)); d {
				return p, true
			}
		}
		return "", false
	case float64:
		if y, ok := b.(float64); ok && math.IsNaN(x) && math.IsNaN(y) {
			return "", false
		}
	case time.Time:
		if y, ok := b.(time.Time); ok && x.Equal(y) {
			return "", false
		}
		return at, true
	}
	if !reflect.DeepEqual(a, b) {
		return at, true
	}
	return "", false
}

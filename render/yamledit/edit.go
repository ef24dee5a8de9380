package yamledit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"crewai-setup/guard/yamlguard"
)

// This file holds the edit operations: Splice, and the splicer's ways of changing a value,
// filling an empty or null mapping and adding keys.

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
func Splice(src []byte, edits []Edit) ([]byte, error) { return SpliceParsed(src, nil, edits) }

// SpliceParsed is Splice for bytes the caller has parsed already (doc, from yaml.v3 and checked
// with yamlguard): the first parse is not repeated. A text that may hold a second document
// (a --- line) is parsed again, so that it is refused as Splice refuses it.
func SpliceParsed(src []byte, doc *yaml.Node, edits []Edit) ([]byte, error) {
	if !utf8.Valid(src) {
		return nil, errors.New("the file is not valid UTF-8 text: convert it to UTF-8 and run again")
	}
	orig := doc
	if orig == nil || mayHoldDocuments(src) {
		var err error
		if orig, err = parseSingle(src); err != nil {
			return nil, err
		}
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
	var err error
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
// mayHoldDocuments reports whether src has a line starting with --- or ... after its first
// line: a document marker, unless it sits inside a block scalar.
func mayHoldDocuments(src []byte) bool {
	return bytes.Contains(src, []byte("\n---")) || bytes.Contains(src, []byte("\n..."))
}

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
	var outer *yaml.Node // the block mapping that holds cur (nil at the top level)
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
				// secrets: {} is how charts write "no keys yet": it becomes a block mapping,
				// its keys one indentation step in from its own key.
				keyIndent := 0
				if outer != nil {
					keyIndent = mappingIndent(outer) + sp.indentStep()
				}
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
			outer, cur = cur, val
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

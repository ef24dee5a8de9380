package yamledit

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// This file holds the scanner: where a node's text starts and ends (spans of quoted, plain and
// block scalars, flow collections), line starts and breaks, indentation and columns.

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

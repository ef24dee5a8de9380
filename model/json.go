package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"crewai-setup/guard"
	"crewai-setup/guard/yamlguard"
)

// parseDocument turns the text of a values or answers file into the document tree the loader
// walks, within yamlguard's bounds (size, aliases, depth), so that no file makes loading hang
// or fill memory. An answers file (withWizard) whose first non-space byte is { is read with
// encoding/json, so any valid JSON works, including what Python's json.dump writes (non-ASCII
// as \ud83d\udd11 surrogate pairs, which YAML parsers refuse); every other text is YAML, as
// Helm reads values files. The warnings are about characters YAML reads differently than they
// look. The error names the file and wraps ErrSyntax.
func parseDocument(data []byte, name string, withWizard bool) (*yaml.Node, Problems, error) {
	syntax := func(err error) error {
		return fmt.Errorf("%s: %s: %w", guard.Visible(name), strings.TrimPrefix(err.Error(), "yaml: "), ErrSyntax)
	}
	if err := yamlguard.CheckSize(data); err != nil {
		return nil, nil, syntax(err)
	}
	if withWizard && looksLikeJSON(data) {
		doc, err := jsonDocument(data)
		if err != nil {
			return nil, nil, syntax(err)
		}
		return doc, nil, nil
	}
	doc, err := yamlguard.Parse(data)
	if err != nil {
		return nil, nil, syntax(err)
	}
	return doc, yamlBreakWarnings(data, name, doc), nil
}

// looksLikeJSON reports whether the first byte after white space (and a byte order mark) is {.
func looksLikeJSON(data []byte) bool {
	data = bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n")
	return len(data) > 0 && data[0] == '{'
}

// jsonDocument decodes one JSON object into a yaml.v3 document tree like the one the YAML
// parser builds for the same text: strings are double-quoted !!str scalars, numbers keep
// their text (!!int or !!float), and every node has the line and column where its token
// starts, so problems keep file:line.
func jsonDocument(data []byte) (*yaml.Node, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	j := &jsonReader{data: data, dec: json.NewDecoder(bytes.NewReader(data)), line: 1, col: 1}
	j.dec.UseNumber()
	root, err := j.value(1)
	if err != nil {
		return nil, err
	}
	if _, err := j.token(); !errors.Is(err, io.EOF) {
		if err == nil {
			return nil, &yamlguard.Error{Line: j.tokLine, Column: j.tokCol, Msg: "JSON: there is more after the object's closing }: " +
				"an answers file holds one object"}
		}
		return nil, err
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Line: 1, Column: 1, Content: []*yaml.Node{root}}, nil
}

// errJSONEnds is JSON cut short.
var errJSONEnds = errors.New("JSON: the file ends before the object is closed: add the missing } or ]")

// jsonReader reads JSON tokens and tracks where each starts.
type jsonReader struct {
	data []byte
	dec  *json.Decoder
	// pos, line and col are a cursor that only moves forward: byte offset, line, and column
	// (1-based, in characters).
	pos, line, col int
	// tokLine and tokCol are where the last token read starts.
	tokLine, tokCol int
}

// token reads the next token and records where it starts.
func (j *jsonReader) token() (json.Token, error) {
	start := int(j.dec.InputOffset())
	for start < len(j.data) && strings.IndexByte(" \t\r\n,:", j.data[start]) >= 0 {
		start++
	}
	j.moveTo(start)
	tok, err := j.dec.Token()
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, j.jsonError(err)
	}
	return tok, err
}

// moveTo advances the cursor to byte offset off.
func (j *jsonReader) moveTo(off int) {
	off = min(off, len(j.data))
	for ; j.pos < off; j.pos++ {
		switch c := j.data[j.pos]; {
		case c == '\n':
			j.line, j.col = j.line+1, 1
		case utf8.RuneStart(c):
			j.col++
		}
	}
	j.tokLine, j.tokCol = j.line, j.col
}

// jsonError turns a decoder error into one with a line.
func (j *jsonReader) jsonError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		j.moveTo(int(se.Offset))
		return &yamlguard.Error{Line: j.tokLine, Msg: "JSON: " + se.Error() + ": fix the JSON syntax there"}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errJSONEnds
	}
	return fmt.Errorf("JSON: %w", err)
}

// value reads one JSON value at nesting depth into a node.
func (j *jsonReader) value(depth int) (*yaml.Node, error) {
	tok, err := j.token()
	if errors.Is(err, io.EOF) {
		return nil, errJSONEnds
	}
	if err != nil {
		return nil, err
	}
	n := &yaml.Node{Line: j.tokLine, Column: j.tokCol}
	switch t := tok.(type) {
	case json.Delim:
		if depth > yamlguard.MaxDepth {
			return nil, &yamlguard.Error{Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("nested more than %d levels deep: "+
				"no answers file needs that; check that it is the right file", yamlguard.MaxDepth)}
		}
		n.Kind, n.Tag, n.Style = yaml.SequenceNode, "!!seq", yaml.FlowStyle
		if t == '{' {
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
		}
		for j.dec.More() {
			if n.Kind == yaml.MappingNode {
				k, err := j.value(depth + 1) // a key is always a string token
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, k)
			}
			v, err := j.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, v)
		}
		if _, err := j.token(); errors.Is(err, io.EOF) { // the closing ] or }
			return nil, errJSONEnds
		} else if err != nil {
			return nil, err
		}
	case string:
		n.Kind, n.Tag, n.Value, n.Style = yaml.ScalarNode, "!!str", t, yaml.DoubleQuotedStyle
	case json.Number:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", t.String()
		if strings.ContainsAny(n.Value, ".eE") {
			n.Tag = "!!float"
		}
	case bool:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", fmt.Sprint(t)
	default: // nil
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
	}
	return n, nil
}

// yamlBreak is a character YAML parsers read as a line break although editors and most
// people do not.
type yamlBreak struct{ text, name string }

// yamlBreaks returns NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR.
func yamlBreaks() []yamlBreak {
	return []yamlBreak{
		{"\u0085", "U+0085 (NEXT LINE)"},
		{"\u2028", "U+2028 (LINE SEPARATOR)"},
		{"\u2029", "U+2029 (PARAGRAPH SEPARATOR)"},
	}
}

// yamlBreakWarnings warns about each raw NEL, LINE SEPARATOR or PARAGRAPH SEPARATOR in a YAML
// text: the parser takes it as a line break, so the value it sits in silently gets a space
// (or a new line) instead. The warning names the key the character belongs to.
func yamlBreakWarnings(data []byte, name string, doc *yaml.Node) Problems {
	var probs Problems
	for _, br := range yamlBreaks() {
		for from := 0; ; {
			i := bytes.Index(data[from:], []byte(br.text))
			if i < 0 {
				break
			}
			off := from + i
			from = off + len(br.text)
			line := bytes.Count(data[:off], []byte("\n")) + 1
			path := keyAt(doc, yamlLine(data[:off]))
			probs = append(probs, Problem{Path: path, Severity: Warning, Pos: Pos{File: name, Line: line},
				Message: fmt.Sprintf("holds a raw %s character, which YAML reads as a line break: the value gets a space "+
					"(or a new line) in its place, not that character. If it belongs in the value, write it as \\u%04x inside "+
					"double quotes; otherwise delete it", br.name, []rune(br.text)[0])})
		}
	}
	return probs
}

// yamlLine returns the line, as the YAML parser counts lines, at the end of text: CR LF,
// CR, LF, NEL, LS and PS each end one.
func yamlLine(text []byte) int {
	s := string(text)
	n := strings.Count(s, "\n") + strings.Count(s, "\r") - strings.Count(s, "\r\n")
	for _, br := range yamlBreaks() {
		n += strings.Count(s, br.text)
	}
	return n + 1
}

// keyAt returns the path of the last mapping key that starts on or before line (in the
// parser's line numbering), or "(file)" when there is none; aliases are not followed.
func keyAt(doc *yaml.Node, line int) string {
	best, bestLine := "(file)", 0
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, prefix)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				p := joinPath(prefix, k.Value)
				if k.Line <= line && k.Line >= bestLine {
					best, bestLine = p, k.Line
				}
				walk(n.Content[i+1], p)
			}
		default:
		}
	}
	walk(doc, "")
	return best
}

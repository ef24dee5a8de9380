package yamlguard

import (
	"bytes"
	"fmt"

	yaml "go.yaml.in/yaml/v3"
)

// Bounds on a document.
const (
	// MaxDepth is the deepest nesting accepted, counting what aliases expand to. Values files
	// nest a dozen levels; YAML parsers stop at 10000, and every recursive walk over a tree
	// gets slower and hungrier with depth.
	MaxDepth = 1000
	// MaxNodes bounds the nodes of one document, estimated from its text before parsing
	// (EstimateNodes: every node but the root's comes after one of , [ { - : ?).
	// Reading a values file costs about 450 bytes per node all told (the tree, Helm's reading
	// of it, the loader), so this keeps the whole process under 256 MB even for the densest
	// notation; a values file with certificates in it has a few thousand.
	MaxNodes = 400_000
)

// Helm's parser (go-yaml) refuses a document once aliases account for too large a share of
// the values it decodes: 99% for up to 400,000 decoded values, falling to 10% at 4,000,000.
const (
	aliasRatioRangeLow  = 400_000
	aliasRatioRangeHigh = 4_000_000
)

// Error is a document refused for its shape; Line and Column (1-based, 0 when unknown) say where.
type Error struct {
	Line, Column int
	// Msg says what is wrong and what to do.
	Msg string
}

// Error returns "line N: what is wrong: what to do".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// EstimateNodes returns an upper bound of the nodes data can parse into, without parsing it.
// Every node but the root (and a root scalar) follows an indicator: a key and its value follow
// a ':' or '?' (two nodes each), an entry of a flow collection follows its '[' or '{' or a ','
// (two nodes each in a flow mapping: key and value), an item of a block sequence follows its
// '-'. Line breaks start no node by themselves, so an ordinary "key: value" file counts about
// two per line.
func EstimateNodes(data []byte) int {
	count := func(c byte) int { return bytes.Count(data, []byte{c}) }
	return 2*(count(':')+count('?')+count('[')+count('{')+count(',')) + count('-') + 2
}

// CheckSize refuses text that could parse into more than MaxNodes nodes.
func CheckSize(data []byte) error {
	if n := EstimateNodes(data); n > MaxNodes {
		return &Error{Msg: fmt.Sprintf("the file could hold up to %d separate values (counting the , [ { - : ? that start them), "+
			"more than the %d this tool reads from one file: check that it is the right file", n, MaxNodes)}
	}
	return nil
}

// Parse parses one YAML document within the bounds: CheckSize before parsing, Check after.
// Syntax errors are yaml.v3's (with their "yaml: " prefix).
func Parse(data []byte) (*yaml.Node, error) {
	if err := CheckSize(data); err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if err := Check(&doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// frame is one node being walked: the node, the next child to visit and whether the node
// is an alias whose target is being expanded.
type frame struct {
	n     *yaml.Node
	next  int
	alias bool
}

// Check walks a parsed tree in the order a decoder would, counting the values decoding it
// would produce, and refuses it as soon as Helm's parser would ("document contains excessive
// aliasing"), when an alias is met inside its own anchor's value, or when the expanded
// nesting is deeper than MaxDepth. It never expands more than that rule allows, so it ends
// quickly on any tree, and it uses an explicit stack, so depth cannot overflow the Go stack.
func Check(doc *yaml.Node) error {
	if doc == nil {
		return nil
	}
	var decoded, aliased, aliasDepth, depth int
	expanding := map[*yaml.Node]bool{}
	stack := []frame{}
	visit := func(n *yaml.Node) error {
		decoded++
		if aliasDepth > 0 {
			aliased++
		}
		if aliased > 100 && decoded > 1000 && float64(aliased)/float64(decoded) > allowedAliasRatio(decoded) {
			return &Error{Line: n.Line, Column: n.Column, Msg: "excessive aliasing: the aliases (*name) here expand to far more " +
				"values than the file itself holds, and Helm refuses such a file too (\"document contains excessive aliasing\"): " +
				"write the repeated values out, or nest fewer aliases inside each other"}
		}
		if n.Kind == yaml.AliasNode {
			if n.Alias == nil {
				return nil
			}
			if expanding[n] {
				return &Error{Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("the alias *%s is inside the value of its own anchor &%s, "+
					"so the value never ends: remove the alias or point it at another anchor", n.Value, n.Value)}
			}
			expanding[n] = true
			aliasDepth++
			stack = append(stack, frame{n: n, alias: true})
			return nil
		}
		if len(n.Content) > 0 {
			depth++
			if depth > MaxDepth {
				return &Error{Line: n.Line, Column: n.Column, Msg: fmt.Sprintf("nested more than %d levels deep (counting what aliases expand to): "+
					"no values file needs that; check that it is the right file", MaxDepth)}
			}
			stack = append(stack, frame{n: n})
		}
		return nil
	}
	if err := visit(doc); err != nil {
		return err
	}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		var child *yaml.Node
		switch {
		case top.alias && top.next == 0:
			child = top.n.Alias
		case !top.alias && top.next < len(top.n.Content):
			child = top.n.Content[top.next]
		}
		if child == nil {
			if top.alias {
				delete(expanding, top.n)
				aliasDepth--
			} else {
				depth--
			}
			stack = stack[:len(stack)-1]
			continue
		}
		top.next++
		if err := visit(child); err != nil {
			return err
		}
	}
	return nil
}

// allowedAliasRatio is go-yaml's: the share of decoded values that may come from aliases.
func allowedAliasRatio(decoded int) float64 {
	switch {
	case decoded <= aliasRatioRangeLow:
		return 0.99
	case decoded >= aliasRatioRangeHigh:
		return 0.10
	default:
		return 0.99 - 0.89*(float64(decoded-aliasRatioRangeLow)/float64(aliasRatioRangeHigh-aliasRatioRangeLow))
	}
}

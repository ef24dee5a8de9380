package model

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"crewai-setup/guard/yamlguard"

	yaml2 "go.yaml.in/yaml/v2"
	yaml "go.yaml.in/yaml/v3"
)

// This file reads a values document the way Helm does. Helm parses values with YAML 1.1 rules
// (sigs.k8s.io/yaml over go-yaml v2); the loader walks yaml.v3 nodes, which follow YAML 1.2.
// A plain scalar such as yes, 0777 or 1e3 is a string to yaml.v3 and true, 511 or 1000 to
// Helm. Helm's own parser decides, on the whole document; no word list is kept here.

// helmReading is what Helm reads for one plain scalar whose YAML 1.1 reading is not its text.
type helmReading struct {
	// value is Helm's value: bool, int, uint64, float64 or nil.
	value any
}

// describe says what Helm reads, for a message: "the boolean true", "the number 511".
func (h helmReading) describe() string {
	switch v := h.value.(type) {
	case nil:
		return "null (no value at all)"
	case bool:
		return "the boolean " + strconv.FormatBool(v)
	case float64:
		switch {
		case math.IsInf(v, 0) || math.IsNaN(v):
			return "a non-finite number, which Helm cannot render at all (values must convert to JSON)"
		case v == math.Trunc(v) && math.Abs(v) < 1e15:
			return "the number " + strconv.FormatFloat(v, 'f', -1, 64)
		}
		return "the number " + strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return fmt.Sprintf("the text %q", v)
	default:
		return fmt.Sprintf("the number %v", v)
	}
}

// kind names the type of Helm's reading without its value, for secrets.
func (h helmReading) kind() string {
	switch v := h.value.(type) {
	case nil:
		return "null (no value at all)"
	case bool:
		return "a boolean"
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return h.describe()
		}
		return "a number"
	case string:
		return "different text"
	default:
		return "a number"
	}
}

// helmParse is go-yaml v2's reading of a whole document, which may run while yaml.v3 parses
// the same bytes: the two are independent, and on the two cores of a usual machine reading a
// large file then costs one parse's wait, not two.
type helmParse struct {
	whole yaml2.MapSlice
	err   error
	done  chan struct{} // closed when whole and err are set; nil: not started
}

// startHelmParse starts go-yaml v2 on data in the background when that is safe before the
// input guard has parsed the document: within the guard's size bound, no aliases (which
// go-yaml v2 would expand) and few flow collections (which bound the depth). Otherwise
// helmScalars parses after the guard passed.
func startHelmParse(data []byte) *helmParse {
	h := &helmParse{}
	if yamlguard.CheckSize(data) != nil || bytes.ContainsAny(data, "*&") ||
		bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) > 1000 {
		return h
	}
	h.done = make(chan struct{})
	go func() {
		defer close(h.done)
		h.err = yaml2.Unmarshal(data, &h.whole)
	}()
	return h
}

// wait waits for a parse that was started, so none is left running; it starts none.
func (h *helmParse) wait() {
	if h.done != nil {
		<-h.done
	}
}

// result waits for the parse, or runs it now when it was not started.
func (h *helmParse) result(data []byte) (yaml2.MapSlice, error) {
	if h.done == nil {
		h.err = yaml2.Unmarshal(data, &h.whole)
		h.done = make(chan struct{})
		close(h.done)
	}
	<-h.done
	return h.whole, h.err
}

// helmScalars maps the plain scalar value nodes of a document whose Helm reading differs from
// their text to that reading. root is the yaml.v3 tree of data; h is go-yaml v2's parse of it
// (startHelmParse).
func helmScalars(data []byte, root *yaml.Node, h *helmParse) map[*yaml.Node]helmReading {
	out := map[*yaml.Node]helmReading{}
	whole, err := h.result(data)
	if err != nil {
		helmEachScalar(root, out)
		return out
	}
	helmAlign(root, whole, out)
	return out
}

// helmAlign walks a yaml.v3 node and go-yaml v2's value for it side by side. Where the two do
// not line up (merge keys, a shape go-yaml v2 reads differently) it judges each plain scalar
// on its own with Helm's parser.
func helmAlign(n *yaml.Node, v any, out map[*yaml.Node]helmReading) {
	n = resolveAlias(n)
	switch n.Kind {
	case yaml.MappingNode:
		ms, ok := v.(yaml2.MapSlice)
		if !ok || len(ms) != len(n.Content)/2 || hasMergeKey(n) {
			helmEachScalar(n, out)
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			helmAlign(n.Content[i+1], ms[i/2].Value, out)
		}
	case yaml.SequenceNode:
		items, ok := v.([]any)
		if !ok || len(items) != len(n.Content) {
			helmEachScalar(n, out)
			return
		}
		for i, c := range n.Content {
			helmAlign(c, items[i], out)
		}
	case yaml.ScalarNode:
		if n.Style != 0 {
			return // quoted or block: a string to both parsers
		}
		if s, ok := v.(string); ok && s == n.Value {
			return
		}
		if v == nil && n.Tag == "!!null" {
			return // an empty value is no value to both
		}
		out[n] = helmReading{value: normalizeHelm(v)}
	default:
	}
}

// helmEachScalar judges every plain scalar under n on its own: "k: <text>" through Helm's parser.
func helmEachScalar(n *yaml.Node, out map[*yaml.Node]helmReading) {
	n = resolveAlias(n)
	switch n.Kind {
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			helmEachScalar(n.Content[i], out)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			helmEachScalar(c, out)
		}
	case yaml.ScalarNode:
		if n.Style != 0 || n.Tag == "!!null" {
			return
		}
		v, err := yamlguard.HelmPlain(n.Value)
		if err != nil {
			out[n] = helmReading{value: math.Inf(1)} // Helm cannot turn it into JSON
			return
		}
		if s, ok := v.(string); !ok || s != n.Value {
			out[n] = helmReading{value: v}
		}
	default:
	}
}

// normalizeHelm turns go-yaml v2's scalar into the value Helm ends up with after its detour
// through JSON: every number is a float64.
func normalizeHelm(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	}
	return v
}

func hasMergeKey(m *yaml.Node) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Style == 0 && k.Value == "<<" {
			return true
		}
	}
	return false
}

// sameReading reports whether YAML 1.2 (yaml.v3) reads the scalar as the same value Helm does,
// so the two parsers only disagree with the text, not with each other (replicaCount: 2).
func sameReading(n *yaml.Node, h helmReading) bool {
	var v any
	if err := n.Decode(&v); err != nil {
		return false
	}
	return normalizeHelm(v) == h.value
}

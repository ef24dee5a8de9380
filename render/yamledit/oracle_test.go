package yamledit

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"time"
)

// The test oracle: documents decoded to generic values and compared, independently of the
// node-tree comparison Verify makes.

// withValue returns v with val set at path, copying only the maps along the path.
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

package model

import (
	"fmt"
	"strings"
)

// Change is one key's planned rotation.
type Change struct {
	Entry *Entry
	// Old is the current value; InFile says whether the files hold one at all.
	Old    string
	InFile bool
	New    string
	// Generated says the tool made the new value.
	Generated bool
	// Because explains why a key the operator did not pick is rotated too.
	Because string
}

// RotationCandidates returns the keys rotate offers: every credential the files hold, and
// every key the chart generates for these answers that the files do not pin.
func RotationCandidates(a *Answers) []*Entry {
	var out []*Entry
	for _, e := range a.cat.Entries() {
		if !e.Rotatable() || e.Forbidden != "" {
			continue
		}
		_, set := a.Lookup(e.Path)
		if set || (e.ChartGenerates(a) && e.Gen != nil) {
			out = append(out, e)
		}
	}
	return out
}

// ResolveKey finds the entry a command-line key names: a full path, or a bare name that only
// one entry has. The error says what is wrong and lists the choices when the name is ambiguous.
func ResolveKey(cat *Catalog, name string) (*Entry, error) {
	if e := cat.Lookup(name); e != nil {
		return e, nil
	}
	switch es := cat.ByName(name); len(es) {
	case 1:
		return es[0], nil
	case 0:
		return nil, fmt.Errorf("%s is not a key this tool knows", name)
	default:
		paths := make([]string, len(es))
		for i, e := range es {
			paths[i] = e.Path
		}
		return nil, fmt.Errorf("%s is ambiguous: name one of %s", name, strings.Join(paths, ", "))
	}
}

// PlanRotation expands the chosen keys with the keys that must rotate with them and gives each
// a new value: the supplied one (by path) or, for keys that can be generated, a fresh one.
// Problems name every key that still needs a value or whose new value is invalid; no value
// is printed.
func PlanRotation(a *Answers, chosen []*Entry, supplied map[string]string) ([]Change, Problems) {
	var order []*Entry
	because := map[string]string{}
	seen := map[string]bool{}
	add := func(e *Entry, why string) {
		if !seen[e.Path] {
			seen[e.Path] = true
			order = append(order, e)
			because[e.Path] = why
		}
	}
	for _, e := range chosen {
		add(e, "")
	}
	for i := 0; i < len(order); i++ {
		if p := order[i].Pair; p != "" {
			add(a.cat.Lookup(p), "rotates together with "+order[i].Path)
		}
	}
	var changes []Change
	var probs Problems
	after := a.Clone()
	for _, e := range order {
		old, inFile := a.Lookup(e.Path)
		c := Change{Entry: e, Old: old, InFile: inFile, Because: because[e.Path]}
		if v, ok := supplied[e.Path]; ok {
			c.New = v
		} else if e.Gen != nil {
			v, err := e.Gen.New()
			if err != nil {
				probs = append(probs, Problem{Path: e.Path, Severity: Error, Message: "could not generate a value: " + err.Error()})
				continue
			}
			c.New, c.Generated = v, true
		} else {
			probs = append(probs, Problem{Path: e.Path, Severity: Error,
				Message: fmt.Sprintf("cannot be generated: give the new value with --from-file %s=PATH or --from-stdin %s (%s)", e.Path, e.Path, e.Hint)})
			continue
		}
		if c.New == old {
			probs = append(probs, Problem{Path: e.Path, Severity: Error, Message: "the new value is the same as the current one"})
			continue
		}
		after.Set(e.Path, c.New)
		changes = append(changes, c)
	}
	// Judge the new values with the same rules as init, including pairs that must match.
	for _, p := range Validate(after) {
		if seen[p.Path] && p.Severity == Error {
			probs = append(probs, p)
		}
	}
	return changes, probs
}

// NormalizeSupplied prepares a value read from a file or stdin for a key: a one-line value
// loses the single line break that files and echo add; a PEM goes through PEMValue, the one
// way PEM input is taken in (a GitHub App key becomes the PKCS#1 PEM the chart needs).
func NormalizeSupplied(e *Entry, data []byte) (string, error) {
	if e.Kind == KindOneLinePEM || e.Kind == KindPEM {
		in, err := PEMValue(e, data)
		return in.Value, err
	}
	s := strings.TrimPrefix(string(data), "\ufeff")
	s = strings.TrimSuffix(s, "\n")
	return strings.TrimSuffix(s, "\r"), nil
}

// Unconfirmed returns an error for every change that must be confirmed deliberately (its entry
// has ConfirmRotate: data at rest, deployed crews' tokens, cloud trust) and that confirmed does
// not accept. how says how to confirm ("add --confirm NAME" or "type the key's name").
func Unconfirmed(changes []Change, confirmed func(e *Entry) bool, how func(e *Entry) string) Problems {
	var probs Problems
	for _, c := range changes {
		if c.Entry.ConfirmRotate && !confirmed(c.Entry) {
			probs = append(probs, Problem{Path: c.Entry.Path, Severity: Error,
				Message: c.Entry.ConfirmWhy + ", so rotating it is a deliberate step. " + c.Entry.Rotation + " To go ahead, " + how(c.Entry) + "."})
		}
	}
	return probs
}

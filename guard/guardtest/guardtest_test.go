package guardtest

import (
	"fmt"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// AssertClean is what the output-path tests rely on: it must flag every raw sequence inside
// ordinary output, and accept output whose only controls are its own line breaks (and tabs
// when allowed).
func TestAssertClean(t *testing.T) {
	for _, e := range Escapes() {
		if e.Raw == "a\tb\nc\rd" {
			continue // its CR is the only part an output may not have of its own; checked below
		}
		r := &recorder{TB: t}
		AssertClean(r, "test", "line one\nvalue: "+e.Raw+"\nline three", true)
		if len(r.failures) != 1 {
			t.Errorf("%s: AssertClean reported %d failures, want 1", e.Name, len(r.failures))
		}
	}
	r := &recorder{TB: t}
	AssertClean(r, "test", "a\tb\r\n", true)
	if len(r.failures) != 1 {
		t.Errorf("a carriage return was not reported")
	}
	for _, ok := range []struct {
		out  string
		tabs bool
	}{{"plain\nlines\n", false}, {"col\tcol\n", true}, {"日本語 🔑 \\x1b shown", false}} {
		r := &recorder{TB: t}
		AssertClean(r, "test", ok.out, ok.tabs)
		if len(r.failures) != 0 {
			t.Errorf("AssertClean(%q) failed: %v", ok.out, r.failures)
		}
	}
	r = &recorder{TB: t}
	AssertClean(r, "test", "col\tcol", false)
	if len(r.failures) != 1 {
		t.Errorf("a tab was accepted where tabs are not part of the output")
	}
}

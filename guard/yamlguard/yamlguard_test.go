package yamlguard

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v3"
	helmyaml "sigs.k8s.io/yaml"
)

// bomb returns the classic "billion laughs": levels anchors (a, b, c ...), each a list of
// width aliases to the one before.
func bomb(levels, width int) string {
	var b strings.Builder
	b.WriteString("a: &a [" + strings.Repeat(`"lol",`, width-1) + `"lol"]` + "\n")
	for i := 1; i < levels; i++ {
		name, ref := string(rune('a'+i)), "*"+string(rune('a'+i-1))
		fmt.Fprintf(&b, "%s: &%s [%s%s]\n", name, name, strings.Repeat(ref+",", width-1), ref)
	}
	return b.String()
}

func parseTree(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

// The 377-byte bomb that ran for minutes is refused at once, before anything is expanded.
func TestAliasBombRefusedAtOnce(t *testing.T) {
	src := bomb(10, 9)
	if len(src) != 377 {
		t.Fatalf("the bomb is %d bytes", len(src))
	}
	start := time.Now()
	_, err := Parse([]byte(src))
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("refusing took %s", d)
	}
	var ye *Error
	if !errors.As(err, &ye) || !strings.Contains(err.Error(), "excessive aliasing") || ye.Line == 0 {
		t.Fatalf("err = %v, want an excessive aliasing error with a line", err)
	}
}

// Check refuses exactly the alias shapes Helm's own parser refuses: bombs of every size around
// the threshold, and yaml.v3's own limit case (a large list aliased 100 times).
func TestAliasesBoundedLikeHelm(t *testing.T) {
	cases := map[string]string{}
	for levels := 1; levels <= 7; levels++ {
		for _, width := range []int{2, 5, 9} {
			cases[fmt.Sprintf("%d levels of %d", levels, width)] = bomb(levels, width)
		}
	}
	cases["large list aliased 100 times"] = `{a: &a [{a}` + strings.Repeat(`,{a}`, 100*1024/4-100) + `], b: &b [*a` + strings.Repeat(`,*a`, 99) + `]}`
	cases["large list aliased 3 times"] = `{a: &a [{a}` + strings.Repeat(`,{a}`, 100*1024/4-100) + `], b: [*a, *a, *a]}`
	cases["anchors reused as in real values files"] = "defaults: &d {cpu: 1, mem: 2Gi}\nweb: {resources: *d}\nworker: {resources: *d}\n"
	refused, accepted := 0, 0
	for name, src := range cases {
		var v any
		helmErr := helmyaml.Unmarshal([]byte(src), &v)
		helmRefuses := helmErr != nil && strings.Contains(helmErr.Error(), "excessive aliasing")
		err := Check(parseTree(t, src))
		if (err != nil) != helmRefuses {
			t.Errorf("%s: Check = %v, Helm: %v", name, err, helmErr)
		}
		if helmRefuses {
			refused++
		} else {
			accepted++
		}
	}
	if refused < 3 || accepted < 3 {
		t.Errorf("the cases do not straddle the threshold: %d refused, %d accepted", refused, accepted)
	}
}

// An anchor whose value holds an alias to itself would expand forever (the loader once
// overflowed its stack on the first and grew past 6 GB on the second).
func TestSelfReferenceRefused(t *testing.T) {
	for _, src := range []string{
		"a: &a [*a]\n",
		"a: &a\n  b: *a\n",
		"a: &a [[[*a]]]\n",
		"x: &x {y: &y [*x]}\nz: *y\n",
	} {
		start := time.Now()
		_, err := Parse([]byte(src))
		if !strings.Contains(fmt.Sprint(err), "inside the value of its own anchor") {
			t.Errorf("%q: err = %v", src, err)
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Errorf("%q: took %s", src, d)
		}
	}
}

// Nesting deeper than MaxDepth is an error, not a stack overflow, whether written out (flow or
// block, up to the parser's own limit of 10000) or reached through aliases.
func TestDepth(t *testing.T) {
	flow := func(n int) string { return "a: " + strings.Repeat("[", n) + "x" + strings.Repeat("]", n) + "\n" }
	block := func(n int) string { return "a:\n" + strings.Repeat("- ", n) + "x\n" }
	var chain strings.Builder // 30 anchors, each 40 levels around the one before: 1200 levels expanded
	chain.WriteString("l0: &l0 x\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&chain, "l%d: &l%d %s*l%d%s\n", i, i, strings.Repeat("[", 40), i-1, strings.Repeat("]", 40))
	}
	for _, c := range []struct {
		name, src string
		ok        bool
	}{
		{"flow 900", flow(900), true},
		{"block 900", block(900), true},
		{"flow 1100", flow(1100), false},
		{"block 1100", block(1100), false},
		{"flow 10000", flow(9998), false},
		{"block 10000", block(9998), false},
		{"flow map 10000", "a: " + strings.Repeat("{b: ", 9998) + "1" + strings.Repeat("}", 9998) + "\n", false},
		{"through aliases", chain.String(), false},
	} {
		start := time.Now()
		_, err := Parse([]byte(c.src))
		switch {
		case c.ok && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case !c.ok && !strings.Contains(fmt.Sprint(err), "nested more than 1000 levels"):
			t.Errorf("%s: err = %v", c.name, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: took %s", c.name, d)
		}
	}
}

// countNodes counts every node of every document in src, aliases not followed.
func countNodes(t *testing.T, src []byte) int {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(src))
	n := 0
	var walk func(*yaml.Node)
	walk = func(x *yaml.Node) {
		n++
		for _, c := range x.Content {
			walk(c)
		}
	}
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		walk(&doc)
	}
}

// EstimateNodes must never be below the real count, whatever the notation: the node budget
// rests on it. The densest notations (a flow mapping of bare keys) reach the estimate.
func TestEstimateNodesIsAnUpperBound(t *testing.T) {
	docs := []string{
		"", "x", "a: 1", "{a, b, c}", "{a,a,a,a}", "[[],[],{}]", "- - - x", "-\n-\n-\n", "a:\nb:\nc:\n",
		"? a\n? b\n", "? [a, b]\n: c\n", "a: &x [1, 2]\nb: *x\nc: !!str 3\n", "--- a\n--- b\n...\n--- c\n",
		"a: |\n  line\n  line\n", "a: >-\n  folded\n  text\n", "a: 'it''s'\nb: \"q\\\"q\"\n", "# only a comment\n",
		"a: b # comment: with, separators\n", `{"json": [1, 2, {"k": null}], "s": "x,y:z"}`, "a: !custom {x: y}\n",
		"a:\n  - b: 1\n    c: 2\n  - d\n", "k: plain scalar\n  continued on\n  more lines\n",
	}
	for _, name := range []string{"answers.example.yaml", "wizard-argocd.yaml", "wizard-realistic.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(data))
	}
	for _, d := range docs {
		if real, est := countNodes(t, []byte(d)), EstimateNodes([]byte(d)); real > est {
			t.Errorf("%q: %d nodes, estimated at most %d", d, real, est)
		}
	}
	dense := "{" + strings.Repeat("k,", 999) + "k}"
	if real, est := countNodes(t, []byte(dense)), EstimateNodes([]byte(dense)); est-real > 2 {
		t.Errorf("dense flow mapping: %d nodes, estimate %d: the bound is not tight where it matters", real, est)
	}
}

// A file that could hold more nodes than MaxNodes is refused before it is parsed.
func TestCheckSize(t *testing.T) {
	ok := "a: [" + strings.Repeat("1,", MaxNodes/2-10) + "1]"
	if err := CheckSize([]byte(ok)); err != nil {
		t.Errorf("a list just under the budget: %v", err)
	}
	big := "a: [" + strings.Repeat("1,", MaxNodes/2+10) + "1]"
	start := time.Now()
	if _, err := Parse([]byte(big)); err == nil || !strings.Contains(err.Error(), "separate values") {
		t.Errorf("a list over the budget: %v", err)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("refusing took %s; it should not parse", d)
	}
}

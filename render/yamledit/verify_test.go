package yamledit

import (
	"fmt"
	"strings"
	"testing"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// TestVerify accepts exactly the edited document and names the key path of each kind of
// unwanted change.
func TestVerify(t *testing.T) {
	const before = "# c\nsecrets:\n  A: \"old\"  # note\n  B: 'keep'\n  list: [1, 2]\nenvVars:\n  PORT: \"5432\"\nx: &a {k: v}\ny: *a\nl:\n- a: 1\n- a: 2\n"
	edits := []Edit{{Path: []string{"secrets", "A"}, Value: "new"}}
	cases := []struct {
		name, after string
		edits       []Edit
		want        string // "" accepts; else a part of the error
	}{
		{"the edit", strings.Replace(before, `"old"`, `"new"`, 1), edits, ""},
		{"other quoting and comments", strings.Replace(strings.Replace(before, `"old"  # note`, `new # other`, 1), `'keep'`, `"keep"`, 1), edits, ""},
		{"a new key", before + "secrets2:\n  C: \"c\"\n", []Edit{{Path: []string{"secrets2", "C"}, Value: "c"}}, ""},
		{"a new boolean", before + "oauth:\n  enabled: true\n", []Edit{{Path: []string{"oauth", "enabled"}, Value: "true", Style: EditBool}}, ""},
		{"nothing edited", before, nil, ""},
		{"edit missing", before, edits, `"secrets.A" does not read back as intended`},
		{"wrong new value", strings.Replace(before, `"old"`, `"neu"`, 1), edits, `"secrets.A" does not read back as intended`},
		{"new value not a string", strings.Replace(before, `"old"`, `0x1`, 1), []Edit{{Path: []string{"secrets", "A"}, Value: "0x1"}}, `"secrets.A" does not read back as a string`},
		{"boolean as a string", before + "oauth:\n  enabled: \"true\"\n", []Edit{{Path: []string{"oauth", "enabled"}, Value: "true", Style: EditBool}}, `"oauth.enabled" does not read back as a boolean`},
		{"other value changed", strings.Replace(strings.Replace(before, `"old"`, `"new"`, 1), `'keep'`, `'kept'`, 1), edits, `"secrets.B" does not read back as before`},
		{"value in another section changed", strings.Replace(strings.Replace(before, `"old"`, `"new"`, 1), `"5432"`, `5432`, 1), edits, `"envVars.PORT" does not read back as before`},
		{"list changed", strings.Replace(strings.Replace(before, `"old"`, `"new"`, 1), `[1, 2]`, `[1, 3]`, 1), edits, `"secrets.list.[1]" does not read back as before`},
		{"key lost", strings.Replace(strings.Replace(before, `"old"`, `"new"`, 1), "  B: 'keep'\n", "", 1), edits, `"B" under "secrets" is lost`},
		{"key added", strings.Replace(strings.Replace(before, `"old"`, `"new"`, 1), "  B: 'keep'\n", "  B: 'keep'\n  Z: z\n", 1), edits, `"secrets.Z" does not read back as before`},
		{"key doubled", strings.Replace(strings.Replace(before, `"old"`, `"new"`, 1), "  B: 'keep'\n", "  B: 'keep'\n  A: \"new\"\n", 1), edits, `"A" appears twice under "secrets"`},
		{"anchor renamed", strings.Replace(strings.Replace(strings.Replace(before, `"old"`, `"new"`, 1), `&a`, `&b`, 1), `*a`, `*b`, 1), edits, `"x" does not read back as before`},
		{"value in a list changed", strings.Replace(strings.Replace(before, `"old"`, `"new"`, 1), "- a: 2", "- a: 3", 1), edits, `"l.[1].a" does not read back as before`},
		{"section became a list", "secrets:\n- A\n", edits, `"secrets" does not read back as a mapping`},
		{"not YAML", "secrets: [\n", edits, "not valid YAML"},
		{"two documents", before + "---\na: 1\n", edits, "more than one YAML document"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Verify([]byte(before), []byte(c.after), c.edits)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case c.want != "" && err == nil:
				t.Errorf("accepted, want an error with %q", c.want)
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Errorf("error %q, want %q in it", err, c.want)
			}
		})
	}
	if err := Verify([]byte("a: [\n"), []byte("a: 1\n"), nil); err == nil || !strings.Contains(err.Error(), "the original") {
		t.Errorf("an original that does not parse: %v", err)
	}
}

// TestVerifyAgreesWithSplice checks Verify on every target of the tricky documents: it accepts
// what Splice wrote for an edit, and refuses the same bytes for a different value or a
// different key.
func TestVerifyAgreesWithSplice(t *testing.T) {
	checked := 0
	for _, src := range trickyDocs() {
		doc, err := parseSingle([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		targets := fuzzTargets(doc, "NEW")
		for i, tg := range targets {
			e := Edit{Path: tg.path, Value: "fresh-value"}
			out, err := Splice([]byte(src), []Edit{e})
			if err != nil {
				continue // refused: nothing to check
			}
			checked++
			if err := Verify([]byte(src), out, []Edit{e}); err != nil {
				t.Errorf("%q, %s: Verify refuses Splice's own result: %v", src, pathString(e.Path), err)
			}
			wrong := e
			wrong.Value = "other-value"
			if Verify([]byte(src), out, []Edit{wrong}) == nil {
				t.Errorf("%q, %s: Verify accepts a value that was not written", src, pathString(e.Path))
			}
			other := targets[(i+1)%len(targets)]
			if len(targets) > 1 && pathString(other.path) != pathString(e.Path) {
				if Verify([]byte(src), out, []Edit{{Path: other.path, Value: "fresh-value"}}) == nil {
					t.Errorf("%q: Verify accepts the edit of %s as one of %s", src, pathString(e.Path), pathString(other.path))
				}
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d edits were checked; the tricky documents should give many more", checked)
	}
}

// flatSecrets is a secrets: mapping of n keys, a comment line before each (no punctuation the
// input guard counts beyond the colons, so that 100k lines stay within its bound).
func flatSecrets(n int) []byte {
	var b strings.Builder
	b.WriteString("secrets:\n")
	for i := range n {
		fmt.Fprintf(&b, "  # key %d\n  KEY_%06d: \"value_%d\"\n", i, i, i)
	}
	return []byte(b.String())
}

// TestVerifyGrowsLinearly times Verify on one mapping of 4k and of 32k keys: eight times the
// keys may cost at most about eight times as much (24× allowed for noise), where a check that
// compares the keys of a mapping pairwise (yaml.v3's decoder does) costs 64 times as much.
func TestVerifyGrowsLinearly(t *testing.T) {
	cost := func(n int) time.Duration {
		src := flatSecrets(n)
		edit := Edit{Path: []string{"secrets", fmt.Sprintf("KEY_%06d", n/2)}, Value: "new"}
		out, err := Splice(src, []Edit{edit})
		if err != nil {
			t.Fatal(err)
		}
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			if err := Verify(src, out, []Edit{edit}); err != nil {
				t.Fatal(err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	small, large := cost(4000), cost(32000)
	if ratio := float64(large) / float64(small); ratio > 24 {
		t.Errorf("Verify took %v for 4k keys and %v for 32k keys (%.0f×): it does not grow linearly", small, large, ratio)
	}
}

// BenchmarkVerify measures the read-back check on one flat mapping of 1k, 10k and 100k lines.
func BenchmarkVerify(b *testing.B) {
	for _, lines := range []int{1000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("lines=%d", lines), func(b *testing.B) {
			src := flatSecrets(lines / 2)
			edit := Edit{Path: []string{"secrets", "KEY_000001"}, Value: "new"}
			out, err := Splice(src, []Edit{edit})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if err := Verify(src, out, []Edit{edit}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// SpliceParsed with the caller's parse gives Splice's bytes, and still refuses a file with a
// second document.
func TestSpliceParsedReusesTheParse(t *testing.T) {
	src := []byte("# c\nsecrets:\n  A: \"1\" # keep\n  B: x\n")
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	edits := []Edit{{Path: []string{"secrets", "A"}, Value: "yes", Style: EditKeep}}
	want, err := Splice(src, edits)
	if err != nil {
		t.Fatal(err)
	}
	got, err := SpliceParsed(src, &doc, edits)
	if err != nil || string(got) != string(want) {
		t.Fatalf("SpliceParsed = %q, %v; want %q", got, err, want)
	}
	two := []byte("secrets:\n  A: x\n---\nother: 1\n")
	var first yaml.Node
	if err := yaml.Unmarshal(two, &first); err != nil {
		t.Fatal(err)
	}
	if _, err := SpliceParsed(two, &first, edits); err == nil || !strings.Contains(err.Error(), "more than one YAML document") {
		t.Fatalf("a second document was not refused: %v", err)
	}
}

package model

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// levenshtein is the textbook full-matrix edit distance in bytes, the reference for
// editDistanceWithin.
func levenshtein(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
		}
	}
	return d[len(a)][len(b)]
}

// TestEditDistanceWithin compares the banded distance with the full one on random strings
// over a small alphabet (so that near misses are common), for every bound up to 4.
func TestEditDistanceWithin(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abAB_"[r.IntN(5)]
		}
		return string(b)
	}
	for range 20000 {
		a := word(r.IntN(12))
		b := []byte(a)
		// Mostly small edits of a, sometimes an unrelated word.
		for range r.IntN(4) {
			if len(b) > 0 {
				i := r.IntN(len(b))
				switch r.IntN(3) {
				case 0:
					b = append(b[:i], b[i+1:]...)
				case 1:
					b[i] = "abAB_"[r.IntN(5)]
				default:
					b = append(b[:i], append([]byte{'a'}, b[i:]...)...)
				}
			}
		}
		if r.IntN(5) == 0 {
			b = []byte(word(r.IntN(12)))
		}
		k := r.IntN(5)
		want := min(levenshtein(a, string(b)), k+1)
		if got := editDistanceWithin(a, string(b), k, make([]int, 2*(len(b)+1))); got != want {
			t.Fatalf("editDistanceWithin(%q, %q, %d) = %d, want %d", a, b, k, got, want)
		}
	}
	long := strings.Repeat("x", 100)
	if got := editDistanceWithin(long+"ab", long+"ba", 2, make([]int, 300)); got != 2 {
		t.Errorf("long strings: %d, want 2", got)
	}
}

// TestTypoCandidatesMatchFullComparison checks the prepared, length-filtered and bounded
// search against comparing every candidate in full, on the catalog's real name lists.
func TestTypoCandidatesMatchFullComparison(t *testing.T) {
	cat := NewCatalog()
	naive := func(name string, candidates []string) string {
		best, bestDist := "", 1<<30
		for _, c := range candidates {
			if c == name {
				return ""
			}
			limit := 2
			if len(c) <= 5 {
				limit = 1
			}
			if d := levenshtein(strings.ToLower(name), strings.ToLower(c)); d <= limit && d < bestDist {
				best, bestDist = c, d
			}
		}
		return best
	}
	r := rand.New(rand.NewPCG(3, 4))
	checked := 0
	for _, prefix := range []string{"", "envVars", "secrets", "oauth.secrets.google", "web.tls"} {
		known := cat.Children(prefix)
		if len(known) == 0 {
			t.Fatalf("no children under %q", prefix)
		}
		c := newTypoCandidates(known)
		for _, k := range known {
			for range 20 {
				// Typos: drop, double or swap letters, change case.
				b := []byte(k)
				for range 1 + r.IntN(3) {
					i := r.IntN(len(b))
					switch r.IntN(4) {
					case 0:
						b = append(b[:i], b[i+1:]...)
					case 1:
						b = append(b[:i], append([]byte{b[i]}, b[i:]...)...)
					case 2:
						if i+1 < len(b) {
							b[i], b[i+1] = b[i+1], b[i]
						}
					default:
						b[i] ^= 0x20
					}
					if len(b) == 0 {
						b = []byte("x")
					}
				}
				name := string(b)
				if got, want := c.closest(name), naive(name, known); got != want {
					t.Fatalf("under %q, %q: got %q, want %q", prefix, name, got, want)
				}
				checked++
			}
		}
	}
	t.Logf("%d names checked", checked)
}

// BenchmarkLoadUnknownKeys loads a secrets: mapping of 1k, 10k and 100k unknown keys, each of
// which is checked for typos.
func BenchmarkLoadUnknownKeys(b *testing.B) {
	for _, n := range []int{1000, 10_000, 100_000} {
		var sb strings.Builder
		sb.WriteString("secrets:\n")
		for i := range n {
			fmt.Fprintf(&sb, "  TEAM%d_SERVICE_TOKEN_%05d: \"x\"\n", i%40, i)
		}
		data := []byte(sb.String())
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			cat := NewCatalog()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := NewAnswers(cat).Merge(data, "secrets.yaml", false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkClosest compares made-up key names with the known names under secrets, as loading
// a file with many pass-through secrets does.
func BenchmarkClosest(b *testing.B) {
	c := newTypoCandidates(NewCatalog().Children("secrets"))
	names := make([]string, 1000)
	for i := range names {
		names[i] = fmt.Sprintf("TEAM%d_SERVICE_TOKEN_%05d", i%40, i)
	}
	for b.Loop() {
		for _, n := range names {
			c.closest(n)
		}
	}
}

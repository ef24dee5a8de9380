package model

import "strings"

// typoCandidates are the known names an unknown key is compared with, prepared once for many
// comparisons: lowercased, with the distance limit each name's length allows.
type typoCandidates struct {
	names   []string
	lower   []string
	limit   []int
	exact   map[string]bool
	scratch []int // the distance rows, reused: a candidate list serves one goroutine
}

// newTypoCandidates prepares names for closest; on a tie the earlier name wins.
func newTypoCandidates(names []string) *typoCandidates {
	c := &typoCandidates{names: names, lower: make([]string, len(names)), limit: make([]int, len(names)), exact: make(map[string]bool, len(names))}
	for i, n := range names {
		c.lower[i] = strings.ToLower(n)
		c.limit[i] = 2
		if len(n) <= 5 {
			c.limit[i] = 1
		}
		c.exact[n] = true
	}
	return c
}

// closest returns the candidate that name is most likely a typo of, or "" when none is close
// or name is itself a candidate: a case-insensitive match, or an edit distance of at most 2
// (1 for names of five bytes or fewer). Names whose length differs by more than the limit are
// skipped without computing the distance, and a distance stops being computed once it exceeds
// the limit.
func (c *typoCandidates) closest(name string) string {
	if c.exact[name] {
		return ""
	}
	best, bestDist := "", 1<<30
	lname := strings.ToLower(name)
	for i, cand := range c.lower {
		limit := min(c.limit[i], bestDist-1) // only a closer name can win
		if gap := len(cand) - len(lname); gap > limit || -gap > limit {
			continue
		}
		if need := 2 * (len(cand) + 1); len(c.scratch) < need {
			c.scratch = make([]int, need)
		}
		if d := editDistanceWithin(lname, cand, limit, c.scratch); d <= limit {
			best, bestDist = c.names[i], d
		}
	}
	return best
}

// closest returns the candidate that name is most likely a typo of, as typoCandidates.closest
// does, for a list used once.
func closest(name string, candidates []string) string {
	return newTypoCandidates(candidates).closest(name)
}

// editDistanceWithin is the Levenshtein distance between a and b, counted in bytes, when it is
// at most k, and k+1 otherwise. It fills only the cells within k of the diagonal and stops at
// the first row whose every cell exceeds k, so a comparison costs O(len(a)·k), not
// O(len(a)·len(b)). scratch holds the two rows: at least 2·(len(b)+1) ints.
func editDistanceWithin(a, b string, k int, scratch []int) int {
	over := k + 1
	if d := len(a) - len(b); d > k || -d > k {
		return over
	}
	prev, cur := scratch[:len(b)+1], scratch[len(b)+1:2*(len(b)+1)]
	for j := 0; j <= min(len(b), k+1); j++ {
		prev[j] = min(j, over) // the first row reads no further than k+1
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-k), min(len(b), i+k)
		if lo == 1 {
			cur[0] = min(i, over)
		} else {
			cur[lo-1] = over // left of the band
		}
		rowMin := cur[lo-1]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost, over)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if hi < len(b) {
			cur[hi+1] = over // right of the band: what the next row reads above it
		}
		if rowMin > k {
			return over
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// typoIndex holds, for one load of a file, the typo candidates under each prefix (made on
// first use: every unknown key under a prefix is compared with the same names) and every
// catalog key's last name, for the misplaced-key check.
type typoIndex struct {
	cat        *Catalog
	withWizard bool
	under      map[string]*typoCandidates
	names      map[string]bool
}

// newTypoIndex prepares an empty index for a catalog.
func newTypoIndex(cat *Catalog, withWizard bool) *typoIndex {
	return &typoIndex{cat: cat, withWizard: withWizard, under: map[string]*typoCandidates{}}
}

// closest returns the known key under prefix that name is most likely a typo of, or "".
func (x *typoIndex) closest(prefix, name string) string {
	c := x.under[prefix]
	if c == nil {
		known := x.cat.Children(prefix)
		if prefix == "" && x.withWizard {
			known = append(known, "wizard")
		}
		c = newTypoCandidates(known)
		x.under[prefix] = c
	}
	return c.closest(name)
}

// isKeyName reports whether some catalog key's path ends in name (DB_PASSWORD).
func (x *typoIndex) isKeyName(name string) bool {
	if x.names == nil {
		x.names = map[string]bool{}
		for _, e := range x.cat.Entries() {
			x.names[e.Name()] = true
		}
	}
	return x.names[name]
}

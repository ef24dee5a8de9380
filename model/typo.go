package model

import "strings"

// closest returns the candidate that name is most likely a typo of, or "" when none is close:
// a case-insensitive match, or an edit distance of at most 2 (1 for short names).
func closest(name string, candidates []string) string {
	best, bestDist := "", 1<<30
	lname := strings.ToLower(name)
	for _, c := range candidates {
		if c == name {
			return ""
		}
		d := editDistance(lname, strings.ToLower(c))
		limit := 2
		if len(c) <= 5 {
			limit = 1
		}
		if d <= limit && d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, counted in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

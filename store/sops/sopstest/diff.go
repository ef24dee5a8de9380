package sopstest

import "strings"

// ChangedLines lists the lines of b that differ from a's at the same position: what a Git
// diff of an encrypted file shows when only values changed (the line counts stay the same
// then). When the line counts differ it returns every line of b.
func ChangedLines(a, b string) []string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(al) != len(bl) {
		return bl
	}
	var out []string
	for i := range bl {
		if al[i] != bl[i] {
			out = append(out, bl[i])
		}
	}
	return out
}

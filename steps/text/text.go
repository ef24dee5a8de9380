package text

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Truncate shortens s to at most w cells, ending with an ellipsis when cut.
func Truncate(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// Wrap wraps styled text to width.
func Wrap(s string, width int) string { return WrapIndent(s, "", width) }

// WrapIndent wraps styled text to width, indenting every line. The width never drops below
// 20 cells, so a very narrow area still shows whole words.
func WrapIndent(s, indent string, width int) string {
	w := max(width-len(indent), 20)
	wrapped := lipgloss.NewStyle().Width(w).Render(s)
	lines := strings.Split(wrapped, "\n")
	for i, l := range lines {
		lines[i] = indent + strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// Words breaks plain text into lines of at most w cells at spaces; a word longer than w is
// cut with an ellipsis.
func Words(s string, w int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		word = Truncate(word, w)
		switch {
		case cur == "":
			cur = word
		case lipgloss.Width(cur)+1+lipgloss.Width(word) <= w:
			cur += " " + word
		default:
			lines = append(lines, cur)
			cur = word
		}
	}
	return append(lines, cur)
}

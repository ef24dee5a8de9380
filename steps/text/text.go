package text

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Truncate shortens s to at most w cells, ending with an ellipsis when cut. Escape sequences
// are kept whole.
func Truncate(s string, w int) string { return ansi.Truncate(s, w, "…") }

// WrapIndent wraps styled text to width at spaces, indenting every line. It never breaks a word
// (a URL, a path or a command stays whole and copyable, hyphens included; text in `backticks`
// counts as one word): a word wider than the line goes on a line of its own, cut with an
// ellipsis. Styles carry over to the lines a
// styled run continues on. When the indent leaves fewer than 20 cells, the indent shrinks
// rather than the text passing width.
func WrapIndent(s, indent string, width int) string { return wrap(s, indent, width, true) }

// Hang wraps styled text like WrapIndent with a hanging indent: the first line starts at the
// left edge, the lines it continues on are indented (a list item, a key and its description).
func Hang(s, indent string, width int) string { return wrapWith(s, "", indent, width, true) }

// HangLong is Hang that keeps a word wider than the line whole (for views that scroll
// sideways).
func HangLong(s, indent string, width int) string { return wrapWith(s, "", indent, width, false) }

// WrapLong is WrapIndent that keeps a word wider than the line whole on a line of its own, for
// views that scroll sideways.
func WrapLong(s, indent string, width int) string { return wrap(s, indent, width, false) }

// WrapUnder is WrapIndent for text under a column (a field's hint under its answer): when a
// word would not fit beside the indent, the whole text moves left to a 4-cell indent, so that
// hosts, URLs and examples in it stay whole.
func WrapUnder(s, indent string, width int) string {
	const small = "    "
	if len(indent) > len(small) && longestWord(s) > width-len(indent) {
		indent = small
	}
	return WrapIndent(s, indent, width)
}

// longestWord is the width of the widest word of styled text.
func longestWord(s string) int {
	n := 0
	for _, para := range strings.Split(s, "\n") {
		for _, w := range splitWords(para) {
			n = max(n, w.width)
		}
	}
	return n
}

// minRoom is the fewest cells of text a wrapped line keeps beside its indent.
const minRoom = 20

func wrap(s, indent string, width int, cut bool) string {
	return wrapWith(s, indent, indent, width, cut)
}

// wrapWith wraps each line of s, the first line of each indented with first, the lines it
// continues on with rest.
func wrapWith(s, first, rest string, width int, cut bool) string {
	if width >= minRoom && width-len(first) < minRoom {
		first = first[:width-minRoom]
	}
	if width >= minRoom && width-len(rest) < minRoom {
		rest = rest[:width-minRoom]
	}
	var out []string
	var active []string // the styles in effect at the end of the text so far
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrapPara(para, first, rest, width, cut, &active)...)
	}
	return strings.Join(out, "\n")
}

// word is a run of text without spaces, with the escape sequences inside or before it: a
// slice of the paragraph, and its width in cells.
type word struct {
	text  string
	width int
}

// wrapPara wraps one line of styled text; active holds the SGR sequences in effect when it
// starts and is left with those in effect at its end.
func wrapPara(para, first, rest string, width int, cut bool, active *[]string) []string {
	lead := len(para) - len(strings.TrimLeft(para, " "))
	words := splitWords(para[lead:])
	prefix := first + para[:lead]
	room := max(width-len(prefix), 1)
	var lines []string
	var b strings.Builder
	b.Grow(len(prefix) + len(para) + 16)
	styles := *active // styles in effect as the words are written
	startLine := func() {
		b.WriteString(prefix)
		for _, seq := range styles {
			b.WriteString(seq)
		}
	}
	startLine()
	lineW := 0
	for _, w := range words {
		if w.width > 0 && lineW > 0 && lineW+1+w.width > room {
			if len(styles) > 0 {
				b.WriteString("\x1b[m")
			}
			lines = append(lines, b.String())
			b.Reset()
			prefix = rest + para[:lead]
			room = max(width-len(prefix), 1)
			startLine()
			lineW = 0
		} else if w.width > 0 && lineW > 0 {
			b.WriteByte(' ')
			lineW++
		}
		t := w.text
		if cut && w.width > room {
			t = ansi.Truncate(t, room, "…")
		}
		b.WriteString(t)
		lineW += w.width
		if strings.IndexByte(w.text, 0x1b) >= 0 {
			styles = trackSGR(styles, w.text)
		}
	}
	lines = append(lines, b.String())
	*active = styles
	return lines
}

// splitWords splits styled text at spaces outside escape sequences and outside `backticks`:
// a command or URL quoted that way stays one word.
func splitWords(s string) []word {
	words := make([]word, 0, strings.Count(s, " ")+1)
	start := 0
	flush := func(end int) {
		if end > start {
			words = append(words, word{text: s[start:end], width: ansi.StringWidth(s[start:end])})
		}
	}
	for i := 0; i < len(s); {
		switch s[i] {
		case 0x1b:
			i += escLen(s[i:])
		case ' ':
			flush(i)
			i++
			start = i
		case '`':
			if end := strings.IndexByte(s[i+1:], '`'); end >= 0 {
				i += end + 2 // past the closing backtick: one word
			} else {
				i++
			}
		default:
			i++
		}
	}
	flush(len(s))
	return words
}

// escLen returns the length of the escape sequence at the start of s: CSI (ESC [ … final
// byte), OSC (ESC ] … BEL or ESC \), or a two-byte escape.
func escLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return len(s)
	case ']':
		for i := 2; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return len(s)
	}
	return 2
}

// trackSGR returns the SGR sequences in effect after text t, starting from styles: a reset
// clears them, any other SGR adds to them. styles is never changed in place.
func trackSGR(styles []string, t string) []string {
	styles = styles[:len(styles):len(styles)]
	for i := 0; i < len(t); {
		if t[i] != 0x1b {
			i++
			continue
		}
		n := escLen(t[i:])
		seq := t[i : i+n]
		if strings.HasPrefix(seq, "\x1b[") && strings.HasSuffix(seq, "m") {
			if p := seq[2 : len(seq)-1]; p == "" || p == "0" {
				styles = nil
			} else {
				styles = append(styles, seq)
			}
		}
		i += n
	}
	return styles
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

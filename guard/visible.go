package guard

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Visible returns s as it may be shown to a person: every character that a terminal would act
// on, or that would reorder the text around it, is replaced by an escape that shows it, and
// everything else is left as it is.
//
//   - C0 controls and DEL: \t, \n and \r by name, the others as \x1b, \x07, \x7f ...; tab too
//     is shown, not kept, because Visible is meant for one value, key or name on one line,
//     where a tab is almost always a stray paste and would misalign what follows;
//   - C1 controls U+0080–U+009F as \u0085, \u009b ... (a terminal may read U+009B as CSI);
//   - the bidirectional controls that make text display in another order than it is read
//     (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates, and the marks
//     U+200E, U+200F, U+061C) as \u202e and so on;
//   - the Unicode line and paragraph separators U+2028 and U+2029 as \u2028, \u2029;
//   - bytes that are not UTF-8 as \xff and so on.
//
// Printable Unicode (accents, CJK, emoji) is untouched, and so is the backslash itself: the
// result is for reading, not a reversible encoding. Files that Helm reads keep the exact
// value; only what is shown goes through Visible.
func Visible(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i])) // ASCII: the rune is this one byte
		case unsafeRune(r):
			b.WriteString(`\u`)
			h := strconv.FormatInt(int64(r), 16)
			b.WriteString(strings.Repeat("0", 4-len(h)) + h)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// VisibleAll applies Visible to each string, returning a new slice.
func VisibleAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = Visible(s)
	}
	return out
}

// firstUnsafe returns the byte index of the first character Visible changes, or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// unsafeRune reports whether a non-ASCII rune is a C1 control, a bidirectional control or a
// line/paragraph separator.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

// Unsafe describes the first character of s that Visible would change, e.g. "U+001B at byte
// 3", or returns "" when s is safe to show as it is.
func Unsafe(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && size == 1 {
		return fmt.Sprintf("the byte %#x (not UTF-8) at byte %d", s[i], i)
	}
	return fmt.Sprintf("%U at byte %d", r, i)
}

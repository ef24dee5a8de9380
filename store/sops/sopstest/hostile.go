package sopstest

import "strings"

// Hostile returns values a YAML 1.1 reader (Helm) or a YAML emitter easily gets wrong: YAML 1.1
// words, octal-looking and other numbers, ~, indicators, control characters, line breaks,
// leading and trailing space. Every encrypted round trip must bring each back byte for byte.
func Hostile() []string {
	return []string{
		"yes", "no", "on", "off", "y", "n", "Y", "N", "Yes", "NO", "On", "OFF", "true", "True", "FALSE",
		"~", "null", "Null", "NULL", "0777", "0o17", "0x1F", "0b101", "08", "1e3", "1E3", "1_000", "1.0", "+1", "-1",
		".inf", "-.Inf", ".NaN", "2024-01-01", "2001-12-14t21:59:43.10-05:00", "12:30:45", "190:20:30",
		" leading", "trailing ", "a: b", "a #b", "#hash", "@at", "`tick", "%pct", "&amp", "*star", "!bang",
		"|pipe", ">gt", "'sq", "\"dq", "-dash", "- dash", "?q", "? q", "[x", "{x", "]", "}", ",comma",
		"ünïcødé", "日本語", "emoji 🎉", "tab\tin", `back\slash`, "=", "<<", "\u2028sep", "\u0085nel",
		"p@ss:w/rd?#%", "\x7f", "\u00a0nbsp", "\x01ctl", "\x1b[31mred", "cr\rlf", "crlf\r\n", "nul\x00byte",
		"line\nbreak", "two\n\nblank", "\nleading newline", "trailing newline\n", "trailing newlines\n\n",
		"spaces \nat line end", strings.Repeat("long value with spaces ", 20), `escaped \n not a newline`,
	}
}

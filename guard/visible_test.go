package guard_test

import (
	"testing"
	"unicode/utf8"

	"crewai-setup/guard"
	"crewai-setup/guard/guardtest"
)

// TestVisible checks each hostile sequence's exact visible form, and that nothing a terminal
// acts on survives in any of them.
func TestVisible(t *testing.T) {
	for _, e := range guardtest.Escapes() {
		t.Run(e.Name, func(t *testing.T) {
			got := guard.Visible(e.Raw)
			if got != e.Visible {
				t.Errorf("Visible(%q) = %q, want %q", e.Raw, got, e.Visible)
			}
			if bad := guard.Unsafe(got); bad != "" {
				t.Errorf("Visible(%q) = %q still holds %s", e.Raw, got, bad)
			}
			if guard.Unsafe(e.Raw) == "" {
				t.Errorf("Unsafe(%q) found nothing", e.Raw)
			}
		})
	}
}

// Ordinary text, including other scripts, emoji with joiners and backslashes, is returned as
// it is, without a copy.
func TestVisibleKeepsPrintable(t *testing.T) {
	for _, s := range []string{"", "plain ascii", "héllo wörld", "日本語のパスワード", "🔑👩‍💻", `C:\keys\app.pem`,
		"zero\u200Bwidth", "\u00a0nbsp", "p@ss:w/rd?#%"} {
		if got := guard.Visible(s); got != s {
			t.Errorf("Visible(%q) = %q, want it unchanged", s, got)
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = guard.Visible("nothing to escape here, ünïcödé") }); n != 0 {
		t.Errorf("Visible allocated %v times for safe text; it should return its input", n)
	}
}

// Every rune up to U+2FFF and every single byte: Visible returns valid UTF-8 without any
// unsafe character, and safe input comes back unchanged.
func TestVisibleExhaustive(t *testing.T) {
	for r := rune(0); r <= 0x2FFF; r++ {
		s := "x" + string(r) + "y"
		got := guard.Visible(s)
		if !utf8.ValidString(got) || guard.Unsafe(got) != "" {
			t.Fatalf("Visible(%q) = %q", s, got)
		}
		if guard.Unsafe(s) == "" && got != s {
			t.Fatalf("Visible(%q) = %q changed safe text", s, got)
		}
	}
	for b := 0; b < 256; b++ {
		if got := guard.Visible(string([]byte{byte(b)})); guard.Unsafe(got) != "" || !utf8.ValidString(got) {
			t.Fatalf("Visible(byte %#x) = %q", b, got)
		}
	}
}

func TestVisibleAll(t *testing.T) {
	in := []string{"a\x1b", "b"}
	got := guard.VisibleAll(in)
	if got[0] != `a\x1b` || got[1] != "b" || in[0] != "a\x1b" {
		t.Errorf("VisibleAll = %q (input %q)", got, in)
	}
}

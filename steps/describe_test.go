package steps

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The review describes the GitHub App key from what the key field stored when it read the
// key: drawing the review again (every spinner tick of a connection check) parses nothing.
// Parsing a key allocates thousands of times; the described key allocates nothing.
func TestReviewDescribesTheKeyWithoutParsingIt(t *testing.T) {
	k := rsaKey(t, 2048)
	path := writeFile(t, t.TempDir(), "app.pem", pkcs1PEM(k))
	h := keyField(t)
	h.typeText(path)
	h.send(kEnter)
	h.wantAnswer("secrets.GITHUB_APP_PRIVATE_KEY", pkcs1PEM(k))

	key := h.field("Private key (.pem)")
	if n := testing.AllocsPerRun(20, func() { key.Display(h.ctx.Answers, false) }); n > 0 {
		t.Fatalf("describing the read key allocates %.0f times: it is parsed again", n)
	}
	r := NewReview(h.ctx, []Step{h.s})
	r.Init()
	if !strings.Contains(ansi.Strip(r.View()), "RSA 2048-bit, PKCS#1, SHA256:") {
		t.Fatalf("the review does not describe the key:\n%s", ansi.Strip(r.View()))
	}
	// The same review without the key, for the cost of drawing the rest.
	withKey := testing.AllocsPerRun(5, func() { r.text = nil; r.View() })
	h.ctx.Answers.Set("secrets.GITHUB_APP_PRIVATE_KEY", "")
	r.Init()
	without := testing.AllocsPerRun(5, func() { r.text = nil; r.View() })
	// Counted in the plain run only: under -race the same draw allocates a few hundred more.
	if !raceDetector && withKey-without > 200 {
		t.Fatalf("drawing the review with the key costs %.0f allocations more than without: the key is parsed on every draw", withKey-without)
	}
}

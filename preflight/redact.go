package preflight

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"crewai-setup/model"
)

// pemArmor matches PEM armor lines, which are not secret.
var pemArmor = regexp.MustCompile(`-----(BEGIN|END)[A-Z0-9 ]*-----`)

// redactMark replaces a removed secret.
const redactMark = "•••"

// minPiece is the shortest piece of a secret that foreign text may not repeat.
const minPiece = 6

// redactor removes the answers' secret values from text. Text the checks write themselves
// never holds a secret, so values only replaces whole values as a last safety net; text that
// comes from elsewhere (error messages, server answers) goes through foreign, which also
// removes every piece of minPiece or more characters of a secret, because servers echo parts
// of keys ("Incorrect API key provided: sk-proj-****abcd").
type redactor struct {
	// whole are complete secret values; pieces are the secret parts whose every piece counts
	// (for a URL only its user and password: its host and path are public).
	whole, pieces []string
}

// newRedactor collects every sensitive value set in the answers and the parts of them a server
// might echo on their own: the user and password of a URL, the base64 body of a PEM.
func newRedactor(a *model.Answers) *redactor {
	r := &redactor{}
	add := func(list *[]string, s string) {
		if len(s) >= 4 && !slices.Contains(*list, s) {
			*list = append(*list, s)
		}
	}
	for _, e := range a.Catalog().Entries() {
		v, ok := a.Lookup(e.Path)
		if !e.Sensitive || !ok {
			continue
		}
		add(&r.whole, v)
		if strings.Contains(v, "-----BEGIN") {
			// The armor lines are public words; only the base64 body is secret, in whatever
			// lines, spaces or \n escapes it came.
			body := pemArmor.ReplaceAllString(strings.ReplaceAll(v, `\n`, "\n"), " ")
			for _, chunk := range strings.Fields(body) {
				add(&r.pieces, chunk)
			}
			continue
		}
		if u, err := url.Parse(v); err == nil && u.Host != "" && u.User != nil {
			add(&r.pieces, u.User.Username())
			if pw, ok := u.User.Password(); ok {
				add(&r.pieces, pw)
			}
			continue
		}
		if e.Path != "secrets.UV_DEFAULT_INDEX" { // without credentials the index URL is public
			add(&r.pieces, v)
		}
	}
	return r
}

// with returns a redactor that also removes extra, for credentials made from the answers'
// secrets (a signed token, an encoded Authorization header).
func (r *redactor) with(extra ...string) *redactor {
	out := &redactor{whole: slices.Clone(r.whole), pieces: slices.Clone(r.pieces)}
	for _, s := range extra {
		if len(s) >= 4 {
			out.whole = append(out.whole, s)
			out.pieces = append(out.pieces, s)
		}
	}
	return out
}

// values replaces whole secret values in text written by the checks themselves.
func (r *redactor) values(text string) string {
	for _, s := range r.whole {
		text = strings.ReplaceAll(text, s, redactMark)
	}
	return text
}

// foreign removes from text every secret value and every piece of a secret at least minPiece
// characters long, replacing each run of removed characters by one mark.
func (r *redactor) foreign(text string) string {
	if text == "" {
		return text
	}
	cut := make([]bool, len(text))
	found := false
	mark := func(piece string) {
		for from := 0; ; {
			i := strings.Index(text[from:], piece)
			if i < 0 {
				return
			}
			for j := from + i; j < from+i+len(piece); j++ {
				cut[j] = true
			}
			found = true
			from += i + 1
		}
	}
	for _, s := range r.whole {
		mark(s)
	}
	for _, s := range r.pieces {
		if len(s) < minPiece {
			mark(s)
			continue
		}
		for i := 0; i+minPiece <= len(s); i++ {
			mark(s[i : i+minPiece])
		}
	}
	if !found {
		return text
	}
	// A piece may start or end inside a multi-byte character: cut whole characters.
	for i := 1; i < len(text); i++ {
		if cut[i-1] && !cut[i] && !isRuneStart(text[i]) {
			cut[i] = true
		}
	}
	for i := len(text) - 2; i >= 0; i-- {
		if cut[i+1] && !cut[i] && !isRuneStart(text[i+1]) {
			cut[i] = true
		}
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if !cut[i] {
			b.WriteByte(text[i])
			continue
		}
		if i == 0 || !cut[i-1] {
			b.WriteString(redactMark)
		}
	}
	return b.String()
}

// clip shortens foreign text to n bytes at a rune boundary, so one line stays one line.
func clip(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) <= n {
		return text
	}
	for n > 0 && !isRuneStart(text[n]) {
		n--
	}
	return text[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

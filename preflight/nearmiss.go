package preflight

import (
	"strings"
	"unicode/utf8"
)

// nearGitHub reports whether host (lower case, no trailing dot) is close to github.com
// without being it or one of its subdomains, on a name someone else could register.
func nearGitHub(host string) bool {
	if host == "github.com" || strings.HasSuffix(host, ".github.com") {
		return false
	}
	host = strings.TrimPrefix(host, "www.")
	labels := strings.Split(host, ".")
	for i, l := range labels {
		if strings.HasPrefix(l, "xn--") {
			if d, ok := punycodeDecode(l[4:]); ok {
				labels[i] = d
			}
		}
	}
	host = strings.Join(labels, ".")
	switch {
	case strings.HasPrefix(host, "github.com."):
		return true // github.com.example.net belongs to example.net
	case privateUse(labels[len(labels)-1]):
		return false // github.internal, github.corp: a server on the company's own network
	}
	want := skeleton("github.com")
	switch sk := skeleton(host); {
	case sk == want:
		return true // a look-alike: githu8.com, gіthub.com with a Cyrillic і
	case editDistance(sk, want) <= 2:
		return true // a typo: gihtub.com, github.co, gthub.com
	case len(labels) >= 2 && skeleton(labels[0]) == skeleton("github") && publicSuffix(labels[1:]):
		return true // github.org, github.co.uk: another registry's github
	}
	return false
}

// publicSuffix reports whether labels look like a registry suffix rather than a company's
// domain: one label (org, io, de) or a second-level registry label and a country (co.uk).
func publicSuffix(labels []string) bool {
	switch len(labels) {
	case 1:
		return true
	case 2:
		switch labels[0] {
		case "co", "com", "org", "net", "ac", "gov", "edu", "ne", "or":
			return len(labels[1]) == 2
		}
	}
	return false
}

// privateUse reports whether tld is one a company's own servers are named under and nobody
// can register on the public internet: reserved for private use (internal, local), withdrawn
// from delegation (corp, home, mail), or in common private use (lan, intranet, …). Every other
// label may be one of the 1,400 and more TLDs anyone can register names in.
func privateUse(tld string) bool {
	switch tld {
	case "internal", "local", "localdomain", "corp", "home", "mail", "lan", "intranet", "private":
		return true
	}
	return false
}

// confusable returns the ASCII letter a character is drawn like (Cyrillic and Greek look-alikes,
// and digits and letters that pass for others), or the character itself.
func confusable(r rune) string {
	switch r {
	case 'а', 'α', '4':
		return "a"
	case 'ь', 'в', '8', '6':
		return "b"
	case 'с':
		return "c"
	case 'ԁ':
		return "d"
	case 'е', '3':
		return "e"
	case 'ɡ', '9':
		return "g"
	case 'һ':
		return "h"
	case 'і', 'ӏ', 'ι', 'ı', 'ℓ', '1', 'i', '|':
		return "l"
	case 'ј':
		return "j"
	case 'κ':
		return "k"
	case 'о', 'ο', '0':
		return "o"
	case 'р', 'ρ':
		return "p"
	case 'ԛ':
		return "q"
	case 'ѕ', '5':
		return "s"
	case 'т', 'τ':
		return "t"
	case 'υ':
		return "u"
	case 'ν':
		return "v"
	case 'ԝ':
		return "w"
	case 'х':
		return "x"
	case 'у':
		return "y"
	}
	return string(r)
}

// skeleton reduces text to a canonical form in which look-alike strings are equal.
func skeleton(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		b.WriteString(confusable(r))
	}
	return strings.NewReplacer("rn", "m", "vv", "w", "cl", "d").Replace(b.String())
}

// editDistance is the Damerau–Levenshtein distance (optimal string alignment) between a and
// b, counting characters: insertions, deletions, substitutions and adjacent swaps.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return max(len(ra), len(rb)) // host names this long are no near miss of github.com
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// punycodeDecode decodes the part of an IDNA label after "xn--" (RFC 3492), so that a
// look-alike written in another script can be compared; ok is false for invalid input.
func punycodeDecode(s string) (string, bool) {
	const (
		base, tMin, tMax, skew, damp = 36, 1, 26, 38, 700
		initialBias, initialN        = 72, 128
	)
	var out []rune
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		for _, r := range s[:i] {
			if r >= utf8.RuneSelf {
				return "", false
			}
			out = append(out, r)
		}
		s = s[i+1:]
	}
	n, bias, i := initialN, initialBias, 0
	adapt := func(delta, points int, first bool) int {
		if first {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / points
		k := 0
		for delta > ((base-tMin)*tMax)/2 {
			delta /= base - tMin
			k += base
		}
		return k + (base-tMin+1)*delta/(delta+skew)
	}
	for pos := 0; pos < len(s); {
		old, w := i, 1
		for k := base; ; k += base {
			if pos >= len(s) {
				return "", false
			}
			c := s[pos]
			pos++
			var digit int
			switch {
			case c >= 'a' && c <= 'z':
				digit = int(c - 'a')
			case c >= 'A' && c <= 'Z':
				digit = int(c - 'A')
			case c >= '0' && c <= '9':
				digit = int(c-'0') + 26
			default:
				return "", false
			}
			i += digit * w
			t := min(max(k-bias, tMin), tMax)
			if digit < t {
				break
			}
			w *= base - t
			if i > 1<<24 || w > 1<<24 {
				return "", false
			}
		}
		bias = adapt(i-old, len(out)+1, old == 0)
		n += i / (len(out) + 1)
		i %= len(out) + 1
		if n < 0 || n > utf8.MaxRune || len(out) > 63 {
			return "", false
		}
		out = append(out[:i], append([]rune{rune(n)}, out[i:]...)...)
		i++
	}
	return string(out), true
}

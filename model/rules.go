package model

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"crewai-setup/model/pemkey"
)

// Finding is a rule's verdict on one value, before the key path is attached.
// Messages describe the value's shape, never the value itself, because it may be a secret.
type Finding struct {
	Severity Severity
	Message  string
}

// Rule checks the form of one value. Name says what it checks, in words; Refuses says whether
// it may report an error (otherwise it only warns); Source says where it comes from. A rule may
// only refuse when its source is authoritative (see Source.Authoritative) — a test holds every
// catalog rule to both.
type Rule struct {
	Name    string
	Refuses bool
	Source  Source
	Check   func(v string) []Finding
}

// rule builds a Rule.
func rule(name string, refuses bool, src Source, check func(v string) []Finding) Rule {
	return Rule{Name: name, Refuses: refuses, Source: src, Check: check}
}

func fail(format string, args ...any) []Finding {
	return []Finding{{Error, fmt.Sprintf(format, args...)}}
}

func warn(format string, args ...any) []Finding {
	return []Finding{{Warning, fmt.Sprintf(format, args...)}}
}

// portRule: a TCP port, 1..65535 in decimal digits. The chart's docs do not state a format;
// a connection string cannot work with anything else.
var portRule = rule("a port number, 1 to 65535", false, inferred("a TCP port is a number from 1 to 65535; the chart puts it into postgres://…:PORT/… connection strings"),
	func(v string) []Finding {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 65535 || strings.TrimLeft(v, "0123456789") != "" {
			return warn("should be a port number from 1 to 65535, written in digits (PostgreSQL's usual port is 5432)")
		}
		return nil
	})

// boolRule accepts exactly true or false: the tool writes toggles as YAML booleans, and Helm
// templates take any non-empty text as true.
var boolRule = rule("true or false", true, enforced("Helm templates test toggles for truth, so only a boolean says what is meant (any non-empty text counts as true)"),
	func(v string) []Finding {
		if v != "true" && v != "false" {
			return fail("must be true or false")
		}
		return nil
	})

// digitsRule warns unless the value is a non-empty string of decimal digits.
func digitsRule(what string, src Source) Rule {
	return rule("digits only", false, src, func(v string) []Finding {
		if v == "" || strings.TrimLeft(v, "0123456789") != "" {
			return warn("should be %s, digits only", what)
		}
		return nil
	})
}

// httpsURLRule warns unless the value is an absolute https URL with a host; example shows
// the expected form. The reference states no scheme rule for these keys, and GitHub
// Enterprise Server or an internal Keycloak may well be served over http.
func httpsURLRule(example string) Rule {
	return rule("an https URL", false, inferred("credentials and sign-in redirects should travel over TLS; the reference states no scheme rule for this key"),
		func(v string) []Finding {
			u, err := url.Parse(v)
			switch {
			case err != nil || u.Host == "":
				return warn("does not look like a full URL such as %s", example)
			case u.Scheme != "https":
				return warn("does not start with https:// (for example %s); plain http exposes sign-in traffic, so use it only on a trusted network", example)
			case u.User != nil:
				return warn("contains a user name or password; they do not belong in this URL")
			}
			return nil
		})
}

// uvIndexRule checks the private package index URL: https, user:password@host, ending in
// /simple/. The reference lists all three as requirements. It reports every broken part at once.
var uvIndexRule = rule("https, USER:PASSWORD@HOST, ending in /simple/", true, refKey(secPyPI, "secrets.UV_DEFAULT_INDEX (Requirements)"), func(v string) []Finding {
	const form = "https://USER:PASSWORD@HOST/simple/" //nolint:gosec // a format description, not a credential
	u, err := url.Parse(v)
	if err != nil {
		return fail("is not a URL the chart can use; write it as %s and percent-encode special characters in the password (@ as %%40, / as %%2F, # as %%23, ? as %%3F, %% as %%25)", form)
	}
	var out []Finding
	if u.Scheme != "https" {
		out = append(out, Finding{Error, "must use https:// (form: " + form + ")"})
	}
	pw, hasPW := "", false
	if u.User != nil {
		pw, hasPW = u.User.Password()
	}
	if u.User == nil || u.User.Username() == "" || !hasPW || pw == "" {
		out = append(out, Finding{Error, "must carry credentials as USER:PASSWORD@ before the host (form: " + form + "); percent-encode special characters in them"})
	}
	if u.Host == "" {
		out = append(out, Finding{Error, "has no host (form: " + form + ")"})
	}
	if !strings.HasSuffix(u.Path, "/simple/") || u.RawQuery != "" || u.Fragment != "" {
		out = append(out, Finding{Error, "must end with /simple/ (the PyPI simple API), with nothing after it"})
	}
	return out
})

// alreadyBase64Rule warns when a value the chart base64-encodes itself looks encoded already
// (it decodes to a URL): encoded twice, it reaches the pods as base64 text.
var alreadyBase64Rule = rule("not base64-encoded already", false, refKey(secPyPI, "secrets.UV_DEFAULT_INDEX: automatically base64-encoded by the chart"),
	func(v string) []Finding {
		if len(v) < 12 || strings.Contains(v, "://") {
			return nil
		}
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(v); err == nil && strings.Contains(string(b), "://") {
				return warn("looks base64-encoded already (it decodes to a URL); the chart encodes it itself, so give the plain URL")
			}
		}
		return nil
	})

// percentRule warns when database credentials hold %XX sequences: the chart URL-encodes user
// and password itself, so a pre-encoded value would be encoded twice.
var percentRule = rule("not URL-encoded already", false, refKey(secDatabase, "secrets.DB_PASSWORD: the chart handles URL encoding, do not escape or encode"),
	func(v string) []Finding {
		if percentEscape.MatchString(v) {
			return warn("contains %%XX sequences, as if URL-encoded; the chart URL-encodes the credentials itself, so give them as they are (unless the password really contains them)")
		}
		return nil
	})

var percentEscape = regexp.MustCompile(`%[0-9A-Fa-f]{2}`)

// workosKeyRule: the reference says WorkOS keys typically start with sk_live_ or sk_test_.
var workosKeyRule = rule("starts with sk_live_ or sk_test_", false, refKey(secAuth, "secrets.WORKOS_API_KEY: typically starts with sk_live_ or sk_test_"),
	func(v string) []Finding {
		if !strings.HasPrefix(v, "sk_live_") && !strings.HasPrefix(v, "sk_test_") {
			return warn("does not start with sk_live_ (production) or sk_test_ (testing), as WorkOS secret keys typically do; copy it from WorkOS Dashboard > API Keys")
		}
		return nil
	})

// hexKeyRule requires hexadecimal; exact makes the length an error too (OAUTH_DB_ENCRYPTION_KEY:
// "64 characters"), otherwise it is a recommendation (ENCRYPTION_KEY: "recommended: 64").
func hexKeyRule(length int, exact bool, src Source) Rule {
	return rule(fmt.Sprintf("hexadecimal, %d characters", length), true, src, func(v string) []Finding {
		if v == "" || strings.Trim(v, "0123456789abcdefABCDEF") != "" {
			return fail("must be hexadecimal (0-9, a-f); make one with: openssl rand -hex %d", length/2)
		}
		switch {
		case len(v) == length:
			return nil
		case exact:
			return fail("has %d hexadecimal characters; it must have %d (openssl rand -hex %d)", len(v), length, length/2)
		}
		return warn("has %d hexadecimal characters; %d are recommended (openssl rand -hex %d)", len(v), length, length/2)
	})
}

// minLenRule warns below n characters.
func minLenRule(n int, src Source) Rule {
	return rule(fmt.Sprintf("at least %d characters", n), false, src, func(v string) []Finding {
		if len([]rune(v)) < n {
			return warn("is %d characters long; at least %d are advised (generate one instead)", len([]rune(v)), n)
		}
		return nil
	})
}

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// guidRule warns when an Azure ID is not a GUID; Azure shows them as 8-4-4-4-12 hex groups.
var guidRule = rule("an Azure ID (GUID)", false, inferred("Azure shows application and tenant IDs as GUIDs (8-4-4-4-12 hexadecimal groups); the reference's example has that shape but states no rule"),
	func(v string) []Finding {
		if !guidPattern.MatchString(v) {
			return warn("does not look like an Azure ID (8-4-4-4-12 hexadecimal groups, as shown on the App registration's Overview page)")
		}
		return nil
	})

// bareHostRule warns when a host name field holds a URL.
func bareHostRule(example string, src Source) Rule {
	return rule("a bare host name", false, src, func(v string) []Finding {
		if strings.Contains(v, "://") || strings.Contains(v, "/") {
			return warn("should be a bare host name such as %s, without https:// or a path", example)
		}
		return nil
	})
}

var roleARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$`)

// roleARNRule warns when an IAM role ARN does not have the shape AWS gives them.
var roleARNRule = rule("an IAM role ARN", false, inferred("AWS IAM role ARNs read arn:aws:iam::<12-digit account>:role/<name>"),
	func(v string) []Finding {
		if !roleARNPattern.MatchString(v) {
			return warn("does not look like an IAM role ARN (arn:aws:iam::123456789012:role/crewai-s3); copy it from the role's summary page in IAM")
		}
		return nil
	})

// literalEscapes reports whether a PEM value holds the two characters \n instead of line
// breaks: the chart's one-line form single-quoted (or unquoted), where YAML keeps the escapes.
// Resolve converts such a value for init and says so; check reports it. One rule, two uses.
func literalEscapes(v string) bool {
	return !strings.Contains(v, "\n") && strings.Contains(v, `\n`)
}

// literalEscapesMessage is the finding for such a value.
const literalEscapesMessage = "holds the two characters \\n instead of line breaks (the one-line form single-quoted or unquoted): " +
	"write it double-quoted, as the reference shows (\"-----BEGIN RSA PRIVATE KEY-----\\n...\"), so YAML turns each \\n into a line break"

// githubAppKeyRule checks the GitHub App private key: one unencrypted RSA private key in the
// PKCS#1 form the reference requires.
var githubAppKeyRule = rule("an unencrypted RSA key in PKCS#1 PEM", true, refKey(secGitHub, "secrets.GITHUB_APP_PRIVATE_KEY: must start with -----BEGIN RSA PRIVATE KEY-----"),
	func(v string) []Finding {
		info, err := pemkey.ParseGitHubAppKey([]byte(v))
		switch {
		case err != nil:
			return fail("%v", err)
		case info.Converted:
			return fail("is a PKCS#8 key (BEGIN PRIVATE KEY); the chart needs the PKCS#1 form that starts with -----BEGIN RSA PRIVATE KEY-----: " +
				"convert it with crewai-setup pem KEY.pem (or openssl rsa -in KEY.pem -traditional) and paste the result")
		}
		return nil
	})

// privateKeyRule checks that a PEM holds one unencrypted private key.
func privateKeyRule(src Source) Rule {
	return rule("an unencrypted PEM private key", true, src, func(v string) []Finding {
		if _, err := pemkey.ParsePrivateKeyPEM(v); err != nil {
			return fail("%v", err)
		}
		return nil
	})
}

// rsaPrivateKeyRule checks that a PEM holds one unencrypted RSA private key.
func rsaPrivateKeyRule(src Source) Rule {
	return rule("an unencrypted RSA private key in PEM", true, src, func(v string) []Finding {
		key, err := pemkey.ParsePrivateKeyPEM(v)
		if err != nil {
			return fail("%v", err)
		}
		if !pemkey.IsRSA(key) {
			return fail("is not an RSA key; the chart signs OIDC tokens with RSA: make one with openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048")
		}
		return nil
	})
}

// certificateRule checks that a PEM holds one or more certificates.
func certificateRule(src Source) Rule {
	return rule("PEM certificates", true, src, func(v string) []Finding {
		if _, err := pemkey.ParseCertificatesPEM(v); err != nil {
			return fail("%v", err)
		}
		return nil
	})
}

// choiceRule checks an enumerated value; open enumerations, and closed ones whose list the
// reference does not state, only warn.
func choiceRule(e *Entry) Rule {
	src := e.StatementSource(e.From.Format)
	refuses := !e.Open && src.Authoritative()
	return rule("one of the documented values", refuses, src, func(v string) []Finding {
		values := make([]string, len(e.Choices))
		for i, c := range e.Choices {
			if c.Value == v {
				return nil
			}
			values[i] = c.Value
		}
		if !refuses {
			return warn("is not one of the values the documentation shows (%s); check that your chart version supports it", strings.Join(values, ", "))
		}
		return fail("must be one of: %s", strings.Join(values, ", "))
	})
}

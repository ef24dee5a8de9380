package model

import (
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

// Rule checks the form of one value.
type Rule func(v string) []Finding

func fail(format string, args ...any) []Finding {
	return []Finding{{Error, fmt.Sprintf(format, args...)}}
}

func warn(format string, args ...any) []Finding {
	return []Finding{{Warning, fmt.Sprintf(format, args...)}}
}

// portRule accepts 1..65535 written in decimal digits.
func portRule(v string) []Finding {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 || strings.TrimLeft(v, "0123456789") != "" {
		return fail("must be a port number from 1 to 65535, written in digits (PostgreSQL's usual port is 5432)")
	}
	return nil
}

// boolRule accepts exactly true or false.
func boolRule(v string) []Finding {
	if v != "true" && v != "false" {
		return fail("must be true or false")
	}
	return nil
}

// digitsRule accepts a non-empty string of decimal digits.
func digitsRule(what string) Rule {
	return func(v string) []Finding {
		if v == "" || strings.TrimLeft(v, "0123456789") != "" {
			return fail("must be %s, digits only", what)
		}
		return nil
	}
}

// httpsURLRule accepts an absolute https URL with a host; example shows the expected form.
func httpsURLRule(example string) Rule {
	return func(v string) []Finding {
		u, err := url.Parse(v)
		switch {
		case err != nil || u.Host == "":
			return fail("must be a full https URL such as %s", example)
		case u.Scheme != "https":
			return fail("must start with https:// (for example %s)", example)
		case u.User != nil:
			return fail("must not contain a user name or password")
		}
		return nil
	}
}

// uvIndexRule checks the private package index URL: https, user:password@host, ending in /simple/.
// It reports every broken part at once.
func uvIndexRule(v string) []Finding {
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
}

// workosKeyRule: WorkOS secret keys start with sk_live_ (production) or sk_test_ (staging).
func workosKeyRule(v string) []Finding {
	if !strings.HasPrefix(v, "sk_live_") && !strings.HasPrefix(v, "sk_test_") {
		return fail("must be a WorkOS secret key, which starts with sk_live_ (production) or sk_test_ (staging); copy it from WorkOS Dashboard > API Keys")
	}
	return nil
}

// hexKeyRule requires hexadecimal and recommends a given length.
func hexKeyRule(recommended int) Rule {
	return func(v string) []Finding {
		if v == "" || strings.Trim(v, "0123456789abcdefABCDEF") != "" {
			return fail("must be hexadecimal (0-9, a-f); make one with: openssl rand -hex %d", recommended/2)
		}
		if len(v) != recommended {
			return warn("has %d hexadecimal characters; %d are recommended (openssl rand -hex %d)", len(v), recommended, recommended/2)
		}
		return nil
	}
}

// minLenRule requires at least n characters.
func minLenRule(n int) Rule {
	return func(v string) []Finding {
		if len([]rune(v)) < n {
			return fail("must be at least %d characters long (it has %d); generate one instead", n, len([]rune(v)))
		}
		return nil
	}
}

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// guidRule warns when an Azure ID is not a GUID; Azure shows them as 8-4-4-4-12 hex groups.
func guidRule(v string) []Finding {
	if !guidPattern.MatchString(v) {
		return warn("does not look like an Azure ID (8-4-4-4-12 hexadecimal groups, as shown on the App registration's Overview page)")
	}
	return nil
}

// bareHostRule warns when a host name field holds a URL.
func bareHostRule(example string) Rule {
	return func(v string) []Finding {
		if strings.Contains(v, "://") || strings.Contains(v, "/") {
			return warn("should be a bare host name such as %s, without https:// or a path", example)
		}
		return nil
	}
}

// githubAppKeyRule checks the GitHub App private key: one unencrypted RSA private key.
func githubAppKeyRule(v string) []Finding {
	if _, err := pemkey.ParseGitHubAppKey([]byte(v)); err != nil {
		return fail("%v", err)
	}
	return nil
}

// privateKeyRule checks that a PEM holds one unencrypted private key.
func privateKeyRule(v string) []Finding {
	if _, err := pemkey.ParsePrivateKeyPEM(v); err != nil {
		return fail("%v", err)
	}
	return nil
}

// certificateRule checks that a PEM holds one or more certificates.
func certificateRule(v string) []Finding {
	if _, err := pemkey.ParseCertificatesPEM(v); err != nil {
		return fail("%v", err)
	}
	return nil
}

// choiceRule checks an enumerated value; open enumerations only warn.
func choiceRule(e *Entry) Rule {
	return func(v string) []Finding {
		values := make([]string, len(e.Choices))
		for i, c := range e.Choices {
			if c.Value == v {
				return nil
			}
			values[i] = c.Value
		}
		if e.Open {
			return warn("is not one of the values the documentation shows (%s); check that your chart version supports it", strings.Join(values, ", "))
		}
		return fail("must be one of: %s", strings.Join(values, ", "))
	}
}

package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"crewai-setup/model/pemkey"
)

// Fingerprint returns a short, stable fingerprint of a value ("sha256:1a2b3c4d"), so operators
// can tell two values apart, or see that one changed, without seeing either.
func Fingerprint(v string) string {
	sum := sha256.Sum256([]byte(v))
	return "sha256:" + hex.EncodeToString(sum[:4])
}

// Masked is what is shown in place of a secret value.
func Masked(v string) string {
	return "•••••••• (" + Fingerprint(v) + ")"
}

// Display returns how a value is shown on screen and in the summary: sensitive values masked,
// PEM values described rather than printed.
func Display(e *Entry, v string) string {
	switch {
	case e.Kind == KindOneLinePEM:
		if info, err := pemkey.ParseGitHubAppKey([]byte(v)); err == nil {
			return info.Describe()
		}
	case e.Kind == KindPEM && !e.Sensitive:
		if certs, err := pemkey.ParseCertificatesPEM(v); err == nil {
			c := certs[0]
			return fmt.Sprintf("certificate for %s, expires %s (%d in chain)", certName(c.Subject.CommonName, c.DNSNames), c.NotAfter.Format("2006-01-02"), len(certs))
		}
	case e.Kind == KindPEM:
		return "PEM private key " + Fingerprint(v)
	case e.Sensitive:
		return Masked(v)
	}
	if e.Sensitive {
		return Masked(v)
	}
	return v
}

func certName(cn string, dns []string) string {
	if len(dns) > 0 {
		return strings.Join(dns, ", ")
	}
	if cn != "" {
		return cn
	}
	return "(no name)"
}

package model

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"crewai-setup/model/pemkey"
)

// FingerprintKeyPath is where the per-installation fingerprint key lives: in secrets.yaml,
// beside the secrets it fingerprints, under a top-level key the chart does not read.
const FingerprintKeyPath = "crewaiSetup.fingerprintKey"

// Fingerprint returns a short keyed fingerprint of a value ("fp:1a2b3c4d"), so operators can
// tell two values apart, or see that one changed, without seeing either. It is an HMAC with the
// installation's own key, so it confirms no guess to anyone without secrets.yaml; without a
// key there is no fingerprint ("").
func (a *Answers) Fingerprint(v string) string {
	key := a.Get(FingerprintKeyPath)
	if key == "" {
		return ""
	}
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(v))
	return "fp:" + hex.EncodeToString(mac.Sum(nil)[:4])
}

// Masked is what is shown in place of a secret value: dots, and the keyed fingerprint when
// the installation has a fingerprint key.
func (a *Answers) Masked(v string) string {
	if fp := a.Fingerprint(v); fp != "" {
		return "•••••••• (" + fp + ")"
	}
	return "••••••••"
}

// Display returns how a value is shown on screen and in the summary: sensitive values masked
// (with the keyed fingerprint), PEM values described rather than printed.
func (a *Answers) Display(e *Entry, v string) string { return display(e, v, a.Masked) }

// Display shows a value without answers to key a fingerprint: secrets as dots only.
func Display(e *Entry, v string) string {
	return display(e, v, func(string) string { return "••••••••" })
}

func display(e *Entry, v string, mask func(string) string) string {
	switch {
	case e.Kind == KindOneLinePEM:
		if info, err := pemkey.ParseGitHubAppKey([]byte(v)); err == nil {
			return info.Describe() // the public key's fingerprint, as GitHub shows it
		}
	case e.Kind == KindPEM && !e.Sensitive:
		if certs, err := pemkey.ParseCertificatesPEM(v); err == nil {
			c := certs[0]
			return fmt.Sprintf("certificate for %s, expires %s (%d in chain)", certName(c.Subject.CommonName, c.DNSNames), c.NotAfter.Format("2006-01-02"), len(certs))
		}
	case e.Kind == KindPEM:
		return "PEM private key " + mask(v)
	}
	if e.Sensitive {
		return mask(v)
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

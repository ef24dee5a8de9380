package model

import (
	"strings"

	"crewai-setup/model/pemkey"
)

// PEMInput is a PEM value as the tool stores it, made from what an operator gave.
type PEMInput struct {
	// Value is what is stored for the key (and written: one line for the GitHub App key,
	// a | block for the others).
	Value string
	// Describe says what it is, as screens and the summary show it (no secret material).
	Describe string
	// Notes say what was changed on the way in, one sentence each (PKCS#8 converted, \n pairs
	// turned into line breaks).
	Notes []string
}

// PEMValue turns what an operator gave for a PEM key — a file's bytes, a paste, a value copied
// out of a values file — into the value stored for entry e: the one way PEM input enters the
// answers (init's key files, the wizard's key field, rotate's --from-file and --from-stdin).
// A byte-order mark and CRLF line ends go; literal \n pairs (the one-line form single-quoted)
// become line breaks; a GitHub App key becomes the PKCS#1 form the chart requires. The error
// says what is wrong with the input, never showing key material.
func PEMValue(e *Entry, data []byte) (PEMInput, error) {
	var in PEMInput
	text := strings.ReplaceAll(strings.TrimPrefix(string(data), "\ufeff"), "\r\n", "\n")
	if literalEscapes(text) {
		text = strings.ReplaceAll(text, `\n`, "\n")
		in.Notes = append(in.Notes, "held the two characters \\n instead of line breaks (the one-line form single-quoted); "+
			"they were turned into line breaks, and the key is written double-quoted as the reference shows")
	}
	switch {
	case e.Kind == KindOneLinePEM:
		info, err := pemkey.ParseGitHubAppKey([]byte(text))
		if err != nil {
			return PEMInput{}, err
		}
		if info.Converted {
			in.Notes = append(in.Notes, "is a PKCS#8 key; it was converted to the PKCS#1 form (BEGIN RSA PRIVATE KEY) the chart requires")
		}
		in.Value, in.Describe = info.PKCS1, info.Describe()
		return in, nil
	case strings.Contains(text, "CERTIFICATE"):
		if _, err := pemkey.ParseCertificatesPEM(text); err != nil {
			return PEMInput{}, err
		}
	default:
		if _, err := pemkey.ParsePrivateKeyPEM(text); err != nil {
			return PEMInput{}, err
		}
	}
	in.Value, in.Describe = text, Display(e, text)
	return in, nil
}

package model

import (
	"fmt"
	"path/filepath"
	"strings"

	"crewai-setup/model/pemkey"
)

// Resolve reads the files the wizard block points to (GitHub App key, TLS certificate and key)
// into the values they fill, and brings the GitHub App key into the chart's PKCS#1 form. A
// file read is consumed, so calling Resolve again is harmless. Call it after loading and before
// Validate; its problems name the wizard key or chart key concerned.
func (a *Answers) Resolve() Problems {
	var probs Problems
	add := func(path string, sev Severity, format string, args ...any) {
		probs = append(probs, Problem{Path: path, Severity: sev, Message: fmt.Sprintf(format, args...), Pos: a.Pos(path)})
	}
	const keyPath = "secrets.GITHUB_APP_PRIVATE_KEY"
	if f := a.Wizard.GitHubAppPrivateKeyFile; f != "" {
		if _, inline := a.Lookup(keyPath); inline {
			add("wizard.githubAppPrivateKeyFile", Error, "is given together with %s; keep only one of the two", keyPath)
		} else if data, err := pemkey.ReadKeyFile(a.path(f)); err != nil {
			add("wizard.githubAppPrivateKeyFile", Error, "%v", err)
		} else if info, err := pemkey.ParseGitHubAppKey(data); err != nil {
			add("wizard.githubAppPrivateKeyFile", Error, "%v", err)
		} else {
			a.Set(keyPath, info.PKCS1)
			a.Wizard.GitHubAppPrivateKeyFile = "" // read: the value now holds the key
			if info.Converted {
				add(keyPath, Warning, "the file holds a PKCS#8 key; it was converted to the PKCS#1 form (BEGIN RSA PRIVATE KEY) the chart requires")
			}
		}
	} else if v, ok := a.Lookup(keyPath); ok {
		// A key copied out of a values file may still carry the one-line form's \n escapes
		// (single-quoted awk output): convert them, and say so (check reports the same rule).
		if literalEscapes(v) {
			v = strings.ReplaceAll(v, `\n`, "\n")
			add(keyPath, Warning, "held the two characters \\n instead of line breaks (the one-line form single-quoted); they were turned into line breaks, and the key is written double-quoted as the reference shows")
		}
		if info, err := pemkey.ParseGitHubAppKey([]byte(v)); err == nil {
			a.Set(keyPath, info.PKCS1)
			if info.Converted {
				add(keyPath, Warning, "is a PKCS#8 key; it was converted to the PKCS#1 form (BEGIN RSA PRIVATE KEY) the chart requires")
			}
		}
	}
	for _, f := range []struct {
		wiz, file, target string
		consume           *string
	}{
		{"wizard.sslCertificateFile", a.Wizard.SSLCertificateFile, "secrets.SSL_CERTIFICATE", &a.Wizard.SSLCertificateFile},
		{"wizard.sslPrivateKeyFile", a.Wizard.SSLPrivateKeyFile, "secrets.SSL_PRIVATE_KEY", &a.Wizard.SSLPrivateKeyFile},
	} {
		if f.file == "" {
			continue
		}
		if _, inline := a.Lookup(f.target); inline {
			add(f.wiz, Error, "is given together with %s; keep only one of the two", f.target)
			continue
		}
		data, err := pemkey.ReadKeyFile(a.path(f.file))
		if err != nil {
			add(f.wiz, Error, "%v", err)
			continue
		}
		a.Set(f.target, strings.ReplaceAll(strings.TrimPrefix(string(data), "\ufeff"), "\r\n", "\n"))
		*f.consume = ""
	}
	return probs
}

// path resolves a wizard file path: pasted-path quirks removed, relative to the answers file.
func (a *Answers) path(p string) string {
	if n, err := pemkey.NormalizePath(p); err == nil {
		p = n
	}
	if !filepath.IsAbs(p) && a.Dir != "" {
		p = filepath.Join(a.Dir, p)
	}
	return p
}

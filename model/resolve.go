package model

import (
	"fmt"
	"path/filepath"

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
	keyEntry := a.cat.Lookup(keyPath)
	if v, ok := a.Lookup(keyPath); ok && a.Wizard.GitHubAppPrivateKeyFile == "" {
		// A key given inline (copied out of a values file, say) goes through the same rules as
		// one read from a file; a key that fails them is left for validation to report.
		if in, err := PEMValue(keyEntry, []byte(v)); err == nil && in.Value != v {
			a.Set(keyPath, in.Value)
			for _, n := range in.Notes {
				add(keyPath, Warning, "%s", n)
			}
		}
	}
	for _, f := range a.Wizard.KeyFiles() {
		if *f.File == "" {
			continue
		}
		if _, inline := a.Lookup(f.Target); inline {
			add(f.Wizard, Error, "is given together with %s; keep only one of the two", f.Target)
			continue
		}
		data, err := pemkey.ReadKeyFile(a.path(*f.File))
		if err != nil {
			add(f.Wizard, Error, "%v", err)
			continue
		}
		in, err := PEMValue(a.cat.Lookup(f.Target), data)
		if err != nil {
			add(f.Wizard, Error, "%v", err)
			continue
		}
		a.Set(f.Target, in.Value)
		*f.File = "" // read: the value now holds the key
		for _, n := range in.Notes {
			add(f.Target, Warning, "the file %s", n)
		}
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

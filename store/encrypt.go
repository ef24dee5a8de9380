package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/render"
	"crewai-setup/store/sops"
)

// EncryptMode says when the files that hold secrets are encrypted with sops.
type EncryptMode string

// The encryption modes of init's --encrypt flag and of wizard.encrypt in crewai-setup.yaml.
const (
	// EncryptAuto encrypts when a .sops.yaml creation rule matches the file, or age recipients
	// are given; otherwise the file is written in plaintext.
	EncryptAuto EncryptMode = model.EncryptAuto
	// EncryptSops always encrypts: a file that holds secrets and that no rule or recipient
	// covers is an error.
	EncryptSops EncryptMode = model.EncryptSops
	// EncryptNone writes plaintext (with a warning when a rule would have encrypted the file).
	EncryptNone EncryptMode = model.EncryptNone
)

// ParseEncryptMode reads a mode as the flag and crewai-setup.yaml give it ("" is auto).
func ParseEncryptMode(s string) (EncryptMode, error) {
	switch {
	case s == "":
		return EncryptAuto, nil
	case model.ValidEncryptMode(s):
		return EncryptMode(s), nil
	}
	return "", fmt.Errorf("the encryption mode %s, not %q", model.EncryptModeError, guard.Visible(s))
}

// Encryption is how files holding secrets are encrypted before they are written: for age
// recipients, or per the .sops.yaml creation rule that matches each file. PlanEncryption makes
// one; Options.Encrypt (or Existing.SetEncryption) applies it.
type Encryption struct {
	// Mode is EncryptAuto or EncryptSops: whether a values file that holds a secret but that no
	// creation rule covers is written in plaintext with a warning, or refused.
	Mode EncryptMode
	// AgeRecipients, when set, are the keys every file is encrypted for (sops --age); the
	// .sops.yaml rules are then not used.
	AgeRecipients []string
	// Rule is the creation rule that applies to the secrets file (without AgeRecipients).
	Rule sops.Rule
	// Secrets is the secrets file the encryption was planned for.
	Secrets string
}

// PlanEncryption decides whether the secrets file at secretsPath (which need not exist) is
// written encrypted, and for whom: with recipients, for them; otherwise per the .sops.yaml
// creation rule sops's own lookup finds for the file. It returns nil for plaintext. Mode none
// gives nil and, when a rule matches, a warning; auto gives nil when nothing says for whom;
// sops is then an error wrapping sops.ErrNoRule. When the file is to be encrypted, sops itself
// is checked (an error wrapping sops.ErrNotInstalled or sops.ErrTooOld, with how to install
// it), so that nothing is written with a sops that cannot do the job.
func (o Options) PlanEncryption(ctx context.Context, secretsPath string, mode EncryptMode, recipients []string) (*Encryption, []string, error) {
	e, warnings, err := o.plan(secretsPath, mode, recipients)
	if err != nil || e == nil {
		return nil, warnings, err
	}
	if _, err := o.Sops.Check(ctx); err != nil {
		return nil, warnings, fmt.Errorf("%s is to be encrypted for %s, but %w; nothing was written", secretsPath, e.For("."), err)
	}
	return e, warnings, nil
}

// plan is PlanEncryption without checking sops: it only reads .sops.yaml files.
func (o Options) plan(secretsPath string, mode EncryptMode, recipients []string) (*Encryption, []string, error) {
	var warnings []string
	if mode == "" {
		mode = EncryptAuto
	}
	if mode == EncryptNone {
		if len(recipients) > 0 {
			return nil, nil, errors.New("age recipients were given (--sops-age or wizard.sopsAge) with the encryption mode none: drop one of them")
		}
		if rule, found, err := o.Sops.Find(secretsPath); err == nil && found {
			warnings = append(warnings, fmt.Sprintf("%s matches %s, but encryption is off (none): it is written in plaintext (mode 0600); keep it out of Git, or encrypt it with --encrypt=sops",
				secretsPath, rule.Describe(".")))
		}
		return nil, warnings, nil
	}
	e := &Encryption{Mode: mode, AgeRecipients: recipients, Secrets: secretsPath}
	if len(recipients) > 0 {
		return e, nil, nil
	}
	rule, found, err := o.Sops.Find(secretsPath)
	if rule.Warning != "" {
		warnings = append(warnings, rule.Warning)
	}
	switch {
	case err != nil:
		return nil, warnings, fmt.Errorf("cannot tell whether to encrypt %s: %w; fix it, or choose with --encrypt=none or --sops-age RECIPIENT", secretsPath, err)
	case !found && mode == EncryptSops:
		return nil, warnings, fmt.Errorf("%w: encryption with sops was asked for (--encrypt=sops, or wizard.encrypt: sops in crewai-setup.yaml), but %s; add a creation rule for it to .sops.yaml, give the keys with --sops-age RECIPIENT, or write plaintext with --encrypt=none",
			sops.ErrNoRule, whyNoRule(rule, secretsPath))
	case !found:
		return nil, warnings, nil
	}
	e.Rule = rule
	return e, warnings, nil
}

// EncryptionNote is the sentence the wizard's Deployment screen shows about the secrets file
// at secretsPath for the encryption the answers hold (w.Encrypt and w.SopsAge, which init
// sets from --encrypt, --sops-age and crewai-setup.yaml), e.g. "deploy/secrets.yaml will be
// encrypted with sops for age1…abcd per deploy/.sops.yaml (rule 1)", with paths relative to
// the working directory. It reads .sops.yaml files only and runs no sops; a problem comes back
// as the sentence that explains it.
func (o Options) EncryptionNote(secretsPath string, w model.Wizard) string {
	mode, err := ParseEncryptMode(w.Encrypt)
	if err != nil {
		return err.Error()
	}
	e, _, err := o.plan(secretsPath, mode, w.SopsAge)
	switch {
	case err != nil:
		return err.Error()
	case e == nil:
		return fmt.Sprintf("%s will be written in plaintext (mode 0600)", secretsPath)
	}
	return e.Describe(".")
}

// whyNoRule says why no creation rule applies to path.
func whyNoRule(rule sops.Rule, path string) string {
	if rule.Config == "" {
		return fmt.Sprintf("there is no .sops.yaml in the directory of %s or above it (nor SOPS_CONFIG)", path)
	}
	return fmt.Sprintf("no creation rule in %s matches %s (path_regex is matched against %q)", rule.Config, path, rule.MatchedPath)
}

// For says for whom the secrets file is encrypted, the .sops.yaml named relative to base:
// "age1…abcd per deploy/.sops.yaml (rule 1)", or "the age recipients age1…abcd".
func (e *Encryption) For(base string) string {
	if e == nil {
		return ""
	}
	if len(e.AgeRecipients) > 0 {
		short := make([]string, len(e.AgeRecipients))
		for i, r := range e.AgeRecipients {
			short[i] = sops.Key{Type: sops.KeyAge, ID: r}.Short()
		}
		return "the age recipients " + strings.Join(short, ", ")
	}
	return e.Rule.Describe(base)
}

// Describe is the sentence for init's notes about the secrets file, e.g.
// "deploy/secrets.yaml will be encrypted with sops for age1…abcd per deploy/.sops.yaml
// (rule 1)", the .sops.yaml named relative to base.
func (e *Encryption) Describe(base string) string {
	return fmt.Sprintf("%s will be encrypted with sops for %s", e.Secrets, e.For(base))
}

// encryptFile encrypts a file's content for path when e says so; sensitive lists the key
// paths that must come out encrypted (nil: every value). A file that no rule covers in auto
// mode comes back as it was (encrypted false) with a warning saying so.
func (e *Encryption) encryptFile(ctx context.Context, t sops.Tool, path string, plain []byte, sensitive [][]string, what string) (out []byte, encrypted bool, warning string, err error) {
	if len(e.AgeRecipients) > 0 {
		out, err = t.Encrypt(ctx, plain, path, sops.Options{AgeRecipients: e.AgeRecipients, Sensitive: sensitive})
		return out, err == nil, "", err
	}
	rule, found, err := t.Find(path)
	switch {
	case err != nil:
		return nil, false, "", err
	case !found && e.Mode == EncryptSops:
		return nil, false, "", fmt.Errorf("%w: %s holds %s, so it must be encrypted like %s, but %s; add a creation rule for it to .sops.yaml, or give the keys with --sops-age RECIPIENT",
			sops.ErrNoRule, path, what, e.Secrets, whyNoRule(rule, path))
	case !found:
		return plain, false, fmt.Sprintf("%s holds %s but is written in plaintext (mode 0600): %s; add a creation rule for it to .sops.yaml to encrypt it too",
			path, what, whyNoRule(rule, path)), nil
	}
	out, err = t.Encrypt(ctx, plain, path, sops.Options{Sensitive: sensitive, Rule: &rule})
	return out, err == nil, "", err
}

// sensitiveKeys returns the key paths of entries, for sops.Options.Sensitive, and a phrase
// naming them for messages: "the secret envVars.WORKOS_COOKIE_PASSWORD".
func sensitiveKeys(entries []*model.Entry) (keys [][]string, what string) {
	names := make([]string, len(entries))
	for i, e := range entries {
		keys = append(keys, e.KeyPath())
		names[i] = e.Path
	}
	return keys, "the secret " + strings.Join(names, ", ")
}

// encrypted is what the encryption of a set of files did.
type encrypted struct {
	values, secrets bool
	// For is for whom, for the summary.
	For      string
	warnings []string
}

// info is the summary's view of it.
func (e encrypted) info() render.Encryption {
	return render.Encryption{Values: e.values, Secrets: e.secrets, For: e.For}
}

// encryptRendered encrypts the rendered secrets file, and values.yaml when it holds a value
// marked sensitive, in memory. Every problem is reported at once; on an error nothing may be
// written.
func (o Options) encryptRendered(a *model.Answers, f *render.Files, dir string) (encrypted, error) {
	var res encrypted
	e := o.Encrypt
	if e == nil {
		return res, nil
	}
	ctx := context.Background()
	var errs []error
	if f.Secrets != nil {
		out, ok, warn, err := e.encryptFile(ctx, o.Sops, filepath.Join(dir, "secrets.yaml"), f.Secrets, nil, "secrets")
		if err != nil {
			errs = append(errs, err)
		} else {
			f.Secrets, res.secrets = out, ok
		}
		if warn != "" {
			res.warnings = append(res.warnings, warn)
		}
	}
	if f.ValuesSensitive {
		keys, what := sensitiveKeys(a.SensitiveInValues(""))
		out, ok, warn, err := e.encryptFile(ctx, o.Sops, filepath.Join(dir, "values.yaml"), f.Values, keys, what)
		if err != nil {
			errs = append(errs, err)
		} else {
			f.Values, res.values = out, ok
		}
		if warn != "" {
			res.warnings = append(res.warnings, warn)
		}
	}
	if len(errs) > 0 {
		return res, fmt.Errorf("%w; nothing was written", errors.Join(errs...))
	}
	res.For = forWhom(f.Values, f.Secrets)
	return res, nil
}

// decrypted returns what Helm reads from a values file's bytes: the bytes themselves, or, for
// a SOPS file, their decryption in memory, named for findings with sops.DecryptedLabel.
func (o Options) decrypted(path string, data []byte) (plain []byte, name string, isSops bool, err error) {
	if !sops.IsEncrypted(data) {
		return data, path, false, nil
	}
	plain, err = o.Sops.Decrypt(context.Background(), data, path)
	if err != nil {
		return nil, "", true, fmt.Errorf("read %s: %w", guard.Visible(path), err)
	}
	return plain, sops.DecryptedLabel(path), true, nil
}

// ReadValuesFile reads a values file as Helm gets it: a SOPS file (one with sops: metadata)
// is decrypted in memory with Options.Sops, never on disk. name is how findings should name
// the file: its path, or for a SOPS file sops.DecryptedLabel(path), which says that line
// numbers refer to the decrypted document. Without the key the error names sops and the key
// source to fix.
func (o Options) ReadValuesFile(path string) (plain []byte, name string, err error) {
	data, err := guard.ReadFile(path, guard.ValuesFileLimit)
	if err != nil {
		return nil, "", err
	}
	plain, name, _, err = o.decrypted(path, data)
	return plain, name, err
}

// ReadValuesFile is Options.ReadValuesFile with DefaultOptions (sops from PATH).
func ReadValuesFile(path string) (plain []byte, name string, err error) {
	return DefaultOptions().ReadValuesFile(path)
}

// keysOf describes for whom a SOPS file is encrypted, from its metadata: "age1…abcd".
func keysOf(data []byte) string {
	keys := sops.Keys(data)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.Short()
	}
	return strings.Join(parts, ", ")
}

// forWhom says for whom the given SOPS files are encrypted, from their metadata (what is in
// the files, however it got there), the same for a fresh file, an edited one and a rotated one.
func forWhom(files ...[]byte) string {
	var keys []string
	for _, data := range files {
		if k := keysOf(data); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return strings.Join(keys, "; ")
}

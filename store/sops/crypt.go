package sops

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"crewai-setup/guard/yamlguard"

	yaml "go.yaml.in/yaml/v3"
)

// Options choose the keys of Encrypt and what must come out encrypted.
type Options struct {
	// AgeRecipients, when set, are the only keys (sops --age): .sops.yaml and the key-choosing
	// environment variables (SOPS_AGE_RECIPIENTS, SOPS_KMS_ARN, ...) are ignored.
	AgeRecipients []string
	// Sensitive lists the YAML paths (["envVars", "WORKOS_COOKIE_PASSWORD"]) whose values
	// must be encrypted; a path covers everything below it. nil means every value.
	Sensitive [][]string
	// Rule, when set (and AgeRecipients not), is the rule Find just reported as found for the
	// target, used as is instead of looking for .sops.yaml again.
	Rule *Rule
}

// encPrefix starts every value sops encrypts.
const encPrefix = "ENC[AES256_GCM,"

// Encrypt encrypts a YAML document for the file at target (which need not exist) and returns
// the encrypted document; it writes nothing. The plaintext reaches sops on standard input
// only. Without opt.AgeRecipients the keys are those of opt.Rule, else of the creation rule
// Find reports for target (error wrapping ErrNoRule when none matches). The result is
// checked: it must be a SOPS document for exactly the reported keys, with every value of
// opt.Sensitive encrypted (error wrapping ErrLeftPlaintext naming the keys, never the
// values, otherwise).
func (t Tool) Encrypt(ctx context.Context, plaintext []byte, target string, opt Options) ([]byte, error) {
	if _, err := t.Check(ctx); err != nil {
		return nil, err
	}
	file, err := physical(target)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot resolve %s: %w", ErrConfig, target, err)
	}
	env := t.env()
	var rule Rule
	var args []string
	if len(opt.AgeRecipients) > 0 {
		for _, r := range opt.AgeRecipients {
			if strings.TrimSpace(r) == "" || strings.Contains(r, ",") {
				return nil, fmt.Errorf("%w: age recipient %q: give one recipient (age1...) per value, without commas", ErrConfig, r)
			}
			rule.Keys = append(rule.Keys, Key{Type: KeyAge, ID: strings.TrimSpace(r)})
		}
		// An empty config: no creation rule (or a .sops.yaml that matches nothing) interferes.
		args = []string{"--config", os.DevNull, "encrypt", "--age", strings.Join(opt.AgeRecipients, ",")}
		env = withoutKeyEnv(env)
	} else {
		found := opt.Rule != nil
		if found {
			rule = *opt.Rule
		} else if rule, found, err = t.Find(target); err != nil {
			return nil, err
		}
		if !found {
			return nil, noRuleError(rule, target)
		}
		args = []string{"--config", rule.Config, "encrypt"}
	}
	args = append(args, "--input-type", "yaml", "--output-type", "yaml", "--filename-override", file)
	res, err := t.run(ctx, env, plaintext, args...)
	if err != nil {
		return nil, err
	}
	if res.code != 0 {
		return nil, encryptError(res, rule, target, plaintext, t)
	}
	out := res.stdout
	if !IsEncrypted(out) {
		return nil, fmt.Errorf("%w: sops encrypt for %s printed no SOPS document; nothing was written", ErrFailed, target)
	}
	if left := plaintextLeaves(out, opt.Sensitive); len(left) > 0 {
		why := "sops leaves keys ending in _unencrypted unencrypted: rename them"
		if rule.Selection != "" {
			why = fmt.Sprintf("the creation rule's %q in %s excludes them (as sops's default excludes keys ending in _unencrypted): change the rule so that every secret is encrypted",
				rule.Selection, rule.Config)
		}
		return nil, fmt.Errorf("%w: %s would hold %s unencrypted; %s; nothing was written",
			ErrLeftPlaintext, target, strings.Join(left, ", "), why)
	}
	if got, want := comparable(Keys(out)), comparable(rule.Keys); !slices.Equal(got, want) {
		return nil, fmt.Errorf("%w: sops encrypted %s for %s, but crewai-setup expected %s per %s; the .sops.yaml changed meanwhile, or this is a crewai-setup bug; nothing was written",
			ErrFailed, target, strings.Join(got, ", "), strings.Join(want, ", "), orNone(rule.Config))
	}
	return out, nil
}

func orNone(config string) string {
	if config == "" {
		return "the command line"
	}
	return config
}

// noRuleError explains why no creation rule applies to target.
func noRuleError(rule Rule, target string) error {
	if rule.Config == "" {
		note := ""
		if rule.Warning != "" {
			note = " (" + rule.Warning + ")"
		}
		return fmt.Errorf("%w: no .sops.yaml found in the directory of %s or above it (nor SOPS_CONFIG)%s; add one with a creation rule for it, or give an age recipient",
			ErrNoRule, target, note)
	}
	return fmt.Errorf("%w: no creation rule in %s matches %s (path_regex is matched against %q); add a rule for it, or give an age recipient",
		ErrNoRule, rule.Config, target, rule.MatchedPath)
}

// withoutKeyEnv drops the variables that would add keys to an encryption.
func withoutKeyEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.ContainsFunc(keyEnv, func(e struct{ name, typ string }) bool { return e.name == name }) {
			out = append(out, kv)
		}
	}
	return out
}

// comparable lists the keys whose metadata form equals their configuration form, sorted, for
// comparing what sops did with what Find reported. Azure Key Vault and Vault keys are left
// out: sops rewrites them (it fetches a key version, splits the URI).
func comparable(keys []Key) []string {
	var out []string
	for _, k := range keys {
		if k.Type != KeyAzureKV && k.Type != KeyVault {
			out = append(out, k.Type+":"+k.ID+"+"+k.Role)
		}
	}
	slices.Sort(out)
	return out
}

// Decrypt decrypts a SOPS document in memory (it reaches sops on standard input; nothing is
// written) and returns the YAML sops prints, the document operators see with `sops decrypt`.
// name is the file's name for messages. Failures are classified: ErrNotEncrypted, ErrNoKey
// and ErrWrongKey (the message names the key sources to fix for the file's keys), ErrDamaged,
// ErrNotInstalled, ErrTooOld.
func (t Tool) Decrypt(ctx context.Context, data []byte, name string) ([]byte, error) {
	if !IsEncrypted(data) {
		return nil, fmt.Errorf("%w: %s has no sops: metadata (with mac and lastmodified) at its top level", ErrNotEncrypted, name)
	}
	if _, err := t.Check(ctx); err != nil {
		return nil, err
	}
	return t.decrypt(ctx, data, name)
}

// decrypt is Decrypt without the checks.
func (t Tool) decrypt(ctx context.Context, data []byte, name string) ([]byte, error) {
	// The empty config keeps a .sops.yaml around the working directory out of the reading;
	// it only decides the output's indentation, which changes no line number.
	res, err := t.run(ctx, t.env(), data, "--config", os.DevNull, "decrypt", "--input-type", "yaml", "--output-type", "yaml")
	if err != nil {
		return nil, err
	}
	if res.code != 0 {
		return nil, decryptError(res, data, name, t, nil)
	}
	return res.stdout, nil
}

// DecryptedLabel is the name to give a decrypted file in findings, so that line numbers are
// read against `sops decrypt` output rather than the encrypted file.
func DecryptedLabel(path string) string {
	return path + " (decrypted; line numbers as in `sops decrypt " + path + "`)"
}

// decryptError classifies a failed sops decrypt (or the decrypting part of sops set); hide are
// values to keep out of the message should sops echo them.
func decryptError(res result, data []byte, name string, t Tool, hide []string) error {
	detail := redact(condense(res.stderr), hide)
	switch {
	case strings.Contains(res.stderr, "sops metadata not found"):
		return fmt.Errorf("%w: sops finds no metadata in %s", ErrNotEncrypted, name)
	case res.code == 51 || res.code == 52 || res.code == 24 || res.code == 25 ||
		strings.Contains(res.stderr, "MAC mismatch") || strings.Contains(res.stderr, "message authentication failed"):
		return fmt.Errorf("%w: %s was changed after sops encrypted it, or is damaged (its values or MAC do not verify); restore it from Git or a backup (sops: %s)",
			ErrDamaged, name, detail)
	case res.code == 128 || strings.Contains(res.stderr, "Failed to get the data key"):
		keys := Keys(data)
		if strings.Contains(res.stderr, "did not match any of the recipients") || strings.Contains(res.stderr, "incorrect identity") {
			return fmt.Errorf("%w: sops cannot decrypt %s: the age identities it found are not for %s; point SOPS_AGE_KEY_FILE (now %s) at the key file holding the identity for one of them (`age-keygen -y FILE` prints a key file's recipient)%s (sops: %s)",
				ErrWrongKey, name, recipients(keys), t.envState("SOPS_AGE_KEY_FILE"), otherSources(keys, t), detail)
		}
		return fmt.Errorf("%w: sops found no key to decrypt %s, which is encrypted for %s; provide %s (sops: %s)",
			ErrNoKey, name, recipients(keys), keySources(keys, t), detail)
	}
	return fmt.Errorf("%w: sops decrypt %s failed (exit %d): %s", ErrFailed, name, res.code, detail)
}

// encryptError classifies a failed sops encrypt; sops's words are shown with every value of the
// plaintext hidden.
func encryptError(res result, rule Rule, target string, plaintext []byte, t Tool) error {
	detail := redact(condense(res.stderr), docValues(plaintext))
	switch {
	case strings.Contains(res.stderr, "age public key") || strings.Contains(res.stderr, "parse") && strings.Contains(res.stderr, "recipient"):
		return fmt.Errorf("%w: sops rejects an age recipient of %s: %s", ErrConfig, orNone(rule.Config), detail)
	case res.code == 128 || strings.Contains(res.stderr, "data key") || strings.Contains(res.stderr, "master key"):
		return fmt.Errorf("%w: sops cannot encrypt %s for %s; it needs %s (sops: %s); nothing was written",
			ErrNoKey, target, rule.Recipients(), keySources(rule.Keys, t), detail)
	case res.code == 5 || res.code == 61 || strings.Contains(res.stderr, "config"):
		return fmt.Errorf("%w: sops cannot use %s for %s: %s", ErrConfig, orNone(rule.Config), target, detail)
	}
	return fmt.Errorf("%w: sops encrypt for %s failed (exit %d): %s; nothing was written", ErrFailed, target, res.code, detail)
}

func recipients(keys []Key) string {
	if len(keys) == 0 {
		return "no key sops names"
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.Type + " " + k.Short()
	}
	return strings.Join(parts, ", ")
}

// envState describes a variable for a message without showing a secret value: paths are
// shown, anything else only as set or unset.
func (t Tool) envState(name string) string {
	v := t.getenv(name)
	switch {
	case v == "":
		return "unset"
	case strings.HasSuffix(name, "_FILE") || name == "GNUPGHOME":
		return v
	}
	return "set"
}

// keySources says, per key type of the file, where sops looks for the key.
func keySources(keys []Key, t Tool) string {
	var out []string
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k.Type] {
			continue
		}
		seen[k.Type] = true
		switch k.Type {
		case KeyAge:
			out = append(out, fmt.Sprintf("an age identity for the recipient: a key file in SOPS_AGE_KEY_FILE (now %s) or ~/.config/sops/age/keys.txt ($XDG_CONFIG_HOME/sops/age/keys.txt), or SOPS_AGE_KEY / SOPS_AGE_KEY_CMD, or an SSH key (SOPS_AGE_SSH_PRIVATE_KEY_FILE, ~/.ssh/id_ed25519)",
				t.envState("SOPS_AGE_KEY_FILE")))
		case KeyPGP:
			out = append(out, fmt.Sprintf("the PGP secret key in your GnuPG keyring (GNUPGHOME now %s) with gpg-agent able to unlock it", t.envState("GNUPGHOME")))
		case KeyKMS:
			out = append(out, "AWS credentials allowed to use the KMS key (AWS_PROFILE, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or `aws sso login`)")
		case KeyGCPKMS:
			out = append(out, "Google Cloud credentials allowed to use the KMS key (GOOGLE_APPLICATION_CREDENTIALS, or `gcloud auth application-default login`)")
		case KeyAzureKV:
			out = append(out, "Azure credentials allowed to use the Key Vault key (`az login`, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET)")
		case KeyVault:
			out = append(out, "a Vault token allowed to use the transit key (VAULT_ADDR and VAULT_TOKEN, or `vault login`)")
		case KeyHCKMS:
			out = append(out, "HuaweiCloud credentials allowed to use the KMS key")
		}
	}
	if len(out) == 0 {
		return "the key the file was encrypted for"
	}
	return strings.Join(out, "; or ")
}

// otherSources adds the non-age key sources of a file encrypted for several kinds of keys.
func otherSources(keys []Key, t Tool) string {
	var rest []Key
	for _, k := range keys {
		if k.Type != KeyAge {
			rest = append(rest, k)
		}
	}
	if len(rest) == 0 {
		return ""
	}
	return ", or provide " + keySources(rest, t)
}

// condense turns sops's indented, boxed diagnostics into one line of bounded length.
func condense(stderr string) string {
	var words []string
	for _, line := range strings.Split(stderr, "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(line, "- "), "|"))
		line = strings.TrimSpace(strings.TrimPrefix(line, "| "))
		if line != "" {
			words = append(words, line)
		}
	}
	s := strings.Join(words, " ")
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	if s == "" {
		s = "no message"
	}
	return s
}

// minHidden is the shortest value redact hides; shorter ones (a port, "on") are no secrets
// and hiding them would garble every message.
const minHidden = 4

// docValues lists the values of a YAML document, for redact; a document that is not YAML
// (or that the input guard refuses) gives its lines.
func docValues(doc []byte) []string {
	n, err := yamlguard.Parse(doc)
	if err != nil {
		return strings.Split(string(doc), "\n")
	}
	var vals []string
	walkScalars(n, nil, func(_ []string, s *yaml.Node) { vals = append(vals, s.Value) })
	return vals
}

// redact hides in msg every one of values, and every line of a multi-line one.
func redact(msg string, values []string) string {
	var parts []string
	for _, v := range values {
		parts = append(parts, v)
		parts = append(parts, strings.Split(v, "\n")...)
	}
	// Longest first, so that a value containing another is hidden whole.
	slices.SortFunc(parts, func(a, b string) int { return len(b) - len(a) })
	for _, v := range parts {
		if v = strings.TrimSpace(v); len(v) >= minHidden {
			msg = strings.ReplaceAll(msg, v, "[hidden]")
		}
	}
	return msg
}

// walkScalars calls fn for every scalar value below n (mapping keys are not values), with its
// path of mapping keys and sequence indexes.
func walkScalars(n *yaml.Node, p []string, fn func(p []string, s *yaml.Node)) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			walkScalars(c, p, fn)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			walkScalars(n.Content[i+1], append(slices.Clip(p), n.Content[i].Value), fn)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			walkScalars(c, append(slices.Clip(p), strconv.Itoa(i)), fn)
		}
	case yaml.ScalarNode:
		fn(p, n)
	case yaml.AliasNode:
		// sops expands nothing; an alias carries no value of its own.
	}
}

// plaintextLeaves lists, as dotted paths, the values of an encrypted document that sops left
// in plaintext although sensitive (nil: every value) covers them. Empty values and nulls
// carry nothing (sops leaves them as they are). A document the input guard refuses counts as
// plaintext as a whole.
func plaintextLeaves(doc []byte, sensitive [][]string) []string {
	n, err := yamlguard.Parse(doc)
	if err != nil || len(n.Content) == 0 {
		return []string{"(the whole document: it is not YAML within bounds)"}
	}
	var left []string
	walkScalars(n, nil, func(p []string, s *yaml.Node) {
		if len(p) > 0 && p[0] == "sops" {
			return
		}
		if s.Value == "" || s.Tag == "!!null" || strings.HasPrefix(s.Value, encPrefix) {
			return
		}
		if sensitive == nil || slices.ContainsFunc(sensitive, func(sp []string) bool { return hasPrefix(p, sp) }) {
			left = append(left, strings.Join(p, "."))
		}
	})
	return left
}

func hasPrefix(p, prefix []string) bool {
	return len(p) >= len(prefix) && slices.Equal(p[:len(prefix)], prefix)
}

// mentionsSops reports whether the word sops stands in data outside comment lines. sops writes
// its metadata key as is, so a document where it does not has no metadata and needs no parse
// (a plaintext values file of 10k lines would otherwise be parsed once more for nothing; the
// files this tool writes name .sops.yaml in their header comment).
func mentionsSops(data []byte) bool {
	word := []byte("sops")
	for len(data) > 0 {
		i := bytes.Index(data, word)
		if i < 0 {
			return false
		}
		start := bytes.LastIndexByte(data[:i], '\n') + 1
		if line := bytes.TrimLeft(data[start:i], " \t"); len(line) == 0 || line[0] != '#' {
			return true
		}
		end := bytes.IndexByte(data[i:], '\n')
		if end < 0 {
			return false
		}
		data = data[i+end+1:]
	}
	return false
}

// sopsMetadata returns the value of a document's top-level sops: mapping, or nil. The parse is
// bounded by the input guard: a document it refuses has no metadata here, and the loader
// refuses it with the guard's reason.
func sopsMetadata(data []byte) *yaml.Node {
	if !mentionsSops(data) {
		return nil
	}
	n, err := yamlguard.Parse(data)
	if err != nil || len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	root := n.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "sops" && root.Content[i+1].Kind == yaml.MappingNode {
			return root.Content[i+1]
		}
	}
	return nil
}

// field returns the value of key in mapping m, or nil.
func field(m *yaml.Node, key string) *yaml.Node {
	for i := 0; m != nil && i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// IsEncrypted reports whether data is a SOPS document: YAML (or JSON) whose top-level mapping
// holds a sops: mapping with the mac and lastmodified sops writes.
func IsEncrypted(data []byte) bool {
	m := sopsMetadata(data)
	return field(m, "mac") != nil && field(m, "lastmodified") != nil
}

// Keys returns the master keys recorded in a SOPS document's metadata (every key group
// flattened), for messages such as "encrypted for age1…abcd"; nil for other data.
func Keys(data []byte) []Key {
	m := sopsMetadata(data)
	if m == nil {
		return nil
	}
	out := metadataKeys(m)
	if groups := field(m, "key_groups"); groups != nil && groups.Kind == yaml.SequenceNode {
		for _, g := range groups.Content {
			out = append(out, metadataKeys(g)...)
		}
	}
	return out
}

// metadataKeys reads the key lists of one metadata mapping (or key group).
func metadataKeys(m *yaml.Node) []Key {
	var out []Key
	for _, typ := range []struct{ name, id string }{
		{KeyKMS, "arn"}, {KeyGCPKMS, "resource_id"}, {KeyHCKMS, "key_id"}, {KeyAzureKV, "vault_url"},
		{KeyVault, "vault_address"}, {KeyAge, "recipient"}, {KeyPGP, "fp"},
	} {
		list := field(m, typ.name)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, e := range list.Content {
			k := Key{Type: typ.name}
			if id := field(e, typ.id); id != nil {
				k.ID = id.Value
			}
			switch typ.name {
			case KeyKMS:
				if r := field(e, "role"); r != nil {
					k.Role = r.Value
				}
			case KeyAzureKV:
				if n, v := field(e, "name"), field(e, "version"); n != nil && v != nil {
					k.ID = strings.TrimSuffix(k.ID, "/") + "/keys/" + n.Value + "/" + v.Value
				}
			case KeyVault:
				if e, n := field(e, "engine_path"), field(e, "key_name"); e != nil && n != nil {
					k.ID = strings.TrimSuffix(k.ID, "/") + "/v1/" + e.Value + "/keys/" + n.Value
				}
			}
			out = append(out, k)
		}
	}
	return out
}

package sops

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"crewai-setup/guard"
	"crewai-setup/guard/yamlguard"

	yaml "go.yaml.in/yaml/v3"
)

// This file mirrors how sops 3.13 chooses a .sops.yaml and a creation rule (config/config.go
// and cmd/sops/main.go: LookupConfigFile, parseCreationRuleForFile, getKeyGroupsFromCreationRule,
// keyGroups). Differences from running sops by hand in some directory are deliberate and
// documented on Find.

const (
	configName    = ".sops.yaml"
	altConfigName = ".sops.yml" // sops ignores it, with a warning
	maxDepth      = 100         // sops looks at most this many directories up
)

// keyEnv are the variables that, when set, choose the master keys instead of the creation
// rule's (sops's --kms, --gcp-kms, ... flags read them), in the order sops adds their keys.
var keyEnv = []struct{ name, typ string }{
	{"SOPS_KMS_ARN", KeyKMS}, {"SOPS_GCP_KMS_IDS", KeyGCPKMS}, {"SOPS_HUAWEICLOUD_KMS_IDS", KeyHCKMS},
	{"SOPS_AZURE_KEYVAULT_URLS", KeyAzureKV}, {"SOPS_PGP_FP", KeyPGP}, {"SOPS_VAULT_URIS", KeyVault},
	{"SOPS_AGE_RECIPIENTS", KeyAge},
}

// Key types, as the sops metadata and .sops.yaml name them.
const (
	KeyAge     = "age"
	KeyPGP     = "pgp"
	KeyKMS     = "kms"
	KeyGCPKMS  = "gcp_kms"
	KeyAzureKV = "azure_kv"
	KeyVault   = "hc_vault"
	KeyHCKMS   = "hckms"
)

// Key is one master key a file is (or will be) encrypted for.
type Key struct {
	// Type is one of the Key* constants.
	Type string
	// ID identifies the key: the age recipient, the PGP fingerprint, the KMS ARN, the GCP
	// resource ID, the Azure Key Vault key URL, the Vault transit key URI, the HuaweiCloud key ID.
	ID string
	// Role is the IAM role assumed for a KMS key, if any.
	Role string
}

// Short is the key for display: age recipients abbreviated ("age1…abcd"), the rest in full.
func (k Key) Short() string {
	id := k.ID
	if k.Type == KeyAge && len(id) > 12 {
		prefix := "age1"
		if !strings.HasPrefix(id, prefix) {
			prefix, _, _ = strings.Cut(id, " ") // ssh-ed25519 AAAA... recipients
		}
		id = prefix + "…" + id[len(id)-4:]
	}
	if k.Role != "" {
		id += " (role " + k.Role + ")"
	}
	return id
}

// Rule is the .sops.yaml creation rule that applies to a file, as Find reports it.
type Rule struct {
	// Config is the absolute path of the .sops.yaml sops reads ("" when none was found).
	Config string
	// Index is the position of the matching rule in creation_rules, from 0.
	Index int
	// PathRegex is the matching rule's path_regex ("" matches every file).
	PathRegex string
	// MatchedPath is the form of the file's path that path_regex was matched against: relative
	// to the config's directory when the file is below it, absolute otherwise.
	MatchedPath string
	// Keys are the master keys the file will be encrypted for, every key group flattened.
	Keys []Key
	// KeysFrom names the environment variables whose keys replace the rule's (sops's
	// SOPS_AGE_RECIPIENTS, SOPS_KMS_ARN...); empty when the keys are the rule's.
	KeysFrom []string
	// Groups is the number of key groups (key_groups; 1 without), Threshold the rule's
	// shamir_threshold (0: every group is needed).
	Groups, Threshold int
	// Selection is the rule's setting that leaves values unencrypted, such as
	// "encrypted_regex: ^data$"; empty when only sops's default (keys ending in
	// _unencrypted) applies.
	Selection string
	// Warning is sops's own warning about the lookup (a .sops.yml it ignores), or "".
	Warning string
}

// Recipients lists the keys for display: "age1…abcd, arn:aws:kms:...".
func (r Rule) Recipients() string {
	parts := make([]string, len(r.Keys))
	for i, k := range r.Keys {
		parts[i] = k.Short()
	}
	return strings.Join(parts, ", ")
}

// Describe says for whom and why, for the wizard: "age1…abcd per deploy/.sops.yaml (rule 2)",
// with the config's path relative to base when it is below base.
func (r Rule) Describe(base string) string {
	cfg := r.Config
	if base != "" {
		if b, err := physical(base); err == nil {
			if rel, err := filepath.Rel(b, cfg); err == nil && !strings.HasPrefix(rel, "..") {
				cfg = rel
			}
		}
	}
	s := fmt.Sprintf("%s per %s (rule %d)", r.Recipients(), cfg, r.Index+1)
	if len(r.KeysFrom) > 0 {
		s = fmt.Sprintf("%s from %s, which override the keys of %s (rule %d)", r.Recipients(),
			strings.Join(r.KeysFrom, ", "), cfg, r.Index+1)
	}
	return s
}

// configFile is the part of .sops.yaml that decides the creation rule, in sops's shapes.
type configFile struct {
	CreationRules    []creationRule `yaml:"creation_rules"`
	DestinationRules []yaml.Node    `yaml:"destination_rules"`
	Stores           struct {
		YAML struct {
			Indent int `yaml:"indent"`
		} `yaml:"yaml"`
		JSON struct {
			Indent int `yaml:"indent"`
		} `yaml:"json"`
	} `yaml:"stores"`
}

type creationRule struct {
	PathRegex               string     `yaml:"path_regex"`
	KMS                     any        `yaml:"kms"`
	AwsProfile              string     `yaml:"aws_profile"`
	Age                     any        `yaml:"age"`
	PGP                     any        `yaml:"pgp"`
	GCPKMS                  any        `yaml:"gcp_kms"`
	HCKms                   []string   `yaml:"hckms"`
	AzureKeyVault           any        `yaml:"azure_keyvault"`
	VaultURI                any        `yaml:"hc_vault_transit_uri"`
	KeyGroups               []keyGroup `yaml:"key_groups"`
	ShamirThreshold         int        `yaml:"shamir_threshold"`
	UnencryptedSuffix       string     `yaml:"unencrypted_suffix"`
	EncryptedSuffix         string     `yaml:"encrypted_suffix"`
	UnencryptedRegex        string     `yaml:"unencrypted_regex"`
	EncryptedRegex          string     `yaml:"encrypted_regex"`
	UnencryptedCommentRegex string     `yaml:"unencrypted_comment_regex"`
	EncryptedCommentRegex   string     `yaml:"encrypted_comment_regex"`
}

type keyGroup struct {
	Merge []keyGroup `yaml:"merge"`
	KMS   []struct {
		Arn  string `yaml:"arn"`
		Role string `yaml:"role,omitempty"`
	} `yaml:"kms"`
	GCPKMS []struct {
		ResourceID string `yaml:"resource_id"`
	} `yaml:"gcp_kms"`
	HCKms []struct {
		KeyID string `yaml:"key_id"`
	} `yaml:"hckms"`
	AzureKV []struct {
		VaultURL string `yaml:"vaultUrl"`
		Key      string `yaml:"key"`
		Version  string `yaml:"version"`
	} `yaml:"azure_keyvault"`
	Vault []string `yaml:"hc_vault"`
	Age   []string `yaml:"age"`
	PGP   []string `yaml:"pgp"`
}

// Find reports the .sops.yaml creation rule that applies to the file at target (which need
// not exist yet), the way sops decides it when it runs in target's directory: SOPS_CONFIG if
// set (relative to the current directory), otherwise the nearest .sops.yaml from target's
// directory upward (.sops.yml is ignored, as sops does), its creation rules tried in order,
// an empty path_regex matching every file and any other matched (unanchored, Go syntax)
// against target's path relative to the config's directory. Symbolic links in target's path
// are resolved first, so the path matched is the file's real location. Keys named in the
// environment (SOPS_AGE_RECIPIENTS, SOPS_KMS_ARN, ...) replace the rule's, as in sops.
//
// found is false when there is no config, the config has no creation_rules, or no rule
// matches; the returned Rule then still names the config consulted and the path matched.
// err is for a config sops would refuse (unreadable, invalid YAML or regexp, conflicting
// settings).
func (t Tool) Find(target string) (rule Rule, found bool, err error) {
	file, err := physical(target)
	if err != nil {
		return Rule{}, false, fmt.Errorf("%w: cannot resolve %s: %w", ErrConfig, target, err)
	}
	rule.MatchedPath = file
	rule.Config, rule.Warning, err = t.configFor(file)
	if err != nil || rule.Config == "" {
		return rule, false, err
	}
	conf, err := loadConfig(rule.Config)
	if err != nil {
		return rule, false, err
	}
	if conf.CreationRules == nil { // sops: a config without creation rules counts as none
		return rule, false, nil
	}
	// sops compares the path relative to the config's directory (plain prefix trimming).
	rule.MatchedPath = strings.TrimPrefix(file, filepath.Dir(rule.Config)+string(filepath.Separator))
	for i, r := range conf.CreationRules {
		if r.PathRegex != "" {
			re, err := regexp.Compile(r.PathRegex)
			if err != nil {
				return rule, false, fmt.Errorf("%w: %s: creation rule %d: path_regex %q is not a valid regular expression: %w",
					ErrConfig, rule.Config, i+1, r.PathRegex, err)
			}
			if !re.MatchString(rule.MatchedPath) {
				continue
			}
		}
		rule.Index, rule.PathRegex = i, r.PathRegex
		if err := fillRule(&rule, r, t); err != nil {
			return rule, false, fmt.Errorf("%w: %s: creation rule %d: %w", ErrConfig, rule.Config, i+1, err)
		}
		return rule, true, nil
	}
	return rule, false, nil
}

// configFor returns the absolute path of the .sops.yaml sops uses for file (a physical,
// absolute path): SOPS_CONFIG if set, otherwise the nearest one from file's directory up; ""
// when there is none.
func (t Tool) configFor(file string) (config, warning string, err error) {
	if env := t.getenv("SOPS_CONFIG"); env != "" {
		config, err = filepath.Abs(env)
		if err != nil {
			return "", "", fmt.Errorf("%w: SOPS_CONFIG=%s: %w", ErrConfig, env, err)
		}
		return config, "", nil
	}
	config, warning = lookupConfig(filepath.Dir(file))
	return config, warning, nil
}

// lookupConfig walks from dir upward as sops does from its working directory: at most
// maxDepth directories, the first .sops.yaml that exists (anything os.Stat accepts) wins.
func lookupConfig(dir string) (config, warning string) {
	alt := ""
	for range maxDepth {
		p := filepath.Join(dir, configName)
		if _, err := os.Stat(p); err == nil {
			if alt != "" {
				warning = fmt.Sprintf("sops ignores %s (the file must be called %s) and uses %s", alt, configName, p)
			}
			return p, warning
		}
		if alt == "" {
			if _, err := os.Stat(filepath.Join(dir, altConfigName)); err == nil {
				alt = filepath.Join(dir, altConfigName)
			}
		}
		dir = filepath.Dir(dir)
	}
	if alt != "" {
		warning = fmt.Sprintf("sops ignores %s (the file must be called %s)", alt, configName)
	}
	return "", warning
}

func loadConfig(p string) (*configFile, error) {
	data, err := guard.ReadFile(p, guard.KeyFileLimit) // a .sops.yaml is a few lines
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s does not exist (check SOPS_CONFIG)", ErrConfig, p)
		}
		return nil, fmt.Errorf("%w: cannot read %s: %w", ErrConfig, p, err)
	}
	conf := &configFile{}
	if err := yamlguard.CheckSize(data); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrConfig, p, err)
	}
	if err := yaml.Unmarshal(data, conf); err != nil {
		return nil, fmt.Errorf("%w: %s is not a valid sops configuration: %w", ErrConfig, p, err)
	}
	return conf, nil
}

// fillRule sets the keys and selection of a matching rule as sops's configFromRule and
// keyGroups compute them.
func fillRule(rule *Rule, r creationRule, t Tool) error {
	var selections []string
	for _, s := range []struct{ name, v string }{
		{"unencrypted_suffix", r.UnencryptedSuffix}, {"encrypted_suffix", r.EncryptedSuffix},
		{"unencrypted_regex", r.UnencryptedRegex}, {"encrypted_regex", r.EncryptedRegex},
		{"unencrypted_comment_regex", r.UnencryptedCommentRegex}, {"encrypted_comment_regex", r.EncryptedCommentRegex},
	} {
		if s.v != "" {
			selections = append(selections, s.name+": "+s.v)
		}
	}
	if len(selections) > 1 {
		return fmt.Errorf("it sets %s; sops accepts only one of them", strings.Join(selections, " and "))
	}
	if len(selections) == 1 {
		rule.Selection = selections[0]
	}
	rule.Threshold = r.ShamirThreshold
	var groups [][]Key
	if len(r.KeyGroups) > 0 {
		for _, g := range r.KeyGroups {
			keys, err := groupKeys(g)
			if err != nil {
				return err
			}
			groups = append(groups, keys)
		}
	} else {
		keys, err := ruleKeys(r)
		if err != nil {
			return err
		}
		groups = [][]Key{keys}
	}
	// Keys named in the environment replace the rule's, in one group (sops's keyGroups).
	var fromEnv []Key
	for _, e := range keyEnv {
		if v := t.getenv(e.name); v != "" {
			rule.KeysFrom = append(rule.KeysFrom, e.name)
			keys, err := splitKeys(e.typ, []string{v})
			if err != nil {
				return fmt.Errorf("%s: %w", e.name, err)
			}
			fromEnv = append(fromEnv, keys...)
		}
	}
	if len(rule.KeysFrom) > 0 {
		groups = [][]Key{fromEnv}
	}
	rule.Groups = len(groups)
	for _, g := range groups {
		rule.Keys = append(rule.Keys, g...)
	}
	if len(rule.Keys) == 0 {
		return errors.New("it names no keys (age, pgp, kms, gcp_kms, azure_keyvault, hc_vault_transit_uri, hckms or key_groups); sops cannot encrypt without one")
	}
	return nil
}

// ruleKeys returns a rule's keys without key_groups, in sops's order.
func ruleKeys(r creationRule) ([]Key, error) {
	var out []Key
	for _, f := range []struct {
		field, typ string
		v          any
	}{
		{"age", KeyAge, r.Age}, {"pgp", KeyPGP, r.PGP}, {"kms", KeyKMS, r.KMS}, {"gcp_kms", KeyGCPKMS, r.GCPKMS},
		{"hckms", KeyHCKMS, anyStrings(r.HCKms)}, {"azure_keyvault", KeyAzureKV, r.AzureKeyVault},
		{"hc_vault_transit_uri", KeyVault, r.VaultURI},
	} {
		list, err := keyField(f.v, f.field)
		if err != nil {
			return nil, err
		}
		// sops joins the list with commas and splits it again.
		keys, err := splitKeys(f.typ, []string{strings.Join(list, ",")})
		if err != nil {
			return nil, err
		}
		out = append(out, keys...)
	}
	return out, nil
}

func anyStrings(s []string) any {
	if s == nil {
		return nil
	}
	return s
}

// keyField reads a key field that is a comma-separated string or a list (parseKeyField).
func keyField(v any, field string) ([]string, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		var out []string
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out, nil
	case []string:
		return v, nil
	case []any:
		out := make([]string, len(v))
		for i, item := range v {
			s, ok := item.(string)
			if !ok {
				return nil, fmt.Errorf("%s: expected a string in the list, got %T", field, item)
			}
			out[i] = s
		}
		return out, nil
	default:
		return nil, fmt.Errorf("%s: expected a string or a list of strings, got %T", field, v)
	}
}

// groupKeys flattens one key group (merge first, then each type), as extractMasterKeys does.
func groupKeys(g keyGroup) ([]Key, error) {
	var out []Key
	for _, m := range g.Merge {
		keys, err := groupKeys(m)
		if err != nil {
			return nil, err
		}
		out = append(out, keys...)
	}
	for _, a := range g.Age {
		keys, err := splitKeys(KeyAge, []string{a})
		if err != nil {
			return nil, err
		}
		out = append(out, keys...)
	}
	for _, p := range g.PGP {
		out = append(out, Key{Type: KeyPGP, ID: strings.ReplaceAll(p, " ", "")})
	}
	for _, k := range g.KMS {
		out = append(out, Key{Type: KeyKMS, ID: k.Arn, Role: k.Role})
	}
	for _, k := range g.GCPKMS {
		out = append(out, Key{Type: KeyGCPKMS, ID: k.ResourceID})
	}
	for _, k := range g.HCKms {
		out = append(out, Key{Type: KeyHCKMS, ID: strings.TrimSpace(k.KeyID)})
	}
	for _, k := range g.AzureKV {
		id := strings.TrimSuffix(k.VaultURL, "/") + "/keys/" + k.Key
		if k.Version != "" {
			id += "/" + k.Version
		}
		out = append(out, Key{Type: KeyAzureKV, ID: id})
	}
	for _, v := range g.Vault {
		out = append(out, Key{Type: KeyVault, ID: v})
	}
	return dedupe(out), nil
}

// splitKeys turns comma-separated key lists of one type into keys, normalised as sops's
// MasterKeysFrom* functions do.
func splitKeys(typ string, lists []string) ([]Key, error) {
	var out []Key
	for _, list := range lists {
		if list == "" {
			continue
		}
		for _, s := range strings.Split(list, ",") {
			k := Key{Type: typ, ID: s}
			switch typ {
			case KeyAge:
				if k.ID = strings.TrimSpace(s); k.ID == "" {
					return nil, errors.New("age: an empty recipient in the list")
				}
			case KeyPGP:
				k.ID = strings.ReplaceAll(s, " ", "")
			case KeyKMS:
				k.ID = strings.ReplaceAll(s, " ", "")
				// "ARN+ROLE-ARN": a role to assume for the key.
				if i := strings.Index(k.ID, "+arn:"); i > 0 {
					k.ID, k.Role = k.ID[:i], k.ID[i+1:]
				}
			case KeyAzureKV, KeyHCKMS, KeyVault:
				k.ID = strings.TrimSpace(s)
			}
			out = append(out, k)
		}
	}
	return out, nil
}

// dedupe drops repeated keys of one key group, as sops does for key_groups.
func dedupe(keys []Key) []Key {
	seen := map[Key]bool{}
	var out []Key
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

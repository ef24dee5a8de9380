package sops

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The lookup mirror against the binary: for each layout, Find's answer (config, rule, keys or
// no rule) must be what sops itself does when it runs in the target's directory, and what
// Encrypt then produces.
func TestFindMatchesSopsBinary(t *testing.T) {
	sopsBin := realSops(t)
	keyDir := t.TempDir()
	var rcp [5]string
	for i := 1; i < len(rcp); i++ {
		_, rcp[i] = ageKey(t, keyDir, "k"+string(rune('0'+i)))
	}
	expand := func(s, root string) string {
		r := strings.NewReplacer("{ROOT}", root, "{K1}", rcp[1], "{K2}", rcp[2], "{K3}", rcp[3], "{K4}", rcp[4])
		return r.Replace(s)
	}
	firstMatch := "creation_rules:\n" +
		"  - path_regex: values\\.yaml$\n    age: {K1}\n" +
		"  - path_regex: secrets\\.yaml$\n    age: {K2}\n" +
		"  - path_regex: secrets\n    age: {K3}\n" +
		"  - age: {K4}\n"
	cases := []struct {
		name    string
		files   map[string]string // relative path -> content
		links   map[string]string // relative link -> relative target
		env     []string
		target  string
		keys    []int  // recipients of the matching rule; nil: no rule
		matched string // the path form matched ("" = not checked)
		fails   bool   // Find returns an error (and sops refuses)
		warning string
	}{
		{name: "config beside the file", target: "deploy/secrets.yaml", keys: []int{1}, matched: "secrets.yaml",
			files: map[string]string{"deploy/.sops.yaml": "creation_rules:\n  - path_regex: ^secrets\\.yaml$\n    age: {K1}\n"}},
		{name: "config in a parent: the path is relative to it", target: "deploy/secrets.yaml", keys: []int{1}, matched: "deploy/secrets.yaml",
			files: map[string]string{".sops.yaml": "creation_rules:\n  - path_regex: ^deploy/secrets\\.yaml$\n    age: {K1}\n"}},
		{name: "config in a parent: a basename-anchored rule does not match", target: "deploy/secrets.yaml", matched: "deploy/secrets.yaml",
			files: map[string]string{".sops.yaml": "creation_rules:\n  - path_regex: ^secrets\\.yaml$\n    age: {K1}\n"}},
		{name: "first matching rule wins", target: "secrets.yaml", keys: []int{2},
			files: map[string]string{".sops.yaml": firstMatch}},
		{name: "rule without path_regex catches the rest", target: "other.yaml", keys: []int{4},
			files: map[string]string{".sops.yaml": firstMatch}},
		{name: "nearest config wins even without a matching rule", target: "deploy/secrets.yaml",
			files: map[string]string{
				".sops.yaml":        "creation_rules:\n  - age: {K1}\n",
				"deploy/.sops.yaml": "creation_rules:\n  - path_regex: ^nothing$\n    age: {K2}\n",
			}},
		{name: ".sops.yml is ignored", target: "deploy/secrets.yaml", keys: []int{1}, warning: ".sops.yml",
			files: map[string]string{
				".sops.yaml":       "creation_rules:\n  - age: {K1}\n",
				"deploy/.sops.yml": "creation_rules:\n  - age: {K2}\n",
			}},
		{name: "config above the git root", target: "repo/deploy/secrets.yaml", keys: []int{3}, matched: "repo/deploy/secrets.yaml",
			files: map[string]string{
				".sops.yaml":     "creation_rules:\n  - path_regex: ^repo/deploy/[^/]+\\.yaml$\n    age: {K3}\n",
				"repo/.git/HEAD": "ref: refs/heads/main\n",
			}},
		{name: "creation_rules null counts as no config", target: "secrets.yaml",
			files: map[string]string{".sops.yaml": "creation_rules:\n"}},
		{name: "creation_rules empty", target: "secrets.yaml",
			files: map[string]string{".sops.yaml": "creation_rules: []\n"}},
		{name: "only destination rules", target: "secrets.yaml",
			files: map[string]string{".sops.yaml": "destination_rules:\n  - path_regex: x\n    s3_bucket: b\n"}},
		{name: "no config anywhere", target: "secrets.yaml"},
		{name: "regex is unanchored", target: "deploy/my-secrets-prod.yaml", keys: []int{1},
			files: map[string]string{".sops.yaml": "creation_rules:\n  - path_regex: secrets\n    age: {K1}\n"}},
		{name: "an absolute-path rule misses the relative form", target: "deploy/x.yaml", keys: []int{2},
			files: map[string]string{".sops.yaml": "creation_rules:\n  - path_regex: ^/\n    age: {K1}\n  - age: {K2}\n"}},
		{name: "SOPS_CONFIG elsewhere: the absolute path is matched", target: "app/secrets.yaml", keys: []int{1},
			matched: "{ROOT}/app/secrets.yaml", env: []string{"SOPS_CONFIG={ROOT}/conf/.sops.yaml"},
			files: map[string]string{
				"conf/.sops.yaml": "creation_rules:\n  - path_regex: ^{ROOT}/app/secrets\\.yaml$\n    age: {K1}\n  - age: {K2}\n",
				"app/.sops.yaml":  "creation_rules:\n  - age: {K3}\n",
			}},
		{name: "key groups", target: "secrets.yaml", keys: []int{1, 2, 3},
			files: map[string]string{".sops.yaml": "creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [{K1}]\n      - age:\n          - {K2}\n          - {K3}\n"}},
		{name: "SOPS_AGE_RECIPIENTS replaces the rule's keys", target: "secrets.yaml", keys: []int{2},
			env:   []string{"SOPS_AGE_RECIPIENTS={K2}"},
			files: map[string]string{".sops.yaml": "creation_rules:\n  - age: {K1}\n"}},
		{name: "comma list with spaces and a trailing comma", target: "secrets.yaml", keys: []int{1, 2},
			files: map[string]string{".sops.yaml": "creation_rules:\n  - age: '{K1} , {K2},'\n"}},
		{name: "YAML list of recipients", target: "secrets.yaml", keys: []int{3, 4},
			files: map[string]string{".sops.yaml": "creation_rules:\n  - age:\n      - {K3}\n      - {K4}\n"}},
		{name: "a repeated recipient of a rule is kept", target: "secrets.yaml", keys: []int{1, 1},
			files: map[string]string{".sops.yaml": "creation_rules:\n  - age: {K1},{K1}\n"}},
		{name: "a repeated recipient of a key group is dropped", target: "secrets.yaml", keys: []int{1},
			files: map[string]string{".sops.yaml": "creation_rules:\n  - key_groups:\n      - age: [{K1}, {K1}]\n"}},
		{name: "invalid regex", target: "secrets.yaml", fails: true,
			files: map[string]string{".sops.yaml": "creation_rules:\n  - path_regex: '('\n    age: {K1}\n"}},
		{name: "invalid regex after the match is never compiled", target: "secrets.yaml", keys: []int{1},
			files: map[string]string{".sops.yaml": "creation_rules:\n  - age: {K1}\n  - path_regex: '('\n    age: {K2}\n"}},
		{name: "two selection settings in one rule", target: "secrets.yaml", fails: true,
			files: map[string]string{".sops.yaml": "creation_rules:\n  - age: {K1}\n    encrypted_regex: ^x$\n    unencrypted_suffix: _plain\n"}},
		{name: "a directory named .sops.yaml stops the search", target: "deploy/secrets.yaml", fails: true,
			files: map[string]string{".sops.yaml": "creation_rules:\n  - age: {K1}\n", "deploy/.sops.yaml/README": "x"}},
		{name: "not YAML", target: "secrets.yaml", fails: true,
			files: map[string]string{".sops.yaml": "creation_rules: [\n"}},
		{name: "symlinked directory: the real location is matched", target: "link/secrets.yaml", keys: []int{1}, matched: "real/deploy/secrets.yaml",
			links: map[string]string{"link": "real/deploy"},
			files: map[string]string{
				".sops.yaml":           "creation_rules:\n  - path_regex: ^real/deploy/\n    age: {K1}\n  - age: {K2}\n",
				"real/deploy/keep.txt": "x",
			}},
		{name: "directory not created yet", target: "new/dir/secrets.yaml", keys: []int{1}, matched: "new/dir/secrets.yaml",
			files: map[string]string{".sops.yaml": "creation_rules:\n  - path_regex: ^new/dir/secrets\\.yaml$\n    age: {K1}\n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root, err := filepath.EvalSymlinks(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			for p, content := range c.files {
				writeFile(t, filepath.Join(root, p), expand(content, root))
			}
			for link, to := range c.links {
				if err := os.Symlink(filepath.Join(root, to), filepath.Join(root, link)); err != nil {
					t.Fatal(err)
				}
			}
			var env []string
			for _, e := range c.env {
				env = append(env, expand(e, root))
			}
			tool := Tool{Env: testEnv(t, env...)}
			target := filepath.Join(root, c.target)

			rule, found, findErr := tool.Find(target)
			switch {
			case c.fails:
				if !errors.Is(findErr, ErrConfig) {
					t.Fatalf("Find: want an ErrConfig error, got found=%v err=%v", found, findErr)
				}
			case findErr != nil:
				t.Fatalf("Find: %v", findErr)
			case found != (c.keys != nil):
				t.Fatalf("Find: found=%v, want %v (rule %+v)", found, c.keys != nil, rule)
			}
			var want []string
			for _, k := range c.keys {
				want = append(want, "age:"+rcp[k]+"+")
			}
			slices.Sort(want)
			if found {
				if got := comparable(rule.Keys); !slices.Equal(got, want) {
					t.Errorf("Find keys = %v, want %v", got, want)
				}
			}
			if c.matched != "" && rule.MatchedPath != expand(c.matched, root) {
				t.Errorf("MatchedPath = %q, want %q", rule.MatchedPath, expand(c.matched, root))
			}
			if !strings.Contains(rule.Warning, c.warning) || (c.warning == "") != (rule.Warning == "") {
				t.Errorf("Warning = %q, want one mentioning %q", rule.Warning, c.warning)
			}

			// sops itself, run in the (real) directory of the target, finding its own config.
			dir, err := physical(filepath.Dir(target))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(sopsBin, "encrypt", "--input-type", "yaml", "--output-type", "yaml", "--filename-override", filepath.Base(target))
			cmd.Dir, cmd.Env = dir, append(tool.env(), "PWD="+dir)
			cmd.Stdin = strings.NewReader("a: b\n")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, runErr := cmd.Output()
			switch {
			case found:
				if runErr != nil {
					t.Fatalf("Find found rule %d of %s, but sops fails: %s", rule.Index+1, rule.Config, stderr.String())
				}
				if got := comparable(Keys(out)); !slices.Equal(got, want) {
					t.Errorf("sops encrypted for %v, Find said %v", got, want)
				}
			case findErr != nil:
				if runErr == nil {
					t.Errorf("Find refused the config (%v), but sops encrypted with it", findErr)
				}
			default:
				if runErr == nil {
					t.Errorf("Find found no rule, but sops encrypted for %v", comparable(Keys(out)))
				} else if s := stderr.String(); !strings.Contains(s, "no matching creation rules") && !strings.Contains(s, "config file not found") {
					t.Errorf("sops fails for another reason than a missing rule: %s", s)
				}
			}

			// Encrypt, which hands sops the config Find chose.
			enc, encErr := tool.Encrypt(ctx(t), []byte("a: b\n"), target, Options{})
			switch {
			case found:
				if encErr != nil {
					t.Fatalf("Encrypt: %v", encErr)
				}
				if got := comparable(Keys(enc)); !slices.Equal(got, want) {
					t.Errorf("Encrypt encrypted for %v, want %v", got, want)
				}
			case findErr != nil:
				if !errors.Is(encErr, ErrConfig) {
					t.Errorf("Encrypt: want ErrConfig, got %v", encErr)
				}
			default:
				if !errors.Is(encErr, ErrNoRule) {
					t.Errorf("Encrypt: want ErrNoRule, got %v", encErr)
				}
			}
		})
	}
}

// Key forms sops accepts for the other key types (which need cloud accounts or GnuPG to
// encrypt with) are reported as sops normalises them.
func TestFindKeyForms(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, ".sops.yaml"), `creation_rules:
  - path_regex: ^pgp
    pgp: "85D7 7543 B3D6 24B6 3CEA 9E6D BC17 301B 491B 3F21,FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4"
  - path_regex: ^kms
    kms:
      - arn:aws:kms:us-east-1:111111111111:key/aaaa+arn:aws:iam::111111111111:role/sops
      - "arn:aws:kms:eu-west-1:111111111111:key/bbbb "
  - path_regex: ^cloud
    gcp_kms: projects/p/locations/global/keyRings/r/cryptoKeys/k
    hc_vault_transit_uri: https://vault.example.com:8200/v1/sops/keys/first
    azure_keyvault: https://v.vault.azure.net/keys/sops/abc
    hckms: [tr-west-1:0a1b2c3d-0000-0000-0000-000000000000]
  - path_regex: ^groups
    key_groups:
      - merge:
          - pgp: [FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4]
        kms:
          - arn: arn:aws:kms:us-east-1:111111111111:key/cccc
            role: arn:aws:iam::111111111111:role/r
      - pgp: [FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4]
        hc_vault: [https://vault.example.com:8200/v1/sops/keys/second]
        azure_keyvault:
          - vaultUrl: https://v.vault.azure.net
            key: sops
            version: v1
  - path_regex: ^none
    encrypted_regex: ^data$
`)
	tool := Tool{Env: testEnv(t)}
	cases := map[string][]Key{
		"pgp.yaml": {{Type: KeyPGP, ID: "85D77543B3D624B63CEA9E6DBC17301B491B3F21"}, {Type: KeyPGP, ID: "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4"}},
		"kms.yaml": {{Type: KeyKMS, ID: "arn:aws:kms:us-east-1:111111111111:key/aaaa", Role: "arn:aws:iam::111111111111:role/sops"},
			{Type: KeyKMS, ID: "arn:aws:kms:eu-west-1:111111111111:key/bbbb"}},
		"cloud.yaml": {{Type: KeyGCPKMS, ID: "projects/p/locations/global/keyRings/r/cryptoKeys/k"},
			{Type: KeyHCKMS, ID: "tr-west-1:0a1b2c3d-0000-0000-0000-000000000000"},
			{Type: KeyAzureKV, ID: "https://v.vault.azure.net/keys/sops/abc"},
			{Type: KeyVault, ID: "https://vault.example.com:8200/v1/sops/keys/first"}},
		"groups.yaml": {{Type: KeyPGP, ID: "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4"},
			{Type: KeyKMS, ID: "arn:aws:kms:us-east-1:111111111111:key/cccc", Role: "arn:aws:iam::111111111111:role/r"},
			{Type: KeyPGP, ID: "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4"},
			{Type: KeyAzureKV, ID: "https://v.vault.azure.net/keys/sops/v1"},
			{Type: KeyVault, ID: "https://vault.example.com:8200/v1/sops/keys/second"}},
	}
	for name, want := range cases {
		rule, found, err := tool.Find(filepath.Join(root, name))
		if err != nil || !found {
			t.Fatalf("%s: found=%v err=%v", name, found, err)
		}
		if !slices.Equal(rule.Keys, want) {
			t.Errorf("%s: keys\n got %+v\nwant %+v", name, rule.Keys, want)
		}
	}
	rule, _, _ := tool.Find(filepath.Join(root, "groups.yaml"))
	if rule.Groups != 2 {
		t.Errorf("groups.yaml: Groups = %d, want 2", rule.Groups)
	}
	if _, _, err := tool.Find(filepath.Join(root, "none.yaml")); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "names no keys") {
		t.Errorf("a rule without keys: want ErrConfig naming the problem, got %v", err)
	}
	rule, _, _ = tool.Find(filepath.Join(root, "kms.yaml"))
	if got, want := rule.Recipients(), "arn:aws:kms:us-east-1:111111111111:key/aaaa (role arn:aws:iam::111111111111:role/sops), arn:aws:kms:eu-west-1:111111111111:key/bbbb"; got != want {
		t.Errorf("Recipients = %q, want %q", got, want)
	}
}

// What the wizard shows: recipients abbreviated, the config relative to the output directory,
// the rule's number, and environment overrides named.
func TestRuleDescribe(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	rcp := "age1u9v5r6jmc4kg7k74k9pp75xegl8nz5tyrx8f8764mkne6t9xhpvq77e9k7"
	writeFile(t, filepath.Join(root, "deploy", ".sops.yaml"), "creation_rules:\n  - path_regex: values\n    age: x\n  - age: "+rcp+"\n")
	target := filepath.Join(root, "deploy", "secrets.yaml")
	rule, found, err := Tool{Env: testEnv(t)}.Find(target)
	if err != nil || !found {
		t.Fatalf("found=%v err=%v", found, err)
	}
	if got, want := rule.Describe(root), "age1…e9k7 per deploy/.sops.yaml (rule 2)"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	rule, _, _ = Tool{Env: testEnv(t, "SOPS_AGE_RECIPIENTS="+rcp)}.Find(target)
	if got := rule.Describe(root); !strings.Contains(got, "from SOPS_AGE_RECIPIENTS") || !strings.Contains(got, "deploy/.sops.yaml (rule 2)") {
		t.Errorf("Describe with an override = %q", got)
	}
	if got := (Key{Type: KeyAge, ID: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHm2nP/user"}).Short(); got != "ssh-ed25519…user" {
		t.Errorf("Short(ssh) = %q", got)
	}
}

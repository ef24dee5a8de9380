package sops

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"crewai-setup/internal/helmtest"
	"crewai-setup/model"
	"crewai-setup/render"
	"crewai-setup/render/yamledit"
	"crewai-setup/store/sops/sopstest"
)

// hostile are values a YAML 1.1 reader (Helm) or a YAML emitter easily gets wrong.
var hostile = sopstest.Hostile()

// githubKey is the example GitHub App key: multi-line PEM in, the chart's one-line form in
// secrets.yaml.
func githubKey(t *testing.T) string {
	t.Helper()
	pem, err := os.ReadFile("../../testdata/example-github-app.pem")
	if err != nil {
		t.Fatal(err)
	}
	return string(pem)
}

// Every hostile string, the one-line GitHub key and PEM blocks, as the renderer writes them,
// arrive byte-exact in Helm after sops encrypt and sops decrypt; and the encrypted file holds
// none of them.
func TestRoundTripHelmExact(t *testing.T) {
	f := newFixture(t)
	target := filepath.Join(f.dir, "secrets.yaml")
	cat := model.NewCatalog()
	var entries []*model.Entry
	for _, e := range cat.Entries() {
		if e.InSecretsFile() && e.Kind == model.KindString && e.Forbidden == "" {
			entries = append(entries, e)
		}
	}
	if len(entries) < 10 {
		t.Fatalf("only %d string secrets in the catalog", len(entries))
	}
	values := append([]string{}, hostile...)
	for len(values) > 0 {
		a := model.NewAnswers(cat)
		a.Set("secrets.GITHUB_APP_PRIVATE_KEY", githubKey(t))
		a.Set("secrets.OIDC_PRIVATE_KEY", githubKey(t))
		n := min(len(entries), len(values))
		for i, v := range values[:n] {
			a.Set(entries[i].Path, v)
		}
		values = values[n:]
		plain, err := yamledit.Encode(render.SecretsDocument(a))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(plain), `GITHUB_APP_PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\n`) {
			t.Fatalf("the rendered key is not in the one-line form:\n%.300s", plain)
		}
		enc, err := f.tool.Encrypt(ctx(t), plain, target, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !IsEncrypted(enc) {
			t.Fatal("Encrypt output is not a SOPS document")
		}
		if left := plaintextLeaves(enc, nil); len(left) > 0 {
			t.Errorf("values left in plaintext: %v", left)
		}
		for _, p := range a.Paths() {
			if v := a.Get(p); len(v) >= 8 && strings.Contains(string(enc), v) {
				t.Errorf("%s: the encrypted file holds the value in plaintext", p)
			}
		}
		dec, err := f.tool.Decrypt(ctx(t), enc, target)
		if err != nil {
			t.Fatal(err)
		}
		helmPlain, helmDec := helmtest.Values(t, "the plaintext", plain), helmtest.Values(t, "sops's decryption", dec)
		if !reflect.DeepEqual(helmPlain, helmDec) {
			t.Errorf("Helm reads the decrypted file differently from the plaintext (the values below say where)")
		}
		for _, p := range a.Paths() {
			got, ok := helmtest.LookupDotted(helmDec, p)
			if s, isStr := got.(string); !ok || !isStr || s != a.Get(p) {
				t.Errorf("%s = %q: Helm reads %#v after sops decrypt", p, a.Get(p), got)
			}
		}
	}
}

// A values.yaml with a sensitive value, rendered from the example answers, means the same to
// Helm after sops; with a rule that encrypts only that value, the rest stays readable.
func TestValuesFileThroughSops(t *testing.T) {
	f := newFixture(t)
	cat := model.NewCatalog()
	a, probs, err := model.LoadAnswersFile(cat, "../../testdata/answers.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a.Set("envVars.WORKOS_COOKIE_PASSWORD", "yes-0777-~-"+strings.Repeat("x", 32))
	more, err := model.Prepare(a)
	if err != nil || append(probs, more...).HasErrors() {
		t.Fatalf("example answers: %v %v", err, append(probs, more...))
	}
	files, err := render.Build(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !files.ValuesSensitive {
		t.Fatal("values.yaml does not hold the sensitive value this test is about")
	}
	target := filepath.Join(f.dir, "values.yaml")
	sensitive := [][]string{{"envVars", "WORKOS_COOKIE_PASSWORD"}}
	for _, rule := range []string{"", "    encrypted_regex: ^WORKOS_COOKIE_PASSWORD$\n"} {
		writeFile(t, filepath.Join(f.dir, ".sops.yaml"), "creation_rules:\n  - age: "+f.recipient+"\n"+rule)
		enc, err := f.tool.Encrypt(ctx(t), files.Values, target, Options{Sensitive: sensitive})
		if err != nil {
			t.Fatalf("rule %q: %v", rule, err)
		}
		if strings.Contains(string(enc), a.Get("envVars.WORKOS_COOKIE_PASSWORD")) {
			t.Errorf("rule %q: the cookie password is in the encrypted file", rule)
		}
		if rule != "" && !strings.Contains(string(enc), a.Get("envVars.DB_HOST")) {
			t.Errorf("rule %q: DB_HOST should stay readable", rule)
		}
		dec, err := f.tool.Decrypt(ctx(t), enc, target)
		if err != nil {
			t.Fatal(err)
		}
		if p, d := helmtest.Values(t, "values.yaml", files.Values), helmtest.Values(t, "decrypted values.yaml", dec); !reflect.DeepEqual(p, d) {
			t.Errorf("rule %q: Helm reads the decrypted values.yaml differently\nplain: %#v\ndecrypted: %#v", rule, p, d)
		}
	}
}

// A rule that leaves secrets in plaintext is refused, naming the keys, never the values.
func TestEncryptRefusesPlaintextLeftByRule(t *testing.T) {
	f := newFixture(t)
	writeFile(t, filepath.Join(f.dir, ".sops.yaml"), "creation_rules:\n  - age: "+f.recipient+"\n    encrypted_regex: ^(data|stringData)$\n")
	secret := "Sup3r-Secret-DB-Password"
	plain := []byte("secrets:\n  DB_PASSWORD: \"" + secret + "\"\n  EMPTY: \"\"\nnote_unencrypted: x\n")
	_, err := f.tool.Encrypt(ctx(t), plain, filepath.Join(f.dir, "secrets.yaml"), Options{})
	if !errors.Is(err, ErrLeftPlaintext) {
		t.Fatalf("want ErrLeftPlaintext, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"secrets.DB_PASSWORD", "note_unencrypted", "encrypted_regex: ^(data|stringData)$", ".sops.yaml"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, "secrets.EMPTY") || strings.Contains(msg, secret) {
		t.Errorf("message names an empty value or shows the secret: %s", msg)
	}
	// Only the sensitive path must be encrypted: the default _unencrypted suffix then passes.
	writeFile(t, filepath.Join(f.dir, ".sops.yaml"), "creation_rules:\n  - age: "+f.recipient+"\n")
	if _, err := f.tool.Encrypt(ctx(t), plain, filepath.Join(f.dir, "secrets.yaml"), Options{Sensitive: [][]string{{"secrets"}}}); err != nil {
		t.Errorf("sensitive secrets only: %v", err)
	}
	if _, err := f.tool.Encrypt(ctx(t), plain, filepath.Join(f.dir, "secrets.yaml"), Options{}); !errors.Is(err, ErrLeftPlaintext) || !strings.Contains(err.Error(), "note_unencrypted") {
		t.Errorf("every value: want ErrLeftPlaintext for note_unencrypted, got %v", err)
	}
}

// Explicit age recipients ignore .sops.yaml (even one that matches nothing) and the
// key-choosing environment variables.
func TestEncryptAgeRecipients(t *testing.T) {
	f := newFixture(t)
	writeFile(t, filepath.Join(f.dir, ".sops.yaml"), "creation_rules:\n  - path_regex: ^nothing$\n    age: "+f.recipient+"\n")
	target := filepath.Join(f.dir, "secrets.yaml")
	if _, err := f.tool.Encrypt(ctx(t), []byte("a: b\n"), target, Options{}); !errors.Is(err, ErrNoRule) {
		t.Fatalf("without recipients: want ErrNoRule, got %v", err)
	}
	tool := Tool{Env: append(f.tool.Env, "SOPS_PGP_FP=FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4", "SOPS_KMS_ARN=arn:aws:kms:us-east-1:1:key/x")}
	_, other := ageKey(t, t.TempDir(), "other")
	enc, err := tool.Encrypt(ctx(t), []byte("a: b\n"), target, Options{AgeRecipients: []string{f.recipient, other}})
	if err != nil {
		t.Fatal(err)
	}
	if got := Keys(enc); !reflect.DeepEqual(got, []Key{{Type: KeyAge, ID: f.recipient}, {Type: KeyAge, ID: other}}) {
		t.Errorf("keys = %+v", got)
	}
	if dec, err := tool.Decrypt(ctx(t), enc, target); err != nil || string(dec) != "a: b\n" {
		t.Errorf("decrypt: %q %v", dec, err)
	}
	if _, err := tool.Encrypt(ctx(t), []byte("a: b\n"), target, Options{AgeRecipients: []string{"a,b"}}); !errors.Is(err, ErrConfig) {
		t.Errorf("comma in a recipient: want ErrConfig, got %v", err)
	}
	if _, err := tool.Encrypt(ctx(t), []byte("a: b\n"), target, Options{AgeRecipients: []string{"age1notakey"}}); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "age") {
		t.Errorf("invalid recipient: want ErrConfig, got %v", err)
	}
}

// Without a rule, the error says why: no config at all, or which config and path form.
func TestEncryptNoRule(t *testing.T) {
	f := newFixture(t)
	if err := os.Remove(filepath.Join(f.dir, ".sops.yaml")); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(f.dir, "deploy", "secrets.yaml")
	_, err := f.tool.Encrypt(ctx(t), []byte("a: b\n"), target, Options{})
	if !errors.Is(err, ErrNoRule) || !strings.Contains(err.Error(), "no .sops.yaml found") {
		t.Errorf("no config: %v", err)
	}
	writeFile(t, filepath.Join(f.dir, ".sops.yaml"), "creation_rules:\n  - path_regex: ^secrets\\.yaml$\n    age: "+f.recipient+"\n")
	_, err = f.tool.Encrypt(ctx(t), []byte("a: b\n"), target, Options{})
	if !errors.Is(err, ErrNoRule) || !strings.Contains(err.Error(), filepath.Join(f.dir, ".sops.yaml")) || !strings.Contains(err.Error(), `"deploy/secrets.yaml"`) {
		t.Errorf("no matching rule: %v", err)
	}
	if entries, _ := os.ReadDir(f.dir); len(entries) != 1 {
		t.Errorf("something was written: %v", entries)
	}
}

// Decryption failures are told apart, each naming what to fix, never a value.
func TestDecryptClassifiesFailures(t *testing.T) {
	f := newFixture(t)
	secret := "Decrypt-Me-If-You-Can-42"
	target := filepath.Join(f.dir, "secrets.yaml")
	enc, err := f.tool.Encrypt(ctx(t), []byte("secrets:\n  DB_PASSWORD: \""+secret+"\"\n"), target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	otherKey, _ := ageKey(t, t.TempDir(), "other")
	short := Key{Type: KeyAge, ID: f.recipient}.Short()
	damaged := regexp.MustCompile(`data:[A-Za-z0-9+/]`).ReplaceAllFunc(enc, func(b []byte) []byte {
		if b[5] == 'A' {
			return []byte("data:B")
		}
		return []byte("data:A")
	})
	cases := []struct {
		name string
		tool Tool
		data []byte
		want error
		says []string
	}{
		{"no key anywhere", Tool{Env: testEnv(t)}, enc, ErrNoKey,
			[]string{"secrets.yaml", short, "SOPS_AGE_KEY_FILE (now unset)", "~/.config/sops/age/keys.txt"}},
		{"key file missing", Tool{Env: testEnv(t, "SOPS_AGE_KEY_FILE=/nonexistent/keys.txt")}, enc, ErrNoKey,
			[]string{"SOPS_AGE_KEY_FILE (now /nonexistent/keys.txt)", "no such file"}},
		{"wrong key", Tool{Env: testEnv(t, "SOPS_AGE_KEY_FILE="+otherKey)}, enc, ErrWrongKey,
			[]string{short, "SOPS_AGE_KEY_FILE (now " + otherKey + ")", "age-keygen -y"}},
		{"plaintext", f.tool, []byte("secrets:\n  DB_PASSWORD: x\n"), ErrNotEncrypted, []string{"sops: metadata"}},
		{"damaged", f.tool, damaged, ErrDamaged, []string{"restore it"}},
		{"sops missing", Tool{Env: []string{"PATH=" + t.TempDir()}}, enc, ErrNotInstalled,
			[]string{"go install github.com/getsops/sops/v3/cmd/sops@v" + TestedVersion}},
	}
	for _, c := range cases {
		_, err := c.tool.Decrypt(ctx(t), c.data, target)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: want %v, got %v", c.name, c.want, err)
			continue
		}
		for _, s := range c.says {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: message lacks %q: %s", c.name, s, err)
			}
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: message shows the secret", c.name)
		}
	}
}

func TestIsEncryptedAndKeys(t *testing.T) {
	f := newFixture(t)
	enc, err := f.tool.Encrypt(ctx(t), []byte("a: b\n"), filepath.Join(f.dir, "x.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	jsonEnc, err := f.tool.Encrypt(ctx(t), []byte(`{"a": "b"}`), filepath.Join(f.dir, "x.yaml"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data string
		want bool
	}{
		{"sops output", string(enc), true},
		{"sops output of a JSON input", string(jsonEnc), true},
		{"plaintext", "secrets:\n  A: b\n", false},
		{"empty sops mapping", "sops: {}\n", false},
		{"sops without lastmodified", "sops:\n  mac: x\n", false},
		{"minimal metadata", "a: b\nsops:\n  mac: x\n  lastmodified: y\n", true},
		{"JSON metadata", `{"a": "b", "sops": {"mac": "x", "lastmodified": "y"}}`, true},
		{"nested sops", "x:\n  sops:\n    mac: x\n    lastmodified: y\n", false},
		{"sops is a string", "sops: mac lastmodified\n", false},
		{"a list", "- sops\n", false},
		{"not YAML", "a: [\n", false},
		{"empty", "", false},
	}
	for _, c := range cases {
		if got := IsEncrypted([]byte(c.data)); got != c.want {
			t.Errorf("%s: IsEncrypted = %v, want %v", c.name, got, c.want)
		}
	}
	if got := Keys(enc); !reflect.DeepEqual(got, []Key{{Type: KeyAge, ID: f.recipient}}) {
		t.Errorf("Keys = %+v", got)
	}
	meta := "a: b\nsops:\n  mac: x\n  lastmodified: y\n  kms:\n    - arn: arn:aws:kms:r:1:key/k\n      role: arn:aws:iam::1:role/r\n" +
		"  key_groups:\n    - pgp:\n        - fp: ABCD\n      hc_vault:\n        - vault_address: https://v:8200\n          engine_path: sops\n          key_name: k\n"
	want := []Key{{Type: KeyKMS, ID: "arn:aws:kms:r:1:key/k", Role: "arn:aws:iam::1:role/r"}, {Type: KeyVault, ID: "https://v:8200/v1/sops/keys/k"}, {Type: KeyPGP, ID: "ABCD"}}
	if got := Keys([]byte(meta)); !reflect.DeepEqual(got, want) {
		t.Errorf("Keys(metadata) = %+v, want %+v", got, want)
	}
}

// sops missing, too old, or unreadable: an error saying how to install it, and nothing written.
func TestCheckVersions(t *testing.T) {
	realSops(t)
	bin := t.TempDir()
	cases := []struct {
		name, body string
		want       error
		says       string
	}{
		{"3.8.1", "echo 'sops 3.8.1 (latest)'\n", ErrTooOld, "sops 3.8.1"},
		{"3.10.2", "echo 'sops 3.10.2'\n", ErrTooOld, "sops 3.10.2"},
		{"garbage", "echo 'hello'\n", ErrTooOld, "cannot read a version"},
		{"fails", "exit 3\n", ErrTooOld, "--version` failed"},
		{"3.11.0", "echo 'sops 3.11.0'\n", nil, ""},
		{"4.0.0", "echo 'sops 4.0.0'\n", nil, ""},
	}
	for _, c := range cases {
		tool := Tool{Bin: script(t, bin, "sops-"+c.name, c.body), Env: testEnv(t)}
		v, err := tool.Check(ctx(t))
		if !errors.Is(err, c.want) || (err == nil) != (c.want == nil) {
			t.Errorf("%s: want %v, got %v", c.name, c.want, err)
			continue
		}
		if err != nil {
			for _, s := range []string{c.says, MinVersion, "go install github.com/getsops/sops/v3/cmd/sops@v" + TestedVersion, "https://github.com/getsops/sops/releases"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%s: message lacks %q: %s", c.name, s, err)
				}
			}
		} else if v != c.name {
			t.Errorf("%s: version %q", c.name, v)
		}
	}
	// The real one, found on PATH.
	if v, err := (Tool{Env: testEnv(t)}).Check(ctx(t)); err != nil || compareVersions(v, MinVersion) < 0 {
		t.Errorf("real sops: %q %v", v, err)
	}
	// Missing: PATH without sops. Encrypt fails the same way and writes nothing.
	f := newFixture(t)
	for _, tool := range []Tool{{Env: []string{"PATH=" + t.TempDir()}}, {Bin: script(t, bin, "old", "echo 'sops 3.8.1'\n"), Env: f.tool.Env}} {
		_, err := tool.Encrypt(ctx(t), []byte("secrets:\n  A: Plaintext-Secret\n"), filepath.Join(f.dir, "secrets.yaml"), Options{})
		if !errors.Is(err, ErrNotInstalled) && !errors.Is(err, ErrTooOld) || !strings.Contains(err.Error(), "go install github.com/getsops/sops/v3/cmd/sops@v") {
			t.Errorf("Encrypt with sops missing or old: %v", err)
		}
	}
	if entries, _ := os.ReadDir(f.dir); len(entries) != 1 {
		t.Errorf("something was written: %v", entries)
	}
}

// No value ever appears in sops's argv: every call goes through a wrapper that logs its
// arguments.
func TestNoValueInArgv(t *testing.T) {
	f := newFixture(t)
	log := filepath.Join(t.TempDir(), "argv.log")
	wrapper := script(t, t.TempDir(), "sops", `printf '%s\n' "$*" >> "$ARGV_LOG"; exec "$REAL_SOPS" "$@"`+"\n")
	tool := Tool{Bin: wrapper, Env: append(f.tool.Env, "ARGV_LOG="+log, "REAL_SOPS="+realSops(t))}
	var secrets []string
	for range 3 {
		var b [12]byte
		_, _ = rand.Read(b[:])
		secrets = append(secrets, "argv-secret-"+hex.EncodeToString(b[:]))
	}
	target := filepath.Join(f.dir, "secrets.yaml")
	enc, err := tool.Encrypt(ctx(t), []byte("secrets:\n  A: "+secrets[0]+"\n  B: "+secrets[1]+"\n"), target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tool.Decrypt(ctx(t), enc, target); err != nil {
		t.Fatal(err)
	}
	if _, err := tool.SetValues(ctx(t), target, enc, nil, []Set{{Path: []string{"secrets", "A"}, Value: secrets[2]}}); err != nil {
		t.Fatal(err)
	}
	argv, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"encrypt", "decrypt", "set", "--value-stdin"} {
		if !strings.Contains(string(argv), want) {
			t.Errorf("the wrapper did not see %q (argv log: %s)", want, argv)
		}
	}
	for _, s := range secrets {
		if strings.Contains(string(argv), s) {
			t.Errorf("a value was passed in argv: %s", argv)
		}
	}
}

// The metadata is looked for only where the word sops stands outside a comment line, and
// found there in every form sops writes.
func TestMentionsSops(t *testing.T) {
	for text, want := range map[string]bool{
		"":                                   false,
		"a: b\n":                             false,
		"# encrypt with sops\na: b\n":        false,
		"a: b\n  # .sops.yaml rule\nc: d\n":  false,
		"a: b\nsops:\n  mac: x\n":            true,
		`{"a": "b", "sops": {"mac": "x"}}`:   true,
		"a: b # sops\n":                      true, // a trailing comment: parsed to be sure
		"# sops\n# sops\nsops:\n":            true,
		"a: b\n\t# sops in an indented note": false,
	} {
		if got := mentionsSops([]byte(text)); got != want {
			t.Errorf("mentionsSops(%q) = %v, want %v", text, got, want)
		}
	}
	// A document sops wrote is still recognised after its header comment names sops.
	doc := "# written by crewai-setup; see .sops.yaml\nsecrets:\n  A: ENC[AES256_GCM,data:x]\nsops:\n  mac: ENC[x]\n  lastmodified: \"2026-01-01T00:00:00Z\"\n"
	if !IsEncrypted([]byte(doc)) {
		t.Error("a SOPS document with a comment naming sops is not recognised")
	}
	if IsEncrypted([]byte("# sops:\n#   mac: x\n#   lastmodified: y\na: b\n")) {
		t.Error("metadata in comments counts as encrypted")
	}
}

// A huge document that names sops outside a comment is refused by the input guard before it
// is parsed: looking for sops metadata in it costs neither seconds nor gigabytes (a plain
// parse of these 14 MB took 19 s and 1.3 GB), and the checks that parse sops's output and a
// plaintext for messages are bounded the same way.
func TestMetadataLookupIsBounded(t *testing.T) {
	doc := []byte("sops: x\nlist:\n" + strings.Repeat("- x\n", 3_500_000))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	if IsEncrypted(doc) {
		t.Error("IsEncrypted: a list with sops: x is a SOPS document")
	}
	if k := Keys(doc); k != nil {
		t.Errorf("Keys = %v", k)
	}
	if left := plaintextLeaves(doc, nil); len(left) != 1 || !strings.Contains(left[0], "whole document") {
		t.Errorf("plaintextLeaves of a refused document: %d paths, want the whole document", len(left))
	}
	_ = docValues(doc)
	runtime.ReadMemStats(&after)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("looking at a 14 MB document took %v", d)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 128<<20 {
		t.Errorf("looking at a 14 MB document allocated %d MB", alloc>>20)
	}
}

// A Tool from NewTool asks sops's version once for all its copies; a copy running another
// executable is checked anew, and a cancelled check is not remembered.
func TestNewToolChecksOnce(t *testing.T) {
	realSops(t)
	dir := t.TempDir()
	count := filepath.Join(dir, "count")
	body := `echo x >> "$COUNT"; echo 'sops 3.13.3'` + "\n"
	tool := NewTool()
	tool.Bin, tool.Env = script(t, dir, "sops-a", body), testEnv(t, "COUNT="+count)
	cancelled, cancel := context.WithCancel(ctx(t))
	cancel()
	if _, err := tool.Check(cancelled); err == nil {
		t.Fatal("a cancelled check passed")
	}
	for _, c := range []Tool{tool, tool, tool} {
		if _, err := c.Check(ctx(t)); err != nil {
			t.Fatal(err)
		}
	}
	other := tool
	other.Bin = script(t, dir, "sops-b", "echo 'sops 3.8.1'\n")
	if _, err := other.Check(ctx(t)); !errors.Is(err, ErrTooOld) {
		t.Errorf("a copy running an old sops: %v", err)
	}
	if runs, _ := os.ReadFile(count); strings.Count(string(runs), "x") != 1 {
		t.Errorf("sops-a was asked its version %d times after a cancelled check, want 1", strings.Count(string(runs), "x"))
	}
}

// A rule Find reported is used as given: Encrypt does not look for .sops.yaml again (here the
// file's own directory has none at all).
func TestEncryptWithFoundRule(t *testing.T) {
	f := newFixture(t)
	rule, found, err := f.tool.Find(filepath.Join(f.dir, "secrets.yaml"))
	if err != nil || !found {
		t.Fatalf("Find: %v %v", found, err)
	}
	target := filepath.Join(t.TempDir(), "secrets.yaml")
	enc, err := f.tool.Encrypt(ctx(t), []byte("a: b\n"), target, Options{Rule: &rule})
	if err != nil {
		t.Fatal(err)
	}
	if keys := Keys(enc); !reflect.DeepEqual(keys, []Key{{Type: KeyAge, ID: f.recipient}}) {
		t.Errorf("encrypted for %v, want the rule's key", keys)
	}
}

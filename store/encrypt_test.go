package store

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"crewai-setup/internal/helmtest"
	"crewai-setup/internal/testtool"
	"crewai-setup/model"
	"crewai-setup/render"
	"crewai-setup/render/yamledit"
	"crewai-setup/store/sops"
	"crewai-setup/store/sops/sopstest"
)

// sopsDir is an output directory with a fresh age key (kept outside it) and a sops
// environment holding nothing of the developer's.
type sopsDir struct {
	dir, keyFile, recipient string
	opts                    Options
}

// newSopsDir makes the directory; rules, when not empty, is written as its .sops.yaml with
// RECIPIENT replaced by the key's recipient.
func newSopsDir(t *testing.T, rules string) sopsDir {
	t.Helper()
	sopstest.Need(t)
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s := sopsDir{dir: dir}
	s.keyFile, s.recipient = sopstest.AgeKey(t, t.TempDir(), "key")
	s.opts = DefaultOptions()
	s.opts.Sops = sops.Tool{Env: sopstest.Env(t, "SOPS_AGE_KEY_FILE="+s.keyFile)}
	if rules != "" {
		writeTestFile(t, filepath.Join(dir, ".sops.yaml"), strings.ReplaceAll(rules, "RECIPIENT", s.recipient))
	}
	return s
}

func writeTestFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (s sopsDir) path(name string) string { return filepath.Join(s.dir, name) }

// plan plans the encryption of s's secrets.yaml into s.opts, failing the test on an error.
func (s *sopsDir) plan(t *testing.T, mode EncryptMode, recipients ...string) {
	t.Helper()
	e, _, err := s.opts.PlanEncryption(context.Background(), s.path("secrets.yaml"), mode, recipients)
	if err != nil || e == nil {
		t.Fatalf("no encryption planned: %v", err)
	}
	s.opts.Encrypt = e
}

// decrypt decrypts a file with the real sops and s's key.
func (s sopsDir) decrypt(t *testing.T, name string) []byte {
	t.Helper()
	cmd := exec.Command(testtool.Path(t, "sops"), "decrypt", s.path(name))
	cmd.Env = s.opts.Sops.Env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sops decrypt %s: %v: %s", name, err, out)
	}
	return out
}

// secretAnswers is a small install whose secrets are recognisable.
func secretAnswers(t *testing.T) *model.Answers {
	t.Helper()
	a := model.NewAnswers(model.NewCatalog())
	a.SetBool("postgres.enabled", true)
	a.Set("envVars.AUTH_PROVIDER", "local")
	a.Set("secrets.DB_PASSWORD", sopstest.Marker("db-password"))
	a.Set("secrets.SECRET_KEY_BASE", sopstest.Marker("secret-key-base"))
	return a
}

func dirHas(t *testing.T, dir string, names ...string) []string {
	t.Helper()
	var found []string
	for _, n := range names {
		if _, err := os.Lstat(filepath.Join(dir, n)); err == nil {
			found = append(found, n)
		}
	}
	return found
}

// How the secrets file will be written, for every mode: a rule found, none, the wrong one,
// recipients given, and a sops that is missing or too old (only asked for when needed).
func TestPlanEncryption(t *testing.T) {
	sopstest.Need(t)
	oldSops := sopstest.Script(t, t.TempDir(), "sops", "echo 'sops 3.8.1 (latest)'\n")
	for _, tc := range []struct {
		name, rules string
		mode        EncryptMode
		recipients  bool
		tool        func(s sopsDir) sops.Tool
		wantErr     error
		wantPlan    string // what Describe says, "" for plaintext
		wantWarn    string
		wantText    []string // in the error
	}{
		{name: "auto without .sops.yaml: plaintext", mode: EncryptAuto},
		{name: "auto with a rule", rules: "creation_rules:\n  - path_regex: secrets\\.yaml$\n    age: RECIPIENT\n", mode: EncryptAuto,
			wantPlan: "per .sops.yaml (rule 1)"},
		{name: "the second rule matches", rules: "creation_rules:\n  - path_regex: ^prod/\n    age: RECIPIENT\n  - age: RECIPIENT\n", mode: EncryptAuto,
			wantPlan: "per .sops.yaml (rule 2)"},
		{name: "sops without .sops.yaml", mode: EncryptSops, wantErr: sops.ErrNoRule,
			wantText: []string{"no .sops.yaml", "--sops-age", "--encrypt=none"}},
		{name: "sops with no matching rule", rules: "creation_rules:\n  - path_regex: other\\.yaml$\n    age: RECIPIENT\n", mode: EncryptSops,
			wantErr: sops.ErrNoRule, wantText: []string{"no creation rule in", `matched against "secrets.yaml"`}},
		{name: "none with a rule warns", rules: "creation_rules:\n  - age: RECIPIENT\n", mode: EncryptNone,
			wantWarn: "written in plaintext"},
		{name: "recipients without .sops.yaml", mode: EncryptAuto, recipients: true, wantPlan: "the age recipients age1…"},
		{name: "recipients with none", mode: EncryptNone, recipients: true, wantText: []string{"drop one of them"}},
		{name: "sops missing, a rule matches", rules: "creation_rules:\n  - age: RECIPIENT\n", mode: EncryptAuto,
			tool:    func(sopsDir) sops.Tool { return sops.Tool{Env: []string{"PATH=" + t.TempDir()}} },
			wantErr: sops.ErrNotInstalled, wantText: []string{"go install github.com/getsops/sops/v3/cmd/sops@v" + sops.TestedVersion, "nothing was written"}},
		{name: "sops missing, nothing to encrypt", mode: EncryptAuto,
			tool: func(sopsDir) sops.Tool { return sops.Tool{Env: []string{"PATH=" + t.TempDir()}} }},
		{name: "sops too old", mode: EncryptAuto, recipients: true,
			tool:    func(s sopsDir) sops.Tool { return sops.Tool{Bin: oldSops, Env: s.opts.Sops.Env} },
			wantErr: sops.ErrTooOld, wantText: []string{"3.8.1", sops.MinVersion}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSopsDir(t, tc.rules)
			if tc.tool != nil {
				s.opts.Sops = tc.tool(s)
			}
			var recipients []string
			if tc.recipients {
				recipients = []string{s.recipient}
			}
			t.Chdir(s.dir)
			e, warnings, err := s.opts.PlanEncryption(context.Background(), "secrets.yaml", tc.mode, recipients)
			switch {
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			case tc.wantErr == nil && len(tc.wantText) == 0 && err != nil:
				t.Fatalf("unexpected error: %v", err)
			}
			for _, want := range tc.wantText {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("the error does not say %q: %v", want, err)
				}
			}
			switch {
			case tc.wantPlan == "" && e != nil:
				t.Errorf("planned %s, want plaintext", e.Describe("."))
			case tc.wantPlan != "" && (e == nil || !strings.Contains(e.Describe("."), tc.wantPlan)):
				t.Errorf("planned %v, want %q", e, tc.wantPlan)
			}
			if got := strings.Join(warnings, "\n"); (tc.wantWarn == "") != (got == "") || !strings.Contains(got, tc.wantWarn) {
				t.Errorf("warnings %q, want %q", got, tc.wantWarn)
			}
			// The wizard's sentence agrees with the plan, without running sops.
			if err == nil {
				w := model.Wizard{Encrypt: string(tc.mode), SopsAge: recipients}
				note := s.opts.EncryptionNote("secrets.yaml", w)
				if want := "will be written in plaintext"; e != nil {
					want = e.Describe(".")
					if note != want {
						t.Errorf("EncryptionNote says %q, the plan %q", note, want)
					}
				} else if !strings.Contains(note, want) {
					t.Errorf("EncryptionNote says %q", note)
				}
			}
		})
	}
}

// A fresh save with encryption writes secrets.yaml only as ciphertext for the rule's key: sops
// decrypts it to what Helm would have read from the plaintext; the summary says so and gives
// the command; in a Git work tree the encrypted file is not ignored (it may be committed), its
// backups, temporary and lock files are.
func TestSaveEncrypted(t *testing.T) {
	s := newSopsDir(t, "creation_rules:\n  - path_regex: \\.yaml$\n    age: RECIPIENT\n")
	if out, err := exec.Command(testtool.Path(t, "git"), "init", "-q", s.dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	s.plan(t, EncryptAuto)
	a := secretAnswers(t)
	res, err := s.opts.Save(a, nil, s.dir)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := os.ReadFile(s.path("secrets.yaml"))
	if !sops.IsEncrypted(enc) {
		t.Fatalf("secrets.yaml is not a SOPS file:\n%s", enc)
	}
	if keys := sops.Keys(enc); len(keys) != 1 || keys[0].ID != s.recipient {
		t.Errorf("encrypted for %v, want %s", keys, s.recipient)
	}
	for _, p := range []string{"secrets.DB_PASSWORD", "secrets.SECRET_KEY_BASE"} {
		if strings.Contains(string(enc), a.Get(p)) {
			t.Errorf("%s is in the encrypted file in plaintext", p)
		}
	}
	plain, err := yamledit.Encode(render.SecretsDocument(a))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := helmtest.Values(t, "the decryption", s.decrypt(t, "secrets.yaml")), helmtest.Values(t, "the plaintext", plain); !reflect.DeepEqual(got, want) {
		t.Errorf("Helm reads the decrypted secrets.yaml as\n%v\nwant\n%v", got, want)
	}
	if values, _ := os.ReadFile(s.path("values.yaml")); sops.IsEncrypted(values) {
		t.Error("values.yaml, which holds no secret, was encrypted")
	}
	summary := string(res.Files.Summary)
	for _, want := range []string{"encrypted with sops for " + (sops.Key{Type: sops.KeyAge, ID: s.recipient}).Short(),
		"sops decrypt secrets.yaml | helm upgrade --install", "-f values.yaml -f -", "helm secrets upgrade --install"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary does not say %q", want)
		}
	}
	if disk, _ := os.ReadFile(s.path("summary.md")); string(disk) != summary {
		t.Error("summary.md is not the summary returned")
	}
	ignore, _ := os.ReadFile(s.path(".gitignore"))
	for _, line := range strings.Split(string(ignore), "\n") {
		if line == "/secrets.yaml" {
			t.Errorf(".gitignore ignores the encrypted secrets.yaml:\n%s", ignore)
		}
	}
	if !strings.Contains(string(ignore), "/secrets.yaml.bak-*") {
		t.Errorf(".gitignore does not ignore the backups:\n%s", ignore)
	}
	if res.GitWarning != "" {
		t.Errorf("a Git warning for an encrypted file: %s", res.GitWarning)
	}
}

// values.yaml holding a secret (WORKOS_COOKIE_PASSWORD) follows the same rule: encrypted when
// a rule covers it (the secret encrypted, Helm reading the same values after sops), in plaintext
// with a warning in auto mode when none does, refused in sops mode, refused when the rule
// would leave the secret unencrypted; a refusal writes nothing.
func TestSaveValuesWithSecret(t *testing.T) {
	both := "creation_rules:\n  - path_regex: (values|secrets)\\.yaml$\n    age: RECIPIENT\n"
	onlySecrets := "creation_rules:\n  - path_regex: secrets\\.yaml$\n    age: RECIPIENT\n"
	narrow := "creation_rules:\n  - path_regex: secrets\\.yaml$\n    age: RECIPIENT\n  - path_regex: values\\.yaml$\n    encrypted_regex: ^secrets$\n    age: RECIPIENT\n"
	for _, tc := range []struct {
		name, rules   string
		mode          EncryptMode
		wantEncrypted bool
		wantWarn      string
		wantErr       error
	}{
		{"a rule covers values.yaml", both, EncryptAuto, true, "", nil},
		{"auto, no rule for values.yaml", onlySecrets, EncryptAuto, false, "values.yaml holds the secret envVars.WORKOS_COOKIE_PASSWORD but is written in plaintext", nil},
		{"sops, no rule for values.yaml", onlySecrets, EncryptSops, false, "", sops.ErrNoRule},
		{"the rule leaves the secret unencrypted", narrow, EncryptAuto, false, "", sops.ErrLeftPlaintext},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSopsDir(t, tc.rules)
			s.plan(t, tc.mode)
			a := secretAnswers(t)
			cookie := sopstest.Marker("cookie-password-at-least-32-characters")
			a.Set("envVars.WORKOS_COOKIE_PASSWORD", cookie)
			res, err := s.opts.Save(a, nil, s.dir)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), "nothing was written") || strings.Contains(err.Error(), cookie) {
					t.Fatalf("error %v, want %v saying nothing was written, without the value", err, tc.wantErr)
				}
				if got := dirHas(t, s.dir, "values.yaml", "secrets.yaml", "summary.md"); len(got) > 0 {
					t.Fatalf("written after the refusal: %v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			values, _ := os.ReadFile(s.path("values.yaml"))
			if sops.IsEncrypted(values) != tc.wantEncrypted {
				t.Fatalf("values.yaml encrypted: %v, want %v", sops.IsEncrypted(values), tc.wantEncrypted)
			}
			if got := strings.Join(res.Warnings, "\n"); (tc.wantWarn == "") != (got == "") || !strings.Contains(got, tc.wantWarn) {
				t.Errorf("warnings %q, want %q", got, tc.wantWarn)
			}
			if !tc.wantEncrypted {
				return
			}
			if strings.Contains(string(values), cookie) {
				t.Error("the cookie password is in values.yaml in plaintext")
			}
			m := helmtest.Values(t, "the decrypted values.yaml", s.decrypt(t, "values.yaml"))
			if env, _ := m["envVars"].(map[string]any); env["WORKOS_COOKIE_PASSWORD"] != cookie {
				t.Errorf("Helm reads WORKOS_COOKIE_PASSWORD as %#v", env["WORKOS_COOKIE_PASSWORD"])
			}
			if !strings.Contains(string(res.Files.Summary), "-f <(sops decrypt values.yaml) -f <(sops decrypt secrets.yaml)") {
				t.Errorf("the summary's helm command does not decrypt both files:\n%s", res.Files.Summary)
			}
		})
	}
}

// Reading a SOPS file decrypts it in memory; findings name the decrypted document; without the
// key the error names sops and the key source.
func TestReadEncrypted(t *testing.T) {
	s := newSopsDir(t, "creation_rules:\n  - age: RECIPIENT\n")
	s.plan(t, EncryptAuto)
	a := secretAnswers(t)
	if _, err := s.opts.Save(a, nil, s.dir); err != nil {
		t.Fatal(err)
	}
	secrets := s.path("secrets.yaml")
	x, _, err := s.opts.ReadExisting(model.NewCatalog(), s.dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := x.Answers.Get("secrets.DB_PASSWORD"); got != a.Get("secrets.DB_PASSWORD") {
		t.Errorf("DB_PASSWORD read as %q", got)
	}
	if pos := x.Answers.Pos("secrets.DB_PASSWORD"); pos.File != sops.DecryptedLabel(secrets) || pos.Line == 0 {
		t.Errorf("the position of DB_PASSWORD is %+v, want a line of %s", pos, sops.DecryptedLabel(secrets))
	}
	if got := x.Encrypted(); len(got) != 1 || got[0] != secrets {
		t.Errorf("Encrypted() = %v", got)
	}
	plain, name, err := s.opts.ReadValuesFile(secrets)
	if err != nil || name != sops.DecryptedLabel(secrets) || !strings.Contains(string(plain), a.Get("secrets.DB_PASSWORD")) {
		t.Errorf("ReadValuesFile: %q, %v", name, err)
	}
	if _, name, err := s.opts.ReadValuesFile(s.path("values.yaml")); err != nil || name != s.path("values.yaml") {
		t.Errorf("ReadValuesFile of a plaintext file: %q, %v", name, err)
	}

	keyless := s.opts
	keyless.Sops = sops.Tool{Env: sopstest.Env(t)}
	for what, read := range map[string]func() error{
		"ReadExisting":   func() error { _, _, err := keyless.ReadExisting(model.NewCatalog(), s.dir); return err },
		"ReadValuesFile": func() error { _, _, err := keyless.ReadValuesFile(secrets); return err },
	} {
		err := read()
		if !errors.Is(err, sops.ErrNoKey) || !strings.Contains(err.Error(), "SOPS_AGE_KEY_FILE") || !strings.Contains(err.Error(), secrets) {
			t.Errorf("%s without the key: %v", what, err)
		}
	}
}

// Editing an encrypted file in place changes only the edited value's ciphertext and sops's
// metadata; the backup is the encrypted old file; the result decrypts to the new value; a
// failed read-back puts the old file back.
func TestWriteEncrypted(t *testing.T) {
	s := newSopsDir(t, "creation_rules:\n  - age: RECIPIENT\n")
	if out, err := exec.Command(testtool.Path(t, "git"), "init", "-q", s.dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	s.plan(t, EncryptAuto)
	a := secretAnswers(t)
	if _, err := s.opts.Save(a, nil, s.dir); err != nil {
		t.Fatal(err)
	}
	secrets := s.path("secrets.yaml")
	before, _ := os.ReadFile(secrets)
	cat := model.NewCatalog()
	x, _, err := s.opts.ReadExisting(cat, s.dir)
	if err != nil {
		t.Fatal(err)
	}
	newValue := sopstest.Marker("new-db-password")
	res, err := x.Write([]Set{{Entry: cat.Lookup("secrets.DB_PASSWORD"), Value: newValue}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(secrets)
	if changed := sopstest.ChangedLines(string(before), string(after)); !onlyKeyAndMetadata(changed, "DB_PASSWORD") {
		t.Errorf("the edit changed more than DB_PASSWORD's ciphertext and sops's metadata:\n%s", strings.Join(changed, "\n"))
	}
	if strings.Contains(string(after), newValue) {
		t.Error("the new value is in plaintext")
	}
	m := helmtest.Values(t, "the decryption", s.decrypt(t, "secrets.yaml"))
	sec, _ := m["secrets"].(map[string]any)
	if sec["DB_PASSWORD"] != newValue || sec["SECRET_KEY_BASE"] != a.Get("secrets.SECRET_KEY_BASE") {
		t.Errorf("decrypted after the edit: DB_PASSWORD %v, SECRET_KEY_BASE %v", sec["DB_PASSWORD"] == newValue, sec["SECRET_KEY_BASE"] == a.Get("secrets.SECRET_KEY_BASE"))
	}
	var backup string
	for _, w := range res.Written {
		if w.Path == secrets {
			backup = w.Backup
		}
	}
	if old, _ := os.ReadFile(backup); backup == "" || string(old) != string(before) {
		t.Errorf("the backup %q is not the encrypted old file", backup)
	}
	if ignore, _ := os.ReadFile(s.path(".gitignore")); strings.Contains(string(ignore), "/secrets.yaml\n") || res.GitWarning != "" {
		t.Errorf("the edit made Git ignore the encrypted file, or warned (%s):\n%s", res.GitWarning, ignore)
	}

	// A read-back that fails puts the previous (encrypted) file back.
	x, _, err = s.opts.ReadExisting(cat, s.dir)
	if err != nil {
		t.Fatal(err)
	}
	x.opts.hooks = &hooks{verify: func(string, []byte, []byte, []Set) error { return errors.New("read-back mismatch") }}
	if _, err := x.Write([]Set{{Entry: cat.Lookup("secrets.DB_PASSWORD"), Value: "another"}}, nil); err == nil || !strings.Contains(err.Error(), "put back") {
		t.Fatalf("a failed read-back: %v", err)
	}
	if now, _ := os.ReadFile(secrets); string(now) != string(after) {
		t.Error("the previous encrypted file was not put back")
	}
}

// onlyKeyAndMetadata reports whether the changed lines are key's value and sops's lastmodified
// and mac, and key's value is among them.
func onlyKeyAndMetadata(changed []string, key string) bool {
	sawKey := false
	for _, l := range changed {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, key+": ENC["):
			sawKey = true
		case strings.HasPrefix(l, "lastmodified: "), strings.HasPrefix(l, "mac: ENC["):
		default:
			return false
		}
	}
	return sawKey
}

// Files read in plaintext are encrypted when Existing is told to encrypt (a re-run after a
// .sops.yaml was added): the values stay, only ciphertext reaches the disk.
func TestExistingPlaintextBecomesEncrypted(t *testing.T) {
	s := newSopsDir(t, "")
	a := secretAnswers(t)
	if _, err := s.opts.Save(a, nil, s.dir); err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, s.path(".sops.yaml"), "creation_rules:\n  - age: "+s.recipient+"\n")
	s.plan(t, EncryptAuto)
	x, _, err := s.opts.ReadExisting(model.NewCatalog(), s.dir)
	if err != nil {
		t.Fatal(err)
	}
	x.SetEncryption(s.opts.Encrypt)
	res, _, err := x.SaveInto(x.Answers.Clone(), nil, s.dir)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := os.ReadFile(s.path("secrets.yaml"))
	if !sops.IsEncrypted(enc) || strings.Contains(string(enc), a.Get("secrets.DB_PASSWORD")) {
		t.Fatalf("secrets.yaml was not encrypted:\n%s", enc)
	}
	sec, _ := helmtest.Values(t, "the decryption", s.decrypt(t, "secrets.yaml"))["secrets"].(map[string]any)
	if sec["DB_PASSWORD"] != a.Get("secrets.DB_PASSWORD") {
		t.Error("DB_PASSWORD changed on the way")
	}
	if !strings.Contains(string(res.Files.Summary), "encrypted with sops") {
		t.Error("the summary does not say secrets.yaml is encrypted")
	}
	if got := x.Encrypted(); len(got) != 1 {
		t.Errorf("Encrypted() after the write: %v", got)
	}
}

// A plaintext file encrypted on edit for a key the operator does not hold (a team's or a
// cluster's recipient) is written like a fresh Save writes it: the read-back compares the
// bytes and does not need to decrypt them.
func TestEncryptOnEditForAnotherKey(t *testing.T) {
	s := newSopsDir(t, "")
	a := secretAnswers(t)
	if _, err := s.opts.Save(a, nil, s.dir); err != nil {
		t.Fatal(err)
	}
	otherKey, other := sopstest.AgeKey(t, t.TempDir(), "cluster")
	writeTestFile(t, s.path(".sops.yaml"), "creation_rules:\n  - age: "+other+"\n")
	s.plan(t, EncryptSops)
	cat := model.NewCatalog()
	x, _, err := s.opts.ReadExisting(cat, s.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	x.SetEncryption(s.opts.Encrypt)
	newValue := sopstest.Marker("new-db-password")
	if _, err := x.Write([]Set{{Entry: cat.Lookup("secrets.DB_PASSWORD"), Value: newValue}}, nil); err != nil {
		t.Fatalf("encrypting on edit for a key not held here: %v", err)
	}
	enc, _ := os.ReadFile(s.path("secrets.yaml"))
	if keys := sops.Keys(enc); len(keys) != 1 || keys[0].ID != other || strings.Contains(string(enc), newValue) {
		t.Fatalf("secrets.yaml is not encrypted for the other key only: %v", keys)
	}
	s.opts.Sops.Env = sopstest.Env(t, "SOPS_AGE_KEY_FILE="+otherKey)
	sec, _ := helmtest.Values(t, "the decryption", s.decrypt(t, "secrets.yaml"))["secrets"].(map[string]any)
	if sec["DB_PASSWORD"] != newValue || sec["SECRET_KEY_BASE"] != a.Get("secrets.SECRET_KEY_BASE") {
		t.Error("the values did not arrive")
	}
}

// Rotating one key of an encrypted secrets file runs sops four times, with the options a run
// uses (DefaultOptions, sops from PATH): its version once, decrypt when reading, set, and the
// decryption of set's result that checks it. Nothing is decrypted twice.
func TestRotationRunsSopsOnce(t *testing.T) {
	s := newSopsDir(t, "creation_rules:\n  - age: RECIPIENT\n")
	s.plan(t, EncryptAuto)
	if _, err := s.opts.Save(secretAnswers(t), nil, s.dir); err != nil {
		t.Fatal(err)
	}
	bin, log := t.TempDir(), filepath.Join(t.TempDir(), "argv.log")
	sopstest.Script(t, bin, "sops", `printf '%s\n' "$*" >> "$ARGV_LOG"; exec "$REAL_SOPS" "$@"`+"\n")
	o := DefaultOptions()
	o.HoldLock = true
	o.Sops.Env = sopstest.Env(t, "SOPS_AGE_KEY_FILE="+s.keyFile, "ARGV_LOG="+log, "REAL_SOPS="+testtool.Path(t, "sops"),
		"PATH="+bin+string(os.PathListSeparator)+testtool.SearchPath())
	cat := model.NewCatalog()
	x, _, err := o.ReadExisting(cat, s.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if _, err := x.Write([]Set{{Entry: cat.Lookup("secrets.DB_PASSWORD"), Value: sopstest.Marker("new")}}, nil); err != nil {
		t.Fatal(err)
	}
	argv, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(argv)), "\n") {
		for _, w := range strings.Fields(line) {
			if w == "--version" || w == "decrypt" || w == "encrypt" || w == "set" {
				runs[w]++
				break
			}
		}
	}
	if want := map[string]int{"--version": 1, "decrypt": 2, "set": 1}; !reflect.DeepEqual(runs, want) {
		t.Errorf("sops runs %v, want %v:\n%s", runs, want, argv)
	}
}

// A rotation refreshes summary.md and crewai-setup.yaml in the same set as the files, with
// the run's options (--keep-backups 0 keeps no backup of them either) and the encryption the
// write knows, whatever the files are called.
func TestRotationRefreshesSummary(t *testing.T) {
	s := newSopsDir(t, "creation_rules:\n  - age: RECIPIENT\n")
	s.plan(t, EncryptAuto)
	if _, err := s.opts.Save(secretAnswers(t), nil, s.dir); err != nil {
		t.Fatal(err)
	}
	secrets := s.path("prod-secrets.yaml")
	if err := os.Rename(s.path("secrets.yaml"), secrets); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.path("summary.md"))
	o := Options{Sops: s.opts.Sops}
	cat := model.NewCatalog()
	x, _, err := o.ReadFiles(cat, s.path("values.yaml"), secrets)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	e := cat.Lookup("secrets.DB_PASSWORD")
	after := x.Answers.Clone()
	after.Set(e.Path, sopstest.Marker("new"))
	after.MarkRotated(e.Path, "2031-02-03")
	res, err := x.Write([]Set{{Entry: e, Value: after.Get(e.Path)}}, after)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, w := range res.Written {
		names = append(names, filepath.Base(w.Path))
	}
	if !reflect.DeepEqual(names, []string{"prod-secrets.yaml", "summary.md", "crewai-setup.yaml"}) {
		t.Errorf("written %v, want the secrets file, summary.md and crewai-setup.yaml as one set", names)
	}
	summary, _ := os.ReadFile(s.path("summary.md"))
	if !strings.Contains(string(summary), "rotated 2031-02-03") || !strings.Contains(string(summary), "encrypted with sops for age1") {
		t.Errorf("summary.md does not tell the rotation of the encrypted file:\n%s", summary)
	}
	if backups, _ := filepath.Glob(filepath.Join(s.dir, "*.bak-*")); len(backups) != 0 {
		t.Errorf("backups kept with KeepBackups 0: %v", backups)
	}
	if string(before) == string(summary) {
		t.Error("summary.md was not refreshed")
	}
}

// What crewai-setup.yaml remembers decides a rotation's encryption: with encrypt: sops, a
// secrets file found in plaintext (decrypted by hand) is encrypted again for the remembered
// recipient; without it, or with the file encrypted, KeepEncrypted plans nothing.
func TestKeepEncrypted(t *testing.T) {
	s := newSopsDir(t, "")
	a := secretAnswers(t)
	a.Wizard.Encrypt, a.Wizard.SopsAge = string(EncryptSops), []string{s.recipient}
	if _, err := s.opts.Save(a, nil, s.dir); err != nil { // plaintext: no encryption planned
		t.Fatal(err)
	}
	cat := model.NewCatalog()
	x, _, err := s.opts.ReadExisting(cat, s.dir)
	if err != nil {
		t.Fatal(err)
	}
	x.Answers.Wizard.Encrypt = string(EncryptAuto)
	if _, err := x.KeepEncrypted(context.Background()); err != nil || x.opts.Encrypt != nil {
		t.Errorf("encrypt: auto remembered: encryption planned %v, %v", x.opts.Encrypt, err)
	}
	x.Answers.Wizard.Encrypt = string(EncryptSops)
	if _, err := x.KeepEncrypted(context.Background()); err != nil || x.opts.Encrypt == nil {
		t.Fatalf("encrypt: sops remembered: no encryption planned (%v)", err)
	}
	if _, err := x.Write([]Set{{Entry: cat.Lookup("secrets.DB_PASSWORD"), Value: sopstest.Marker("new")}}, nil); err != nil {
		t.Fatal(err)
	}
	if enc, _ := os.ReadFile(s.path("secrets.yaml")); !sops.IsEncrypted(enc) {
		t.Fatal("secrets.yaml was not encrypted again")
	}
	x, _, err = s.opts.ReadExisting(cat, s.dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.KeepEncrypted(context.Background()); err != nil || x.opts.Encrypt != nil {
		t.Errorf("files read encrypted: encryption planned %v, %v", x.opts.Encrypt, err)
	}
}

// sops set's working copy counts among the temporary files: a run killed while sops runs
// leaves a file that Git ignores and that a later write removes.
func TestSopsWorkingCopyIsATempFile(t *testing.T) {
	s := newSopsDir(t, "creation_rules:\n  - age: RECIPIENT\n")
	gitPath := testtool.Path(t, "git")
	if out, err := exec.Command(gitPath, "init", "-q", s.dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v: %s", err, out)
	}
	s.plan(t, EncryptAuto)
	if _, err := s.opts.Save(secretAnswers(t), nil, s.dir); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "argv.log")
	o := s.opts
	o.Sops.Bin = sopstest.Script(t, t.TempDir(), "sops", `printf '%s\n' "$*" >> "$ARGV_LOG"; exec "$REAL_SOPS" "$@"`+"\n")
	o.Sops.Env = append(slices.Clip(o.Sops.Env), "ARGV_LOG="+log, "REAL_SOPS="+testtool.Path(t, "sops"))
	rotate := func() *Result {
		t.Helper()
		cat := model.NewCatalog()
		x, _, err := o.ReadExisting(cat, s.dir)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		res, err := x.Write([]Set{{Entry: cat.Lookup("secrets.DB_PASSWORD"), Value: sopstest.Marker("new")}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	rotate()
	argv, _ := os.ReadFile(log)
	_, after, _ := strings.Cut(string(argv), "--value-stdin ")
	working, _, _ := strings.Cut(after, " ")
	if filepath.Dir(working) != s.dir || !tempName.MatchString(filepath.Base(working)) {
		t.Fatalf("sops set worked on %q, not a temporary file of secrets.yaml", working)
	}
	// What a run killed during sops set leaves behind, a while ago (a newer one may belong to
	// a run still at work: a working copy is made before the files are locked).
	writeTestFile(t, working, "left over\n")
	if r := rotate(); slices.Contains(r.TempsRemoved, working) {
		t.Errorf("a fresh working copy was removed: %v", r.TempsRemoved)
	}
	old := time.Now().Add(-2 * time.Minute)
	if err := os.Chtimes(working, old, old); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(gitPath, "-C", s.dir, "check-ignore", "-q", "--", filepath.Base(working)).CombinedOutput(); err != nil {
		t.Errorf("Git does not ignore %s: %v %s", working, err, out)
	}
	if res := rotate(); !slices.Contains(res.TempsRemoved, working) {
		t.Errorf("the next write did not remove %s (removed %v)", working, res.TempsRemoved)
	}
}

package app

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"crewai-setup/internal/helmtest"
	"crewai-setup/internal/testtool"
	"crewai-setup/model"
	"crewai-setup/store"
	"crewai-setup/store/sops"
	"crewai-setup/store/sops/sopstest"

	helmyaml "sigs.k8s.io/yaml"
)

// The tests in this file run init, check, rotate and init --from against real encrypted files,
// with the real sops and age: a fresh age key, SOPS_AGE_KEY_FILE, a .sops.yaml.

// sopsSetup is a directory with a .sops.yaml and an age key (kept outside it) that the
// process's sops environment points at.
type sopsSetup struct {
	dir, keyFile, recipient string
	// out is dir/deploy, where init writes.
	out string
}

// newSopsSetup gives the test (not parallel: it sets the process's environment) the real sops
// and age, a fresh key in SOPS_AGE_KEY_FILE, an empty HOME and none of the developer's sops
// settings; rules, when not empty, becomes dir/.sops.yaml with RECIPIENT replaced.
func newSopsSetup(t *testing.T, rules string) sopsSetup {
	t.Helper()
	sopstest.Need(t)
	t.Setenv("PATH", testtool.SearchPath()) // sops and helm from the tool cache too
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s := sopsSetup{dir: dir, out: filepath.Join(dir, "deploy")}
	s.keyFile, s.recipient = sopstest.AgeKey(t, t.TempDir(), "key")
	for _, v := range []string{"SOPS_CONFIG", "SOPS_AGE_KEY", "SOPS_AGE_KEY_CMD", "SOPS_AGE_RECIPIENTS", "SOPS_KMS_ARN", "SOPS_PGP_FP"} {
		unsetenv(t, v)
	}
	t.Setenv("SOPS_AGE_KEY_FILE", s.keyFile)
	t.Setenv("HOME", t.TempDir())
	t.Setenv("SOPS_DISABLE_VERSION_CHECK", "true")
	if rules != "" {
		mustWrite(t, filepath.Join(dir, ".sops.yaml"), strings.ReplaceAll(rules, "RECIPIENT", s.recipient))
	}
	return s
}

// unsetenv removes a variable for the test (sops takes a variable set to "" as set: an empty
// SOPS_AGE_KEY_CMD makes sops 3.13 crash).
func unsetenv(t *testing.T, name string) {
	t.Helper()
	t.Setenv(name, "") // restores the old value after the test, and refuses parallel tests
	if err := os.Unsetenv(name); err != nil {
		t.Fatal(err)
	}
}

// exampleAnswers is the example answers file's absolute path (runIn changes directory).
func exampleAnswers(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs("../testdata/answers.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sopsDecrypt decrypts a file with the real sops binary, as an operator would.
func sopsDecrypt(t *testing.T, path string) []byte {
	t.Helper()
	out, err := exec.Command(testtool.Path(t, "sops"), "decrypt", path).CombinedOutput()
	if err != nil {
		t.Fatalf("sops decrypt %s: %v: %s", path, err, out)
	}
	return out
}

// withoutRandom drops the values a run generates afresh, so that two runs compare.
func withoutRandom(m map[string]any) map[string]any {
	if s, ok := m["secrets"].(map[string]any); ok {
		delete(s, "GITHUB_WEBHOOK_SECRET_TOKEN")
	}
	delete(m, "crewaiSetup")
	return m
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// onlyCiphertextOf reports whether the changed lines are keys' values (encrypted) and sops's
// lastmodified and mac, with every key among them.
func onlyCiphertextOf(changed []string, keys ...string) bool {
	seen := map[string]bool{}
	for _, l := range changed {
		l = strings.TrimSpace(l)
		name, value, _ := strings.Cut(l, ": ")
		switch {
		case slices.Contains(keys, name) && strings.HasPrefix(value, "ENC[AES256_GCM,"):
			seen[name] = true
		case name == "lastmodified" || name == "mac":
		default:
			return false
		}
	}
	return len(seen) == len(keys)
}

// init writes secrets.yaml encrypted when a .sops.yaml rule matches it: sops decrypts it to
// what the same answers give in plaintext; crewai-setup.yaml remembers the choice; the summary
// prints a helm command that decrypts on the way in; check reads the encrypted file, and its
// findings' line numbers are those of the decrypted document, as their file name says.
func TestInitEncryptsPerSopsRule(t *testing.T) {
	s := newSopsSetup(t, "creation_rules:\n  - path_regex: secrets\\.yaml$\n    age: RECIPIENT\n")
	stdout, stderr, err := run(t, "", "init", "--answers", exampleAnswers(t), "--out", s.out, "--non-interactive")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	secrets := filepath.Join(s.out, "secrets.yaml")
	enc := mustRead(t, secrets)
	if !sops.IsEncrypted(enc) || strings.Contains(string(enc), "example-github-client-secret") {
		t.Fatalf("secrets.yaml is not encrypted:\n%s", enc)
	}
	if !strings.Contains(stderr, "note: "+secrets+" will be encrypted with sops for "+(sops.Key{Type: sops.KeyAge, ID: s.recipient}).Short()) {
		t.Errorf("init did not say for whom it encrypts:\n%s", stderr)
	}
	if values := mustRead(t, filepath.Join(s.out, "values.yaml")); sops.IsEncrypted(values) {
		t.Error("values.yaml, which holds no secret, was encrypted")
	}
	if remembered := string(mustRead(t, filepath.Join(s.out, "crewai-setup.yaml"))); !strings.Contains(remembered, `encrypt: "sops"`) {
		t.Errorf("crewai-setup.yaml does not remember the encryption:\n%s", remembered)
	}
	if !strings.Contains(stdout, "sops decrypt secrets.yaml | helm upgrade --install crewai-platform") ||
		!strings.Contains(stdout, "-f values.yaml -f -\n") {
		t.Errorf("the summary's helm command does not decrypt secrets.yaml:\n%s", stdout)
	}

	// The same answers in plaintext: Helm reads the same values.
	plainOut := filepath.Join(s.dir, "plain")
	if _, stderr, err := run(t, "", "init", "--answers", exampleAnswers(t), "--out", plainOut, "--non-interactive", "--encrypt=none"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	got := withoutRandom(helmtest.Values(t, "the decrypted secrets.yaml", sopsDecrypt(t, secrets)))
	want := withoutRandom(helmtest.Values(t, "the plaintext secrets.yaml", mustRead(t, filepath.Join(plainOut, "secrets.yaml"))))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Helm reads the decrypted secrets.yaml as\n%v\nwant\n%v", got, want)
	}

	// check: clean, then a typo sops put into the encrypted file is found at its line of the
	// decrypted document.
	report, stderr, err := run(t, "", "check", filepath.Join(s.out, "values.yaml"), secrets)
	if err != nil {
		t.Fatalf("check of the encrypted files: %v\n%s%s", err, report, stderr)
	}
	if out, err := exec.Command(testtool.Path(t, "sops"), "set", secrets, `["secrets"]["DB_PASWORD"]`, `"typo"`).CombinedOutput(); err != nil {
		t.Fatalf("sops set: %v: %s", err, out)
	}
	report, _, _ = run(t, "", "check", filepath.Join(s.out, "values.yaml"), secrets)
	line := 0
	for i, l := range strings.Split(string(sopsDecrypt(t, secrets)), "\n") {
		if strings.Contains(l, "DB_PASWORD:") {
			line = i + 1
		}
	}
	label := regexp.QuoteMeta(sops.DecryptedLabel(secrets))
	if !regexp.MustCompile(`secrets\.DB_PASWORD \(` + label + `:` + strconv.Itoa(line) + `\): .*DB_PASSWORD`).MatchString(report) {
		t.Errorf("check does not report the typo at line %d of the decrypted document:\n%s", line, report)
	}
}

// rotate and init --from keep an encrypted file encrypted and its diff small: only the changed
// keys' ciphertext and sops's lastmodified and mac; the backup is the encrypted old file; the
// new values decrypt; rotate's helm command decrypts on the way in.
func TestRotateAndFromEncrypted(t *testing.T) {
	s := newSopsSetup(t, "creation_rules:\n  - path_regex: secrets\\.yaml$\n    age: RECIPIENT\n")
	if _, stderr, err := run(t, "", "init", "--answers", exampleAnswers(t), "--out", s.out, "--non-interactive"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	secrets := filepath.Join(s.out, "secrets.yaml")
	before := mustRead(t, secrets)
	oldPlain := helmtest.Values(t, "before", sopsDecrypt(t, secrets))

	stdout, stderr, err := runIn(t, s.out, "", "rotate", "secrets.GITHUB_WEBHOOK_SECRET_TOKEN", "--yes")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	after := mustRead(t, secrets)
	if changed := sopstest.ChangedLines(string(before), string(after)); !onlyCiphertextOf(changed, "GITHUB_WEBHOOK_SECRET_TOKEN") {
		t.Errorf("rotate changed more than the key's ciphertext and sops's metadata:\n%s", strings.Join(changed, "\n"))
	}
	newPlain := helmtest.Values(t, "after", sopsDecrypt(t, secrets))
	oldSec, newSec := oldPlain["secrets"].(map[string]any), newPlain["secrets"].(map[string]any)
	if oldSec["GITHUB_WEBHOOK_SECRET_TOKEN"] == newSec["GITHUB_WEBHOOK_SECRET_TOKEN"] {
		t.Error("the rotated key decrypts to its old value")
	}
	if !reflect.DeepEqual(withoutRandom(oldPlain), withoutRandom(newPlain)) {
		t.Error("rotate changed other values")
	}
	backups, _ := filepath.Glob(secrets + ".bak-*")
	if len(backups) != 1 || string(mustRead(t, backups[0])) != string(before) {
		t.Errorf("the backup is not the encrypted old file: %v", backups)
	}
	if !strings.Contains(stdout, "sops decrypt secrets.yaml | helm upgrade --install") {
		t.Errorf("rotate's helm command does not decrypt secrets.yaml:\n%s", stdout)
	}

	// init --from with a changed value: the same small diff.
	change := filepath.Join(s.dir, "change.yaml")
	mustWrite(t, change, "secrets:\n  GITHUB_CLIENT_SECRET: \"changed-client-secret\"\n")
	before = after
	if _, stderr, err := run(t, "", "init", "--from", s.out, "--answers", change, "--non-interactive"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	after = mustRead(t, secrets)
	if changed := sopstest.ChangedLines(string(before), string(after)); !onlyCiphertextOf(changed, "GITHUB_CLIENT_SECRET") {
		t.Errorf("init --from changed more than the key's ciphertext and sops's metadata:\n%s", strings.Join(changed, "\n"))
	}
	if sec := helmtest.Values(t, "after --from", sopsDecrypt(t, secrets))["secrets"].(map[string]any); sec["GITHUB_CLIENT_SECRET"] != "changed-client-secret" {
		t.Errorf("GITHUB_CLIENT_SECRET decrypts to %v", sec["GITHUB_CLIENT_SECRET"])
	}
	if strings.Contains(string(after), "changed-client-secret") {
		t.Error("the new value is in plaintext")
	}
}

// --encrypt=sops without a rule or recipient is refused before anything is written;
// --encrypt=none with a rule writes plaintext with a warning, and a re-run remembers it.
func TestEncryptModes(t *testing.T) {
	s := newSopsSetup(t, "")
	_, stderr, err := run(t, "", "init", "--answers", exampleAnswers(t), "--out", s.out, "--non-interactive", "--encrypt=sops")
	if !errors.Is(err, ErrBadInput) || !strings.Contains(stderr, "no .sops.yaml") || !strings.Contains(stderr, "--sops-age") {
		t.Fatalf("--encrypt=sops without a rule: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(s.out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("something was written: %v", err)
	}
	if _, _, err := run(t, "", "init", "--answers", exampleAnswers(t), "--out", s.out, "--encrypt=maybe"); !errors.Is(err, ErrUsage) {
		t.Errorf("--encrypt=maybe: %v", err)
	}

	mustWrite(t, filepath.Join(s.dir, ".sops.yaml"), "creation_rules:\n  - age: "+s.recipient+"\n")
	_, stderr, err = run(t, "", "init", "--answers", exampleAnswers(t), "--out", s.out, "--non-interactive", "--encrypt=none")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	secrets := filepath.Join(s.out, "secrets.yaml")
	if sops.IsEncrypted(mustRead(t, secrets)) {
		t.Error("--encrypt=none encrypted secrets.yaml")
	}
	if !strings.Contains(stderr, "warning: "+secrets+" matches") || !strings.Contains(stderr, "written in plaintext") {
		t.Errorf("no warning that a rule matched:\n%s", stderr)
	}
	if !strings.Contains(string(mustRead(t, filepath.Join(s.out, "crewai-setup.yaml"))), `encrypt: "none"`) {
		t.Error("crewai-setup.yaml does not remember encrypt: none")
	}
	_, stderr, err = run(t, "", "init", "--from", s.out, "--non-interactive")
	if err != nil || sops.IsEncrypted(mustRead(t, secrets)) || !strings.Contains(stderr, "written in plaintext") {
		t.Errorf("a re-run forgot encrypt: none (%v):\n%s", err, stderr)
	}

	// --encrypt=sops on the plaintext files encrypts them in place, values unchanged; a later
	// --encrypt=none leaves the encrypted file encrypted and says so.
	plain := helmtest.Values(t, "the plaintext", mustRead(t, secrets))
	if _, stderr, err := run(t, "", "init", "--from", s.out, "--non-interactive", "--encrypt=sops"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !sops.IsEncrypted(mustRead(t, secrets)) || !reflect.DeepEqual(helmtest.Values(t, "the decryption", sopsDecrypt(t, secrets)), plain) {
		t.Fatal("--encrypt=sops did not encrypt the plaintext file as it was")
	}
	_, stderr, err = run(t, "", "init", "--from", s.out, "--non-interactive", "--encrypt=none")
	if err != nil || !sops.IsEncrypted(mustRead(t, secrets)) || !strings.Contains(stderr, "is encrypted with sops and stays so") {
		t.Errorf("--encrypt=none on an encrypted file (%v):\n%s", err, stderr)
	}
}

// Without sops (or with one too old) an init that must encrypt stops with the install hint and
// writes nothing; check of an encrypted file does too.
func TestSopsMissing(t *testing.T) {
	s := newSopsSetup(t, "creation_rules:\n  - age: RECIPIENT\n")
	if _, stderr, err := run(t, "", "init", "--answers", exampleAnswers(t), "--out", s.out, "--non-interactive"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	t.Setenv("PATH", t.TempDir())
	hint := "go install github.com/getsops/sops/v3/cmd/sops@v" + sops.TestedVersion
	other := filepath.Join(s.dir, "other")
	_, stderr, err := run(t, "", "init", "--answers", exampleAnswers(t), "--out", other, "--non-interactive")
	if !errors.Is(err, ErrBadInput) || !strings.Contains(stderr, hint) || !strings.Contains(stderr, "Nothing was written") {
		t.Fatalf("init without sops: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(other); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("init without sops wrote into %s", other)
	}
	_, stderr, err = run(t, "", "check", filepath.Join(s.out, "values.yaml"), filepath.Join(s.out, "secrets.yaml"))
	if !errors.Is(err, ErrBadInput) || !strings.Contains(stderr, hint) {
		t.Errorf("check without sops: %v\n%s", err, stderr)
	}
}

// Without the key, check, rotate and init --from stop (exit 2) with an error that names sops
// and the key source, and change nothing.
func TestDecryptWithoutKey(t *testing.T) {
	s := newSopsSetup(t, "creation_rules:\n  - age: RECIPIENT\n")
	if _, stderr, err := run(t, "", "init", "--answers", exampleAnswers(t), "--out", s.out, "--non-interactive"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	secrets := filepath.Join(s.out, "secrets.yaml")
	before := mustRead(t, secrets)
	unsetenv(t, "SOPS_AGE_KEY_FILE")
	for name, args := range map[string][]string{
		"check":       {"check", filepath.Join(s.out, "values.yaml"), secrets},
		"rotate":      {"rotate", "secrets.GITHUB_WEBHOOK_SECRET_TOKEN", "--yes", "--secrets", secrets, "--values", filepath.Join(s.out, "values.yaml")},
		"init --from": {"init", "--from", s.out, "--non-interactive"},
	} {
		_, stderr, err := run(t, "", args...)
		if !errors.Is(err, ErrBadInput) || !strings.Contains(stderr, "sops found no key to decrypt") || !strings.Contains(stderr, "SOPS_AGE_KEY_FILE (now unset)") {
			t.Errorf("%s without the key: %v\n%s", name, err, stderr)
		}
	}
	if string(mustRead(t, secrets)) != string(before) {
		t.Error("secrets.yaml changed")
	}
	if backups, _ := filepath.Glob(secrets + ".bak-*"); len(backups) > 0 {
		t.Errorf("backups made: %v", backups)
	}
}

// --sops-age encrypts without a .sops.yaml; crewai-setup.yaml remembers the recipient, so a
// re-run keeps encrypting for it, and rotate encrypts again a file that was decrypted by hand.
func TestSopsAgeRemembered(t *testing.T) {
	s := newSopsSetup(t, "")
	if _, stderr, err := run(t, "", "init", "--answers", exampleAnswers(t), "--out", s.out, "--non-interactive", "--sops-age", s.recipient); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	secrets := filepath.Join(s.out, "secrets.yaml")
	if keys := sops.Keys(mustRead(t, secrets)); len(keys) != 1 || keys[0].ID != s.recipient {
		t.Fatalf("encrypted for %v", keys)
	}
	if remembered := string(mustRead(t, filepath.Join(s.out, "crewai-setup.yaml"))); !strings.Contains(remembered, `- "`+s.recipient+`"`) {
		t.Fatalf("crewai-setup.yaml does not remember the recipient:\n%s", remembered)
	}
	// A re-run with --force writes the files afresh: still encrypted, for the same recipient.
	if _, stderr, err := run(t, "", "init", "--answers", exampleAnswers(t), "--out", s.out, "--non-interactive", "--force"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if keys := sops.Keys(mustRead(t, secrets)); len(keys) != 1 || keys[0].ID != s.recipient {
		t.Fatalf("the re-run encrypted for %v", keys)
	}
	// Decrypted by hand, then rotated: encrypted again.
	if out, err := exec.Command(testtool.Path(t, "sops"), "decrypt", "--in-place", secrets).CombinedOutput(); err != nil {
		t.Fatalf("sops decrypt --in-place: %v: %s", err, out)
	}
	if _, stderr, err := runIn(t, s.out, "", "rotate", "secrets.GITHUB_WEBHOOK_SECRET_TOKEN", "--yes"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	enc := mustRead(t, secrets)
	if keys := sops.Keys(enc); !sops.IsEncrypted(enc) || len(keys) != 1 || keys[0].ID != s.recipient {
		t.Fatalf("rotate left secrets.yaml decrypted or encrypted it for %v", keys)
	}
}

// Every hostile string, a multi-line PEM and the one-line GitHub key arrive byte-exact in Helm
// through the whole init command: the encrypted secrets.yaml, piped into the real helm by the
// very command the summary prints (helm template and a local chart in place of the release).
func TestHostileThroughInitSopsAndHelm(t *testing.T) {
	s := newSopsSetup(t, "creation_rules:\n  - path_regex: secrets\\.yaml$\n    age: RECIPIENT\n")
	testtool.Need(t, "helm")
	hostile := append(sopstest.Hostile(), "-----BEGIN PRIVATE KEY-----\nMIIBVwIBADANBgkqhkiG9w0BAQEFAASCAUEwggE9AgEAAkEA\n-----END PRIVATE KEY-----\n")
	example := string(mustRead(t, exampleAnswers(t)))
	pemPath, _ := filepath.Abs("../testdata/example-github-app.pem")
	example = strings.Replace(example, "githubAppPrivateKeyFile: example-github-app.pem", "githubAppPrivateKeyFile: "+pemPath, 1)
	var extra strings.Builder
	for i, v := range hostile {
		extra.WriteString("  HOSTILE_" + strconv.Itoa(100+i) + ": " + helmtest.Quote(v) + "\n")
	}
	example = strings.Replace(example, "\nsecrets:\n", "\nsecrets:\n"+extra.String(), 1)
	answers := filepath.Join(s.dir, "answers.yaml")
	mustWrite(t, answers, example)
	stdout, stderr, err := run(t, "", "init", "--answers", answers, "--out", s.out, "--non-interactive")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	enc := string(mustRead(t, filepath.Join(s.out, "secrets.yaml")))
	for _, v := range []string{"example-github-client-secret", "MIIBVwIBADANBgkqhkiG9w0BAQEFAASCAUEwggE9AgEAAkEA"} {
		if strings.Contains(enc, v) {
			t.Errorf("secrets.yaml holds %q in plaintext", v)
		}
	}
	// The summary's command, with helm template and a chart that shows the values it got.
	m := regexp.MustCompile(`(?m)^sops decrypt secrets.yaml \| helm upgrade --install .*$`).FindString(stdout)
	if m == "" {
		t.Fatalf("no sops command in the summary:\n%s", stdout)
	}
	chart := filepath.Join(t.TempDir(), "chart")
	if err := os.MkdirAll(filepath.Join(chart, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(chart, "Chart.yaml"), "apiVersion: v2\nname: dump\nversion: 0.1.0\n")
	mustWrite(t, filepath.Join(chart, "templates", "values.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dump\ndata:\n  values: {{ .Values | toJson | b64enc | quote }}\n")
	cmdline := strings.Replace(strings.Replace(m, "helm upgrade --install", "helm template", 1), "oci://registry.crewai.com/crewai/stable/crewai-platform", chart, 1)
	cmd := exec.Command("sh", "-c", cmdline)
	cmd.Dir = s.out
	var errb strings.Builder
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", cmdline, err, errb.String())
	}
	got := renderedValues(t, out)
	sec, _ := got["secrets"].(map[string]any)
	for i, v := range hostile {
		key := "HOSTILE_" + strconv.Itoa(100+i)
		if sec[key] != v {
			t.Errorf("%s = %q: Helm got %#v after sops decrypt", key, v, sec[key])
		}
	}
	// The one-line GitHub key and the rest: as Helm reads the plaintext of the same answers.
	plainOut := filepath.Join(s.dir, "plain")
	if _, stderr, err := run(t, "", "init", "--answers", answers, "--out", plainOut, "--non-interactive", "--encrypt=none"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	plain := helmtest.Values(t, "the plaintext values.yaml", mustRead(t, filepath.Join(plainOut, "values.yaml")))
	for k, v := range helmtest.Values(t, "the plaintext secrets.yaml", mustRead(t, filepath.Join(plainOut, "secrets.yaml"))) {
		plain[k] = mergeMaps(plain[k], v)
	}
	if key, _ := sec["GITHUB_APP_PRIVATE_KEY"].(string); !strings.HasPrefix(key, "-----BEGIN RSA PRIVATE KEY-----\n") {
		t.Errorf("GITHUB_APP_PRIVATE_KEY reached Helm as %.40q", key)
	}
	if !reflect.DeepEqual(withoutRandom(got), withoutRandom(jsonRound(t, plain))) {
		t.Error("Helm reads the encrypted install differently from the plaintext one")
	}
}

// renderedValues reads the values the dump chart's ConfigMap shows (JSON, base64-encoded).
func renderedValues(t *testing.T, manifest []byte) map[string]any {
	t.Helper()
	var cm struct {
		Data map[string]string `json:"data"`
	}
	if err := helmyaml.Unmarshal(manifest, &cm); err != nil {
		t.Fatalf("helm template printed no manifest: %v\n%s", err, manifest)
	}
	raw, err := base64.StdEncoding.DecodeString(cm.Data["values"])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// mergeMaps merges b over a as Helm merges -f files: mappings key by key, anything else replaced.
func mergeMaps(a, b any) any {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if !ok1 || !ok2 {
		return b
	}
	for k, v := range bm {
		am[k] = mergeMaps(am[k], v)
	}
	return am
}

// jsonRound passes m through JSON, as Helm's toJson does.
func jsonRound(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The wizard's encryption choice (Deployment screen) and its output directory decide how the
// files are written, not what init planned when it started: the screen's sentence says so
// before writing, and writing plans again.
func TestWizardEncryptionChoice(t *testing.T) {
	s := newSopsSetup(t, "creation_rules:\n  - path_regex: secrets\\.yaml$\n    age: RECIPIENT\n")
	short := sops.Key{Type: sops.KeyAge, ID: s.recipient}.Short()
	write := func(t *testing.T, st *start, a *model.Answers, dir string) *store.Result {
		t.Helper()
		res, _, probs, err := store.PrepareAndSave(a, st.probs, dir, st.save)
		if err != nil || probs.HasErrors() {
			t.Fatalf("writing into %s: %v %v", dir, err, probs.Errors())
		}
		return res
	}

	// Started where a rule matches; never (plain text) chosen in the wizard.
	st, err := prefill(initOptions{answers: exampleAnswers(t), out: s.out, keepBackups: 3}, io.Discard)
	if err != nil || st.encErr != nil {
		t.Fatal(err, st.encErr)
	}
	if note := st.encryptionNote(st.a.Wizard, s.out); !strings.Contains(note, "will be encrypted with sops for "+short) {
		t.Errorf("the Deployment screen says %q before any choice", note)
	}
	a := st.a.Clone()
	a.Wizard.Encrypt = "none"
	if note := st.encryptionNote(a.Wizard, s.out); !strings.Contains(note, "will be written in plaintext") {
		t.Errorf("after never (plain text) the Deployment screen says %q", note)
	}
	res := write(t, st, a, s.out)
	if data := mustRead(t, filepath.Join(s.out, "secrets.yaml")); sops.IsEncrypted(data) {
		t.Error("never (plain text) was chosen, yet secrets.yaml was encrypted as planned at the start")
	}
	if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "encryption is off (none)") }) {
		t.Errorf("no warning that the matching rule was not used: %q", res.Warnings)
	}
	if remembered := string(mustRead(t, filepath.Join(s.out, "crewai-setup.yaml"))); !strings.Contains(remembered, `encrypt: "none"`) {
		t.Errorf("crewai-setup.yaml does not remember the choice:\n%s", remembered)
	}

	// Started where no rule matches; the output directory changed in the wizard to one where
	// one does (when a rule matches: auto).
	elsewhere := t.TempDir()
	st, err = prefill(initOptions{answers: exampleAnswers(t), out: elsewhere, keepBackups: 3}, io.Discard)
	if err != nil || st.encErr != nil {
		t.Fatal(err, st.encErr)
	}
	if st.opts.Encrypt != nil {
		t.Fatal("planned encryption outside the .sops.yaml's tree")
	}
	into := filepath.Join(s.dir, "other")
	if note := st.encryptionNote(st.a.Wizard, into); !strings.Contains(note, "will be encrypted with sops for "+short) {
		t.Errorf("for %s the Deployment screen says %q", into, note)
	}
	write(t, st, st.a.Clone(), into)
	if data := mustRead(t, filepath.Join(into, "secrets.yaml")); !sops.IsEncrypted(data) || strings.Contains(string(data), "example-github-client-secret") {
		t.Errorf("secrets.yaml written where a rule matches is not encrypted:\n%s", data)
	}

	// Always (sops) where no rule matches: nothing is written, and the screen said why.
	a = st.a.Clone()
	a.Wizard.Encrypt = "sops"
	if note := st.encryptionNote(a.Wizard, elsewhere); !strings.Contains(note, "no .sops.yaml") {
		t.Errorf("always (sops) without a rule: the Deployment screen says %q", note)
	}
	if _, _, _, err := store.PrepareAndSave(a, st.probs, elsewhere, st.save); err == nil {
		t.Error("always (sops) without a rule wrote the files")
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("files written although encryption was impossible: %v", entries)
	}
}

// Writing (which the wizard runs in the background) plans the encryption for the copy being
// written and never touches the live answers or the options the Deployment screen reads
// meanwhile (run with -race).
func TestSaveLeavesLiveAnswersAlone(t *testing.T) {
	s := newSopsSetup(t, "creation_rules:\n  - path_regex: secrets\\.yaml$\n    age: RECIPIENT\n")
	st, err := prefill(initOptions{answers: exampleAnswers(t), out: s.out, keepBackups: 3}, io.Discard)
	if err != nil || st.encErr != nil {
		t.Fatal(err, st.encErr)
	}
	live, planned := st.a.Wizard, st.opts.Encrypt
	a := st.a.Clone()
	a.Wizard.Encrypt = "none"
	done := make(chan error)
	go func() {
		_, _, probs, err := store.PrepareAndSave(a, st.probs, s.out, st.save)
		if err == nil && probs.HasErrors() {
			err = errors.New(probs.Errors()[0].Message)
		}
		done <- err
	}()
	for waiting := true; waiting; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			waiting = false
		default:
			_ = st.encryptionNote(st.a.Wizard, s.out) // as the Deployment screen does
		}
	}
	if !reflect.DeepEqual(st.a.Wizard, live) || st.opts.Encrypt != planned {
		t.Errorf("writing changed the live answers' wizard settings (%+v, was %+v) or the planned encryption", st.a.Wizard, live)
	}
	if sops.IsEncrypted(mustRead(t, filepath.Join(s.out, "secrets.yaml"))) {
		t.Error("never (plain text) was chosen, yet secrets.yaml was encrypted")
	}
}

// runAccessibleInit runs `init --accessible` as from a terminal, the script on its input.
func runAccessibleInit(t *testing.T, script string, args ...string) (stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = Run(append([]string{"init", "--accessible"}, args...), IO{In: strings.NewReader(script), Out: &out, Err: &errb,
		Getenv: func(string) string { return "" }, InTerminal: true, OutTerminal: true})
	return errb.String(), err
}

// The encryption choice made in the line-by-line wizard, in a repository whose .sops.yaml
// matches: never writes plaintext and remembers it; always encrypts with the real sops, and the
// decrypted file is what Helm reads from the plaintext one. The Deployment screen said which.
func TestAccessibleWizardEncryptionChoice(t *testing.T) {
	s := newSopsSetup(t, "creation_rules:\n  - path_regex: secrets\\.yaml$\n    age: RECIPIENT\n")
	answers := exampleAnswers(t)
	// How many questions the prefilled wizard asks: a run that keeps every answer and declines.
	dry, err := runAccessibleInit(t, strings.Repeat("\n", 400), "--answers", answers, "--out", filepath.Join(s.dir, "dry"))
	if err == nil {
		t.Fatal("declining wrote the files")
	}
	before, _, ok := strings.Cut(dry, "== Review ==")
	if !ok {
		t.Fatalf("no review in the dry run:\n%s", dry)
	}
	questions := strings.Count(before, "]: ")
	// The encryption question is the Deployment screen's 13th (the certificate files are hidden).
	script := func(choice string) string {
		return strings.Repeat("\n", 12) + choice + "\n" + strings.Repeat("\n", questions-13) + "y\n"
	}
	short := sops.Key{Type: sops.KeyAge, ID: s.recipient}.Short()

	plain := filepath.Join(s.dir, "plain")
	stderr, err := runAccessibleInit(t, script("3"), "--answers", answers, "--out", plain)
	if err != nil {
		t.Fatalf("never (plain text): %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, filepath.Join(plain, "secrets.yaml")+" will be written in plaintext") {
		t.Errorf("the Deployment screen did not say the file stays plaintext:\n%s", stderr)
	}
	if sops.IsEncrypted(mustRead(t, filepath.Join(plain, "secrets.yaml"))) {
		t.Error("never (plain text) was chosen, yet secrets.yaml is encrypted")
	}
	if remembered := string(mustRead(t, filepath.Join(plain, "crewai-setup.yaml"))); !strings.Contains(remembered, `encrypt: "none"`) {
		t.Errorf("crewai-setup.yaml does not remember never:\n%s", remembered)
	}

	enc := filepath.Join(s.dir, "encrypted")
	stderr, err = runAccessibleInit(t, script("2"), "--answers", answers, "--out", enc)
	if err != nil {
		t.Fatalf("always (sops): %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "will be encrypted with sops for "+short) {
		t.Errorf("the Deployment screen did not say for whom the file is encrypted:\n%s", stderr)
	}
	secrets := filepath.Join(enc, "secrets.yaml")
	if data := mustRead(t, secrets); !sops.IsEncrypted(data) || strings.Contains(string(data), "example-github-client-secret") {
		t.Fatalf("always (sops) wrote secrets.yaml unencrypted:\n%s", data)
	}
	got := withoutRandom(helmtest.Values(t, "the decrypted secrets.yaml", sopsDecrypt(t, secrets)))
	want := withoutRandom(helmtest.Values(t, "the plaintext secrets.yaml", mustRead(t, filepath.Join(plain, "secrets.yaml"))))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Helm reads the decrypted secrets.yaml as\n%v\nwant\n%v", got, want)
	}
}

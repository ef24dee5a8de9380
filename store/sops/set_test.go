package sops

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"crewai-setup/internal/helmtest"

	yaml "go.yaml.in/yaml/v3"
)

// setDoc is a secrets file with comments, a PEM block and nested keys.
const setDoc = `# secrets.yaml, written by crewai-setup
secrets:
  DB_PASSWORD: "db-password-untouched-1" # untouched, with a comment
  SECRET_KEY_BASE: "skb-rotate-me-2" # rotated below
  OIDC_PRIVATE_KEY: |
    -----BEGIN PRIVATE KEY-----
    old-pem-body-3
    -----END PRIVATE KEY-----
  GITHUB_TOKEN: "ghp-untouched-4"
oauth:
  secrets:
    google:
      clientSecret: "google-untouched-5"
`

// encryptedFile writes doc, encrypted by the fixture's rule, to dir/secrets.yaml.
func encryptedFile(t *testing.T, f fixture, doc string) (string, []byte) {
	t.Helper()
	path := filepath.Join(f.dir, "secrets.yaml")
	enc, err := f.tool.Encrypt(ctx(t), []byte(doc), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, enc, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, enc
}

// rawValue is the text a YAML path holds in a document (the ciphertext, for a SOPS file).
func rawValue(t *testing.T, doc []byte, p ...string) string {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal(doc, &n); err != nil {
		t.Fatal(err)
	}
	m := n.Content[0]
	for _, k := range p {
		if m = field(m, k); m == nil {
			return ""
		}
	}
	return m.Value
}

// atoms splits a SOPS file into its lines, with end-of-line comments split off as lines of
// their own and comments compared without their indentation.
func atoms(doc string) []string {
	var out []string
	for _, l := range strings.Split(doc, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "#ENC[") {
			out = append(out, strings.TrimSpace(l))
		} else if value, comment, ok := strings.Cut(l, " #ENC["); ok {
			out = append(out, value, "#ENC["+comment)
		} else {
			out = append(out, l)
		}
	}
	return out
}

// dirNames lists a directory's entries.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// SetValues changes exactly the chosen keys: the decrypted document differs only there, the
// ciphertext of every other value is byte-identical (so the Git diff is the rotated values
// plus sops's mac and lastmodified), hostile values arrive exactly in Helm, and the working
// copy is gone.
func TestSetValuesChangesOnlyChosenKeys(t *testing.T) {
	f := newFixture(t)
	path, enc := encryptedFile(t, f, setDoc)
	newPEM := "-----BEGIN PRIVATE KEY-----\nnew-pem-body\n-----END PRIVATE KEY-----\n"
	sets := []Set{
		{Path: []string{"secrets", "SECRET_KEY_BASE"}, Value: "yes"},
		{Path: []string{"secrets", "OIDC_PRIVATE_KEY"}, Value: newPEM},
		{Path: []string{"secrets", "NEW_KEY"}, Value: "0777"},
		{Path: []string{"oauth", "secrets", "google", "clientId"}, Value: "~"},
	}
	start := time.Now()
	out, err := f.tool.SetValues(ctx(t), path, enc, nil, sets)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("SetValues of %d keys took %v", len(sets), time.Since(start))

	before, err := f.tool.Decrypt(ctx(t), enc, path)
	if err != nil {
		t.Fatal(err)
	}
	after, err := f.tool.Decrypt(ctx(t), out, path)
	if err != nil {
		t.Fatal(err)
	}
	hb, ha := helmtest.Values(t, "before", before), helmtest.Values(t, "after", after)
	for _, s := range sets {
		if got, _ := helmtest.LookupDotted(ha, strings.Join(s.Path, ".")); got != s.Value {
			t.Errorf("%s: Helm reads %#v, want %q", dotted(s.Path), got, s.Value)
		}
	}
	for _, p := range []string{"secrets.DB_PASSWORD", "secrets.GITHUB_TOKEN", "oauth.secrets.google.clientSecret"} {
		b, _ := helmtest.LookupDotted(hb, p)
		a, _ := helmtest.LookupDotted(ha, p)
		if a != b || a == nil {
			t.Errorf("%s changed: %#v -> %#v", p, b, a)
		}
		// The ciphertext itself is unchanged: nothing for Git to show.
		if parts := strings.Split(p, "."); rawValue(t, enc, parts...) != rawValue(t, out, parts...) {
			t.Errorf("%s: ciphertext changed although the value did not", p)
		}
	}
	for _, c := range []string{"# secrets.yaml, written by crewai-setup", "# rotated below", "# untouched, with a comment"} {
		if !strings.Contains(string(after), c) {
			t.Errorf("comment %q lost", c)
		}
	}
	// The line diff of the encrypted file: only the set keys and sops's mac and lastmodified.
	// (sops puts an end-of-line comment on a line of its own when it rewrites a file, with the
	// same ciphertext: a move, not a change, so comments are compared apart from their lines.)
	oldLines, newLines := atoms(string(enc)), atoms(string(out))
	var changed []string
	for _, l := range newLines {
		if !slices.Contains(oldLines, l) {
			changed = append(changed, l)
		}
	}
	for _, l := range oldLines {
		if !slices.Contains(newLines, l) {
			changed = append(changed, l)
		}
	}
	allowed := []string{"SECRET_KEY_BASE: ENC[", "OIDC_PRIVATE_KEY: ENC[", "NEW_KEY: ENC[", "clientId: ENC[", "lastmodified:", "mac: ENC["}
	for _, l := range changed {
		if !slices.ContainsFunc(allowed, func(a string) bool { return strings.HasPrefix(strings.TrimSpace(l), a) }) {
			t.Errorf("diff line outside the rotated keys and sops's metadata: %q", l)
		}
	}
	if len(changed) > 2*len(allowed) {
		t.Errorf("%d changed lines, want at most %d", len(changed), 2*len(allowed))
	}
	if got := dirNames(t, f.dir); !slices.Equal(got, []string{".sops.yaml", "secrets.yaml"}) {
		t.Errorf("directory after SetValues: %v", got)
	}
	if disk, _ := os.ReadFile(path); string(disk) != string(enc) {
		t.Error("SetValues replaced the file itself; the caller writes the result")
	}
}

// On every failure the working copy is removed, the file is untouched, and the message names
// keys but shows no value (neither the new one nor the file's).
func TestSetValuesCleansUpOnFailure(t *testing.T) {
	f := newFixture(t)
	path, enc := encryptedFile(t, f, setDoc)
	real := realSops(t)
	bin := t.TempDir()
	newValue := "new-value-must-not-leak-6"
	env := append(slices.Clip(f.tool.Env), "REAL_SOPS="+real)
	cases := []struct {
		name    string
		body    string // wrapper script around the real sops; "" = the real sops
		env     []string
		timeout time.Duration
		keyless bool // run without any age key
		want    error
		says    string
	}{
		{name: "sops set fails and echoes its input", want: ErrFailed, says: "secrets.SECRET_KEY_BASE",
			body: `if [ "$3" = set ]; then cat >&2; echo "db-password-untouched-1" >&2; exit 1; fi; exec "$REAL_SOPS" "$@"` + "\n"},
		{name: "sops set hangs and the context ends", want: context.DeadlineExceeded, timeout: 1500 * time.Millisecond,
			body: `if [ "$3" = set ]; then exec sleep 60; fi; exec "$REAL_SOPS" "$@"` + "\n"},
		{name: "sops set changes another key too", want: ErrVerify, says: "secrets.GITHUB_TOKEN",
			body: `"$REAL_SOPS" "$@" || exit $?
if [ "$3" = set ]; then echo '"tampered"' | "$REAL_SOPS" --config "$2" set --input-type yaml --output-type yaml --value-stdin "$9" '["secrets"]["GITHUB_TOKEN"]'; fi` + "\n"},
		{name: "sops set drops a comment", want: ErrVerify, says: "comments",
			body: `"$REAL_SOPS" "$@" || exit $?
if [ "$3" = set ]; then "$REAL_SOPS" --config "$2" decrypt --input-type yaml --output-type yaml "$9" | grep -v '^# secrets.yaml' |
  "$REAL_SOPS" encrypt --age "$RECIPIENT" --input-type yaml --output-type yaml --filename-override x.yaml > "$9.new" && mv "$9.new" "$9"; fi` + "\n",
			env: []string{"RECIPIENT=" + f.recipient}},
		{name: "no key", keyless: true, want: ErrNoKey, says: "SOPS_AGE_KEY_FILE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tool := Tool{Env: append(slices.Clip(env), c.env...)}
			if c.body != "" {
				tool.Bin = script(t, bin, strings.ReplaceAll(c.name, " ", "-"), c.body)
			}
			if c.keyless {
				tool.Env = testEnv(t)
			}
			cx := ctx(t)
			if c.timeout > 0 {
				var cancel context.CancelFunc
				cx, cancel = context.WithTimeout(cx, c.timeout)
				defer cancel()
			}
			_, err := tool.SetValues(cx, path, enc, nil, []Set{{Path: []string{"secrets", "SECRET_KEY_BASE"}, Value: newValue}})
			if !errors.Is(err, c.want) {
				t.Fatalf("want %v, got %v", c.want, err)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("message lacks %q: %v", c.says, err)
			}
			for _, v := range []string{newValue, "db-password-untouched-1", "skb-rotate-me-2"} {
				if strings.Contains(err.Error(), v) {
					t.Errorf("message shows a value: %v", err)
				}
			}
			if got := dirNames(t, f.dir); !slices.Equal(got, []string{".sops.yaml", "secrets.yaml"}) {
				t.Errorf("directory after the failure: %v", got)
			}
			if disk, _ := os.ReadFile(path); string(disk) != string(enc) {
				t.Error("the file changed")
			}
		})
	}
}

// Unusable sets are all reported at once, before sops runs.
func TestSetValuesRefusesBadSets(t *testing.T) {
	f := newFixture(t)
	path, enc := encryptedFile(t, f, setDoc)
	_, err := f.tool.SetValues(ctx(t), path, enc, nil, []Set{
		{Path: nil, Value: "x"},
		{Path: []string{"secrets", "A[0]"}, Value: "x"},
		{Path: []string{"secrets", "B"}, Value: "\xff"},
		{Path: []string{"secrets", "C"}, Value: "x"},
		{Path: []string{"secrets", "C"}, Value: "y"},
	})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"without a key path", "secrets.A[0]", "secrets.B: the new value is not valid UTF-8", "secrets.C: set twice"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
	_, err = f.tool.SetValues(ctx(t), path, enc, nil, []Set{{Path: []string{"secrets", "DB_PASSWORD", "x"}, Value: "v"}})
	if err == nil || !strings.Contains(err.Error(), "secrets.DB_PASSWORD is not a mapping") {
		t.Errorf("a path through a value: %v", err)
	}
	if _, err := f.tool.SetValues(ctx(t), path, []byte(setDoc), nil, []Set{{Path: []string{"secrets", "X"}, Value: "v"}}); !errors.Is(err, ErrNotEncrypted) {
		t.Errorf("a plaintext file: %v", err)
	}
	if got := dirNames(t, f.dir); !slices.Equal(got, []string{".sops.yaml", "secrets.yaml"}) {
		t.Errorf("directory: %v", got)
	}
}

// A key the file's sops settings leave unencrypted (the default _unencrypted suffix) is not
// rotated into plaintext.
func TestSetValuesLeftPlaintext(t *testing.T) {
	f := newFixture(t)
	path, enc := encryptedFile(t, f, setDoc)
	_, err := f.tool.SetValues(ctx(t), path, enc, nil, []Set{{Path: []string{"secrets", "TOKEN_unencrypted"}, Value: "plain-token-7"}})
	if !errors.Is(err, ErrLeftPlaintext) || !strings.Contains(err.Error(), "secrets.TOKEN_unencrypted") || strings.Contains(err.Error(), "plain-token-7") {
		t.Errorf("want ErrLeftPlaintext naming the key, got %v", err)
	}
	if got := dirNames(t, f.dir); !slices.Equal(got, []string{".sops.yaml", "secrets.yaml"}) {
		t.Errorf("directory: %v", got)
	}
}

// The operator's stores setting (YAML indentation) is kept, so a rotation does not re-indent
// the whole file.
func TestSetValuesKeepsIndentation(t *testing.T) {
	f := newFixture(t)
	writeFile(t, filepath.Join(f.dir, ".sops.yaml"), "stores:\n  yaml:\n    indent: 2\ncreation_rules:\n  - age: "+f.recipient+"\n")
	path, enc := encryptedFile(t, f, setDoc)
	if !strings.Contains(string(enc), "\n  DB_PASSWORD: ENC[") {
		t.Fatalf("the fixture is not indented by 2:\n%s", enc)
	}
	out, err := f.tool.SetValues(ctx(t), path, enc, nil, []Set{{Path: []string{"secrets", "GITHUB_TOKEN"}, Value: "ghp-new"}})
	if err != nil {
		t.Fatal(err)
	}
	if rawValue(t, enc, "secrets", "DB_PASSWORD") == "" || !strings.Contains(string(out), "\n  DB_PASSWORD: "+rawValue(t, enc, "secrets", "DB_PASSWORD")+"\n") {
		t.Errorf("indentation changed:\n%s", out)
	}
}

// A boolean set stays a boolean: Helm reads oauth.enabled as true, not as the text "true";
// and a Bool set that is no boolean is refused before sops runs.
func TestSetValuesBool(t *testing.T) {
	f := newFixture(t)
	path, enc := encryptedFile(t, f, "oauth:\n  enabled: false\nenvVars:\n  WORKOS_COOKIE_PASSWORD: \"cookie-1\"\n")
	out, err := f.tool.SetValues(ctx(t), path, enc, nil, []Set{
		{Path: []string{"oauth", "enabled"}, Value: "true", Bool: true},
		{Path: []string{"envVars", "FLAG"}, Value: "true"},
	})
	if err != nil {
		t.Fatal(err)
	}
	dec, err := f.tool.Decrypt(ctx(t), out, path)
	if err != nil {
		t.Fatal(err)
	}
	m := helmtest.Values(t, "the decrypted file", dec)
	if got, _ := helmtest.LookupDotted(m, "oauth.enabled"); got != true {
		t.Errorf("oauth.enabled: Helm reads %#v, want the boolean true", got)
	}
	if got, _ := helmtest.LookupDotted(m, "envVars.FLAG"); got != "true" {
		t.Errorf("envVars.FLAG: Helm reads %#v, want the text \"true\"", got)
	}
	_, err = f.tool.SetValues(ctx(t), path, enc, nil, []Set{{Path: []string{"oauth", "enabled"}, Value: "yes", Bool: true}})
	if err == nil || !strings.Contains(err.Error(), "oauth.enabled: a boolean must be true or false") {
		t.Errorf("a Bool set of yes: %v", err)
	}
}

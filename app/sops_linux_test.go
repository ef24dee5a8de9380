//go:build linux

package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/store/sops/sopstest"
)

// An encrypted init, a rotation and an init --from that changes a value never put a secret on
// disk in plaintext, not even in a temporary file: inotify reads every file of the output
// directory the moment it is created or written, and a sops wrapper first on PATH copies the
// whole directory before and after every sops run.
func TestEncryptedInitAndRotateWriteNoPlaintext(t *testing.T) {
	s := newSopsSetup(t, "creation_rules:\n  - path_regex: \\.yaml$\n    age: RECIPIENT\n")
	if err := os.MkdirAll(s.out, 0o755); err != nil {
		t.Fatal(err)
	}
	bin, snapshots := sopstest.SnapshotWrapper(t, s.out)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	secrets := []string{sopstest.Marker("client-secret"), sopstest.Marker("okta-secret"), sopstest.Marker("llm-key"),
		sopstest.Marker("rotated-okta"), sopstest.Marker("changed-client")}
	answers := string(mustRead(t, exampleAnswers(t)))
	pemPath, _ := filepath.Abs("../testdata/example-github-app.pem")
	for old, marker := range map[string]string{"example-github-client-secret": secrets[0], "example-okta-client-secret": secrets[1],
		"sk-proj-example": secrets[2], "githubAppPrivateKeyFile: example-github-app.pem": "githubAppPrivateKeyFile: " + pemPath} {
		answers = strings.Replace(answers, old, marker, 1)
	}
	answersFile, rotated, change := filepath.Join(s.dir, "answers.yaml"), filepath.Join(s.dir, "okta.txt"), filepath.Join(s.dir, "change.yaml")
	mustWrite(t, answersFile, answers)
	mustWrite(t, rotated, secrets[3]+"\n")
	mustWrite(t, change, "secrets:\n  GITHUB_CLIENT_SECRET: \""+secrets[4]+"\"\n")

	w := sopstest.Watch(t, s.out)
	if _, stderr, err := run(t, "", "init", "--answers", answersFile, "--out", s.out, "--non-interactive"); err != nil {
		w.Stop(t)
		t.Fatalf("%v\n%s", err, stderr)
	}
	if _, stderr, err := runIn(t, s.out, "", "rotate", "--from-file", "OKTA_CLIENT_SECRET="+rotated, "--yes"); err != nil {
		w.Stop(t)
		t.Fatalf("%v\n%s", err, stderr)
	}
	if _, stderr, err := run(t, "", "init", "--from", s.out, "--answers", change, "--non-interactive"); err != nil {
		w.Stop(t)
		t.Fatalf("%v\n%s", err, stderr)
	}
	seen := w.Stop(t)

	snap := mustRead(t, snapshots)
	all := strings.Join(sopstest.Names(seen), " ")
	for _, want := range []string{".secrets.yaml.tmp-", ".secrets.yaml.sops-set-", "secrets.yaml.bak-"} {
		if !strings.Contains(all, want) && !strings.Contains(string(snap), want) {
			t.Errorf("the watch never saw a %s* file (saw %s)", want, all)
		}
	}
	// Every secret did reach the files: decrypted, they hold the last values.
	dec := string(sopsDecrypt(t, filepath.Join(s.out, "secrets.yaml")))
	for _, v := range []string{secrets[2], secrets[3], secrets[4]} {
		if !strings.Contains(dec, v) {
			t.Errorf("secrets.yaml does not hold %s…", v[:12])
		}
	}
	leaks := append(sopstest.Leaks(seen, secrets), sopstest.Leaks(map[string][][]byte{"a snapshot": {snap}}, secrets)...)
	for _, l := range append(leaks, sopstest.Leaks(sopstest.Files(t, s.out), secrets)...) {
		t.Errorf("plaintext on disk: %s", l)
	}
}

//go:build linux

package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/model"
	"crewai-setup/store/sops"
	"crewai-setup/store/sops/sopstest"
)

// No plaintext secret is ever written under the output directory, by an encrypted save (its
// temporary files and backups included) or by an edit of the encrypted file (whose sops set
// working copy holds ciphertext only): inotify reads every file the moment it is created or
// written, and a sops wrapper copies the whole directory before and after every sops run.
func TestEncryptedWritesNoPlaintext(t *testing.T) {
	s := newSopsDir(t, "creation_rules:\n  - path_regex: \\.yaml$\n    age: RECIPIENT\n")
	bin, snapshots := sopstest.SnapshotWrapper(t, s.dir)
	s.opts.Sops.Bin = filepath.Join(bin, "sops")
	s.plan(t, EncryptAuto)

	a := secretAnswers(t)
	cookie, rotated := sopstest.Marker("cookie-password"), sopstest.Marker("rotated-value")
	a.Set("envVars.WORKOS_COOKIE_PASSWORD", cookie)
	secrets := []string{a.Get("secrets.DB_PASSWORD"), a.Get("secrets.SECRET_KEY_BASE"), cookie, rotated}

	w := sopstest.Watch(t, s.dir)
	if _, err := s.opts.Save(a, nil, s.dir); err != nil {
		t.Fatal(err)
	}
	// Twice: the second save replaces the files, so backups are made too.
	if _, err := s.opts.Save(a, nil, s.dir); err != nil {
		t.Fatal(err)
	}
	cat := model.NewCatalog()
	x, _, err := s.opts.ReadExisting(cat, s.dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Write([]Set{{Entry: cat.Lookup("secrets.SECRET_KEY_BASE"), Value: rotated}}, nil); err != nil {
		t.Fatal(err)
	}
	seen := w.Stop(t)

	snap, err := os.ReadFile(snapshots)
	if err != nil {
		t.Fatal(err)
	}
	// The watch saw the working copy, the atomic writes' temporary files and the backups: it
	// looked where a leak would be.
	all := strings.Join(sopstest.Names(seen), " ")
	for _, want := range []string{".secrets.yaml.sops-set-", ".secrets.yaml.tmp-", "secrets.yaml.bak-", ".values.yaml.tmp-"} {
		if !strings.Contains(all, want) && !strings.Contains(string(snap), want) {
			t.Errorf("the watch never saw a %s* file (saw %s)", want, all)
		}
	}
	if enc, _ := os.ReadFile(s.path("secrets.yaml")); !sops.IsEncrypted(enc) {
		t.Fatal("secrets.yaml is not encrypted")
	}
	leaks := append(sopstest.Leaks(seen, secrets), sopstest.Leaks(map[string][][]byte{"a snapshot": {snap}}, secrets)...)
	for _, l := range append(leaks, sopstest.Leaks(sopstest.Files(t, s.dir), secrets)...) {
		t.Errorf("plaintext on disk: %s", l)
	}
}

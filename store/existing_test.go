package store

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"crewai-setup/model"
)

// Re-running the wizard on existing files changes only what the operator changed.
func TestSaveIntoExisting(t *testing.T) {
	dir := t.TempDir()
	values := "# ours\npostgres:\n  enabled: true   # in-cluster\nenvVars:\n  AUTH_PROVIDER: 'okta'\n  OKTA_SITE: https://old.okta.com\n  CUSTOM: keep me\n"
	secrets := "secrets:\n  DB_PASSWORD: pw # from vault\n  OKTA_CLIENT_SECRET: s\n"
	for name, text := range map[string]string{"values.yaml": values, "secrets.yaml": secrets} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	cat := model.NewCatalog()
	x, probs, err := ReadExisting(cat, dir)
	if err != nil || probs.HasErrors() {
		t.Fatal(err, probs)
	}
	a := x.Answers.Clone()
	a.Set("envVars.OKTA_SITE", "https://new.okta.com")
	a.SetBool("postgres.enabled", false)
	a.Set("envVars.DB_HOST", "db.internal")
	a.Set("secrets.OKTA_CLIENT_SECRET", "")
	res, left, err := x.SaveInto(a, nil, dir)
	if err != nil {
		t.Fatal(err)
	}
	gotValues, _ := os.ReadFile(filepath.Join(dir, "values.yaml"))
	want := "# ours\npostgres:\n  enabled: false   # in-cluster\nenvVars:\n  AUTH_PROVIDER: 'okta'\n  OKTA_SITE: https://new.okta.com\n  CUSTOM: keep me\n  DB_HOST: \"db.internal\"\n"
	if string(gotValues) != want {
		t.Fatalf("values.yaml:\n%s\nwant:\n%s", gotValues, want)
	}
	// secrets.yaml held nothing that changed (the cleared key cannot be removed in place).
	if got, _ := os.ReadFile(filepath.Join(dir, "secrets.yaml")); string(got) != secrets {
		t.Fatalf("secrets.yaml changed:\n%s", got)
	}
	if !slices.Equal(left, []string{"secrets.OKTA_CLIENT_SECRET"}) {
		t.Fatalf("left = %v", left)
	}
	var names []string
	for _, w := range res.Written {
		names = append(names, filepath.Base(w.Path))
	}
	if strings.Join(names, ",") != "values.yaml,summary.md,crewai-setup.yaml" {
		t.Fatalf("written %v", names)
	}
	if backups, _ := filepath.Glob(filepath.Join(dir, "values.yaml.bak-*")); len(backups) != 1 {
		t.Fatalf("backups %v", backups)
	}
}

// A file replaced on disk between reading and writing is not overwritten: the newer content
// stays and the error names the file.
func TestSaveIntoRefusesAFileChangedMeanwhile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "values.yaml")
	if err := os.WriteFile(path, []byte("envVars:\n  DB_HOST: a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	x, _, err := ReadExisting(model.NewCatalog(), dir)
	if err != nil {
		t.Fatal(err)
	}
	a := x.Answers.Clone()
	a.Set("envVars.DB_HOST", "b")
	// Someone else edits the file after the wizard read it.
	newer := "envVars:\n  DB_HOST: c   # edited by a colleague\n"
	if err := os.WriteFile(path, []byte(newer), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = x.SaveInto(a, nil, dir)
	if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "values.yaml") {
		t.Fatalf("want ErrChanged naming the file, got %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != newer {
		t.Fatalf("the newer content was replaced:\n%s", got)
	}
	if b, _ := filepath.Glob(path + ".bak-*"); len(b) != 0 {
		t.Fatalf("a backup was made although nothing was written: %v", b)
	}
}

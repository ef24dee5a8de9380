package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/model"
)

// A failed read-back puts the previous version back when the file on disk is still the one
// this run wrote; when another program wrote it in the meantime, the file is left alone (no
// restore over someone else's write) and the message says where the previous version is.
func TestRestoreOnlyIfOurs(t *testing.T) {
	const before = "secrets:\n  DB_PASSWORD: old\n"
	mismatch := errors.New("simulated read-back mismatch")
	for _, tc := range []struct {
		name     string
		intruder string // written by "another program" between rename and read-back
		wantFile string
		wantErr  string // DIR and BAK are replaced
	}{
		{
			name:     "still ours: put back",
			wantFile: before,
			wantErr:  "DIR/secrets.yaml did not hold the expected values after writing (simulated read-back mismatch): the previous version of DIR/secrets.yaml was put back",
		},
		{
			name:     "written by someone else meanwhile: left alone",
			intruder: "secrets:\n  DB_PASSWORD: theirs\n",
			wantFile: "secrets:\n  DB_PASSWORD: theirs\n",
			wantErr: "DIR/secrets.yaml did not hold the expected values after writing (simulated read-back mismatch): " +
				"DIR/secrets.yaml was changed by another program after this run wrote it, so it was left as it is (its previous version is kept as DIR/secrets.yaml.bak-20261129-083000): compare them and decide which to keep",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "secrets.yaml")
			if err := os.WriteFile(path, []byte(before), 0o600); err != nil {
				t.Fatal(err)
			}
			cat := model.NewCatalog()
			o := DefaultOptions()
			o.hooks = &hooks{
				now: fixedClock(),
				afterRenames: func() {
					if tc.intruder != "" {
						if err := os.WriteFile(path, []byte(tc.intruder), 0o600); err != nil {
							t.Error(err)
						}
					}
				},
				verify: func(string, []byte, []byte, []Set) error { return mismatch },
			}
			x, _, err := o.ReadFiles(cat, "", path)
			if err != nil {
				t.Fatal(err)
			}
			_, err = x.Write([]Set{{Entry: cat.Lookup("secrets.DB_PASSWORD"), Value: "new"}}, nil)
			want := strings.ReplaceAll(tc.wantErr, "DIR", dir)
			if err == nil || err.Error() != want || !errors.Is(err, mismatch) {
				t.Fatalf("err = %v\nwant %q wrapping the cause", err, want)
			}
			if got := string(readOrFail(t, path)); got != tc.wantFile {
				t.Errorf("file holds %q, want %q", got, tc.wantFile)
			}
			backups := entriesMatching(t, dir, "secrets.yaml.bak-*")
			if tc.intruder == "" && len(backups) != 0 {
				t.Errorf("backups %v: the backup should have become the file again", backups)
			}
			if tc.intruder != "" {
				if len(backups) != 1 || string(readOrFail(t, filepath.Join(dir, backups[0]))) != before {
					t.Errorf("backups %v, want the one holding the previous version", backups)
				}
			}
		})
	}
}

// A read-back failure in one file of a set puts back every file of the set, so that values,
// secrets and summary never disagree.
func TestRestoreWholeSet(t *testing.T) {
	dir := t.TempDir()
	values := "envVars:\n  DB_HOST: a\n"
	secrets := "secrets:\n  DB_PASSWORD: a\n"
	for name, text := range map[string]string{"values.yaml": values, "secrets.yaml": secrets, "summary.md": "old summary\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cat := model.NewCatalog()
	o := DefaultOptions()
	o.hooks = &hooks{verify: func(path string, want, old []byte, sets []Set) error {
		if filepath.Base(path) == "secrets.yaml" {
			return errors.New("simulated mismatch")
		}
		return verifyWritten(path, want, old, sets)
	}}
	x, _, err := o.ReadExisting(cat, dir)
	if err != nil {
		t.Fatal(err)
	}
	a := x.Answers.Clone()
	a.Set("envVars.DB_HOST", "b")
	a.Set("secrets.DB_PASSWORD", "b")
	_, _, err = x.SaveInto(a, nil, dir)
	want := strings.ReplaceAll("DIR/secrets.yaml did not hold the expected values after writing (simulated mismatch): "+
		"the previous version of DIR/values.yaml was put back; the previous version of DIR/secrets.yaml was put back; the previous version of DIR/summary.md was put back; "+
		"DIR/crewai-setup.yaml, which did not exist before, was removed", "DIR", dir)
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %q", err, want)
	}
	for name, text := range map[string]string{"values.yaml": values, "secrets.yaml": secrets, "summary.md": "old summary\n"} {
		if got := string(readOrFail(t, filepath.Join(dir, name))); got != text {
			t.Errorf("%s = %q, want the previous %q", name, got, text)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "crewai-setup.yaml")); !os.IsNotExist(err) {
		t.Errorf("crewai-setup.yaml, new in the failed set, is still there (%v)", err)
	}
}

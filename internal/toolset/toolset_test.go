package toolset

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"crewai-setup/store/sops"
)

func mkExec(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// The newest complete server version wins (15 over 9.6, numerically); a version missing
// pg_ctl is passed over; with none, the error is the install hint.
func TestFindPostgresTakesTheNewestComplete(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	pg, _ := Lookup(Postgres)
	root := t.TempDir()
	if _, err := findPostgres(root, pg); err == nil || err.Error() != pg.Hint() {
		t.Errorf("no server: err = %v, want %q", err, pg.Hint())
	}
	for _, v := range []string{"9.6", "15"} {
		mkExec(t, filepath.Join(root, v, "bin", "initdb"))
		mkExec(t, filepath.Join(root, v, "bin", "pg_ctl"))
	}
	mkExec(t, filepath.Join(root, "16", "bin", "initdb"))
	got, err := findPostgres(root, pg)
	if want := filepath.Join(root, "15", "bin"); err != nil || got != want {
		t.Errorf("findPostgres = %q, %v; want %q", got, err, want)
	}
}

// Without the Debian layout, initdb on PATH counts when pg_ctl sits beside it.
func TestFindPostgresOnPath(t *testing.T) {
	bin := t.TempDir()
	t.Setenv("PATH", bin)
	pg, _ := Lookup(Postgres)
	mkExec(t, filepath.Join(bin, "initdb"))
	if _, err := findPostgres(t.TempDir(), pg); err == nil {
		t.Error("initdb without pg_ctl was taken")
	}
	mkExec(t, filepath.Join(bin, "pg_ctl"))
	if got, err := findPostgres(t.TempDir(), pg); err != nil || got != bin {
		t.Errorf("findPostgres = %q, %v; want %q", got, err, bin)
	}
}

// Every tool comes from exactly one place, Go-built ones at a pinned version, and says why
// the tests need it; the script's messages depend on all three.
func TestEveryToolHasOneSourceAndAReason(t *testing.T) {
	seen := map[string]bool{}
	for _, tool := range All() {
		if seen[tool.Name] {
			t.Errorf("%s is listed twice", tool.Name)
		}
		seen[tool.Name] = true
		if (tool.Debian == "") == (tool.Package == "") {
			t.Errorf("%s: give either a Debian package or a Go package", tool.Name)
		}
		if tool.GoInstalled() && !regexp.MustCompile(`^v\d+\.\d+\.\d+$`).MatchString(tool.Version) {
			t.Errorf("%s: Go-built tools are pinned to a release (vX.Y.Z), not %q", tool.Name, tool.Version)
		}
		if !tool.GoInstalled() && tool.Version != "" {
			t.Errorf("%s: apt installs the distribution's version; drop Version %q", tool.Name, tool.Version)
		}
		if tool.Why == "" {
			t.Errorf("%s: say which tests need it", tool.Name)
		}
	}
}

// Every program a test (or a test helper package) runs by name is in the list (or is the Go toolchain or the shell), so
// ./scripts/test installs it and a missing one fails with the hint.
func TestTestsRunOnlyListedTools(t *testing.T) {
	root := filepath.Join("..", "..")
	run := regexp.MustCompile(`exec\.Command\("([^"]+)"|exec\.CommandContext\((?:ctx|t\.Context\(\)|context\.Background\(\)), "([^"]+)"`)
	allowed := map[string]bool{"go": true, "sh": true}
	for _, tool := range All() {
		allowed[tool.Name] = true
	}
	files, runs := 0, 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		helper := strings.HasSuffix(filepath.Base(filepath.Dir(path)), "test") // pgtest, sopstest: test helper packages
		if d.IsDir() || !strings.HasSuffix(path, ".go") || !strings.HasSuffix(path, "_test.go") && !helper {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, m := range run.FindAllStringSubmatch(string(data), -1) {
			runs++
			if name := m[1] + m[2]; !allowed[name] {
				t.Errorf("%s runs %q, which is not in toolset.All: add it there (and find it with testtool)", path, name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 || runs < 5 {
		t.Fatalf("read %d test files under %s and found %d programs run: the walk or the pattern is broken", files, root, runs)
	}
}

// The sops the script installs is the release store/sops is tested against and names in its
// install hint (store/sops cannot import this package: its tests use testtool).
func TestSopsVersionIsTheTestedOne(t *testing.T) {
	tool, ok := Lookup("sops")
	if !ok || tool.Version != "v"+sops.TestedVersion {
		t.Errorf("toolset installs sops %q, store/sops.TestedVersion is %s: make them equal", tool.Version, sops.TestedVersion)
	}
}

// SearchPath puts the cache folder of a Go-built tool in front only when the tool is not
// already on PATH, and keeps PATH itself as it was.
func TestSearchPath(t *testing.T) {
	home, bin := t.TempDir(), t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home)
	cache := filepath.Join(home, "crewai-setup", "tools")
	helm, _ := Lookup("helm")
	age, _ := Lookup("age")
	mkExec(t, filepath.Join(helm.Dir(cache), "helm"))
	mkExec(t, filepath.Join(age.Dir(cache), "age"))
	mkExec(t, filepath.Join(bin, "age"))
	if got, want := SearchPath(bin), helm.Dir(cache)+":"+bin; got != want {
		t.Errorf("SearchPath = %q, want %q", got, want)
	}
	if got, want := SearchPath(""), helm.Dir(cache)+":"+age.Dir(cache); got != want {
		t.Errorf("SearchPath of an empty PATH = %q, want %q (no empty entry, which would mean the current folder)", got, want)
	}
}

// A Debian program installed into sbin is found when PATH lacks sbin (a PATH from env -i or
// for a non-root user); a Go-built tool is not looked for there.
func TestFindLooksInSbin(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	sbin := t.TempDir()
	find := func(name string) (string, error) {
		tool, ok := Lookup(name)
		if !ok {
			t.Fatalf("%s is not in the list", name)
		}
		return tool.find([]string{sbin})
	}
	if _, err := find("runuser"); err == nil {
		t.Fatal("runuser found with an empty PATH and an empty sbin")
	}
	mkExec(t, filepath.Join(sbin, "runuser"))
	mkExec(t, filepath.Join(sbin, "sops"))
	if got, err := find("runuser"); err != nil || got != filepath.Join(sbin, "runuser") {
		t.Errorf("Find(runuser) = %q, %v; want the one in sbin", got, err)
	}
	if got, err := find("sops"); err == nil {
		t.Errorf("Find(sops) = %q: a Go-built tool was taken from sbin", got)
	}
}

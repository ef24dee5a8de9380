package store

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"crewai-setup/internal/testtool"
	"crewai-setup/model"
)

// gitRepo makes a temporary git repository and returns its top and a git runner.
func gitRepo(t *testing.T) (string, func(args ...string) string) {
	t.Helper()
	gitPath := testtool.Path(t, "git")
	top := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitPath, append([]string{"-C", top}, args...)...)
		cmd.Env = append(filterEnv(os.Environ(), "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"),
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil && (len(args) == 0 || args[0] != "check-ignore") {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	git("init", "-q")
	return top, git
}

// In a Git work tree the writer adds the secrets file, and every file's backups, temporary
// and lock files, to a .gitignore in the output directory (created, or appended to without
// disturbing what is there), says so, and adds nothing the second time.
func TestGitIgnoreWrittenInWorkTree(t *testing.T) {
	for _, tc := range []struct {
		name, existing string
	}{
		{"created", ""},
		{"appended without trailing newline", "node_modules\n!keep-me.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			top, git := gitRepo(t)
			out := filepath.Join(top, "deploy", "prod")
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			ignore := filepath.Join(out, ".gitignore")
			if tc.existing != "" {
				if err := os.WriteFile(ignore, []byte(tc.existing), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res, err := DefaultOptions().WriteSet(threeFiles(out, "one", 0))
			if err != nil {
				t.Fatal(err)
			}
			lines := []string{"/secrets.yaml", "/secrets.yaml.bak-*", "/.secrets.yaml.tmp-*", "/.secrets.yaml.sops-set-*", "/.secrets.yaml.lock",
				"/values.yaml.bak-*", "/.values.yaml.tmp-*", "/.values.yaml.sops-set-*", "/.values.yaml.lock",
				"/summary.md.bak-*", "/.summary.md.tmp-*", "/.summary.md.sops-set-*", "/.summary.md.lock"}
			prefix := tc.existing
			if prefix != "" {
				prefix += "\n"
			}
			want := prefix + "# crewai-setup: secrets, backups, temporary and lock files stay out of Git\n" + strings.Join(lines, "\n") + "\n"
			if got := string(readOrFail(t, ignore)); got != want {
				t.Errorf(".gitignore:\n%s\nwant:\n%s", got, want)
			}
			verb := "created with"
			if tc.existing != "" {
				verb = "added to"
			}
			wantNote := ignore + " " + verb + " the lines " + strings.Join(lines, " ") + ", so that Git ignores secrets.yaml and the backups, temporary and lock files this tool makes: commit it"
			if !slices.Equal(res.GitIgnore, []string{ignore}) || !slices.Contains(res.Notes, wantNote) {
				t.Errorf("GitIgnore %v, notes %q\nwant note %q", res.GitIgnore, res.Notes, wantNote)
			}
			if res.GitWarning != "" {
				t.Errorf("warning %q", res.GitWarning)
			}

			// A second write makes backups; Git sees only values.yaml, summary.md and the .gitignore.
			res, err = DefaultOptions().WriteSet(threeFiles(out, "two", 0))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.GitIgnore) != 0 || len(res.Notes) != 0 {
				t.Errorf("second write changed the .gitignore again: %v %q", res.GitIgnore, res.Notes)
			}
			status := git("status", "--porcelain", "--untracked-files=all")
			if want := "?? deploy/prod/.gitignore\n?? deploy/prod/summary.md\n?? deploy/prod/values.yaml\n"; status != want {
				t.Errorf("git status:\n%s\nwant:\n%s", status, want)
			}
			if got := git("check-ignore", "--no-index", "deploy/prod/.secrets.yaml.tmp-123", "deploy/prod/secrets.yaml"); got != "deploy/prod/.secrets.yaml.tmp-123\ndeploy/prod/secrets.yaml\n" {
				t.Errorf("check-ignore: %q", got)
			}
		})
	}
}

// A secrets file Git already tracks gets a loud warning: its secrets are in the history, and
// it says how to stop tracking it. The ignore lines are added all the same.
func TestGitIgnoreTrackedSecretsWarning(t *testing.T) {
	top, git := gitRepo(t)
	writeThree(t, top, "old")
	git("add", "-f", "secrets.yaml")
	git("commit", "-q", "-m", "oops")
	res, err := DefaultOptions().WriteSet(threeFiles(top, "new", 0))
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(top, "secrets.yaml") + " IS TRACKED BY GIT in the work tree " + top + ", so the secrets in it are in the repository's history: stop tracking it with git -C " + top +
		" rm --cached -- secrets.yaml and commit; every secret it ever held stays readable in that history, so rotate them (crewai-setup rotate) unless the repository never left this machine"
	if res.GitWarning != want {
		t.Errorf("warning:\n%s\nwant:\n%s", res.GitWarning, want)
	}
	if !strings.Contains(string(readOrFail(t, filepath.Join(top, ".gitignore"))), "\n/secrets.yaml\n") {
		t.Error("the .gitignore does not ignore secrets.yaml")
	}
	// Following the advice ends the warning.
	git("rm", "-q", "--cached", "--", "secrets.yaml")
	git("commit", "-q", "-m", "untrack")
	if res, err = DefaultOptions().WriteSet(threeFiles(top, "newer", 0)); err != nil || res.GitWarning != "" {
		t.Errorf("after untracking: warning %q, err %v", res.GitWarning, err)
	}
}

// In-place edits protect the secrets file even when only values.yaml changes, and outside a
// work tree nothing is written; without git only the warning remains.
func TestGitIgnoreEdgeCases(t *testing.T) {
	top, _ := gitRepo(t)
	if err := os.WriteFile(filepath.Join(top, "values.yaml"), []byte("envVars:\n  DB_HOST: a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(top, "secrets.yaml"), []byte("secrets:\n  DB_PASSWORD: a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cat := model.NewCatalog()
	x, _, err := ReadExisting(cat, top)
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Write([]Set{{Entry: cat.Lookup("envVars.DB_HOST"), Value: "b"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(readOrFail(t, filepath.Join(top, ".gitignore"))); !strings.Contains(got, "\n/secrets.yaml\n") || !strings.Contains(got, "\n/values.yaml.bak-*\n") {
		t.Errorf(".gitignore after a values-only edit:\n%s", got)
	}
	if len(res.Written) != 1 || filepath.Base(res.Written[0].Path) != "values.yaml" {
		t.Errorf("written %+v", res.Written)
	}

	// A set without secrets: its by-products are ignored, the files themselves are not.
	top2, git2 := gitRepo(t)
	res, err = DefaultOptions().WriteSet([]File{{Path: filepath.Join(top2, "values.yaml"), Data: []byte("a: 1\n"), Perm: 0o644}})
	if err != nil {
		t.Fatal(err)
	}
	wantNote := filepath.Join(top2, ".gitignore") + " created with the lines /values.yaml.bak-* /.values.yaml.tmp-* /.values.yaml.sops-set-* /.values.yaml.lock, so that Git ignores the backups, temporary and lock files this tool makes: commit it"
	if !slices.Equal(res.Notes, []string{wantNote}) {
		t.Errorf("notes %q\nwant %q", res.Notes, wantNote)
	}
	if status := git2("status", "--porcelain", "--untracked-files=all"); status != "?? .gitignore\n?? values.yaml\n" {
		t.Errorf("git status:\n%s", status)
	}

	plain := t.TempDir()
	if _, err := DefaultOptions().WriteSet(threeFiles(plain, "x", 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(plain, ".gitignore")); !os.IsNotExist(err) {
		t.Errorf("a .gitignore was written outside any work tree (%v)", err)
	}

	g := ensureIgnored(top, []ignoreSpec{{name: "secrets.yaml", secret: true}}, "")
	if len(g.warnings) != 1 || !strings.Contains(g.warnings[0], "could not be verified") || g.file != "" {
		t.Errorf("without git: %+v", g)
	}
}

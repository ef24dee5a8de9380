package testtool

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"crewai-setup/internal/toolset"
)

// fakeT records what a test helper fails with; Fatal ends its goroutine as testing.T's does.
type fakeT struct {
	testing.TB
	msg string
}

func (f *fakeT) Helper() {}

func (f *fakeT) Fatal(args ...any) {
	f.msg = fmt.Sprint(args...)
	runtime.Goexit()
}

func (f *fakeT) Fatalf(format string, args ...any) { f.Fatal(fmt.Sprintf(format, args...)) }

// failure runs fn with a fakeT and returns what it failed with ("" when it did not fail).
func failure(t *testing.T, fn func(tb testing.TB)) string {
	t.Helper()
	f := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f.msg
}

// emptyEnv leaves nothing on PATH and an empty cache folder.
func emptyEnv(t *testing.T) (cache string) {
	t.Helper()
	t.Setenv("PATH", t.TempDir())
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home)
	return filepath.Join(home, "crewai-setup", "tools")
}

func writeExec(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), mode); err != nil {
		t.Fatal(err)
	}
}

// A missing tool fails the test with one line per tool: what is missing, the script that
// installs it, and the package; a Debian tool names apt-get, a Go-built one go install.
func TestNeedFailsWithTheInstallHint(t *testing.T) {
	emptyEnv(t)
	got := failure(t, func(tb testing.TB) { Need(tb, "tmux", "helm") })
	want := "tmux not found: run ./scripts/test, which installs it, or apt-get install -y tmux\n" +
		"helm not found: run ./scripts/test, which installs it, or go install helm.sh/helm/v3/cmd/helm@v3.22.0"
	if got != want {
		t.Errorf("Need failed with\n%s\nwant\n%s", got, want)
	}
	got = failure(t, func(tb testing.TB) { Path(tb, "awk") })
	if want := "awk not found: run ./scripts/test, which installs it, or apt-get install -y gawk"; got != want {
		t.Errorf("Path failed with %q, want %q", got, want)
	}
}

// A tool the list does not hold is a mistake in the test, said as such.
func TestUnknownToolFails(t *testing.T) {
	got := failure(t, func(tb testing.TB) { Need(tb, "jq") })
	if !strings.Contains(got, `"jq" is not in the list of test tools`) || !strings.Contains(got, "internal/toolset") {
		t.Errorf("Need(jq) failed with %q", got)
	}
}

// A plain go test finds the Go-built tools the script put into the cache folder, by version:
// a binary of another version, or one that is not executable, does not count.
func TestPathFindsTheCachedTool(t *testing.T) {
	cache := emptyEnv(t)
	sops, _ := toolset.Lookup("sops")
	writeExec(t, filepath.Join(cache, "sops@v0.0.1", "sops"), 0o755)
	writeExec(t, filepath.Join(sops.Dir(cache), "sops"), 0o644)
	if got := failure(t, func(tb testing.TB) { Path(tb, "sops") }); got == "" {
		t.Fatal("Path took a cached sops of another version, or one that is not executable")
	}
	want := filepath.Join(sops.Dir(cache), "sops")
	if err := os.Chmod(want, 0o755); err != nil {
		t.Fatal(err)
	}
	var got string
	if msg := failure(t, func(tb testing.TB) { got = Path(tb, "sops") }); msg != "" {
		t.Fatalf("Path(sops) failed: %s", msg)
	}
	if got != want {
		t.Errorf("Path(sops) = %s, want %s", got, want)
	}
	// One on PATH wins over the cache.
	onPath := filepath.Join(os.Getenv("PATH"), "sops")
	writeExec(t, onPath, 0o755)
	if got := Path(t, "sops"); got != onPath {
		t.Errorf("Path(sops) = %s, want the one on PATH, %s", got, onPath)
	}
}

// Debian tools come from PATH only: a file of that name in the cache folder is not used.
func TestDebianToolsAreNotTakenFromTheCache(t *testing.T) {
	cache := emptyEnv(t)
	tmux, _ := toolset.Lookup("tmux")
	writeExec(t, filepath.Join(tmux.Dir(cache), "tmux"), 0o755)
	if got := failure(t, func(tb testing.TB) { Need(tb, "tmux") }); !strings.HasPrefix(got, "tmux not found") {
		t.Errorf("Need(tmux) with tmux only in the cache failed with %q", got)
	}
}

// On this machine (set up by ./scripts/test) the PostgreSQL server binaries are found.
func TestNeedPostgresFindsTheServer(t *testing.T) {
	dir := NeedPostgres(t)
	for _, prog := range []string{"initdb", "pg_ctl"} {
		if st, err := os.Stat(filepath.Join(dir, prog)); err != nil || st.Mode()&0o111 == 0 {
			t.Errorf("NeedPostgres returned %s, which holds no executable %s (%v)", dir, prog, err)
		}
	}
}

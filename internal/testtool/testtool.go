// Package testtool finds the programs from outside Go that tests run (the list is in
// internal/toolset). A missing one fails the test with a one-line hint naming ./scripts/test
// and the package to install; it never skips the test.
package testtool

import (
	"os"
	"strings"
	"testing"

	"crewai-setup/internal/toolset"
)

// Path returns the path of the tool called name, from PATH or from the cache folder
// ./scripts/test installs Go-built tools into, and fails the test when it is missing.
func Path(t testing.TB, name string) string {
	t.Helper()
	p, err := toolset.Find(name)
	if err != nil {
		t.Fatal(err.Error())
	}
	return p
}

// Need fails the test, with one hint line per missing tool, unless every named tool is found.
// Tools it passes are on PATH or in the cache; run cache tools through Path.
func Need(t testing.TB, names ...string) {
	t.Helper()
	var missing []string
	for _, name := range names {
		if _, err := toolset.Find(name); err != nil {
			missing = append(missing, err.Error())
		}
	}
	if len(missing) > 0 {
		t.Fatal(strings.Join(missing, "\n"))
	}
}

// SearchPath returns the PATH to give programs a test starts: this process's PATH with the
// cache folders of Go-built tools not on it in front, so a plain go test after ./scripts/test
// finds them. It fails nothing; Need and Path do.
func SearchPath() string { return toolset.SearchPath(os.Getenv("PATH")) }

// NeedPostgres returns the folder holding the PostgreSQL server binaries (initdb, pg_ctl) and
// fails the test when they are missing, or, when the tests run as root, when runuser (which
// runs them as the postgres user) is.
func NeedPostgres(t testing.TB) string {
	t.Helper()
	names := []string{toolset.Postgres}
	if os.Geteuid() == 0 {
		names = append(names, "runuser")
	}
	Need(t, names...)
	return Path(t, toolset.Postgres)
}

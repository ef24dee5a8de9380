// Package toolset is the one list of the programs from outside Go that the tests run: what
// each is for, where it comes from (a Debian package, or `go install` at a pinned version into
// a cache folder) and how to find it. scripts/testrun installs from this list and
// internal/testtool looks tools up in it, so both name the same packages and versions.
package toolset

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Script is the README's test command: it installs every tool below, then runs the tests.
const Script = "./scripts/test"

// Postgres names the PostgreSQL server binaries (initdb and pg_ctl) in the list.
const Postgres = "postgres"

// postgresRoot is where Debian and Ubuntu put each server version's binaries.
const postgresRoot = "/usr/lib/postgresql"

// Tool is one program the tests run.
type Tool struct {
	// Name is the command (Postgres for the PostgreSQL server binaries).
	Name string
	// Why says which tests run it and what for.
	Why string
	// Debian is the Debian package that provides it ("" for a Go-installed tool).
	Debian string
	// Package and Version are what `go install` builds (Go-installed tools only).
	Package, Version string
	// RootOnly marks a tool needed only when the tests run as root.
	RootOnly bool
}

// All returns every tool the tests run, Debian packages first.
func All() []Tool {
	return []Tool{
		{Name: "awk", Debian: "gawk", Why: "the chart's one-line command for the GitHub App key, the reference for model/pemkey, app and render tests"},
		{Name: "openssl", Debian: "openssl", Why: "makes and checks the keys of the PEM tests (model/pemkey, app)"},
		{Name: "git", Debian: "git", Why: "the .gitignore advice tests (store)"},
		{Name: "tmux", Debian: "tmux", Why: "the terminal end-to-end tests drive the built wizard in it (e2e)"},
		{Name: Postgres, Debian: "postgresql", Why: "the connection-check tests start a private server (preflight, app)"},
		{Name: "runuser", Debian: "util-linux", RootOnly: true, Why: "starts PostgreSQL as the postgres user when the tests run as root"},
		{Name: "helm", Package: "helm.sh/helm/v3/cmd/helm", Version: "v3.22.0", Why: "the Helm round-trip test renders the written files with it (render)"},
		{Name: "sops", Package: "github.com/getsops/sops/v3/cmd/sops", Version: "v3.13.3", Why: "encrypts and decrypts secrets files in the SOPS tests (store/sops)"},
		{Name: "age", Package: "filippo.io/age/cmd/age", Version: "v1.3.2", Why: "the SOPS tests encrypt to age keys (store/sops)"},
		{Name: "age-keygen", Package: "filippo.io/age/cmd/age-keygen", Version: "v1.3.2", Why: "makes the age keys of the SOPS tests (store/sops)"},
	}
}

// Lookup returns the tool called name.
func Lookup(name string) (Tool, bool) {
	for _, t := range All() {
		if t.Name == name {
			return t, true
		}
	}
	return Tool{}, false
}

// GoInstalled reports whether the tool is built with `go install` rather than installed by apt.
func (t Tool) GoInstalled() bool { return t.Package != "" }

// Label is how messages name the tool: the command, or what the PostgreSQL entry stands for.
func (t Tool) Label() string {
	if t.Name == Postgres {
		return "PostgreSQL server binaries (initdb, pg_ctl)"
	}
	return t.Name
}

// InstallCommand returns the one command that installs the tool by hand.
func (t Tool) InstallCommand() string {
	if t.GoInstalled() {
		return "go install " + t.Package + "@" + t.Version
	}
	return "apt-get install -y " + t.Debian
}

// Hint is the one-line message for a missing tool: what is missing and the two ways to get it.
func (t Tool) Hint() string {
	it := "it"
	if t.Name == Postgres {
		it = "them"
	}
	return t.Label() + " not found: run " + Script + ", which installs " + it + ", or " + t.InstallCommand()
}

// CacheDir returns the folder Go-installed tools are kept in: crewai-setup/tools under the
// user's cache folder ($XDG_CACHE_HOME, else ~/.cache).
func CacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder for the test tools (set XDG_CACHE_HOME or HOME): %w", err)
	}
	return filepath.Join(dir, "crewai-setup", "tools"), nil
}

// Dir returns the tool's folder in cache, keyed by version: <cache>/<name>@<version>.
func (t Tool) Dir(cache string) string { return filepath.Join(cache, t.Name+"@"+t.Version) }

// Find returns the tool's path: from PATH, else, for a Go-installed tool, from the cache
// folder (so a plain `go test` finds what the script installed). For Postgres it returns the
// folder holding initdb and pg_ctl. The error is the tool's Hint.
func (t Tool) Find() (string, error) {
	return t.find([]string{"/usr/sbin", "/sbin"})
}

// find is Find looking in the sbin folders given, where Debian puts programs for
// administrators.
func (t Tool) find(sbinDirs []string) (string, error) {
	if t.Name == Postgres {
		return findPostgres(postgresRoot, t)
	}
	if p, err := exec.LookPath(t.Name); err == nil {
		return p, nil
	}
	// Debian installs administrators' programs (runuser) into sbin, which a PATH for other
	// users or from env -i lacks.
	for _, dir := range sbinDirs {
		if p := filepath.Join(dir, t.Name); t.Debian != "" && isExec(p) {
			return p, nil
		}
	}
	if t.GoInstalled() {
		if cache, err := CacheDir(); err == nil {
			if p := filepath.Join(t.Dir(cache), t.Name); isExec(p) {
				return p, nil
			}
		}
	}
	return "", errors.New(t.Hint())
}

// Find returns the path of the tool called name (see Tool.Find).
func Find(name string) (string, error) {
	t, ok := Lookup(name)
	if !ok {
		return "", fmt.Errorf("%q is not in the list of test tools: add it to All in internal/toolset", name)
	}
	return t.Find()
}

// SearchPath returns path (a PATH value) with the cache folders of the Go-built tools that are
// not found on it in front, so programs the tests start find those tools too.
func SearchPath(path string) string {
	cache, err := CacheDir()
	if err != nil {
		return path
	}
	var dirs []string
	for _, t := range All() {
		if !t.GoInstalled() || lookIn(path, t.Name) {
			continue
		}
		if isExec(filepath.Join(t.Dir(cache), t.Name)) {
			dirs = append(dirs, t.Dir(cache))
		}
	}
	if path != "" {
		dirs = append(dirs, path)
	}
	return strings.Join(dirs, string(os.PathListSeparator))
}

// lookIn reports whether an executable called name is in one of path's folders.
func lookIn(path, name string) bool {
	for _, dir := range filepath.SplitList(path) {
		if dir != "" && isExec(filepath.Join(dir, name)) {
			return true
		}
	}
	return false
}

// findPostgres returns the newest root/<version>/bin holding initdb and pg_ctl, else the
// folder of the initdb on PATH when pg_ctl sits beside it.
func findPostgres(root string, t Tool) (string, error) {
	dirs, _ := filepath.Glob(filepath.Join(root, "*", "bin"))
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil && isExec(filepath.Join(filepath.Dir(p), "pg_ctl")) {
		return filepath.Dir(p), nil
	}
	return "", errors.New(t.Hint())
}

// versionOf reads the version from .../<version>/bin ("15", "9.6").
func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(strings.TrimSpace(filepath.Base(filepath.Dir(binDir))), 64)
	return v
}

func isExec(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

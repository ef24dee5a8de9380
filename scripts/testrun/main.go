// Command testrun is the README's test command (./scripts/test builds and runs it; `go run
// ./scripts/testrun` works too). It installs what the tests need and is missing — the Debian
// packages of internal/toolset with apt-get when run as root, the Go-built tools with `go
// install` into a cache folder — says what it installs and why, then runs `go test ./...`
// with the arguments given (`-run X -count=1`, `-race`, packages) and exits with its status.
// Without root or apt-get it prints the exact install command and stops before any test runs.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"

	"crewai-setup/internal/toolset"
)

// exitSetup is the status when the tools cannot be set up (the tests did not run).
const exitSetup = 2

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run sets up the tools, runs go test with args and returns the exit status; its own
// messages go to msgs (stderr), so `-json` output on stdout stays clean.
func run(args []string, msgs io.Writer) int {
	say := func(format string, a ...any) { fmt.Fprintf(msgs, "scripts/test: "+format+"\n", a...) }
	goTool, err := exec.LookPath("go")
	if err != nil {
		say("go not found on PATH: install Go 1.26 (https://go.dev/dl/)")
		return exitSetup
	}
	root := os.Geteuid() == 0
	debian, goBuilt := missing(root)
	if len(debian) > 0 {
		if !installDebian(debian, root, goBuilt, say) {
			return exitSetup
		}
		if debian, _ = missing(root); len(debian) > 0 {
			for _, t := range debian {
				say("%s", t.Hint())
			}
			say("apt-get finished, but these are still missing: install them by hand")
			return exitSetup
		}
	}
	cache, err := toolset.CacheDir()
	if err != nil && len(goBuilt) > 0 {
		say("%v", err)
		return exitSetup
	}
	for _, t := range goBuilt {
		if err := installGo(goTool, t, cache, say); err != nil {
			say("%v", err)
			return exitSetup
		}
	}
	return goTest(goTool, args, say)
}

// missing returns the Debian-packaged and the Go-built tools that are not found.
func missing(root bool) (debian, goBuilt []toolset.Tool) {
	for _, t := range toolset.All() {
		if t.RootOnly && !root {
			continue
		}
		if _, err := t.Find(); err == nil {
			continue
		}
		if t.GoInstalled() {
			goBuilt = append(goBuilt, t)
		} else {
			debian = append(debian, t)
		}
	}
	return debian, goBuilt
}

// packages returns the tools' Debian packages, each once, in list order.
func packages(tools []toolset.Tool) []string {
	var pkgs []string
	for _, t := range tools {
		if !slices.Contains(pkgs, t.Debian) {
			pkgs = append(pkgs, t.Debian)
		}
	}
	return pkgs
}

// installDebian installs the packages with apt-get when it can; otherwise it says what to
// install and returns false.
func installDebian(tools []toolset.Tool, root bool, goBuilt []toolset.Tool, say func(string, ...any)) bool {
	pkgs := packages(tools)
	line := "apt-get install -y " + strings.Join(pkgs, " ")
	apt, aptErr := exec.LookPath("apt-get")
	if !root || aptErr != nil {
		say("the tests need programs that are not installed:")
		for _, t := range tools {
			say("  %s (Debian package %s): %s", t.Label(), t.Debian, t.Why)
		}
		switch {
		case aptErr != nil:
			say("apt-get is not available here: install the packages above with the system's package manager (on Debian: %s), then run %s again", line, toolset.Script)
		default:
			say("installing them needs root: run this as root (or with sudo), then run %s again:", toolset.Script)
			say("  %s", line)
		}
		if len(goBuilt) > 0 {
			names := make([]string, len(goBuilt))
			for i, t := range goBuilt {
				names[i] = t.Name
			}
			say("(%s, built with go install, need no root: the next run installs them)", strings.Join(names, ", "))
		}
		say("no tests were run")
		return false
	}
	for _, t := range tools {
		say("installing %s (Debian package %s): %s", t.Label(), t.Debian, t.Why)
	}
	env := append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	for _, aptArgs := range [][]string{{"update", "-qq"}, append([]string{"install", "-y", "-qq", "--no-install-recommends"}, pkgs...)} {
		cmd := exec.CommandContext(context.Background(), apt, aptArgs...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			say("apt-get %s failed: %v\n%s", strings.Join(aptArgs, " "), err, bytes.TrimSpace(out))
			say("install them by hand (%s), then run %s again", line, toolset.Script)
			return false
		}
	}
	return true
}

// installGo builds the tool with go install into its version's folder in cache, through a
// temporary folder renamed into place, so an interrupted build leaves nothing half-written.
func installGo(goTool string, t toolset.Tool, cache string, say func(string, ...any)) error {
	dir := t.Dir(cache)
	say("installing %s %s into %s (%s): %s", t.Name, t.Version, dir, t.InstallCommand(), t.Why)
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return fmt.Errorf("cannot create the tool cache %s: %w", cache, err)
	}
	tmp, err := os.MkdirTemp(cache, t.Name+"@"+t.Version+".tmp-")
	if err != nil {
		return fmt.Errorf("cannot create a folder in the tool cache %s: %w", cache, err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(context.Background(), goTool, "install", t.Package+"@"+t.Version)
	cmd.Dir = cache // outside any module: the pinned version alone decides
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s failed: %w\n%s", t.InstallCommand(), err, bytes.TrimSpace(out))
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, found := t.Find(); found == nil {
			return nil // another run installed it meanwhile
		}
		// A folder without the binary (left by hand) is in the way: replace it.
		if rmErr := os.RemoveAll(dir); rmErr != nil || os.Rename(tmp, dir) != nil {
			return fmt.Errorf("cannot move %s into the tool cache (remove %s and run again): %w", t.Name, dir, err)
		}
	}
	if _, err := t.Find(); err != nil {
		return fmt.Errorf("%s was installed into %s but is not found there: %w", t.Name, dir, err)
	}
	return nil
}

// goTest runs go test with the tool cache's folders first on PATH and returns its status.
func goTest(goTool string, args []string, say func(string, ...any)) int {
	path := toolset.SearchPath(os.Getenv("PATH"))
	testArgs := goTestArgs(args)
	say("go %s", strings.Join(testArgs, " "))
	cmd := exec.CommandContext(context.Background(), goTool, testArgs...) // the tests' own -timeout bounds them
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "PATH="+path)
	// Ctrl+C reaches go test from the terminal; stay alive to report its status.
	signal.Notify(make(chan os.Signal, 1), os.Interrupt)
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if code := exit.ExitCode(); code > 0 {
				return code
			}
			return 1 // killed by a signal
		}
		say("cannot run go test: %v", err)
		return exitSetup
	}
	return 0
}

// goTestArgs returns go test's arguments: args as given, with ./... added when they name no
// package (before -args, which passes the rest to the test binaries).
func goTestArgs(args []string) []string {
	flags, rest := args, []string(nil)
	if i := slices.Index(args, "-args"); i >= 0 {
		flags, rest = args[:i], args[i:]
	}
	out := append([]string{"test"}, flags...)
	if !slices.ContainsFunc(flags, isPackage) {
		out = append(out, "./...")
	}
	return append(out, rest...)
}

// isPackage reports whether a command-line argument is a package pattern of this module.
func isPackage(arg string) bool {
	return arg == "." || arg == "all" || strings.HasPrefix(arg, "./") || strings.HasPrefix(arg, "../") ||
		arg == "crewai-setup" || strings.HasPrefix(arg, "crewai-setup/")
}

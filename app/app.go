// Package app implements the crewai-setup subcommands on top of model and render. It never
// calls os.Exit: Run returns errors wrapping the sentinels below and main maps them to exit codes.
package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
)

// Version is the tool's version, printed by --version.
const Version = "0.1.0"

// Sentinel errors; main maps them to exit codes (1, 2, 2, 130).
var (
	// ErrFindings means check found problems in the files it read.
	ErrFindings = errors.New("findings")
	// ErrUsage means the command line was wrong.
	ErrUsage = errors.New("usage")
	// ErrBadInput means the answers or files given are missing something or invalid.
	ErrBadInput = errors.New("bad input")
	// ErrAborted means the operator cancelled.
	ErrAborted = errors.New("aborted")
)

// IO is the process's standard streams and environment, replaceable in tests.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// InTerminal and OutTerminal say whether stdin and stdout are terminals.
	InTerminal, OutTerminal bool
	// Getenv reads an environment variable.
	Getenv func(string) string
}

// DefaultIO returns the process's real streams.
func DefaultIO() IO {
	return IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTerminal:  term.IsTerminal(os.Stdin.Fd()),
		OutTerminal: term.IsTerminal(os.Stdout.Fd()),
		Getenv:      os.Getenv,
	}
}

const usage = `crewai-setup prepares values files for the CrewAI Platform Helm chart.

Usage:
  crewai-setup [init] [--answers FILE] [--from DIR] [--out DIR] [--non-interactive] [--accessible]
  crewai-setup pem FILE|-
  crewai-setup check [--format text|json] [--argocd] [--replicated] [--strict] [--connect [--offline] [--timeout 5s]] FILE...
  crewai-setup rotate [--secrets FILE] [--values FILE] [--yes] [--from-file KEY=PATH] [--from-stdin KEY] [--confirm KEY] [KEY...]
  crewai-setup --help | --version

Commands:
  init     ask for (or read from --answers) everything the chart needs, validate it, and write
           values.yaml, secrets.yaml (mode 0600) and summary.md into --out (default: .)
  pem      print a GitHub App private key in the chart's one-line form (secrets.GITHUB_APP_PRIVATE_KEY)
  check    lint existing values files, merged in Helm's -f order; --connect also tests the
           database, GitHub App, sign-in provider, LLM key and package index they name
  rotate   replace credentials in existing files, changing nothing else

Exit codes: 0 ok, 1 check findings, 2 bad input or usage, 130 aborted.
Run "crewai-setup COMMAND --help" for a command's options.
`

// parseFlags parses a subcommand's flags: --help prints the usage on stdout and returns
// flag.ErrHelp; a wrong flag (already reported on stderr by the flag package) wraps ErrUsage.
func parseFlags(fs *flag.FlagSet, args []string, sio IO) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(sio.Out)
		fs.Usage()
		return flag.ErrHelp
	default:
		return fmt.Errorf("%w: %w", err, ErrUsage)
	}
}

// Run executes the command line args (without the program name).
func Run(args []string, sio IO) error {
	if sio.Getenv == nil {
		sio.Getenv = func(string) string { return "" }
	}
	cmd, rest := "init", args
	if len(args) == 1 && (args[0] == "--help" || args[0] == "-h" || args[0] == "-help") {
		cmd = "help"
	}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, rest = args[0], args[1:]
	}
	switch cmd {
	case "init":
		if len(rest) == 1 && (rest[0] == "--version" || rest[0] == "-version") {
			fmt.Fprintln(sio.Out, "crewai-setup", Version)
			return nil
		}
		return runInit(rest, sio)
	case "pem":
		return runPEM(rest, sio)
	case "check":
		return runCheck(rest, sio)
	case "rotate":
		return runRotate(rest, sio)
	case "help":
		fmt.Fprint(sio.Out, usage)
		return nil
	case "version":
		fmt.Fprintln(sio.Out, "crewai-setup", Version)
		return nil
	default:
		fmt.Fprintf(sio.Err, "crewai-setup: unknown command %q\n\n%s", cmd, usage)
		return fmt.Errorf("unknown command %q: %w", cmd, ErrUsage)
	}
}

package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"crewai-setup/ui"

	"charm.land/fang/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
)

// Version is the tool's version, printed by --version and the version command.
const Version = "0.1.0"

// sentinel is the type of the errors main maps to exit codes: wrapsSentinel knows every one
// declared below by its type, so that a new one cannot be missed there.
type sentinel string

func (s sentinel) Error() string { return string(s) }

// Sentinel errors; main maps them to exit codes (1, 2, 2, 130, 1).
var (
	// ErrFindings means check found problems in the files it read.
	ErrFindings error = sentinel("findings")
	// ErrUsage means the command line was wrong.
	ErrUsage error = sentinel("usage")
	// ErrBadInput means the answers or files given are missing something or invalid.
	ErrBadInput error = sentinel("bad input")
	// ErrAborted means the operator cancelled.
	ErrAborted error = sentinel("aborted")
	// ErrTerminalGone means the terminal went away (closed, hung up) before the operator
	// finished: nobody cancelled, the run failed.
	ErrTerminalGone error = sentinel("terminal gone")
)

// interrupted classifies why an interactive run ended without finishing: the terminal
// went away (ErrTerminalGone) or the operator cancelled (ErrAborted).
func interrupted(err error) error {
	if errors.Is(err, ui.ErrTerminalGone) {
		return fmt.Errorf("%w: %w", err, ErrTerminalGone)
	}
	return fmt.Errorf("%w: %w", err, ErrAborted)
}

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

// commands lists the subcommands. Adding one is a new file with its constructor plus one line
// here; cobra adds help and completion itself.
func commands(sio IO) []*cobra.Command {
	return []*cobra.Command{
		newInitCmd(sio),
		newPEMCmd(sio),
		newCheckCmd(sio),
		newRotateCmd(sio),
		newExplainCmd(sio),
		newVersionCmd(),
		newManCmd(),
	}
}

// exitCodes is the exit-status paragraph of the root help and the manual page.
const exitCodes = "Exit codes: 0 ok, 1 findings from check or the terminal closed before the end, 2 bad input or usage, 130 cancelled."

// newRootCmd builds the command tree. The root command alone is init: crewai-setup with no
// command runs the wizard (or writes from --answers without a terminal).
func newRootCmd(sio IO) *cobra.Command {
	var o initOptions
	root := &cobra.Command{
		Use:   "crewai-setup",
		Short: "Prepare values files for the CrewAI Platform Helm chart",
		Long: `crewai-setup asks for (or reads from an answers file) what the CrewAI
Platform Helm chart needs, checks it against the chart's rules and writes
values.yaml, secrets.yaml (mode 0600) and summary.md. Without a command it
runs init.

` + exitCodes,
		Example: `
# Answer the questions in a terminal; the files go to the current directory:
crewai-setup
# Write the files from an answers file, never prompting (CI):
crewai-setup --answers answers.yaml --out deploy --non-interactive
# Lint the files you pass to helm, in helm's -f order:
crewai-setup check values.yaml secrets.yaml --strict
# Replace one credential in place:
crewai-setup rotate secrets.SECRET_KEY_BASE --yes`,
		Args:                       rootArgs,
		SuggestionsMinimumDistance: 2,
		RunE:                       func(cmd *cobra.Command, _ []string) error { return runInit(cmd, o, sio) },
	}
	initFlags(root, &o)
	root.SetVersionTemplate("{{.Name}} {{.Version}}\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &usageError{cmd: cmd.CommandPath(), err: err}
	})
	root.SetIn(sio.In)
	root.SetOut(sio.Out) // before the completion command, which keeps the writer it sees
	root.SetErr(sio.Err)
	root.AddCommand(commands(sio)...)
	root.SetHelpCommand(newHelpCmd())
	root.InitDefaultHelpCmd() // now, not at Execute, so that the walks below see it
	completionArgs(root)
	markCommandErrors(root)
	// cobra adds -h, --help to a command when it runs; adding it to all of them now lists every
	// command alike in the help, whether it comes from --help or from the help command.
	walk(root, (*cobra.Command).InitDefaultHelpFlag)
	return root
}

// walk calls fn on c and every command below it.
func walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}

// completionArgs adds cobra's completion command now rather than at Execute, so that naming a
// shell it does not know is a usage error (cobra would print the help and exit 0).
func completionArgs(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		var shells []string
		for _, sh := range c.Commands() {
			shells = append(shells, sh.Name())
		}
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef(cmd, "no completion for %q: choose one of %s", args[0], strings.Join(shells, ", "))
			}
			return nil
		}
		c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	}
}

// Run executes the command line args (without the program name).
func Run(args []string, sio IO) error {
	if sio.Getenv == nil {
		sio.Getenv = func(string) string { return "" }
	}
	root := newRootCmd(sio)
	// A nil slice would make cobra read os.Args instead.
	root.SetArgs(append([]string{}, args...))
	err := fang.Execute(context.Background(), root,
		fang.WithVersion(Version),
		fang.WithoutManpage(), // newManCmd writes to the command's output, which tests can capture
		fang.WithErrorHandler(printUsageError),
	)
	var ce commandError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return ce.err
	case errors.Is(err, ErrUsage):
		return err
	default:
		// Whatever else cobra refuses (an argument to "completion", say) is the command line.
		return fmt.Errorf("%w: %w", err, ErrUsage)
	}
}

// commandError is an error returned by a command's RunE: the command has explained it on
// stderr already when it wraps one of the sentinels.
type commandError struct {
	cmd string
	err error
}

func (e commandError) Error() string { return e.err.Error() }
func (e commandError) Unwrap() error { return e.err }

// usageError is a command line cobra or a command's argument check refused.
type usageError struct {
	cmd string // "crewai-setup check"
	err error
}

func (e *usageError) Error() string   { return e.err.Error() }
func (e *usageError) Unwrap() []error { return []error{e.err, ErrUsage} }

// usagef returns a usageError for cmd.
func usagef(cmd *cobra.Command, format string, a ...any) error {
	return &usageError{cmd: cmd.CommandPath(), err: fmt.Errorf(format, a...)}
}

// usageProblems returns a usageError listing every problem, one per line, or nil without any.
func usageProblems(cmd *cobra.Command, probs []string) error {
	if len(probs) == 0 {
		return nil
	}
	return &usageError{cmd: cmd.CommandPath(), err: errors.New(strings.Join(probs, "\n"))}
}

// markCommandErrors wraps every command's RunE so that what a command returns is told apart
// from what cobra refuses before the command runs.
func markCommandErrors(root *cobra.Command) {
	walk(root, func(c *cobra.Command) {
		if run := c.RunE; run != nil {
			path := c.CommandPath()
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if err := run(cmd, args); err != nil {
					return commandError{cmd: path, err: err}
				}
				return nil
			}
		}
	})
}

// printUsageError is fang's error handler: plain lines in the tool's own style, never a styled
// box. Commands print their own problems, so only the command line's errors are printed here,
// and unexpected errors that wrap none of the sentinels.
func printUsageError(w io.Writer, _ fang.Styles, err error) {
	var ue *usageError
	var ce commandError
	cmd := "crewai-setup"
	switch {
	case errors.As(err, &ue):
		cmd = ue.cmd
	case errors.As(err, &ce) && wrapsSentinel(ce.err):
		return // the command has explained it
	case errors.As(err, &ce):
		fmt.Fprintf(w, "%s: %v\n", ce.cmd, ce.err)
		return
	}
	for line := range strings.SplitSeq(err.Error(), "\n") {
		fmt.Fprintf(w, "%s: %s\n", cmd, line)
	}
	fmt.Fprintf(w, "Run \"%s --help\" for usage.\n", cmd)
}

// wrapsSentinel says whether err is one of the outcomes main maps to an exit code.
func wrapsSentinel(err error) bool {
	var s sentinel
	return errors.As(err, &s)
}

// rootArgs refuses arguments to the root command: the first one is a command that does not
// exist, perhaps a typo of one that does.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += " (did you mean " + strings.Join(s, " or ") + "?)"
	}
	return usagef(cmd, "%s", msg)
}

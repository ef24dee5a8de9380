package app

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"charm.land/fang/v2"
)

// commandNames lists the root's subcommands as the command tree has them (cobra's completion
// and help included), so that a command added later is covered without touching the tests.
func commandNames(t *testing.T) []string {
	t.Helper()
	root := newRootCmd(IO{Getenv: func(string) string { return "" }})
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var names []string
	for _, c := range root.Commands() {
		names = append(names, c.Name())
	}
	for _, want := range []string{"init", "pem", "check", "rotate", "version", "man", "help", "completion"} {
		if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+want+" ") {
			t.Fatalf("the command tree lacks %q: %v", want, names)
		}
	}
	return names
}

// Flags may follow the arguments, as with gh and helm; the README's usage lines have them there.
func TestFlagsAfterArguments(t *testing.T) {
	t.Run("rotate KEY --yes --secrets F", func(t *testing.T) {
		_, values, secrets := rotateDir(t)
		before := readAnswers(t, secrets).Get("secrets.SECRET_KEY_BASE")
		_, stderr, err := run(t, "", "rotate", "secrets.SECRET_KEY_BASE", "--yes", "--secrets", secrets, "--values", values)
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		if after := readAnswers(t, secrets).Get("secrets.SECRET_KEY_BASE"); after == before || after == "" {
			t.Fatal("SECRET_KEY_BASE was not rotated in the file named by --secrets after the key")
		}
	})
	t.Run("check FILE --strict", func(t *testing.T) {
		dir := t.TempDir()
		values := filepath.Join(dir, "values.yaml")
		secrets := filepath.Join(dir, "secrets.yaml")
		// One warning (a typo of envVars) and no error: only --strict turns it into a finding.
		mustWrite(t, values, "postgres:\n  enabled: true\nenvVar:\n  X: \"v\"\nenvVars:\n  AUTH_PROVIDER: local\n")
		mustWrite(t, secrets, "secrets:\n  DB_PASSWORD: pw\n")
		if out, stderr, err := run(t, "", "check", "--replicated", values, secrets); err != nil || !strings.Contains(out, "0 error(s)") || strings.Contains(out, " 0 warning(s)") {
			t.Fatalf("without --strict: %v\n%s%s", err, out, stderr)
		}
		for _, args := range [][]string{
			{"check", "--replicated", values, secrets, "--strict"},
			{"check", values, "--strict", secrets, "--replicated"},
		} {
			out, stderr, err := run(t, "", args...)
			if !errors.Is(err, ErrFindings) || !strings.Contains(out, "in 2 file(s)") {
				t.Errorf("%v: want the warning as a finding over 2 files, got %v\n%s%s", args, err, out, stderr)
			}
		}
	})
	t.Run("crewai-setup --answers F --out D is init", func(t *testing.T) {
		dir := t.TempDir()
		_, stderr, err := run(t, "", "--answers", "../testdata/answers.example.yaml", "--out", dir)
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		for _, name := range []string{"values.yaml", "secrets.yaml", "summary.md"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Error(err)
			}
		}
	})
	t.Run("repeated flags", func(t *testing.T) {
		dir, values, secrets := rotateDir(t)
		pw := filepath.Join(dir, "pw,with comma.txt") // a comma must not split the value
		mustWrite(t, pw, "n3w-pa55\n")
		salt := filepath.Join(dir, "salt.txt")
		mustWrite(t, salt, strings.Repeat("cd", 32)+"\n")
		_, stderr, err := run(t, "", "rotate", "--from-file", "DB_PASSWORD="+pw, "ENCRYPTION_KEY", "--from-file", "ENCRYPTION_KEY="+salt,
			"--confirm", "ENCRYPTION_KEY", "--yes", "--values", values, "--confirm", "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY", "--secrets", secrets)
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		a := readAnswers(t, secrets)
		if a.Get("secrets.DB_PASSWORD") != "n3w-pa55" || a.Get("secrets.ENCRYPTION_KEY") != strings.Repeat("cd", 32) {
			t.Fatalf("both --from-file values should be written: %q %q", a.Get("secrets.DB_PASSWORD"), a.Get("secrets.ENCRYPTION_KEY"))
		}
	})
}

// --help, -h and "help COMMAND" print the help once, on stdout, with stderr empty and no error,
// for the root and every command; without a terminal the help has no escape sequences.
func TestHelpOnStdoutOnce(t *testing.T) {
	for _, name := range append([]string{""}, commandNames(t)...) {
		var prefix []string
		if name != "" {
			prefix = []string{name}
		}
		t.Run("crewai-setup "+name, func(t *testing.T) {
			out, stderr, err := run(t, "", append(prefix, "--help")...)
			if err != nil || stderr != "" {
				t.Fatalf("err=%v stderr=%q", err, stderr)
			}
			if n := strings.Count(out, "USAGE"); n != 1 {
				t.Errorf("the usage appears %d times:\n%s", n, out)
			}
			if !strings.Contains(out, strings.TrimSpace("crewai-setup "+name)) || !strings.Contains(out, "--help") {
				t.Errorf("the help does not name the command and its flags:\n%s", out)
			}
			if strings.Contains(out, "\x1b") {
				t.Errorf("escape sequences in the help without a terminal: %q", out)
			}
			if short, _, _ := run(t, "", append(prefix, "-h")...); short != out {
				t.Errorf("-h differs from --help:\n%s", short)
			}
			if name != "help" {
				if viaHelp, stderr, err := run(t, "", append([]string{"help"}, prefix...)...); viaHelp != out || stderr != "" || err != nil {
					t.Errorf("help %s differs from %s --help (err=%v, stderr=%q)", name, name, err, stderr)
				}
			}
		})
	}
}

// The help is styled when the output is one fang treats as a terminal (here, forced with
// CLICOLOR_FORCE), which shows that the test above would see escape sequences if there were any.
func TestHelpStyledOnlyOnTerminal(t *testing.T) {
	t.Setenv("TERM", "xterm-256color")
	t.Setenv("CLICOLOR_FORCE", "1")
	out, _, err := run(t, "", "check", "--help")
	if err != nil || !strings.Contains(out, "\x1b[") {
		t.Fatalf("no styling with CLICOLOR_FORCE=1 (err=%v): %q", err, out)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-v"}, {"version"}} {
		out, stderr, err := run(t, "", args...)
		if err != nil || stderr != "" || out != "crewai-setup "+Version+"\n" {
			t.Errorf("%v: err=%v stdout=%q stderr=%q", args, err, out, stderr)
		}
	}
}

// The completion scripts ask the binary (crewai-setup __complete ...) for the words to offer:
// the script must call it, and what it answers must name every command, rotate's keys and
// check's formats.
func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		out, stderr, err := run(t, "", "completion", shell)
		if err != nil || stderr != "" || !strings.Contains(out, "crewai-setup") || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: err=%v stderr=%q script:\n%.300s", shell, err, stderr, out)
		}
	}
	out, _, err := run(t, "", "__complete", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range commandNames(t) {
		if name != "man" && !strings.Contains(out, "\n"+name+"\t") && !strings.HasPrefix(out, name+"\t") {
			t.Errorf("completing a command does not offer %s:\n%s", name, out)
		}
	}
	if strings.Contains(out, "man\t") {
		t.Errorf("the hidden man command is offered:\n%s", out)
	}
	if out, _, _ := run(t, "", "__complete", "rotate", "secrets.SECRET_KEY_BASE", ""); !strings.Contains(out, "secrets.DB_PASSWORD\t") || strings.Contains(out, "envVars.DB_HOST") {
		t.Errorf("rotate completes other than the rotatable keys:\n%s", out)
	}
	if out, _, _ := run(t, "", "__complete", "check", "--format", ""); !strings.HasPrefix(out, "text\njson\n") {
		t.Errorf("check --format completes:\n%s", out)
	}
	if _, _, err := run(t, "", "completion", "tcsh"); !errors.Is(err, ErrUsage) {
		t.Errorf("completion for an unknown shell: want ErrUsage, got %v", err)
	}
}

// The manual page is roff built from the command tree: every command and flag is in it.
func TestManPage(t *testing.T) {
	out, stderr, err := run(t, "", "man")
	if err != nil || stderr != "" {
		t.Fatalf("err=%v stderr=%q", err, stderr)
	}
	if !strings.HasPrefix(out, ".TH CREWAI-SETUP 1 ") {
		t.Errorf("not a section-1 manual page: %.80q", out)
	}
	for _, want := range []string{`\fBinit\fP`, `\fBpem\fP`, `\fBcheck\fP`, `\fBrotate\fP`, `\fB--from-file\fP`, `\fB--non-interactive\fP`, `\fB--sslmode\fP`, "Exit codes"} {
		if !strings.Contains(out, want) {
			t.Errorf("the manual page lacks %s", want)
		}
	}
}

// A wrong command line is ErrUsage (exit code 2) with one message on stderr naming what is
// wrong, in the tool's plain style, and nothing on stdout.
func TestUsageErrorsNameTheProblem(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"frobnicate"}, []string{`crewai-setup: unknown command "frobnicate"`}},
		{[]string{"chek", "values.yaml"}, []string{`unknown command "chek" (did you mean check?)`}},
		{[]string{"lint", "values.yaml"}, []string{"did you mean check"}},
		{[]string{"--bogus"}, []string{"crewai-setup: unknown flag: --bogus", `Run "crewai-setup --help"`}},
		{[]string{"init", "--bogus"}, []string{"crewai-setup init: unknown flag: --bogus", `Run "crewai-setup init --help"`}},
		{[]string{"check", "values.yaml", "--bogus"}, []string{"crewai-setup check: unknown flag: --bogus"}},
		{[]string{"check", "-x", "values.yaml"}, []string{"crewai-setup check: unknown shorthand flag: 'x' in -x"}},
		{[]string{"check", "--format"}, []string{"crewai-setup check: flag needs an argument: --format"}},
		{[]string{"check", "--timeout", "soon", "values.yaml"}, []string{`crewai-setup check: invalid argument "soon" for "--timeout"`}},
		{[]string{"check", "--format", "xml"}, []string{`--format must be text or json, not "xml"`, "give the values files to check"}},
		{[]string{"init", "extra-arg"}, []string{`crewai-setup init: unexpected argument "extra-arg"`}},
		{[]string{"pem"}, []string{"crewai-setup pem: expected one FILE (or - for stdin), got 0 arguments"}},
		{[]string{"rotate", "--yes", "--from-file"}, []string{"crewai-setup rotate: flag needs an argument: --from-file"}},
		{[]string{"version", "now"}, []string{`crewai-setup version: unexpected argument "now"`}},
		{[]string{"help", "frobnicate"}, []string{`no help for "frobnicate"`}},
		{[]string{"completion", "tcsh"}, []string{`crewai-setup completion: no completion for "tcsh": choose one of bash, fish, powershell, zsh`}},
	} {
		out, stderr, err := run(t, "", tc.args...)
		if !errors.Is(err, ErrUsage) {
			t.Errorf("%v: want ErrUsage, got %v", tc.args, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, stderr)
			}
		}
		if out != "" || strings.Contains(stderr, "\x1b") || strings.Count(stderr, "Run \"") > 1 {
			t.Errorf("%v: stdout %q, stderr %q", tc.args, out, stderr)
		}
	}
}

// A command's own failure is reported once, by the command, without a usage hint; a failure
// that wraps none of the sentinels is still printed.
func TestCommandErrorsReportedOnce(t *testing.T) {
	_, stderr, err := run(t, "", "check", filepath.Join(t.TempDir(), "missing.yaml"))
	if !errors.Is(err, ErrBadInput) || strings.Count(stderr, "missing.yaml") != 1 || strings.Contains(stderr, "--help") {
		t.Errorf("err=%v stderr:\n%s", err, stderr)
	}
	var errb bytes.Buffer
	printUsageError(&errb, fang.Styles{}, commandError{cmd: "crewai-setup pem", err: errors.New("pem: writing the key: broken pipe")})
	if errb.String() != "crewai-setup pem: pem: writing the key: broken pipe\n" {
		t.Errorf("an unexpected failure is not printed: %q", errb.String())
	}
}

// When the terminal goes away during the wizard, init says so once: the command explains it,
// and the error handler does not repeat it.
func TestTerminalGoneReportedOnce(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	w.Close() // the terminal's other side is gone: reading it ends at once
	defer r.Close()
	var out, errb bytes.Buffer
	err = Run([]string{"init", "--out", t.TempDir()}, IO{In: r, Out: &out, Err: &errb,
		Getenv: func(string) string { return "" }, InTerminal: true, OutTerminal: true})
	if !errors.Is(err, ErrTerminalGone) {
		t.Fatalf("err=%v, want ErrTerminalGone\n%s", err, errb.String())
	}
	if n := strings.Count(errb.String(), "terminal went away"); n != 1 {
		t.Errorf("the terminal's going away is reported %d times:\n%s", n, errb.String())
	}
}

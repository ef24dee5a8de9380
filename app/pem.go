package app

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"crewai-setup/model"
	"crewai-setup/model/pemkey"

	"github.com/spf13/cobra"
)

// newPEMCmd is "crewai-setup pem FILE|-".
func newPEMCmd(sio IO) *cobra.Command {
	return &cobra.Command{
		Use:   "pem FILE|-",
		Short: "Print a GitHub App private key in the chart's one-line form",
		Long: `Checks a GitHub App private key (.pem) and prints it in the chart's
one-line form for secrets.GITHUB_APP_PRIVATE_KEY: every line followed by
the two characters \n, no final newline. A PKCS#8 key (BEGIN PRIVATE KEY)
is converted to PKCS#1 (BEGIN RSA PRIVATE KEY).

FILE may be pasted as a terminal gives it (quoted, with \ escapes, ~ or
file://); - reads standard input. Only the key goes to stdout; notes and
errors go to stderr.`,
		Example: `
crewai-setup pem ~/Downloads/my-app.2026-01-01.private-key.pem
crewai-setup pem - < key.pem`,
		SuggestFor: []string{"key"},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef(cmd, "expected one FILE (or - for stdin), got %d arguments", len(args))
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"pem"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(_ *cobra.Command, args []string) error { return runPEM(args[0], sio) },
	}
}

// runPEM converts the key in name (a file, or - for stdin).
func runPEM(name string, sio IO) error {
	data, err := readPEMInput(name, sio)
	if err != nil {
		return pemFailure(sio, err)
	}
	// The same conversion init, the wizard and rotate apply to a GitHub App key.
	in, err := model.PEMValue(model.NewCatalog().Lookup("secrets.GITHUB_APP_PRIVATE_KEY"), data)
	if err != nil {
		return pemFailure(sio, err)
	}
	for _, n := range in.Notes {
		fmt.Fprintln(sio.Err, "crewai-setup pem: the key "+n)
	}
	fmt.Fprintf(sio.Err, "crewai-setup pem: %s (compare the fingerprint with GitHub App settings > Private keys)\n", in.Describe)
	if _, err := io.WriteString(sio.Out, pemkey.OneLine(in.Value)); err != nil {
		return fmt.Errorf("pem: writing the key: %w", err)
	}
	if sio.OutTerminal {
		// The key has no final newline (awk prints none); end the line on stderr so the
		// shell prompt does not start right after the key.
		fmt.Fprintln(sio.Err)
	}
	return nil
}

// readPEMInput reads FILE, or stdin for "-", within pemkey.MaxPEMSize.
func readPEMInput(name string, sio IO) ([]byte, error) {
	if name != "-" {
		return pemkey.ReadKeyFile(name)
	}
	if sio.In == nil {
		return nil, errors.New("no standard input to read the key from")
	}
	if sio.InTerminal {
		fmt.Fprintln(sio.Err, "crewai-setup pem: paste the key, then press Ctrl-D on a new line")
	}
	data, err := io.ReadAll(io.LimitReader(sio.In, pemkey.MaxPEMSize+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("reading standard input: %w", err)
	case len(data) > pemkey.MaxPEMSize:
		return nil, fmt.Errorf("standard input holds more than %d KiB, more than any PEM key: is this the right file?", pemkey.MaxPEMSize>>10)
	case strings.TrimSpace(string(data)) == "":
		return nil, errors.New("standard input is empty: pipe in the .pem file GitHub downloaded, e.g. crewai-setup pem - < key.pem")
	}
	return data, nil
}

// pemFailure reports err on stderr and returns it wrapped in ErrBadInput (exit code 2).
func pemFailure(sio IO, err error) error {
	fmt.Fprintf(sio.Err, "crewai-setup pem: %v\n", err)
	return fmt.Errorf("pem: %w (%w)", err, ErrBadInput)
}

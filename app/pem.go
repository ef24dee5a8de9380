package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"crewai-setup/model/pemkey"
)

const pemUsage = `Usage: crewai-setup pem FILE|-

Checks a GitHub App private key (.pem) and prints it in the chart's one-line form for
secrets.GITHUB_APP_PRIVATE_KEY: every line followed by the two characters \n, no final newline.
A PKCS#8 key (BEGIN PRIVATE KEY) is converted to PKCS#1 (BEGIN RSA PRIVATE KEY).
FILE may be pasted as a terminal gives it (quoted, with \ escapes, ~ or file://); - reads stdin.
Only the key goes to stdout; notes and errors go to stderr.
`

// runPEM implements "crewai-setup pem FILE|-".
func runPEM(args []string, sio IO) error {
	flags := flag.NewFlagSet("pem", flag.ContinueOnError)
	flags.SetOutput(sio.Err)
	flags.Usage = func() { fmt.Fprint(flags.Output(), pemUsage) }
	if err := parseFlags(flags, args, sio); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if flags.NArg() != 1 {
		fmt.Fprintf(sio.Err, "crewai-setup pem: expected one FILE (or - for stdin), got %d arguments\n\n%s", flags.NArg(), pemUsage)
		return fmt.Errorf("pem: expected one argument, got %d: %w", flags.NArg(), ErrUsage)
	}
	data, err := readPEMInput(flags.Arg(0), sio)
	if err != nil {
		return pemFailure(sio, err)
	}
	info, err := pemkey.ParseGitHubAppKey(data)
	if err != nil {
		return pemFailure(sio, err)
	}
	if info.Converted {
		fmt.Fprintln(sio.Err, "crewai-setup pem: converted the PKCS#8 key (BEGIN PRIVATE KEY) to PKCS#1 (BEGIN RSA PRIVATE KEY), the form the chart documents")
	}
	fmt.Fprintf(sio.Err, "crewai-setup pem: %s (compare the fingerprint with GitHub App settings > Private keys)\n", info.Describe())
	if _, err := io.WriteString(sio.Out, pemkey.OneLine(info.PKCS1)); err != nil {
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

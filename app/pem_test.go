package app

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"crewai-setup/model/pemkey"
)

// pemTestIO returns an IO reading stdin and capturing stdout and stderr.
func pemTestIO(stdin []byte) (IO, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return IO{In: bytes.NewReader(stdin), Out: &out, Err: &errOut, Getenv: func(string) string { return "" }}, &out, &errOut
}

// opensslKey generates a key with openssl.
func opensslKey(t *testing.T, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Fatalf("openssl is needed as the reference tool (apt-get install -y openssl): %v", err)
	}
	out, err := exec.Command("openssl", args...).Output()
	if err != nil {
		t.Fatalf("openssl %v: %v", args, err)
	}
	return out
}

// awkReference runs the chart documentation's conversion command on file.
func awkReference(t *testing.T, file string) string {
	t.Helper()
	if _, err := exec.LookPath("awk"); err != nil {
		t.Fatalf("awk is needed as the reference tool (apt-get install -y gawk): %v", err)
	}
	cmd := exec.Command("awk", `NF {sub(/\r/, ""); printf "%s\\n", $0}`, file)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("awk: %v", err)
	}
	return string(out)
}

// TestRunPEMAWKParity checks that stdout is byte for byte what the documented awk command
// prints, for a file argument and for stdin, across key sizes and line-end styles.
func TestRunPEMAWKParity(t *testing.T) {
	dir := t.TempDir()
	keys := map[string][]byte{
		"2048": opensslKey(t, "genrsa", "-traditional", "2048"),
		"4096": opensslKey(t, "genrsa", "-traditional", "4096"),
	}
	for bits, key := range keys {
		variants := map[string][]byte{
			"LF":               key,
			"CRLF":             bytes.ReplaceAll(key, []byte("\n"), []byte("\r\n")),
			"no final newline": bytes.TrimSuffix(key, []byte("\n")),
		}
		for name, data := range variants {
			t.Run(bits+"/"+name, func(t *testing.T) {
				file := filepath.Join(dir, bits+" "+name+".pem")
				if err := os.WriteFile(file, data, 0o600); err != nil {
					t.Fatal(err)
				}
				want := awkReference(t, file)
				info, err := pemkey.ParseGitHubAppKey(data)
				if err != nil {
					t.Fatal(err)
				}
				if got := pemkey.OneLine(info.PKCS1); got != want {
					t.Fatalf("OneLine(info.PKCS1) differs from awk")
				}
				for _, arg := range []string{file, "-"} {
					sio, out, errOut := pemTestIO(data)
					if err := Run([]string{"pem", arg}, sio); err != nil {
						t.Fatalf("pem %q: %v\n%s", arg, err, errOut)
					}
					if out.String() != want {
						t.Errorf("pem %q: stdout differs from awk:\n got %.60q\nwant %.60q", arg, out, want)
					}
					if !strings.Contains(errOut.String(), info.Describe()) {
						t.Errorf("stderr lacks the key description: %q", errOut)
					}
				}
			})
		}
	}
}

// TestRunPEM covers arguments, help, conversion notes and every failure path.
func TestRunPEM(t *testing.T) {
	dir := t.TempDir()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	der8, _ := x509.MarshalPKCS8PrivateKey(key)
	pkcs8 := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der8})
	spaced := filepath.Join(dir, "my key.pem")
	if err := os.WriteFile(spaced, pkcs1, 0o600); err != nil {
		t.Fatal(err)
	}
	wantKey := pemkey.OneLine(string(pkcs1))

	tests := []struct {
		name      string
		args      []string
		stdin     []byte
		terminal  bool
		help      bool   // stdout is the help text, stderr empty
		wantOut   string // exact stdout
		wantErr   error  // nil, ErrUsage or ErrBadInput
		errSubstr string // must appear on stderr
	}{
		{name: "stdin", args: []string{"-"}, stdin: pkcs1, wantOut: wantKey, errSubstr: "RSA 2048-bit, PKCS#1, SHA256:"},
		{name: "file pasted with quotes", args: []string{"'" + spaced + "'\n"}, wantOut: wantKey, errSubstr: "PKCS#1"},
		{name: "file with escaped space", args: []string{strings.ReplaceAll(spaced, " ", `\ `)}, wantOut: wantKey},
		{name: "after --", args: []string{"--", spaced}, wantOut: wantKey},
		{name: "PKCS#8 converted", args: []string{"-"}, stdin: pkcs8, wantOut: wantKey, errSubstr: "it was converted to the PKCS#1 form"},
		{name: "terminal gets a closing newline on stderr", args: []string{"-"}, stdin: pkcs1, terminal: true, wantOut: wantKey, errSubstr: "Private keys)\n\n"},
		{name: "--help", args: []string{"--help"}, help: true},
		{name: "-h", args: []string{"-h"}, help: true},
		{name: "no args", args: nil, wantErr: ErrUsage, errSubstr: "expected one FILE (or - for stdin), got 0"},
		{name: "two args", args: []string{"a.pem", "b.pem"}, wantErr: ErrUsage, errSubstr: "got 2"},
		{name: "unknown flag", args: []string{"--raw", "-"}, wantErr: ErrUsage, errSubstr: "unknown flag: --raw"},
		{name: "oversized stdin", args: []string{"-"}, stdin: bytes.Repeat([]byte("A"), pemkey.MaxPEMSize+1), wantErr: ErrBadInput, errSubstr: "more than 64 KiB"},
		{name: "empty stdin", args: []string{"-"}, stdin: nil, wantErr: ErrBadInput, errSubstr: "standard input is empty"},
		{name: "missing file", args: []string{filepath.Join(dir, "nope.pem")}, wantErr: ErrBadInput, errSubstr: "there is no file"},
		{name: "directory", args: []string{dir}, wantErr: ErrBadInput, errSubstr: "is a directory"},
		{name: "fingerprint", args: []string{"-"}, stdin: []byte("SHA256:" + strings.Repeat("Ab1+", 11)[:43] + "=\n"), wantErr: ErrBadInput, errSubstr: "fingerprint, not the key"},
		{name: "public key", args: []string{"-"}, stdin: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}}), wantErr: ErrBadInput, errSubstr: "public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sio, out, errOut := pemTestIO(tt.stdin)
			sio.OutTerminal = tt.terminal
			err := Run(append([]string{"pem"}, tt.args...), sio)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("err = %v\nstderr: %s", err, errOut)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			switch {
			case tt.help:
				if !strings.Contains(out.String(), "crewai-setup pem FILE|-") || !strings.Contains(out.String(), "secrets.GITHUB_APP_PRIVATE_KEY") || errOut.Len() != 0 {
					t.Errorf("help: stdout %q, stderr %q", out, errOut)
				}
			case out.String() != tt.wantOut:
				t.Errorf("stdout = %.80q, want %.80q", out, tt.wantOut)
			}
			if !strings.Contains(errOut.String(), tt.errSubstr) {
				t.Errorf("stderr lacks %q: %q", tt.errSubstr, errOut)
			}
			if errors.Is(err, ErrBadInput) && !strings.HasPrefix(errOut.String(), "crewai-setup pem: ") {
				t.Errorf("stderr is not prefixed: %q", errOut)
			}
			if tt.wantOut == wantKey && tt.terminal == strings.HasSuffix(errOut.String(), ")\n") {
				t.Errorf("closing newline on stderr wrong for terminal=%v: %q", tt.terminal, errOut)
			}
		})
	}
}

// TestRunPEMThroughRun checks the subcommand is wired into Run and the result is a key that
// parses back to the input.
func TestRunPEMThroughRun(t *testing.T) {
	key := opensslKey(t, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048")
	sio, out, errOut := pemTestIO(key)
	if err := Run([]string{"pem", "-"}, sio); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	back, err := pemkey.ParseGitHubAppKey([]byte(strings.ReplaceAll(out.String(), `\n`, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := pemkey.ParseGitHubAppKey(key)
	if back.Fingerprint != orig.Fingerprint || back.InputFormat != "PKCS#1" || !orig.Converted {
		t.Errorf("round trip: %s vs %s", back.Describe(), orig.Describe())
	}
	if !strings.HasPrefix(out.String(), `-----BEGIN RSA PRIVATE KEY-----\n`) || strings.ContainsAny(out.String(), "\r\n") {
		t.Errorf("stdout is not the one-line PKCS#1 form: %.60q", out)
	}
}

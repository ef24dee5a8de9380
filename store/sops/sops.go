// Package sops encrypts, decrypts and edits SOPS files through the operator's own sops binary,
// the way helm-secrets and GitOps tools use it: plaintext only ever travels over a pipe, never
// through argv or a file on disk, and the keys come from the operator's usual sops environment
// (SOPS_AGE_KEY_FILE, AWS/GCP/Azure credentials, gpg-agent, Vault) and .sops.yaml.
//
// Which .sops.yaml and creation rule apply is decided by Find, a mirror of sops's own lookup
// (config/config.go in sops 3.13): the nearest .sops.yaml from the file's directory upward
// (SOPS_CONFIG overrides the search), rules tried in order, path_regex matched against the
// file's path relative to the config's directory. Encrypt hands sops that config and the
// file's absolute path, so the rule sops applies is the rule Find reported; the tests prove the
// mirror against the real binary.
package sops

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MinVersion is the oldest sops this package works with: `sops set --value-stdin` (used to
// rotate keys without putting the value in argv) and YAML key lists in .sops.yaml arrived in
// 3.11.0; stdin without a device name and an absolute --filename-override in 3.10.0.
const MinVersion = "3.11.0"

// TestedVersion is the sops release the tests run against and the install hint names.
const TestedVersion = "3.13.3"

// InstallHint says how to install a sops this package accepts.
const InstallHint = "install sops " + MinVersion + " or newer: `go install github.com/getsops/sops/v3/cmd/sops@v" +
	TestedVersion + "`, or the release binary for your system from https://github.com/getsops/sops/releases (put it on PATH)"

// Sentinel errors, wrapped by the errors this package returns; the app maps all of them to
// exit code 2.
var (
	// ErrNotInstalled: no sops executable on PATH.
	ErrNotInstalled = errors.New("sops is not installed")
	// ErrTooOld: sops is older than MinVersion, or its version cannot be read.
	ErrTooOld = errors.New("sops is too old")
	// ErrNoRule: no .sops.yaml creation rule matches the file, so sops does not know whom to
	// encrypt for.
	ErrNoRule = errors.New("no sops creation rule matches")
	// ErrConfig: the .sops.yaml cannot be read or used.
	ErrConfig = errors.New("sops configuration error")
	// ErrNotEncrypted: the data is not a SOPS file (no sops: metadata).
	ErrNotEncrypted = errors.New("not a sops-encrypted file")
	// ErrNoKey: sops found no key that can decrypt (or encrypt for) the file.
	ErrNoKey = errors.New("no key to decrypt the sops file")
	// ErrWrongKey: sops found keys, but none of them is one the file is encrypted for.
	ErrWrongKey = errors.New("the available key does not match the sops file")
	// ErrDamaged: the file's values or MAC do not verify (edited by hand, or damaged).
	ErrDamaged = errors.New("the sops file does not verify")
	// ErrLeftPlaintext: sops left a value unencrypted that must be encrypted (the rule's
	// encrypted_regex, unencrypted_suffix and the like exclude it).
	ErrLeftPlaintext = errors.New("sops left a secret value unencrypted")
	// ErrVerify: the read-back of an edited file does not hold exactly the intended change.
	ErrVerify = errors.New("the edited sops file does not verify")
	// ErrFailed: sops failed for a reason this package does not classify.
	ErrFailed = errors.New("sops failed")
)

// Tool runs the sops binary. The zero Tool runs "sops" from PATH in the process's environment
// and checks its version before every use; NewTool's checks it once.
type Tool struct {
	// Bin is the sops executable; "" looks up "sops" in the PATH of Env.
	Bin string
	// Env is the environment sops runs in, as os.Environ returns it; nil is the process's
	// environment. It is passed on unchanged (SOPS_*, AWS_*, GNUPGHOME...), except that the
	// key-choosing variables are dropped when Options.AgeRecipients chooses the keys.
	Env []string
	// checked remembers what Check found, shared by the Tool's copies; nil remembers nothing.
	checked *checked
}

// checked is the outcome of a completed Check of one executable.
type checked struct {
	mu      sync.Mutex
	bin     string // the executable checked ("" until a check completes)
	version string
	err     error
}

// NewTool returns a Tool like the zero Tool (sops from PATH, the process's environment) that
// remembers its Check: sops's version is asked once, on first use, for the Tool and every copy
// of it that runs the same executable (a copy given another Bin or PATH is checked anew).
func NewTool() Tool { return Tool{checked: &checked{}} }

// env returns the environment sops runs in.
func (t Tool) env() []string {
	if t.Env == nil {
		return os.Environ()
	}
	return t.Env
}

// getenv reads a variable of the environment sops runs in (the last assignment wins, as in
// the exec package).
func (t Tool) getenv(name string) string {
	env := t.env()
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(env[i], "="); ok && k == name {
			return v
		}
	}
	return ""
}

// bin finds the sops executable in the PATH of the environment sops runs in.
func (t Tool) bin() (string, error) {
	name := t.Bin
	if name == "" {
		name = "sops"
	}
	if strings.ContainsRune(name, filepath.Separator) {
		if isExecutable(name) {
			return name, nil
		}
		return "", fmt.Errorf("%w: %s is not an executable file; %s", ErrNotInstalled, name, InstallHint)
	}
	for _, dir := range filepath.SplitList(t.getenv("PATH")) {
		if dir == "" {
			dir = "."
		}
		if p := filepath.Join(dir, name); isExecutable(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: no %q on PATH; %s", ErrNotInstalled, name, InstallHint)
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// versionLine finds the version in `sops --version` output ("sops 3.13.3", or "sops 3.8.1
// (latest)" from old releases).
var versionLine = regexp.MustCompile(`(?m)^sops (\d+)\.(\d+)\.(\d+)\b`)

// Check runs `sops --version` and returns the version if sops is present and at least
// MinVersion; otherwise an error wrapping ErrNotInstalled or ErrTooOld that says how to
// install a suitable sops. A Tool made by NewTool runs it once and then answers from memory.
func (t Tool) Check(ctx context.Context) (string, error) {
	bin, err := t.bin()
	if err != nil {
		return "", err
	}
	c := t.checked
	if c == nil {
		return t.check(ctx, bin)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bin == bin {
		return c.version, c.err
	}
	version, err := t.check(ctx, bin)
	if ctx.Err() == nil { // a cancelled check says nothing about sops
		c.bin, c.version, c.err = bin, version, err
	}
	return version, err
}

// check runs `bin --version` and judges the version.
func (t Tool) check(ctx context.Context, bin string) (string, error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "--version")
	// Without this, sops asks GitHub whether it is the latest release.
	cmd.Env = append(append([]string(nil), t.env()...), "SOPS_DISABLE_VERSION_CHECK=true")
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = waitDelay
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("%w: `%s --version` failed (%w); %s", ErrTooOld, bin, err, InstallHint)
	}
	m := versionLine.FindStringSubmatch(out.String())
	if m == nil {
		return "", fmt.Errorf("%w: cannot read a version from `%s --version` (it printed %q); %s",
			ErrTooOld, bin, firstLine(out.String()), InstallHint)
	}
	version := m[1] + "." + m[2] + "." + m[3]
	if compareVersions(version, MinVersion) < 0 {
		return version, fmt.Errorf("%w: %s is sops %s; crewai-setup needs %s or newer (for `sops set --value-stdin`); %s",
			ErrTooOld, bin, version, MinVersion, InstallHint)
	}
	return version, nil
}

// compareVersions compares two dotted versions of three numbers.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range 3 {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// result is what one sops run produced.
type result struct {
	stdout []byte
	stderr string
	code   int // exit code; 0 on success
}

// waitDelay is how long a killed sops's pipes may stay open before Run returns anyway.
const waitDelay = 2 * time.Second

// maxStderr bounds what is kept of sops's diagnostics.
const maxStderr = 64 << 10

// run runs sops (whose version the caller checked) with args, stdin piped in. A non-zero exit
// is not an error here (the caller classifies it); err is for a missing sops and for failures
// to start or a cancelled context.
func (t Tool) run(ctx context.Context, env []string, stdin []byte, args ...string) (result, error) {
	bin, err := t.bin()
	if err != nil {
		return result{}, err
	}
	var out bytes.Buffer
	errb := &capped{max: maxStderr}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Stdin = bytes.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &out, errb
	// On cancellation sops is killed; a child still holding its pipes must not keep Run waiting.
	cmd.WaitDelay = waitDelay
	err = cmd.Run()
	if ctx.Err() != nil {
		sub := args[0]
		for _, a := range args {
			if a == "encrypt" || a == "decrypt" || a == "set" {
				sub = a
				break
			}
		}
		return result{}, fmt.Errorf("sops %s stopped: %w", sub, ctx.Err())
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return result{stdout: out.Bytes(), stderr: errb.String(), code: exit.ExitCode()}, nil
	case err != nil:
		return result{}, fmt.Errorf("%w: cannot run %s: %w; %s", ErrNotInstalled, bin, err, InstallHint)
	}
	return result{stdout: out.Bytes(), stderr: errb.String()}, nil
}

// capped is a writer that keeps the first max bytes.
type capped struct {
	buf bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capped) String() string { return c.buf.String() }

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}

// physical returns the absolute path of p with the symbolic links of its existing part
// resolved; the part that does not exist yet is appended as written.
func physical(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for cur := abs; ; cur = filepath.Dir(cur) {
		resolved, err := filepath.EvalSymlinks(cur)
		if err == nil {
			return filepath.Join(append([]string{resolved}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if filepath.Dir(cur) == cur {
			return abs, nil
		}
		rest = append([]string{filepath.Base(cur)}, rest...)
	}
}

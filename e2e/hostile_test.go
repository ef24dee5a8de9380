package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"crewai-setup/guard"
	"crewai-setup/guard/guardtest"
	"crewai-setup/internal/helmtest"
)

// Bounds every run of the tool on hostile input must keep.
const (
	maxRefusal = time.Second
	maxRSS     = 256 << 20
)

// runResult is one run of the binary: its output, exit code, wall time and peak memory.
type runResult struct {
	stdout, stderr string
	code           int
	elapsed        time.Duration
	maxRSS         int64 // bytes
}

// runTool runs the built binary in dir with args and no terminal, stopping it after 30 s so a
// hang fails the test instead of stalling it.
func runTool(t *testing.T, dir string, args ...string) runResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &out, &errOut, strings.NewReader("")
	start := time.Now()
	err := cmd.Run()
	r := runResult{stdout: out.String(), stderr: errOut.String(), elapsed: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("crewai-setup %s did not finish within 30 s", strings.Join(args, " "))
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return r
}

// writeFiles creates files in a new directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// aliasBomb is the 377-byte "billion laughs" that once kept check busy for minutes.
func aliasBomb() string {
	s := `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n"
	for i := 1; i < 10; i++ {
		n, p := string(rune('a'+i)), string(rune('a'+i-1))
		s += n + ": &" + n + " [" + strings.Repeat("*"+p+",", 8) + "*" + p + "]\n"
	}
	return s
}

// Every file the tool reads, in every command, refuses hostile input at once and within
// 256 MB: the alias bomb, a self-referencing anchor, /dev/zero, a FIFO nobody writes to, a
// 100 MB file, nesting 10000 deep (flow and block), and a file of densely packed values.
func TestHostileInputRefused(t *testing.T) {
	dense := "a: {" + strings.Repeat("k,", 250_000) + "k}\n" // about 500,000 nodes: over the budget
	dir := writeFiles(t, map[string]string{
		"bomb.yaml":              aliasBomb(),
		"cycle.yaml":             "secrets: &s\n  x: *s\n",
		"deep-flow.yaml":         "a: " + strings.Repeat("[", 9998) + strings.Repeat("]", 9998) + "\n",
		"deep-block.yaml":        "a:\n" + strings.Repeat("- ", 9998) + "x\n",
		"deep-map.yaml":          "a: " + strings.Repeat("{b: ", 9998) + "1" + strings.Repeat("}", 9998) + "\n",
		"deep.json":              `{"a": ` + strings.Repeat("[", 9998) + strings.Repeat("]", 9998) + "}\n",
		"dense.yaml":             dense,
		"fromfifo/x":             "",
		"fromzero/x":             "",
		"values.yaml":            "envVars:\n  DB_HOST: db\n",
		"secrets.yaml":           "secrets:\n  DB_PASSWORD: pw\n",
		"frombomb/values.yaml":   aliasBomb(),
		"withwizard/values.yaml": "envVars:\n  DB_HOST: db\n",
	})
	if len(aliasBomb()) != 377 {
		t.Fatalf("the bomb is %d bytes", len(aliasBomb()))
	}
	for _, fifo := range []string{"fifo", "fromfifo/values.yaml", "withwizard/crewai-setup.yaml"} {
		if err := syscall.Mkfifo(filepath.Join(dir, fifo), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "fromzero", "secrets.yaml")); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.yaml")
	if err := os.WriteFile(huge, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 100<<20); err != nil { // sparse: 100 MB that costs no disk
		t.Fatal(err)
	}
	out := "out" // relative to dir, where the tool runs
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"check", "bomb.yaml"}, "excessive aliasing"},
		{[]string{"check", "cycle.yaml"}, "inside the value of its own anchor"},
		{[]string{"check", "/dev/zero"}, "character device"},
		{[]string{"check", "fifo"}, "named pipe (FIFO)"},
		{[]string{"check", "huge.yaml"}, "100 MiB, more than the 16 MiB"},
		{[]string{"check", "deep-flow.yaml"}, "nested more than 1000 levels"},
		{[]string{"check", "deep-block.yaml"}, "nested more than 1000 levels"},
		{[]string{"check", "deep-map.yaml"}, "nested more than 1000 levels"},
		{[]string{"check", "dense.yaml"}, "separate values"},
		{[]string{"check", "--format", "json", "values.yaml", "bomb.yaml"}, "excessive aliasing"},
		{[]string{"check", "withwizard/values.yaml"}, "named pipe (FIFO)"}, // the remembered deployment beside it
		{[]string{"init", "--non-interactive", "--out", out, "--answers", "bomb.yaml"}, "excessive aliasing"},
		{[]string{"init", "--non-interactive", "--out", out, "--answers", "fifo"}, "named pipe (FIFO)"},
		{[]string{"init", "--non-interactive", "--out", out, "--answers", "/dev/zero"}, "character device"},
		{[]string{"init", "--non-interactive", "--out", out, "--answers", "huge.yaml"}, "more than the 16 MiB"},
		{[]string{"init", "--non-interactive", "--out", out, "--answers", "deep.json"}, "nested more than 1000 levels"},
		{[]string{"init", "--non-interactive", "--out", out, "--from", "fromfifo"}, "named pipe (FIFO)"},
		{[]string{"init", "--non-interactive", "--out", out, "--from", "fromzero"}, "character device"},
		{[]string{"init", "--non-interactive", "--out", out, "--from", "frombomb"}, "excessive aliasing"},
		{[]string{"rotate", "--yes", "--values", "fifo", "secrets.SECRET_KEY_BASE"}, "named pipe (FIFO)"},
		{[]string{"rotate", "--yes", "--secrets", "bomb.yaml", "secrets.SECRET_KEY_BASE"}, "excessive aliasing"},
		{[]string{"rotate", "--yes", "--from-file", "secrets.DB_PASSWORD=/dev/zero"}, "character device"},
		{[]string{"rotate", "--yes", "--from-file", "secrets.DB_PASSWORD=fifo"}, "named pipe (FIFO)"},
		{[]string{"rotate", "--yes", "--from-file", "secrets.DB_PASSWORD=huge.yaml"}, "larger than any PEM key"},
		{[]string{"pem", "/dev/zero"}, "character device"},
		{[]string{"pem", "fifo"}, "named pipe (FIFO)"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			r := runTool(t, dir, c.args...)
			if r.code != 2 {
				t.Errorf("exit code %d, want 2 (bad input)\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr does not say %q:\n%s", c.want, r.stderr)
			}
			if r.elapsed > maxRefusal {
				t.Errorf("the refusal took %s (limit %s)", r.elapsed, maxRefusal)
			}
			if r.maxRSS > maxRSS {
				t.Errorf("peak memory %d MB (limit %d MB)", r.maxRSS>>20, maxRSS>>20)
			}
			t.Logf("%s, %d MB", r.elapsed.Round(time.Millisecond), r.maxRSS>>20)
		})
	}
}

// The largest inputs the bounds still let through, in the densest notations, are read within
// the same memory bound: just under the node budget, and a 16 MiB value.
func TestLargestAcceptedInputsStayInMemory(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"dense-map.yaml":  "a: {" + strings.Repeat("k,", 195_000) + "k}\n",
		"dense-list.yaml": "a: [" + strings.Repeat("1,", 195_000) + "1]\n",
		"dense.json":      `{"a": {` + strings.Repeat(`"k":1,`, 97_000) + `"k":1}}` + "\n",
		"big-value.yaml":  "secrets:\n  DB_PASSWORD: \"" + strings.Repeat("x", 16<<20-64) + "\"\n",
	})
	for _, args := range [][]string{
		{"check", "dense-map.yaml"}, {"check", "dense-list.yaml"}, {"check", "big-value.yaml"},
		{"init", "--non-interactive", "--out", "out", "--answers", "dense.json"},
		{"init", "--non-interactive", "--out", "out", "--answers", "dense-map.yaml"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := runTool(t, dir, args...)
			if r.code == 2 && (strings.Contains(r.stderr, "separate values") || strings.Contains(r.stderr, "16 MiB")) {
				t.Fatalf("refused: %s", r.stderr)
			}
			if r.maxRSS > maxRSS {
				t.Errorf("peak memory %d MB (limit %d MB)", r.maxRSS>>20, maxRSS>>20)
			}
			if r.elapsed > 10*time.Second {
				t.Errorf("took %s", r.elapsed)
			}
			t.Logf("exit %d, %s, %d MB", r.code, r.elapsed.Round(time.Millisecond), r.maxRSS>>20)
		})
	}
}

// Escape sequences and bidi overrides in values, key names and file names reach no output
// raw: check's text and JSON, check --connect's results, init's summary (printed and
// written), and rotate's plan. Helm's files keep the exact value.
func TestEscapesReachNoOutput(t *testing.T) {
	h := strings.ReplaceAll(guardtest.Hostile(), "\x00", "")
	q := helmtest.Quote(h)
	name := "values" + strings.NewReplacer("/", "", "\xff", "", "\xfe", "", "\x9b", "").Replace(h) + ".yaml"
	values := "postgres:\n  enabled: false\nenvVars:\n  DB_HOST: " + q + "\n  DB_USER: " + q + "\n  \"DB_HOTS" + q[1:] + ": x\n" +
		"  AUTH_PROVIDER: okta\n  OKTA_SITE: http://sso.invalid\n  OKTA_AUTHORIZATION_SERVER: " + q + "\n" +
		"secrets:\n  DB_PASSWORD: pw\n  OIDC_KEY_ID: " + q + "\n"
	dir := writeFiles(t, map[string]string{
		name:           values,
		"values.yaml":  "envVars:\n  DB_HOST: db\n",
		"secrets.yaml": "secrets:\n  OIDC_KEY_ID: " + q + "\n",
		"answers.yaml": "wizard:\n  host: " + q + "\n  release: r\npostgres:\n  enabled: true\n" +
			"envVars:\n  AUTH_PROVIDER: local\n  DB_USER: " + q + "\n  AWS_BUCKET: " + q + "\n  \"CUSTOM\": " + q + "\n" +
			"secrets:\n  DB_PASSWORD: pw\n  GITHUB_TOKEN: tok\n  UV_DEFAULT_INDEX: https://u:p@pypi.example/simple/\n",
	})
	runs := map[string]runResult{
		"check":         runTool(t, dir, "check", name),
		"check json":    runTool(t, dir, "check", "--format", "json", name),
		"check connect": runTool(t, dir, "check", "--connect", "--timeout", "1s", name),
		"init":          runTool(t, dir, "init", "--non-interactive", "--answers", "answers.yaml", "--out", "out"),
		"rotate":        runTool(t, dir, "rotate", "--yes", "--confirm", "OIDC_PRIVATE_KEY", "secrets.OIDC_KEY_ID"),
	}
	for what, r := range runs {
		t.Logf("%s: exit %d\n%s\n%s", what, r.code, r.stdout, r.stderr)
		guardtest.AssertClean(t, what+" stdout", r.stdout, false)
		guardtest.AssertClean(t, what+" stderr", r.stderr, false)
	}
	for what, frag := range map[string]string{
		"check": "valuesdb" + guard.Visible("\x1b]0;pwned\x07"), "check json": `valuesdb\\x1b]0;pwned\\x07`,
		"check connect": "PostgreSQL  [db" + guard.Visible("\x1b]0;pwned\x07"),
		"init":          "db" + guard.Visible("\x1b]0;pwned\x07"), "rotate": "before: db" + guard.Visible("\x1b]0;pwned\x07"),
	} {
		if r := runs[what]; !strings.Contains(r.stdout+r.stderr, frag) {
			t.Errorf("%s does not show %q", what, frag)
		}
	}
	if !strings.Contains(runs["check connect"].stdout, "refused: envVars.OKTA_SITE") {
		t.Errorf("the plain-http Okta site was not refused:\n%s", runs["check connect"].stdout)
	}
	summary, err := os.ReadFile(filepath.Join(dir, "out", "summary.md"))
	if err != nil {
		t.Fatalf("init wrote no summary: %v\n%s", err, runs["init"].stderr)
	}
	guardtest.AssertClean(t, "summary.md", string(summary), false)
}

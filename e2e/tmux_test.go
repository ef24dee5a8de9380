// Package e2e runs the built crewai-setup binary in a real terminal (tmux) and types an
// install through it, the way an operator would.
package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"crewai-setup/internal/testtool"
)

// bin is the binary under test, built once by TestMain.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "crewai-setup-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	bin = filepath.Join(dir, "crewai-setup")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// sockets numbers the private tmux servers of this test process.
var sockets atomic.Int64

// term is one tmux server with one pane running the wizard under a shell, which prints the
// exit status and stays, so the test can see what is left on the terminal afterwards.
type term struct {
	t      *testing.T
	socket string
	out    string
	// pressed counts the keys sent, each typed character one.
	pressed int
}

// startTerm runs `crewai-setup init --out <tmp>/out` in a w×h tmux pane.
func startTerm(t *testing.T, w, h int) *term {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	tm := startCommand(t, w, h, "init", "--out", out)
	tm.out = out
	return tm
}

// startCommand runs crewai-setup with args in a w×h tmux pane.
func startCommand(t *testing.T, w, h int, args ...string) *term {
	t.Helper()
	return startScript(t, w, h, fmt.Sprintf(`%s; echo "crewai-setup exited with $?"; exec sleep 600`, commandLine(args...)))
}

// commandLine is the shell words that run crewai-setup with args.
func commandLine(args ...string) string {
	quoted := []string{fmt.Sprintf("%q", bin)}
	for _, a := range args {
		quoted = append(quoted, fmt.Sprintf("%q", a))
	}
	return strings.Join(quoted, " ")
}

// startScript runs a shell script in a w×h tmux pane.
func startScript(t *testing.T, w, h int, script string) *term {
	t.Helper()
	testtool.Need(t, "tmux")
	tm := &term{t: t, socket: fmt.Sprintf("crewai-e2e-%d-%d", os.Getpid(), sockets.Add(1))}
	tm.tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h),
		"sh", "-c", script)
	sock := strings.TrimSpace(tm.tmux("display", "-p", "#{socket_path}"))
	t.Cleanup(func() {
		_ = exec.Command("tmux", "-L", tm.socket, "kill-server").Run()
		_ = os.Remove(sock)
	})
	return tm
}

// tmux runs a tmux command against the private server and returns its output.
func (tm *term) tmux(args ...string) string {
	tm.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...)
	cmd.Env = withoutTMUX(os.Environ())
	out, err := cmd.CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// withoutTMUX drops $TMUX, so tests run from inside tmux do not talk to the outer server.
func withoutTMUX(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "TMUX=") && !strings.HasPrefix(e, "TMUX_PANE=") {
			out = append(out, e)
		}
	}
	return out
}

// keys sends tmux key names (Enter, Right, C-c) to the pane.
func (tm *term) keys(keys ...string) {
	tm.t.Helper()
	tm.pressed += len(keys)
	tm.tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
}

// text types literal text into the pane.
func (tm *term) text(s string) {
	tm.t.Helper()
	tm.pressed += len([]rune(s))
	tm.tmux("send-keys", "-t", "e2e", "-l", s)
}

// paste puts text into a tmux buffer and pastes it as a bracketed paste (tmux brackets it
// because the wizard asked the terminal for bracketed paste mode).
func (tm *term) paste(s string) {
	tm.t.Helper()
	f := filepath.Join(tm.t.TempDir(), "paste")
	if err := os.WriteFile(f, []byte(s), 0o600); err != nil {
		tm.t.Fatal(err)
	}
	tm.tmux("load-buffer", "-b", "e2e", f)
	tm.tmux("paste-buffer", "-p", "-d", "-b", "e2e", "-t", "e2e")
}

func (tm *term) screen() string { return tm.tmux("capture-pane", "-p", "-t", "e2e") }

// history is everything the pane shows and scrolled off, wrapped lines joined.
func (tm *term) history() string { return tm.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "e2e") }

// waitScreen polls the pane until it shows the screen titled title: the title alone at the
// top of the screen column (on a narrow terminal the step list shows numbers, not titles).
func (tm *term) waitScreen(title string) {
	tm.t.Helper()
	re := regexp.MustCompile(`(?m)│  ` + regexp.QuoteMeta(title) + `\s*$`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := tm.screen()
		if re.MatchString(s) {
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the terminal never showed the %s screen; it shows:\n%s", title, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitFor polls the pane until it shows want, failing after a deadline with the screen.
func (tm *term) waitFor(want string) {
	tm.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := tm.screen()
		if strings.Contains(s, want) {
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the terminal never showed %q; it shows:\n%s", want, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// exited waits for the wizard to end and returns its exit status as the shell printed it.
func (tm *term) exited() int {
	tm.t.Helper()
	tm.waitFor("crewai-setup exited with ")
	s := tm.screen()
	i := strings.LastIndex(s, "crewai-setup exited with ")
	code, err := strconv.Atoi(strings.Fields(s[i+len("crewai-setup exited with "):])[0])
	if err != nil {
		tm.t.Fatalf("no exit status in:\n%s", s)
	}
	return code
}

// restored checks that the terminal is back to normal: the alternate screen is off and the
// cursor is visible.
func (tm *term) restored() {
	tm.t.Helper()
	if alt := strings.TrimSpace(tm.tmux("display", "-p", "-t", "e2e", "#{alternate_on}")); alt != "0" {
		tm.t.Errorf("the alternate screen is still on after exit (alternate_on=%s)", alt)
	}
	if cur := strings.TrimSpace(tm.tmux("display", "-p", "-t", "e2e", "#{cursor_flag}")); cur != "1" {
		tm.t.Errorf("the cursor is still hidden after exit (cursor_flag=%s)", cur)
	}
}

// pid returns the wizard's process ID: the child of the pane's shell.
func (tm *term) pid() int {
	tm.t.Helper()
	shell, err := strconv.Atoi(strings.TrimSpace(tm.tmux("display", "-p", "-t", "e2e", "#{pane_pid}")))
	if err != nil {
		tm.t.Fatal(err)
	}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(shell) {
			return pid
		}
	}
	tm.t.Fatalf("no process under the pane's shell %d", shell)
	return 0
}

// minimalInstall types an install through Replicated with in-cluster PostgreSQL, a database
// password and local sign-in, writes it, and returns to the caller on the Done screen.
func minimalInstall(tm *term, typePassword func()) {
	tm.waitScreen("Deployment")
	tm.waitFor("Deployed with")
	// Deployed with, Replicated (yes: the license supplies the GitHub token and package
	// index), then PostgreSQL: in the cluster.
	tm.keys("Enter", "y", "Enter", "Right")
	// The rest of the screen keeps its defaults: PostgreSQL → TLS is 6 enters, then host,
	// release, namespace, the output directory and the encryption (no .sops.yaml: plain text).
	for range 11 {
		tm.keys("Enter")
	}
	tm.waitScreen("Database")
	// Port, user placement, user, then the password.
	tm.keys("Enter", "Enter", "Enter")
	typePassword()
	tm.keys("Enter", "Enter") // password, Wharf database name
	tm.waitScreen("GitHub App")
	for range 6 { // through Replicated, the token and index fields are not asked
		tm.keys("Enter")
	}
	tm.waitScreen("Authentication")
	// not chosen → WorkOS → Entra ID → Okta → Keycloak → Auth0 → Local accounts
	for range 6 {
		tm.keys("Right")
	}
	tm.waitFor("(•) Local accounts")
	tm.keys("Enter")
	tm.waitScreen("LLM")
	tm.keys("Enter")
	tm.waitScreen("Storage")
	tm.keys("Enter")
	tm.waitScreen("Review")
	tm.waitFor("Ready to write")
	tm.keys("Enter")
	tm.waitScreen("Done")
	tm.waitFor("wrote")
}

// checkFiles checks what the minimal install wrote.
func checkFiles(t *testing.T, out, password string) {
	t.Helper()
	values, err := os.ReadFile(filepath.Join(out, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := yaml.Unmarshal(values, &v); err != nil {
		t.Fatalf("values.yaml does not parse: %v\n%s", err, values)
	}
	if pg, _ := v["postgres"].(map[string]any); pg == nil || pg["enabled"] != true {
		t.Errorf("values.yaml: postgres.enabled is not true:\n%s", values)
	}
	if env, _ := v["envVars"].(map[string]any); env == nil || env["AUTH_PROVIDER"] != "local" {
		t.Errorf("values.yaml: envVars.AUTH_PROVIDER is not local:\n%s", values)
	}
	fi, err := os.Stat(filepath.Join(out, "secrets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("secrets.yaml has mode %v, want 0600", fi.Mode().Perm())
	}
	secrets, err := os.ReadFile(filepath.Join(out, "secrets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Secrets map[string]string `json:"secrets"`
	}
	if err := yaml.Unmarshal(secrets, &s); err != nil {
		t.Fatalf("secrets.yaml does not parse: %v", err)
	}
	if got := s.Secrets["DB_PASSWORD"]; got != password {
		t.Errorf("secrets.DB_PASSWORD is %d bytes (%.40q…), want the %d bytes typed", len(got), got, len(password))
	}
}

func TestMinimalInstall80x24(t *testing.T) {
	tm := startTerm(t, 80, 24)
	const password = "e2e-pass:w0rd#1"
	minimalInstall(tm, func() { tm.text(password) })
	tm.keys("q")
	if code := tm.exited(); code != 0 {
		t.Fatalf("exit status %d after writing:\n%s", code, tm.screen())
	}
	tm.restored()
	// The shell shows what the wizard printed after leaving the alternate screen, and none
	// of the wizard's own screen.
	hist := tm.history()
	for _, want := range []string{"wrote " + filepath.Join(tm.out, "secrets.yaml"), "# CrewAI Platform setup summary", "helm upgrade --install"} {
		if !strings.Contains(hist, want) {
			t.Errorf("after exit the terminal lacks %q:\n%s", want, hist)
		}
	}
	if strings.Contains(hist, "Deployed with") || strings.Contains(hist, "│") {
		t.Errorf("the wizard's screen is left on the terminal:\n%s", hist)
	}
	checkFiles(t, tm.out, password)
}

func TestMinimalInstall120x40WithBigPaste(t *testing.T) {
	tm := startTerm(t, 120, 40)
	// A 5 KiB password pasted with a trailing line break: one bracketed paste, taken whole.
	password := strings.Repeat("p@ss-w0rd/", 512)
	minimalInstall(tm, func() { tm.paste(password + "\r\n") })
	tm.keys("Enter")
	if code := tm.exited(); code != 0 {
		t.Fatalf("exit status %d after writing:\n%s", code, tm.screen())
	}
	tm.restored()
	checkFiles(t, tm.out, password)
}

func TestCtrlCThenYesWritesNothing(t *testing.T) {
	tm := startTerm(t, 80, 24)
	tm.waitFor("Deployed with")
	for range 8 {
		tm.keys("Enter")
	}
	tm.text("crewai.example.com") // the platform host name: now there is something to lose
	tm.keys("C-c")
	tm.waitFor("Discard your answers")
	tm.keys("y")
	if code := tm.exited(); code != 130 {
		t.Fatalf("exit status %d after ctrl+c y, want 130:\n%s", code, tm.screen())
	}
	tm.restored()
	if _, err := os.Stat(tm.out); !os.IsNotExist(err) {
		t.Fatalf("ctrl+c y wrote %s (%v)", tm.out, err)
	}
	tm.waitFor("nothing was written")
}

func TestSIGTERMRestoresTerminal(t *testing.T) {
	tm := startTerm(t, 120, 40)
	tm.waitFor("Deployed with")
	if alt := strings.TrimSpace(tm.tmux("display", "-p", "-t", "e2e", "#{alternate_on}")); alt != "1" {
		t.Fatalf("the wizard is not on the alternate screen (alternate_on=%s)", alt)
	}
	if err := syscall.Kill(tm.pid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := tm.exited(); code == 0 {
		t.Fatalf("exit status 0 after SIGTERM:\n%s", tm.screen())
	}
	tm.restored()
	if _, err := os.Stat(tm.out); !os.IsNotExist(err) {
		t.Fatalf("SIGTERM left files in %s (%v)", tm.out, err)
	}
}

// A rotation typed through in a real terminal changes only the picked key's line.
func TestRotateInTerminal(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			dir := t.TempDir()
			values := filepath.Join(dir, "values.yaml")
			secrets := filepath.Join(dir, "secrets.yaml")
			before := "secrets:\n  # hand-kept\n  DB_PASSWORD: 'pw'\n  SECRET_KEY_BASE: old-value   # signs sessions\n"
			for path, text := range map[string]string{values: "postgres:\n  enabled: true\n", secrets: before} {
				if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			tm := startCommand(t, size[0], size[1], "rotate", "--values", values, "--secrets", secrets)
			tm.waitFor("Rotate credentials")
			tm.waitFor("secrets.SECRET_KEY_BASE")
			// The list starts with DB_PASSWORD; SECRET_KEY_BASE is next.
			tm.keys("Down", "Space", "Enter")
			tm.waitFor("Write the changes")
			tm.text("yes")
			tm.keys("Enter")
			if code := tm.exited(); code != 0 {
				t.Fatalf("exit status %d:\n%s", code, tm.history())
			}
			tm.restored()
			if !strings.Contains(tm.history(), "Rotated:") {
				t.Errorf("no report after exit:\n%s", tm.history())
			}
			after, err := os.ReadFile(secrets)
			if err != nil {
				t.Fatal(err)
			}
			bl, al := strings.Split(before, "\n"), strings.Split(string(after), "\n")
			if len(bl) != len(al) {
				t.Fatalf("line count changed:\n%s", after)
			}
			for i := range bl {
				if strings.HasPrefix(bl[i], "  SECRET_KEY_BASE:") {
					if al[i] == bl[i] || !strings.HasSuffix(al[i], "   # signs sessions") {
						t.Errorf("SECRET_KEY_BASE line: %q", al[i])
					}
				} else if al[i] != bl[i] {
					t.Errorf("line %d changed: %q", i+1, al[i])
				}
			}
		})
	}
}

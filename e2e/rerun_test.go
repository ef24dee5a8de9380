package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

// Re-running the wizard on an existing install to change one value is a handful of keys:
// init --from opens on the review, a number opens the screen, esc goes back to the review,
// enter writes. (Before, changing one password took 72 keys, 53 of them to move around.)
func TestEditOneValueFromExistingFiles(t *testing.T) {
	dir := t.TempDir()
	answers, err := filepath.Abs("../testdata/wizard-realistic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "init", "--answers", answers, "--out", dir, "--non-interactive").CombinedOutput(); err != nil {
		t.Fatalf("writing the install to edit: %v\n%s", err, out)
	}
	valuesBefore, err := os.ReadFile(filepath.Join(dir, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			password := "n3w-" + strconv.Itoa(size[0]/40) // a short value: the keys counted are mostly moving around
			tm := startCommand(t, size[0], size[1], "init", "--from", dir)
			tm.waitScreen("Review")
			tm.waitFor("Ready to write")
			tm.keys("2")
			tm.waitScreen("Database")
			tm.keys("Tab", "Tab", "Tab", "Tab", "C-u") // host, port, user placement, user: the password
			tm.text(password)
			tm.keys("Escape")
			tm.waitScreen("Review")
			tm.keys("Enter")
			tm.waitScreen("Done")
			tm.waitFor("wrote")
			tm.keys("q")
			if code := tm.exited(); code != 0 {
				t.Fatalf("exit status %d:\n%s", code, tm.history())
			}
			if tm.pressed > 15 {
				t.Errorf("%d keys to change one value, want at most 15", tm.pressed)
			}
			secrets, err := os.ReadFile(filepath.Join(dir, "secrets.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var s struct {
				Secrets map[string]string `json:"secrets"`
			}
			if err := yaml.Unmarshal(secrets, &s); err != nil {
				t.Fatal(err)
			}
			if got := s.Secrets["DB_PASSWORD"]; got != password {
				t.Errorf("DB_PASSWORD = %q, want %q", got, password)
			}
			if got := s.Secrets["GITHUB_WEBHOOK_SECRET_TOKEN"]; got != "example-webhook-secret-0123456789" {
				t.Errorf("another secret changed: GITHUB_WEBHOOK_SECRET_TOKEN = %q", got)
			}
			values, err := os.ReadFile(filepath.Join(dir, "values.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(values, valuesBefore) {
				t.Errorf("values.yaml changed:\n%s", values)
			}
		})
	}
}

// A terminal that goes away ends the wizard within a second or two, whether the wizard gets
// the hangup (the pane's process group does when tmux closes it) or ignores hangups, as under
// nohup: then only its reads say the terminal is gone. (A measurement harness once left
// wizards running for 18 minutes after their terminals were closed.)
func TestClosedTerminalEndsTheWizard(t *testing.T) {
	for _, c := range []struct {
		name, script string
	}{
		{"hangup", commandLine("init", "--out", "OUT")},
		{"hangup ignored", `trap '' HUP; exec ` + commandLine("init", "--out", "OUT")},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			tm := startScript(t, 80, 24, strings.ReplaceAll(c.script, `"OUT"`, fmt.Sprintf("%q", out)))
			tm.waitFor("Deployed with")
			tm.text("x") // typed answers: nothing asks before quitting when the terminal is gone
			pid := tm.wizardPID()
			t.Cleanup(func() {
				if running(pid) {
					_ = syscall.Kill(pid, syscall.SIGKILL) // a failed run leaves no wizard behind
				}
			})
			tm.tmux("kill-server")
			deadline := time.Now().Add(2 * time.Second)
			for running(pid) {
				if time.Now().After(deadline) {
					t.Fatalf("the wizard (pid %d) still runs 2 s after its terminal closed", pid)
				}
				time.Sleep(20 * time.Millisecond)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("the closed wizard wrote %s (%v)", out, err)
			}
		})
	}
}

// wizardPID is the pane's crewai-setup process: the pane's own process when the script execs
// it, else the child of the pane's shell.
func (tm *term) wizardPID() int {
	tm.t.Helper()
	pane, err := strconv.Atoi(strings.TrimSpace(tm.tmux("display", "-p", "-t", "e2e", "#{pane_pid}")))
	if err != nil {
		tm.t.Fatal(err)
	}
	if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pane)); err == nil && exe == bin {
		return pane
	}
	return tm.pid()
}

// running reports whether a process exists and has not exited (a zombie has).
func running(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z" && fields[0] != "X"
}

package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
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
// wizards running for 18 minutes after their terminals were closed.) It exits with status 1:
// the run failed, nobody cancelled it. The shell around it outlives the terminal (it traps
// the hangup; the wizard gets it as usual, the trap being a handler) to record the status.
func TestClosedTerminalEndsTheWizard(t *testing.T) {
	for _, c := range []struct {
		name, script string
	}{
		{"hangup", `trap 'true' HUP; ` + commandLine("init", "--out", "OUT") + `; echo $? >"STATUS"`},
		{"hangup ignored", `trap '' HUP; ` + commandLine("init", "--out", "OUT") + `; echo $? >"STATUS"`},
		{"rotate, hangup", `trap 'true' HUP; ` + commandLine("rotate", "--values", "OUT/values.yaml", "--secrets", "OUT/secrets.yaml") + `; echo $? >"STATUS"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			out, status := filepath.Join(tmp, "out"), filepath.Join(tmp, "status")
			rotate := strings.Contains(c.script, `"rotate"`)
			if rotate {
				writeInto(t, out, map[string]string{"values.yaml": "postgres:\n  enabled: true\n", "secrets.yaml": "secrets:\n  DB_PASSWORD: pw\n"})
			}
			before := snapshot(t, out)
			script := strings.ReplaceAll(c.script, `"OUT`, `"`+out)
			tm := startScript(t, 80, 24, strings.ReplaceAll(script, `"STATUS"`, fmt.Sprintf("%q", status)))
			if rotate {
				tm.waitFor("Rotate credentials")
				tm.keys("Space") // a key picked: nothing asks before quitting when the terminal is gone
			} else {
				tm.waitFor("Deployed with")
				tm.text("x") // typed answers: nothing asks before quitting when the terminal is gone
			}
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
			if after := snapshot(t, out); !maps.Equal(before, after) {
				t.Errorf("the closed wizard changed %s:\nbefore %v\nafter  %v", out, before, after)
			}
			var code []byte
			for deadline := time.Now().Add(2 * time.Second); len(code) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				code, _ = os.ReadFile(status)
			}
			if got := strings.TrimSpace(string(code)); got != "1" {
				t.Errorf("exit status %q after the terminal closed, want 1", got)
			}
		})
	}
}

// writeInto writes files into dir, which it creates.
func writeInto(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot maps every file under dir to its contents (empty when dir does not exist).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		out[path] = string(data)
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return out
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

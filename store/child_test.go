package store

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"crewai-setup/model"
)

// runCustodyChild is the body of the child modes of the custody tests (locks, sets, links);
// ok is false for a mode it does not know.
func runCustodyChild(mode, path, args string) (code int, ok bool) {
	switch mode {
	case "stall":
		// Writes path and stops for good at the rename, holding the lock, with the temporary
		// file and the backup made: the state a kill -9 at that moment leaves behind.
		o := DefaultOptions()
		o.Command = "crewai-setup rotate"
		o.hooks = &hooks{rename: func(string, string) error {
			fmt.Println("STALLED")
			select {}
		}}
		_, err := o.WriteSet([]File{{Path: path, Data: []byte("stalled: true\n"), Perm: 0o600, Sensitive: true}})
		fmt.Println("ERR:", err)
		return 1, true
	case "hold":
		// A non-interactive rotate between its read and its write: the files locked.
		o := DefaultOptions()
		o.Command, o.HoldLock = "crewai-setup rotate", true
		if _, _, err := o.ReadFiles(model.NewCatalog(), "", path); err != nil {
			fmt.Println("ERR:", err)
			return 1, true
		}
		fmt.Println("HOLDING")
		select {}
	case "symlink":
		if err := os.Symlink(args, path); err != nil {
			fmt.Println("ERR:", err)
			return 1, true
		}
		fmt.Println("OK")
		return 0, true
	case "rmw":
		// args: KEY TRIALS HOLD; one line per trial: OK n or FAIL n: error.
		f := strings.Fields(args)
		if len(f) != 3 {
			fmt.Println("SETUP:rmw needs KEY TRIALS HOLD")
			return 2, true
		}
		trials, _ := strconv.Atoi(f[1])
		cat := model.NewCatalog()
		for i := range trials {
			if err := readModifyWrite(cat, path, f[0], i, f[2] == "1"); err != nil {
				fmt.Printf("FAIL %d: %v\n", i, err)
			} else {
				fmt.Printf("OK %d\n", i)
			}
		}
		return 0, true
	case "setfsize":
		// A set of three files in the directory path whose second is larger than the file size
		// limit allows: the disk is "full" after the first was written.
		signal.Ignore(syscall.SIGXFSZ)
		var lim syscall.Rlimit
		if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			fmt.Println("SETUP:" + err.Error())
			return 1, true
		}
		lim.Cur = min(64<<10, lim.Max)
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
			fmt.Println("SETUP:" + err.Error())
			return 1, true
		}
		_, err := DefaultOptions().WriteSet(threeFiles(path, "new", 1<<20))
		if err == nil {
			fmt.Println("OK")
			return 0, true
		}
		fmt.Printf("ERR:%s\nEFBIG:%v\n", err, errors.Is(err, syscall.EFBIG))
		return 0, true
	}
	return 0, false
}

// threeFiles is the set values.yaml, secrets.yaml, summary.md in dir, each holding text, the
// secrets file padded to at least secretsSize bytes.
func threeFiles(dir, text string, secretsSize int) []File {
	secrets := []byte("secrets:\n  DB_PASSWORD: " + text + "\n")
	if pad := secretsSize - len(secrets); pad > 0 {
		secrets = append(secrets, bytes.Repeat([]byte("#"), pad)...)
	}
	return []File{
		{Path: filepath.Join(dir, "values.yaml"), Data: []byte("values: " + text + "\n"), Perm: 0o644},
		{Path: filepath.Join(dir, "secrets.yaml"), Data: secrets, Perm: 0o600, Sensitive: true, GitIgnore: true},
		{Path: filepath.Join(dir, "summary.md"), Data: []byte("summary: " + text + "\n"), Perm: 0o644},
	}
}

// writeThree writes the three files of threeFiles by hand (no backups, no locks).
func writeThree(t *testing.T, dir, text string) {
	t.Helper()
	for _, f := range threeFiles(dir, text, 0) {
		if err := os.WriteFile(f.Path, f.Data, f.Perm); err != nil {
			t.Fatal(err)
		}
	}
}

// readModifyWrite appends trial to the value of key in the secrets file at path: read it,
// change it, write it; with hold the files are locked from the read on.
func readModifyWrite(cat *model.Catalog, path, key string, trial int, hold bool) error {
	o := DefaultOptions()
	o.HoldLock, o.KeepBackups = hold, 1
	// Eight writers queue for one file; the test is about lost updates, not about patience.
	o.LockWait = time.Minute
	x, _, err := o.ReadFiles(cat, "", path)
	if err != nil {
		return err
	}
	defer x.Close()
	e := cat.Lookup(key)
	if e == nil {
		return fmt.Errorf("no catalog key %s", key)
	}
	_, err = x.Write([]Set{{Entry: e, Value: x.Answers.Get(key) + "," + strconv.Itoa(trial)}}, nil)
	return err
}

// startChild starts cmd and reads its stdout up to the line want; the caller must kill it.
func startChild(t *testing.T, cmd *exec.Cmd, want string) *bufio.Reader {
	t.Helper()
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	r := bufio.NewReader(stdout)
	line, err := r.ReadString('\n')
	if strings.TrimSpace(line) != want {
		t.Fatalf("child said %q (%v), want %s", line, err, want)
	}
	return r
}

// childWith is childCommand with further arguments for the mode.
func childWith(t *testing.T, mode, path, args string) *exec.Cmd {
	t.Helper()
	cmd := childCommand(t, mode, path)
	cmd.Env = append(cmd.Env, childArgsEnv+"="+args)
	return cmd
}

// killChild ends a child with SIGKILL, as a crash or an operator's kill -9 would.
func killChild(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
}

// entriesMatching lists the names in dir that match the glob pattern.
func entriesMatching(t *testing.T, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	return m
}

// mustBeRoot stops a test that needs root's powers (chown, setuid children); the tests run as
// root here and in CI.
func mustBeRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("this test needs root (it changes owners and runs a child as nobody): run the tests as root, as CI does")
	}
}

package store

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"crewai-setup/model"
)

// rmwKeys are the keys concurrent writers change, one each, all in one secrets file.
var rmwKeys = []string{
	"secrets.DB_PASSWORD", "secrets.GITHUB_CLIENT_SECRET", "secrets.GITHUB_WEBHOOK_SECRET_TOKEN", "secrets.OKTA_CLIENT_SECRET",
	"secrets.ENTRA_ID_CLIENT_SECRET", "secrets.WORKOS_API_KEY", "secrets.KEYCLOAK_CLIENT_SECRET", "secrets.AUTH0_CLIENT_SECRET",
}

// rmwTrials is how many read-modify-writes each writer does.
const rmwTrials = 100

// newRMWFile writes a secrets file in which every key of rmwKeys holds "s".
func newRMWFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secrets.yaml")
	var b strings.Builder
	b.WriteString("secrets:\n")
	for _, k := range rmwKeys {
		fmt.Fprintf(&b, "  %s: s\n", strings.TrimPrefix(k, "secrets."))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkRMW fails unless the value of every key is exactly "s" followed by the trials its
// writer reported as written, in order: a lost update leaves a trial out for good, since the
// writer's next trial appends to what it reads.
func checkRMW(t *testing.T, path string, writers int, ok [][]int) {
	t.Helper()
	x, _, err := ReadFiles(model.NewCatalog(), "", path)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for w := range writers {
		want := "s"
		for _, i := range ok[w] {
			want += "," + strconv.Itoa(i)
		}
		total += len(ok[w])
		if got := x.Answers.Get(rmwKeys[w]); got != want {
			t.Errorf("%s = %q\nwant %q (the writer reported %d successful writes)", rmwKeys[w], got, want, len(ok[w]))
		}
	}
	if total == 0 {
		t.Error("no write succeeded at all")
	}
	t.Logf("%d of %d read-modify-writes succeeded", total, writers*rmwTrials)
}

// Writers in goroutines change different keys of one file at the same time, 100 times each:
// every write reported as successful is on disk at the end. With HoldLock (non-interactive:
// lock, read, write) every write succeeds; without (interactive: read, later lock and check)
// a write that finds the file changed since its read is refused, never lost.
func TestConcurrentReadModifyWriteGoroutines(t *testing.T) {
	cat := model.NewCatalog()
	for _, writers := range []int{2, 8} {
		for _, hold := range []bool{true, false} {
			t.Run(fmt.Sprintf("%d writers, HoldLock %v", writers, hold), func(t *testing.T) {
				path := newRMWFile(t)
				ok := make([][]int, writers)
				failed := make([][]string, writers)
				var wg sync.WaitGroup
				for w := range writers {
					wg.Go(func() {
						for i := range rmwTrials {
							if err := readModifyWrite(cat, path, rmwKeys[w], i, hold); err != nil {
								failed[w] = append(failed[w], err.Error())
								continue
							}
							ok[w] = append(ok[w], i)
						}
					})
				}
				wg.Wait()
				checkRMW(t, path, writers, ok)
				for w := range writers {
					for _, f := range failed[w] {
						if hold || !strings.Contains(f, "changed on disk after it was read") {
							t.Errorf("writer %d: unexpected failure: %s", w, f)
						}
					}
				}
				if hold && t.Failed() {
					return
				}
				if extra := extraEntries(t, filepath.Dir(path), "secrets.yaml", ".secrets.yaml.lock", filepath.Base(lastBackup(t, path))); extra != nil {
					t.Errorf("left behind: %v", extra)
				}
			})
		}
	}
}

// The same with writer processes (the test binary re-executed), as two crewai-setup rotate
// runs would be.
func TestConcurrentReadModifyWriteProcesses(t *testing.T) {
	for _, writers := range []int{2, 8} {
		for _, hold := range []bool{true, false} {
			t.Run(fmt.Sprintf("%d processes, HoldLock %v", writers, hold), func(t *testing.T) {
				path := newRMWFile(t)
				ok := make([][]int, writers)
				errs := make(chan error, writers)
				for w := range writers {
					h := "0"
					if hold {
						h = "1"
					}
					cmd := childWith(t, "rmw", path, fmt.Sprintf("%s %d %s", rmwKeys[w], rmwTrials, h))
					cmd.Stderr = os.Stderr
					out, err := cmd.StdoutPipe()
					if err != nil {
						t.Fatal(err)
					}
					if err := cmd.Start(); err != nil {
						t.Fatal(err)
					}
					go func() {
						var bad []string
						sc := bufio.NewScanner(out)
						for sc.Scan() {
							line := sc.Text()
							if n, found := strings.CutPrefix(line, "OK "); found {
								i, _ := strconv.Atoi(n)
								ok[w] = append(ok[w], i)
							} else if hold || !strings.Contains(line, "changed on disk after it was read") {
								bad = append(bad, line)
							}
						}
						err := cmd.Wait()
						if err == nil && len(bad) > 0 {
							err = fmt.Errorf("writer %d: unexpected output: %s", w, strings.Join(bad, "\n"))
						}
						errs <- err
					}()
				}
				for range writers {
					if err := <-errs; err != nil {
						t.Error(err)
					}
				}
				checkRMW(t, path, writers, ok)
			})
		}
	}
}

// lastBackup is the newest backup of path (KeepBackups 1 leaves one).
func lastBackup(t *testing.T, path string) string {
	t.Helper()
	b, err := backupsOf(path)
	if err != nil || len(b) == 0 {
		t.Fatalf("backups of %s: %v %v", path, b, err)
	}
	return b[len(b)-1]
}

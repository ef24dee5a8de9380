package guard_test

import (
	"bytes"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"crewai-setup/guard"
)

// TestReadFile checks the normal read and every refusal: each comes back at once (a FIFO
// without a writer would block a plain open forever, /dev/zero would never end), names the
// file, and wraps the sentinel callers test for.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := write("values.yaml", []byte("a: 1\n"))
	exact := write("exact.yaml", bytes.Repeat([]byte("x"), 100))
	over := write("over.yaml", bytes.Repeat([]byte("x"), 101))
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// A file of 100 MB costs nothing on disk when sparse; it must be refused without reading.
	huge := filepath.Join(dir, "huge.yaml")
	if err := os.WriteFile(huge, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 100<<20); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, path string
		want       []byte
		is         error
		msg        []string
	}{
		{"regular", small, []byte("a: 1\n"), nil, nil},
		{"exactly the limit", exact, bytes.Repeat([]byte("x"), 100), nil, nil},
		{"one byte over", over, nil, guard.ErrTooLarge, []string{over, "101 bytes", "100 bytes"}},
		{"100 MB", huge, nil, guard.ErrTooLarge, []string{huge, "100 MiB", "100 bytes"}},
		{"FIFO", fifo, nil, guard.ErrNotRegular, []string{fifo, "named pipe (FIFO)", "save the content to a file"}},
		{"character device", "/dev/zero", nil, guard.ErrNotRegular, []string{"/dev/zero", "character device"}},
		{"socket", sock, nil, guard.ErrNotRegular, []string{sock, "socket"}},
		{"directory", dir, nil, guard.ErrNotRegular, []string{dir, "is a directory", "name a file inside it"}},
		{"missing", filepath.Join(dir, "nope"), nil, fs.ErrNotExist, []string{"nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			data, err := guard.ReadFile(tt.path, 100)
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %s", d)
			}
			if tt.is == nil {
				if err != nil || !bytes.Equal(data, tt.want) {
					t.Fatalf("ReadFile = %q, %v; want %q", data, err, tt.want)
				}
				return
			}
			if !errors.Is(err, tt.is) {
				t.Fatalf("err = %v, want it to wrap %v", err, tt.is)
			}
			for _, m := range tt.msg {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("message %q does not mention %q", err, m)
				}
			}
		})
	}
}

// Files whose size stat does not know (those in /proc report 0) are still read to at most
// limit+1 bytes and refused above the limit: the bound is on the read, not on the stat.
func TestReadFileBoundsTheRead(t *testing.T) {
	if _, err := os.Stat("/proc/self/maps"); err != nil {
		t.Fatalf("this test needs Linux's /proc: %v", err)
	}
	data, err := guard.ReadFile("/proc/self/maps", guard.ValuesFileLimit)
	if err != nil || len(data) < 100 {
		t.Fatalf("ReadFile(/proc/self/maps) = %d bytes, %v", len(data), err)
	}
	_, err = guard.ReadFile("/proc/self/maps", 50)
	var fe *guard.FileError
	if !errors.As(err, &fe) || !errors.Is(err, guard.ErrTooLarge) || fe.Size != 51 || fe.Limit != 50 {
		t.Fatalf("err = %#v, want ErrTooLarge after reading 51 bytes", err)
	}
}

// A hostile file name is shown, not obeyed.
func TestReadFileMessageIsVisible(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x\x1b]0;pwned\x07")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := guard.ReadFile(dir, 10)
	if err == nil || guard.Unsafe(err.Error()) != "" || !strings.Contains(err.Error(), `x\x1b]0;pwned\x07`) {
		t.Errorf("err = %q", err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1 KiB", 1536: "1.5 KiB",
		16 << 20: "16 MiB", 100 << 20: "100 MiB", 100_000_000: "95.4 MiB", 3 << 30: "3 GiB"} {
		if got := guard.Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

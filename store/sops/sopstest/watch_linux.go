//go:build linux

package sopstest

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// Watcher records every file created or written in a directory, with its content read the
// moment inotify reports it.
type Watcher struct {
	dir  string
	fd   int
	done chan struct{}
	mu   sync.Mutex
	seen map[string][][]byte // file name -> contents read
}

// stopName is the file whose creation ends the watch.
const stopName = "stop-watching"

// Watch starts watching dir (not its subdirectories).
func Watch(t testing.TB, dir string) *Watcher {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if err != nil {
		t.Fatalf("inotify: %v", err)
	}
	if _, err := syscall.InotifyAddWatch(fd, dir, syscall.IN_CREATE|syscall.IN_MODIFY|syscall.IN_CLOSE_WRITE|syscall.IN_MOVED_TO); err != nil {
		t.Fatalf("inotify watch: %v", err)
	}
	w := &Watcher{dir: dir, fd: fd, done: make(chan struct{}), seen: map[string][][]byte{}}
	go w.loop()
	return w
}

func (w *Watcher) loop() {
	defer close(w.done)
	buf := make([]byte, 64<<10)
	for {
		n, err := syscall.Read(w.fd, buf)
		if err != nil {
			return
		}
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			nameLen := int(binary.NativeEndian.Uint32(buf[off+12 : off+16]))
			name := strings.TrimRight(string(buf[off+syscall.SizeofInotifyEvent:off+syscall.SizeofInotifyEvent+nameLen]), "\x00")
			off += syscall.SizeofInotifyEvent + nameLen
			if name == stopName {
				return
			}
			data, _ := os.ReadFile(filepath.Join(w.dir, name)) // gone already: the snapshots cover it
			w.mu.Lock()
			w.seen[name] = append(w.seen[name], data)
			w.mu.Unlock()
		}
	}
}

// Stop ends the watch and returns what was seen: file name → every content read.
func (w *Watcher) Stop(t testing.TB) map[string][][]byte {
	t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, stopName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	<-w.done
	_ = syscall.Close(w.fd)
	_ = os.Remove(filepath.Join(w.dir, stopName))
	return w.seen
}

package guard

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// Read limits, in bytes, for the kinds of file the tool reads.
const (
	// ValuesFileLimit bounds values, secrets and answers files. Real ones are a few KiB; the
	// limit leaves room for embedded certificate bundles.
	ValuesFileLimit int64 = 16 << 20
	// KeyFileLimit bounds key files: PEM files and rotate --from-file values.
	KeyFileLimit int64 = 1 << 20
)

// Errors that ReadFile's FileError wraps, for errors.Is.
var (
	// ErrNotRegular marks a path that is not a regular file (directory, FIFO, device, socket).
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge marks a file larger than the limit it was read with.
	ErrTooLarge = errors.New("file too large")
)

// FileError is a file ReadFile refuses to read, with the reason.
type FileError struct {
	// Path is the file as it was named.
	Path string
	// Mode is the file's type and permissions as fstat reported them.
	Mode fs.FileMode
	// Size is the file's size (at least Limit+1 when it grew while being read); Limit is the
	// limit it was read with. Both are set only for ErrTooLarge.
	Size, Limit int64
	// Err is ErrNotRegular or ErrTooLarge.
	Err error
}

// Error names the file, says what it is or how large, and what to do.
func (e *FileError) Error() string {
	name := Visible(e.Path)
	if errors.Is(e.Err, ErrTooLarge) {
		return fmt.Sprintf("%s is %s, more than the %s this tool reads from such a file: check that it is the right file",
			name, Size(e.Size), Size(e.Limit))
	}
	if e.Mode.IsDir() {
		return fmt.Sprintf("%s is a directory, not a file: name a file inside it", name)
	}
	return fmt.Sprintf("%s is %s, not a regular file: only regular files are read (a pipe or device could block or "+
		"never end); save the content to a file and name that file", name, Kind(e.Mode))
}

// Unwrap returns ErrNotRegular or ErrTooLarge.
func (e *FileError) Unwrap() error { return e.Err }

// Kind names a file's type for a message: "a named pipe (FIFO)", "a character device", ...
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeIrregular != 0:
		return "a special file"
	}
	return "not a regular file"
}

// Size formats a byte count for a message: "512 bytes", "64 KiB", "16 MiB", "1.5 GiB".
func Size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, suffix := float64(n), ""
	for _, s := range []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"} {
		v, suffix = v/unit, s
		if v < unit {
			break
		}
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %s", int64(v), suffix)
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}

// ReadFile reads a regular file of at most limit bytes. Opening never blocks (O_NONBLOCK, so
// a FIFO without a writer opens at once) and never takes a terminal as the controlling one
// (O_NOCTTY); the opened file is then checked with fstat, so what is checked is what is read.
// Anything but a regular file, and a file above the limit, is refused with a *FileError
// before any content is read; at most limit+1 bytes are ever read, so a file that grows
// meanwhile is refused too. Open errors are returned as os.Open returns them (errors.Is works
// with fs.ErrNotExist and fs.ErrPermission).
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		// A socket cannot be opened at all (ENXIO): say what it is rather than the errno.
		if fi, serr := os.Stat(path); serr == nil && !fi.Mode().IsRegular() {
			return nil, &FileError{Path: path, Mode: fi.Mode(), Err: ErrNotRegular}
		}
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &FileError{Path: path, Mode: fi.Mode(), Err: ErrNotRegular}
	}
	if fi.Size() > limit {
		return nil, &FileError{Path: path, Mode: fi.Mode(), Size: fi.Size(), Limit: limit, Err: ErrTooLarge}
	}
	// The size is a hint for the buffer (files in /proc report 0); the limit is what binds.
	buf := make([]byte, 0, fi.Size()+1)
	data, err := readAtMost(f, buf, limit+1)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &FileError{Path: path, Mode: fi.Mode(), Size: int64(len(data)), Limit: limit, Err: ErrTooLarge}
	}
	return data, nil
}

// readAtMost appends up to n bytes of r to buf.
func readAtMost(r io.Reader, buf []byte, n int64) ([]byte, error) {
	lr := io.LimitReader(r, n)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		m, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

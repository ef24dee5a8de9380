package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"time"
)

// ErrLocked is wrapped by the error of a run that gave up waiting for another run's lock.
var ErrLocked = errors.New("locked by another run")

// Holder is the run that holds a lock, as it described itself in the lock file.
type Holder struct {
	// PID is the holder's process id (0 when the lock file holds no description).
	PID int `json:"pid"`
	// User is the holder's user name.
	User string `json:"user"`
	// Host is the machine the holder runs on.
	Host string `json:"host"`
	// Command is what the holder runs, e.g. "crewai-setup rotate".
	Command string `json:"command"`
	// Since is when the holder took the lock.
	Since time.Time `json:"since"`
}

// String describes the holder for a message: pid 123 (alice@bastion, crewai-setup rotate) since 10:02:05.
func (h Holder) String() string {
	if h.PID == 0 {
		return "another run (it left no description in the lock file)"
	}
	who := h.User
	if h.Host != "" {
		who += "@" + h.Host
	}
	s := fmt.Sprintf("pid %d (%s, %s)", h.PID, who, h.Command)
	if !h.Since.IsZero() {
		s += " since " + clock(h.Since)
	}
	return s
}

// clock shows a time of today as 15:04:05, an older one with its date.
func clock(t time.Time) string {
	t = t.Local()
	y, m, d := t.Date()
	if ny, nm, nd := time.Now().Date(); y == ny && m == nm && d == nd {
		return t.Format("15:04:05")
	}
	return t.Format("2006-01-02 15:04:05")
}

// LockedError is the refusal of a run that waited in vain for another run's lock.
type LockedError struct {
	// Path is the file that could not be locked, as the caller named it.
	Path string
	// LockFile is the lock file beside it.
	LockFile string
	// Holder is the run holding the lock, as far as it described itself.
	Holder Holder
	// Waited is how long this run waited.
	Waited time.Duration
}

// Error names the file and the holder and says what to do.
func (e *LockedError) Error() string {
	return fmt.Sprintf("%s is being written by %s (lock file %s), and the lock was not released within %s: nothing was written; wait until that run has finished (or stop it if it hangs) and run again",
		e.Path, e.Holder, e.LockFile, e.Waited.Round(time.Millisecond))
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// fileLock is a held flock(2) on the lock file beside one target file.
type fileLock struct {
	target   string // the file the lock protects, symbolic links resolved
	path     string // the lock file
	f        *os.File
	writable bool // the holder description could be written into the lock file
}

// lockFileName is the lock file of a target: .NAME.lock beside it. It is never removed, since
// another run may hold or be about to take a lock on it.
func lockFileName(target string) string {
	return filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".lock")
}

// locks are the locks a run holds, by the target they protect.
type locks map[string]*fileLock

// lockItem names a target to lock and how the caller named it.
type lockItem struct {
	name   string // as the caller named the file, for messages
	target string // symbolic links resolved
}

// lockAll takes the locks on items that held does not have yet, in the order of their targets'
// paths, so that two runs locking overlapping sets cannot hold one each of a pair. It returns
// the locks it took; on error it releases them again.
func (o Options) lockAll(held locks, items []lockItem) (locks, error) {
	items = append([]lockItem(nil), items...)
	sort.Slice(items, func(i, j int) bool { return items[i].target < items[j].target })
	taken := locks{}
	for _, it := range items {
		if held[it.target] != nil || taken[it.target] != nil {
			continue
		}
		l, err := o.acquire(it.name, it.target)
		if err != nil {
			taken.release()
			return nil, err
		}
		taken[it.target] = l
	}
	return taken, nil
}

// release gives up every lock in ls.
func (ls locks) release() {
	for k, l := range ls {
		l.release()
		delete(ls, k)
	}
}

// acquire locks target, waiting up to o.LockWait for another holder and telling o.Note once
// that it waits; then it writes this run's description into the lock file.
func (o Options) acquire(name, target string) (*fileLock, error) {
	lp := lockFileName(target)
	f, writable, err := openLockFile(name, lp, target)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	delay := time.Millisecond
	noted := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			_ = f.Close()
			return nil, fmt.Errorf("cannot lock %s (lock file %s): %w: check that the file system supports locks (flock), or write somewhere else", name, lp, err)
		}
		waited := time.Since(start)
		if waited >= o.LockWait {
			h := readHolder(f)
			_ = f.Close()
			return nil, &LockedError{Path: name, LockFile: lp, Holder: h, Waited: waited}
		}
		if !noted {
			o.note(fmt.Sprintf("waiting for the lock on %s held by %s…", name, readHolder(f)))
			noted = true
		}
		time.Sleep(min(delay, o.LockWait-waited))
		delay = min(2*delay, 10*time.Millisecond)
	}
	l := &fileLock{target: target, path: lp, f: f, writable: writable}
	if writable {
		if data, err := json.Marshal(self(o)); err == nil {
			// Truncate first: a shorter description must not leave the end of a longer one.
			if f.Truncate(0) == nil {
				_, _ = f.WriteAt(data, 0)
			}
		}
	}
	return l, nil
}

// release empties the description (so that a waiting run does not name a finished one),
// unlocks and closes the lock file, which stays in place.
func (l *fileLock) release() {
	if l.writable {
		_ = l.f.Truncate(0)
	}
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
}

// openLockFile opens or creates the lock file lp of target (named name by the caller) without
// following a symbolic link, and checks that it is a regular file. A lock file this run may not write is opened read-only: flock
// works on it all the same, only the holder description is missing then.
func openLockFile(name, lp, target string) (f *os.File, writable bool, err error) {
	// O_NONBLOCK: a FIFO planted under the lock file's name must not hang the open.
	const flags = os.O_RDWR | syscall.O_NOFOLLOW | syscall.O_NONBLOCK
	created := false
	writable = true
	f, err = os.OpenFile(lp, flags|os.O_CREATE|os.O_EXCL, 0o644) //nolint:gosec // holds no secret: who holds the lock, for other users' refusals
	switch {
	case err == nil:
		created = true
	case errors.Is(err, os.ErrExist):
		f, err = os.OpenFile(lp, flags, 0)
		if errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM) {
			writable = false
			f, err = os.OpenFile(lp, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
		}
	}
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, false, fmt.Errorf("the lock file %s is a symbolic link, which crewai-setup never makes: someone may be trying to redirect the write; remove it and run again", lp)
		}
		return nil, false, describeWriteError(name, filepath.Dir(lp), err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("the lock file %s is not a regular file (%v): remove it and run again", lp, fi.Mode().Type())
	}
	if err != nil {
		_ = f.Close()
		return nil, false, err
	}
	if created {
		// Readable to all, so that another user's refused run can name the holder; the
		// umask may have narrowed the mode given to OpenFile.
		_ = f.Chmod(0o644)
		// A lock file root makes beside another user's file belongs to that user, who must be
		// able to take the lock and describe themselves in it later.
		if os.Geteuid() == 0 {
			if st, err := os.Stat(target); err == nil {
				if sys, ok := st.Sys().(*syscall.Stat_t); ok && sys.Uid != 0 {
					_ = f.Chown(int(sys.Uid), int(sys.Gid))
				}
			}
		}
	}
	return f, writable, nil
}

// readHolder reads the description in a lock file (a zero Holder when there is none yet).
func readHolder(f *os.File) Holder {
	data, err := io.ReadAll(io.NewSectionReader(f, 0, 4096))
	var h Holder
	if err != nil || json.Unmarshal(data, &h) != nil {
		return Holder{}
	}
	return h
}

// self describes this run for its lock files.
func self(o Options) Holder {
	h := Holder{PID: os.Getpid(), Command: o.command(), Since: time.Now()}
	if u, err := user.Current(); err == nil {
		h.User = u.Username
	} else {
		h.User = "uid " + strconv.Itoa(os.Getuid())
	}
	h.Host, _ = os.Hostname()
	return h
}

package store

import (
	"os"
	"path/filepath"
	"time"

	"crewai-setup/store/sops"
)

// DefaultKeepBackups is how many dated backups of each file DefaultOptions keeps.
const DefaultKeepBackups = 3

// DefaultLockWait is how long DefaultOptions waits for another writer's lock before giving up.
const DefaultLockWait = 5 * time.Second

// Options says how files are written: how many backups stay, how long to wait for a lock held
// by another run, whether to hold the locks from reading to writing, and where notes go while
// the work is still under way. The package-level functions (Save, ReadFiles ...)
// use DefaultOptions; the zero Options keeps no backups and does not wait for a lock.
type Options struct {
	// KeepBackups is how many dated backups of each written file are kept, the newest first;
	// older ones are removed after a successful write. 0 keeps none (a backup is still made
	// for the duration of the write, so that a failed read-back can put the old file back).
	KeepBackups int
	// LockWait is how long to wait for a lock another run holds before refusing.
	LockWait time.Duration
	// HoldLock makes ReadFiles and ReadExisting lock the files before reading them and keep
	// them locked until Existing.Close: for a non-interactive read-modify-write, where no other
	// writer may come in between. Without it Existing.Write takes the locks only for the write itself
	// and refuses when a file changed since it was read. While held, write the files only
	// through that Existing: any other write of them waits for the lock like another run's.
	HoldLock bool
	// Command describes this run in the lock file, so that a refused run can name it
	// ("crewai-setup rotate"); "" uses the program's name and subcommand.
	Command string
	// Note, when set, receives notes while the work is under way, before any result exists:
	// today only that the run is waiting for another run's lock. It is called on the
	// goroutine doing the write.
	Note func(note string)
	// Sops runs the sops binary: SOPS files are decrypted with it when read, edited with sops
	// set, and files are encrypted with it as Encrypt says. The zero Tool runs sops from PATH
	// in the process's environment; DefaultOptions's (sops.NewTool) also checks sops's version
	// only once, for every copy of the Options.
	Sops sops.Tool
	// Encrypt, when set, encrypts the files that hold secrets before they touch the disk:
	// Save's files, and files Existing read in plaintext (see PlanEncryption). nil writes
	// plaintext; a file read encrypted stays encrypted either way.
	Encrypt *Encryption

	// hooks replace the clock and single file-system steps in tests.
	hooks *hooks
}

// hooks lets tests reach states that even root cannot provoke reliably: a rename that fails
// between two others, a read-back that fails, another writer between rename and read-back.
type hooks struct {
	now          func() time.Time
	rename       func(oldpath, newpath string) error
	afterRenames func()
	verify       func(path string, want, old []byte, sets []Set) error
}

// DefaultOptions keeps DefaultKeepBackups backups, waits DefaultLockWait for a lock and runs
// sops from PATH, checking its version once.
func DefaultOptions() Options {
	return Options{KeepBackups: DefaultKeepBackups, LockWait: DefaultLockWait, Sops: sops.NewTool()}
}

func (o Options) now() time.Time {
	if o.hooks != nil && o.hooks.now != nil {
		return o.hooks.now()
	}
	return time.Now()
}

func (o Options) rename(oldpath, newpath string) error {
	if o.hooks != nil && o.hooks.rename != nil {
		return o.hooks.rename(oldpath, newpath)
	}
	return os.Rename(oldpath, newpath)
}

func (o Options) afterRenames() {
	if o.hooks != nil && o.hooks.afterRenames != nil {
		o.hooks.afterRenames()
	}
}

func (o Options) verify(path string, want, old []byte, sets []Set) error {
	if o.hooks != nil && o.hooks.verify != nil {
		return o.hooks.verify(path, want, old, sets)
	}
	return verifyWritten(path, want, old, sets)
}

func (o Options) note(s string) {
	if o.Note != nil {
		o.Note(s)
	}
}

// command is how this run is described in a lock file: Options.Command, else the program name
// and its subcommand (never further arguments, which may name files or keys).
func (o Options) command() string {
	if o.Command != "" {
		return o.Command
	}
	if len(os.Args) == 0 {
		return "unknown"
	}
	cmd := filepath.Base(os.Args[0])
	if len(os.Args) > 1 && isWord(os.Args[1]) {
		cmd += " " + os.Args[1]
	}
	return cmd
}

// isWord reports whether s looks like a subcommand (lower-case letters and dashes), not a path.
func isWord(s string) bool {
	if s == "" || s[0] == '-' {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return true
}

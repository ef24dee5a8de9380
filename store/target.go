package store

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// maxLinkHops bounds a chain of symbolic links, as the kernel does (ELOOP).
const maxLinkHops = 40

// resolveTarget returns the file that writing path replaces: path itself, or, when path is a
// symbolic link (or a chain of them) that is safe to follow, the file it finally points to. A
// link is followed only when it belongs to the running user or root and does not sit in a
// world-writable directory that belongs to someone else (/tmp and its like), where another
// user could have planted or swapped it to send the write elsewhere; otherwise the error says
// so. A missing path is returned as it is.
func resolveTarget(path string) (string, error) {
	p := path
	for hops := 0; ; hops++ {
		// Not a link (or not there): the write itself reports any problem with p.
		if !isSymlink(p) {
			return p, nil
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return "", fmt.Errorf("write %s: %w", path, err)
		}
		if hops == maxLinkHops {
			return "", fmt.Errorf("write %s: more than %d symbolic links in a row (a loop?): point it at the real file", path, maxLinkHops)
		}
		if err := linkSafe(path, p, fi); err != nil {
			return "", err
		}
		dest, err := os.Readlink(p)
		if err != nil {
			return "", fmt.Errorf("write %s: cannot read the symbolic link %s: %w", path, p, err)
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = dest
	}
}

// resolveAbs is resolveTarget made absolute: the key under which a file is locked.
func resolveAbs(path string) (string, error) {
	target, err := resolveTarget(path)
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return abs, nil
}

// isSymlink reports whether path is a symbolic link (false when it cannot be looked at).
func isSymlink(path string) bool {
	fi, err := os.Lstat(path)
	return err == nil && fi.Mode()&os.ModeSymlink != 0
}

// linkSafe refuses to follow the symbolic link link (met on the way to path) when someone other
// than the running user or root could have made it or could replace it.
func linkSafe(path, link string, fi os.FileInfo) error {
	euid := os.Geteuid()
	uid, _, ok := ownerOf(fi)
	if !ok {
		return nil // no Unix owners on this file system: nothing to check
	}
	via := ""
	if link != path {
		via = " (met on the way to " + path + ")"
	}
	if uid != euid && uid != 0 {
		return fmt.Errorf("write %s: refused to write through the symbolic link %s%s: it belongs to %s, not to you or root, so it may have been planted to send the write to another file; check where it points (ls -l %s), then write to that file directly or remove the link",
			path, link, via, userName(uid), link)
	}
	dir := filepath.Dir(link)
	// A directory that cannot be looked at is left to the write to report.
	if dfi, serr := os.Stat(dir); serr == nil {
		if duid, _, ok := ownerOf(dfi); ok && dfi.Mode().Perm()&0o002 != 0 && duid != euid {
			return fmt.Errorf("write %s: refused to write through the symbolic link %s%s: it sits in %s, a directory every user may write to that belongs to %s, where another user can plant or swap links; write to the file it points to directly, or keep your files in a directory of your own",
				path, link, via, dir, userName(duid))
		}
	}
	return nil
}

// ownerOf returns the owner and group of a file, if the file system has Unix owners.
func ownerOf(fi os.FileInfo) (uid, gid int, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(st.Uid), int(st.Gid), true
}

// userName is a user's name for a message, or "uid N" when it has none.
func userName(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		return u.Username
	}
	return "uid " + strconv.Itoa(uid)
}

// groupName is a group's name for a message, or "gid N" when it has none.
func groupName(gid int) string {
	if g, err := user.LookupGroupId(strconv.Itoa(gid)); err == nil {
		return g.Name
	}
	return "gid " + strconv.Itoa(gid)
}

// keepOwner gives the new file f the owner and group of the file it replaces, old. Root can
// always, and must: an error is returned. Another user keeps what the system allows (the
// group, when a member of it) and gets a note, for name, saying what changed.
func keepOwner(f *os.File, old os.FileInfo, name string) (note string, err error) {
	uid, gid, ok := ownerOf(old)
	if !ok {
		return "", nil
	}
	if os.Geteuid() == 0 {
		return "", f.Chown(uid, gid)
	}
	cur, err := f.Stat()
	if err != nil {
		return "", err
	}
	cuid, cgid, _ := ownerOf(cur)
	if cuid == uid && cgid == gid {
		return "", nil
	}
	if f.Chown(uid, gid) != nil {
		_ = f.Chown(-1, gid) // allowed when the running user is a member of the group
	}
	if cur, err = f.Stat(); err != nil {
		return "", err
	}
	cuid, cgid, _ = ownerOf(cur)
	if cuid == uid && cgid == gid {
		return "", nil
	}
	return fmt.Sprintf("%s now belongs to %s:%s instead of %s:%s: only root can keep another user's ownership when rewriting a file",
		name, userName(cuid), groupName(cgid), userName(uid), groupName(gid)), nil
}

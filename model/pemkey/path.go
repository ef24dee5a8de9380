package pemkey

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"crewai-setup/guard"
)

// NormalizePath turns a path as terminals paste it into a plain path: surrounding quotes
// removed, backslash escapes undone, a leading ~ expanded, file:// URLs decoded.
func NormalizePath(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("no file name given: type or paste the path of the key file")
	}
	// Never echo pasted key text back in a "no such file" message.
	if LooksLikePEM(s) {
		return "", errors.New("this is PEM text, not a file name: give the path of the file that holds it")
	}
	if len(s) > 4096 || strings.ContainsAny(s, "\n\r") {
		return "", errors.New("this is several lines or very long text, not a file name: give the path of one file")
	}
	p, ok := pemUnshell(s)
	if !ok {
		// An unbalanced quote is more likely part of a typed name (Bob's key.pem) than
		// shell syntax, so take the text as it is.
		p = s
	}
	if len(p) >= 7 && strings.EqualFold(p[:7], "file://") {
		return pemFileURL(p)
	}
	if (p == "~" || strings.HasPrefix(p, "~/")) && !strings.HasPrefix(s, `\~`) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot expand ~ in %q: %w", s, err)
		}
		p = filepath.Join(home, p[1:])
	}
	if p == "" {
		return "", errors.New("no file name given: type or paste the path of the key file")
	}
	return p, nil
}

// pemUnshell undoes the quoting terminals apply when a file is dragged or pasted: 'single',
// "double" (with \" \\ \$ \` escapes) and backslash escapes outside quotes. A backslash
// before a letter or digit is kept, as no terminal escapes those, which leaves Windows-style
// paths intact. ok is false for an unterminated quote.
func pemUnshell(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return "", false
			}
			b.WriteString(s[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\", s[i+1]) >= 0 {
					i++
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return "", false
			}
		case c == '\\' && i+1 < len(s) && !pemIsAlnum(s[i+1]):
			i++
			b.WriteByte(s[i])
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

func pemIsAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// pemFileURL turns file:///path or file://localhost/path (percent-encoded) into a path.
func pemFileURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%q is not a valid file:// URL: give the file's path instead", s)
	}
	if u.Host != "" && !strings.EqualFold(u.Host, "localhost") {
		return "", fmt.Errorf("the file URL %q names the host %q: only files on this machine can be read, copy the key here first", s, u.Host)
	}
	if u.Path == "" {
		return "", fmt.Errorf("the file URL %q names no file: give the file's path instead", s)
	}
	return u.Path, nil
}

// ReadKeyFile reads a key file named as an operator typed or pasted it, refusing missing,
// unreadable, directory, empty and oversized files, and anything but a regular file (a FIFO,
// bash's <(...), a device), with a message saying which. Opening never blocks and at most
// guard.KeyFileLimit bytes are read; more than MaxPEMSize is refused as no key.
func ReadKeyFile(path string) ([]byte, error) {
	p, err := NormalizePath(path)
	if err != nil {
		return nil, err
	}
	data, err := guard.ReadFile(p, guard.KeyFileLimit)
	var fe *guard.FileError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("there is no file %q (%w): check the path, or drag the file into the terminal", p, pemUnwrapPath(err))
	case errors.As(err, &fe) && fe.Mode.IsDir():
		return nil, fmt.Errorf("%q is a directory, not a key file: give the path of the .pem file inside it", p)
	case errors.As(err, &fe) && errors.Is(err, guard.ErrTooLarge):
		return nil, fmt.Errorf("%q is %s, larger than any PEM key (limit %d KiB): is this the right file?", p, guard.Size(fe.Size), MaxPEMSize>>10)
	case errors.As(err, &fe):
		return nil, fmt.Errorf("%q is %s, not a regular file: save the key in a file and give that file's path "+
			"(a pipe or device could block or never end)", p, guard.Kind(fe.Mode))
	case errors.Is(err, fs.ErrPermission):
		return nil, fmt.Errorf("cannot read %q (%w): run as a user who can read it, or copy the key somewhere readable", p, pemUnwrapPath(err))
	case err != nil:
		return nil, fmt.Errorf("cannot read %q (%w): check the path and its permissions", p, pemUnwrapPath(err))
	case len(data) > MaxPEMSize:
		return nil, fmt.Errorf("%q is %s, larger than any PEM key (limit %d KiB): is this the right file?", p, guard.Size(int64(len(data))), MaxPEMSize>>10)
	case len(bytes.TrimSpace(data)) == 0:
		return nil, fmt.Errorf("%q is empty: give the .pem file GitHub downloaded when the key was generated", p)
	}
	return data, nil
}

// pemUnwrapPath drops the *fs.PathError layer, whose text repeats the path.
func pemUnwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

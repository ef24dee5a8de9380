package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"crewai-setup/guard"
	"crewai-setup/render"
)

// gitTimeout bounds every git command: a hung git (network file system, fsmonitor) must not
// hang the write.
const gitTimeout = 10 * time.Second

// ignoreSpec is a file whose backups, temporary and lock files must stay out of Git, and,
// when secret, the file itself.
type ignoreSpec struct {
	name   string // the file's name in the directory
	secret bool
}

// ignoreOutcome is what making Git ignore one directory's files did.
type ignoreOutcome struct {
	file     string   // the .gitignore created or extended ("" when none was touched)
	created  bool     // file did not exist before
	added    []string // the patterns added to it
	secrets  []string // the names of the secret files among them
	warnings []string // secrets tracked by Git, or what could not be checked or written
}

// notes describes the change to the .gitignore, if any, for a Result.
func (g ignoreOutcome) notes() []string {
	if g.file == "" {
		return nil
	}
	verb := "added to"
	if g.created {
		verb = "created with"
	}
	what := "the backups, temporary and lock files this tool makes"
	if len(g.secrets) > 0 {
		what = joinAnd(g.secrets) + " and " + what
	}
	return []string{fmt.Sprintf("%s %s the lines %s, so that Git ignores %s: commit it", g.file, verb, strings.Join(g.added, " "), what)}
}

// ignorePatterns are the .gitignore lines for a file and, for each, a name it must match.
func ignorePatterns(s ignoreSpec) (patterns, probes []string) {
	e := gitIgnoreEscape(s.name)
	if s.secret {
		patterns, probes = append(patterns, "/"+e), append(probes, s.name)
	}
	patterns = append(patterns, "/"+e+".bak-*", "/."+e+".tmp-*", "/."+e+".sops-set-*", "/."+e+".lock")
	probes = append(probes, s.name+".bak-20000101-000000", "."+s.name+".tmp-0", "."+s.name+".sops-set-0", "."+s.name+".lock")
	return patterns, probes
}

// ensureIgnored makes Git ignore, in the existing directory dir, the files of specs: the lines
// Git does not already follow are appended to dir/.gitignore (created when missing). A secret
// file Git already tracks gets a loud warning, since its secrets are in the history. Outside a
// work tree nothing happens; without git (gitPath "") only a warning says what to check.
func ensureIgnored(dir string, specs []ignoreSpec, gitPath string) ignoreOutcome {
	var out ignoreOutcome
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	ignoreFile := filepath.Join(dir, ".gitignore")
	// Git finds its work tree by looking for .git in dir and its parents (GIT_DIR and friends
	// are not passed on): without one there is no work tree, and no git process is needed.
	if findDotGit(dir) == "" {
		return out
	}
	if gitPath == "" {
		top := findDotGit(dir)
		for _, s := range specs {
			if s.secret {
				out.warnings = append(out.warnings, fmt.Sprintf("%s is inside the git work tree %s, and git is not installed, so it could not be verified that %s is ignored: make sure %s contains the line /%s",
					dir, top, s.name, ignoreFile, gitIgnoreEscape(filepath.ToSlash(s.name))))
			}
		}
		return out
	}
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	top, code, err := runGit(ctx, gitPath, dir, "rev-parse", "--show-toplevel")
	if err != nil || code != 0 {
		if found := findDotGit(dir); found != "" {
			for _, s := range specs {
				if s.secret {
					out.warnings = append(out.warnings, fmt.Sprintf("%s seems to be inside the git work tree %s, but git could not be asked whether %s is ignored (%s): make sure %s contains the line /%s",
						dir, found, s.name, gitDetail(top, err), ignoreFile, gitIgnoreEscape(s.name)))
				}
			}
		}
		return out
	}
	top = strings.TrimSpace(top)
	// Secret files first: their lines matter most to a reader of the .gitignore.
	specs = append([]ignoreSpec(nil), specs...)
	sort.SliceStable(specs, func(i, j int) bool { return specs[i].secret && !specs[j].secret })
	var patterns, probes []string
	for _, s := range specs {
		p, q := ignorePatterns(s)
		patterns, probes = append(patterns, p...), append(probes, q...)
		if !s.secret {
			continue
		}
		if _, code, err := runGit(ctx, gitPath, dir, "ls-files", "--error-unmatch", "--", s.name); err == nil && code == 0 {
			out.warnings = append(out.warnings, fmt.Sprintf("%s IS TRACKED BY GIT in the work tree %s, so the secrets in it are in the repository's history: stop tracking it with git -C %s rm --cached -- %s and commit; every secret it ever held stays readable in that history, so rotate them (crewai-setup rotate) unless the repository never left this machine",
				filepath.Join(dir, s.name), top, render.ShellWord(dir), render.ShellWord(s.name)))
		}
	}
	// --no-index: a tracked file counts as ignored when a pattern matches it, so that the
	// lines are added once, not on every run.
	var stdout, stderr bytes.Buffer
	stdin := strings.NewReader(strings.Join(probes, "\x00") + "\x00")
	code, err = runGitTo(ctx, stdin, &stdout, &stderr, gitPath, dir, "check-ignore", "--stdin", "-z", "--no-index")
	if err != nil || (code != 0 && code != 1) {
		out.warnings = append(out.warnings, fmt.Sprintf("git could not say which files in %s it ignores (%s): make sure %s contains the lines %s",
			dir, gitDetail(stderr.String(), err), ignoreFile, strings.Join(patterns, " ")))
		return out
	}
	ignored := map[string]bool{}
	for _, p := range strings.Split(stdout.String(), "\x00") {
		ignored[p] = true
	}
	var missing []string
	for i, p := range probes {
		if !ignored[p] {
			missing = append(missing, patterns[i])
		}
	}
	for _, s := range specs {
		if s.secret && !ignored[s.name] {
			out.secrets = append(out.secrets, s.name)
		}
	}
	if len(missing) == 0 {
		return out
	}
	created, err := appendGitIgnore(ignoreFile, missing)
	if err != nil {
		out.warnings = append(out.warnings, fmt.Sprintf("%s is inside the git work tree %s, and adding the lines %s to %s failed (%v): add them by hand",
			dir, top, strings.Join(missing, " "), ignoreFile, err))
		return out
	}
	out.file, out.created, out.added = ignoreFile, created, missing
	return out
}

// appendGitIgnore appends lines, under a comment, to the .gitignore at path, creating it when
// missing; it never follows a symbolic link.
func appendGitIgnore(path string, lines []string) (created bool, err error) {
	old, err := guard.ReadFile(path, guard.ValuesFileLimit)
	switch {
	case errors.Is(err, os.ErrNotExist):
		created = true
	case err != nil:
		return false, err
	}
	var b strings.Builder
	if len(old) > 0 && old[len(old)-1] != '\n' {
		b.WriteByte('\n')
	}
	b.WriteString("# crewai-setup: secrets, backups, temporary and lock files stay out of Git\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	flags := os.O_WRONLY | os.O_APPEND | os.O_CREATE | syscall.O_NOFOLLOW
	if created {
		flags |= os.O_EXCL
	}
	f, err := os.OpenFile(path, flags, 0o644) //nolint:gosec // .gitignore is meant to be read by everyone
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return false, errors.New("it is a symbolic link, which this tool does not write through")
		}
		return false, err
	}
	if created && os.Geteuid() == 0 {
		// root writing into another user's directory leaves that user's .gitignore theirs.
		if fi, err := os.Stat(filepath.Dir(path)); err == nil {
			if uid, gid, ok := ownerOf(fi); ok {
				_ = f.Chown(uid, gid)
			}
		}
	}
	_, err = f.WriteString(b.String())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return created, err
}

// runGit runs git -C dir args... and returns its combined output and exit code; err is set only
// when git could not be run at all.
func runGit(ctx context.Context, gitPath, dir string, args ...string) (string, int, error) {
	var out bytes.Buffer
	code, err := runGitTo(ctx, nil, &out, &out, gitPath, dir, args...)
	return out.String(), code, err
}

// runGitTo runs git -C dir args... reading stdin (nil for none), its output going to stdout
// and stderr, and returns its exit code; err is set only when git could not be run at all.
func runGitTo(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, gitPath, dir string, args ...string) (int, error) {
	cmd := exec.CommandContext(ctx, gitPath, append([]string{"-C", dir}, args...)...) //nolint:gosec // git found with LookPath; dir and args are ours
	// GIT_DIR and friends would make git answer about some other repository than dir's.
	cmd.Env = filterEnv(os.Environ(), "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")
	cmd.Stdin = stdin
	cmd.Stdout = stdout
	cmd.Stderr = stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return exitErr.ExitCode(), nil
	}
	if err != nil {
		return -1, err
	}
	return 0, nil
}

// filterEnv drops the named variables from env.
func filterEnv(env []string, names ...string) []string {
	kept := env[:0:0]
	for _, kv := range env {
		drop := false
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				drop = true
				break
			}
		}
		if !drop {
			kept = append(kept, kv)
		}
	}
	return kept
}

// gitDetail summarises why a git command gave no answer.
func gitDetail(out string, err error) string {
	if err != nil {
		return err.Error()
	}
	if s := strings.TrimSpace(out); s != "" {
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[:i]
		}
		return "git said: " + s
	}
	return "git gave no answer"
}

// findDotGit returns the first of dir and its parents that holds a .git directory or file, or "".
func findDotGit(dir string) string {
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// gitIgnoreEscape escapes the characters that a .gitignore pattern would treat as special.
func gitIgnoreEscape(name string) string {
	var b strings.Builder
	for i, r := range name {
		switch {
		case strings.ContainsRune(`\*?[`, r):
			b.WriteByte('\\')
		case r == ' ' && strings.TrimRight(name[i:], " ") == "":
			b.WriteByte('\\') // trailing spaces are ignored unless escaped
		}
		b.WriteRune(r)
	}
	return b.String()
}

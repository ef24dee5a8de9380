package main

import (
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"crewai-setup/internal/testtool"
	"crewai-setup/internal/toolset"
)

// asMain makes the test binary run as the script: the tests below start it with fake apt-get
// and go on a PATH of their choosing.
const asMain = "CREWAI_SETUP_TESTRUN_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		os.Exit(run(os.Args[1:], os.Stderr))
	}
	os.Exit(m.Run())
}

// fakeApt logs its arguments and "installs" tmux into the folder it lives in.
const fakeApt = `#!/bin/sh
echo "$*" >> "$FAKE_LOG.apt"
if [ "$1" = install ]; then
  for p in "$@"; do
    if [ "$p" = tmux ]; then printf '#!/bin/sh\n' > "${0%/*}/tmux"; /bin/chmod 755 "${0%/*}/tmux"; fi
  done
fi
`

// fakeGo logs its arguments; `go install` puts an executable named after the package into
// $GOBIN and `go test` logs PATH and exits 3.
const fakeGo = `#!/bin/sh
echo "$*" >> "$FAKE_LOG.go"
case "$1" in
install) name=${2%@*}; name=${name##*/}; printf '#!/bin/sh\n' > "$GOBIN/$name"; /bin/chmod 755 "$GOBIN/$name" ;;
test) echo "PATH=$PATH" >> "$FAKE_LOG.go"; exit 3 ;;
esac
`

// sandbox is a PATH folder holding links to some real tools and the fakes, a cache folder and
// a log prefix, all usable by the user nobody.
type sandbox struct {
	bin, home, log string
}

func newSandbox(t *testing.T, real ...string) *sandbox {
	t.Helper()
	top := t.TempDir()
	// t.TempDir's folders are 0700: open the way for nobody.
	for _, d := range []string{filepath.Dir(top), top} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := &sandbox{bin: filepath.Join(top, "bin"), home: filepath.Join(top, "home"), log: filepath.Join(top, "log", "calls")}
	for _, d := range []string{s.bin, s.home, filepath.Dir(s.log)} {
		if err := os.Mkdir(d, 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, 0o777); err != nil { // past the umask
			t.Fatal(err)
		}
	}
	for _, name := range real {
		if err := os.Symlink(testtool.Path(t, name), filepath.Join(s.bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	s.write(t, "go", fakeGo)
	return s
}

func (s *sandbox) write(t *testing.T, name, script string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(s.bin, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// calls returns what the fake called name logged ("" when it never ran).
func (s *sandbox) calls(name string) string {
	b, _ := os.ReadFile(s.log + "." + name)
	return string(b)
}

// run starts the script (this test binary) with args in the sandbox, as nobody when asked and
// the tests run as root, and returns its messages and exit status.
func (s *sandbox) run(t *testing.T, asNobody bool, args ...string) (string, int) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var cred *syscall.Credential
	if asNobody && os.Geteuid() == 0 {
		// The go command builds test binaries in a folder only root can enter: run a copy.
		cp := filepath.Join(filepath.Dir(s.bin), "testrun")
		if _, err := os.Stat(cp); err != nil {
			data, err := os.ReadFile(self)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(cp, data, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		self = cp
		u, err := user.Lookup("nobody")
		if err != nil {
			t.Fatalf("no user nobody to run the script as: %v", err)
		}
		uid, _ := strconv.ParseUint(u.Uid, 10, 32)
		gid, _ := strconv.ParseUint(u.Gid, 10, 32)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	cmd := exec.Command(self, args...)
	cmd.Dir = s.home
	cmd.Env = []string{asMain + "=1", "PATH=" + s.bin, "HOME=" + s.home, "XDG_CACHE_HOME=" + filepath.Join(s.home, ".cache"), "FAKE_LOG=" + s.log}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = io.Discard, &out
	err = cmd.Run()
	t.Logf("./scripts/test %s:\n%s", strings.Join(args, " "), out.String())
	if exit, ok := err.(*exec.ExitError); ok { //nolint:errorlint // Run returns *ExitError itself
		return out.String(), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("running the script: %v\n%s", err, out.String())
	}
	return out.String(), 0
}

// cacheDir is where the script puts tool's binary in the sandbox.
func (s *sandbox) cacheDir(tool string) string {
	tl, _ := toolset.Lookup(tool)
	return tl.Dir(filepath.Join(s.home, ".cache", "crewai-setup", "tools"))
}

func goBuiltNames() []string {
	var names []string
	for _, tl := range toolset.All() {
		if tl.GoInstalled() {
			names = append(names, tl.Name)
		}
	}
	return names
}

// Without root, a missing Debian package ends the run before any test or build: the script
// prints the exact apt-get line to run as root and says the Go-built tools need no root.
func TestStopsWithTheInstallLineWithoutRoot(t *testing.T) {
	testtool.NeedPostgres(t) // found outside PATH, so tmux is the only package missing below
	s := newSandbox(t, "awk", "openssl", "git")
	s.write(t, "apt-get", fakeApt)
	out, code := s.run(t, true, "-run", "X")
	if code != exitSetup {
		t.Errorf("exit status %d, want %d", code, exitSetup)
	}
	for _, want := range []string{
		"\nscripts/test:   apt-get install -y tmux\n",
		"installing them needs root",
		"(" + strings.Join(goBuiltNames(), ", ") + ", built with go install, need no root: the next run installs them)",
		"no tests were run",
	} {
		if !strings.Contains("\n"+out, want) {
			t.Errorf("the script's messages lack %q:\n%s", want, out)
		}
	}
	if got := s.calls("go") + s.calls("apt"); got != "" {
		t.Errorf("the script ran go or apt-get although it had to stop:\n%s", got)
	}
}

// Without apt-get (another distribution, or a container without it), even root is told
// which packages to install, and no test runs.
func TestStopsWithoutAptGet(t *testing.T) {
	testtool.NeedPostgres(t)
	s := newSandbox(t, "awk", "openssl", "git", "runuser")
	out, code := s.run(t, false)
	if code != exitSetup {
		t.Errorf("exit status %d, want %d", code, exitSetup)
	}
	if want := "apt-get is not available here: install the packages above with the system's package manager (on Debian: apt-get install -y tmux)"; !strings.Contains(out, want) {
		t.Errorf("the script's messages lack %q:\n%s", want, out)
	}
	if !strings.Contains(out, "tmux (Debian package tmux)") || s.calls("go") != "" {
		t.Errorf("the script did not name tmux, or ran go:\n%s\n%s", out, s.calls("go"))
	}
}

// As root, the script installs the missing package with apt-get and the Go-built tools into
// the cache (one line each, saying why), runs go test with the flags given and ./..., the
// cache first on PATH, and exits with go test's status; a second run installs nothing.
func TestInstallsWhatIsMissingThenRunsTheTests(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Fatal("this test needs root (the script installs Debian packages only as root): run the tests as root, as ./scripts/test in CI does")
	}
	testtool.NeedPostgres(t)
	s := newSandbox(t, "awk", "openssl", "git", "runuser")
	s.write(t, "apt-get", fakeApt)
	out, code := s.run(t, false, "-run", "X", "-count=1")
	if code != 3 {
		t.Errorf("exit status %d, want go test's 3\n%s", code, out)
	}
	tmux, _ := toolset.Lookup("tmux")
	if want := "scripts/test: installing tmux (Debian package tmux): " + tmux.Why + "\n"; !strings.Contains(out, want) {
		t.Errorf("no line %q in:\n%s", want, out)
	}
	if got, want := s.calls("apt"), "update -qq\ninstall -y -qq --no-install-recommends tmux\n"; got != want {
		t.Errorf("apt-get ran with\n%s\nwant\n%s", got, want)
	}
	var wantGo []string
	var dirs []string
	for _, tl := range toolset.All() {
		if !tl.GoInstalled() {
			continue
		}
		dir := s.cacheDir(tl.Name)
		line := "scripts/test: installing " + tl.Name + " " + tl.Version + " into " + dir + " (" + tl.InstallCommand() + "): " + tl.Why + "\n"
		if !strings.Contains(out, line) {
			t.Errorf("no line %q in:\n%s", line, out)
		}
		wantGo = append(wantGo, "install "+tl.Package+"@"+tl.Version)
		dirs = append(dirs, dir)
	}
	wantGo = append(wantGo, "test -run X -count=1 ./...", "PATH="+strings.Join(dirs, ":")+":"+s.bin)
	if got := strings.Split(strings.TrimSpace(s.calls("go")), "\n"); !reflect.DeepEqual(got, wantGo) {
		t.Errorf("go ran with\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantGo, "\n"))
	}

	// The second run finds everything: nothing installed, the cached tools still on PATH.
	if err := os.Remove(s.log + ".go"); err != nil {
		t.Fatal(err)
	}
	out, code = s.run(t, false, "-race", "./store/...")
	if code != 3 || strings.Contains(out, "installing") {
		t.Errorf("second run: exit status %d, messages:\n%s", code, out)
	}
	if got, want := s.calls("go"), "test -race ./store/...\nPATH="+strings.Join(dirs, ":")+":"+s.bin+"\n"; got != want {
		t.Errorf("second run: go ran with\n%s\nwant\n%s", got, want)
	}
}

// Arguments pass through in order; ./... is added unless a package is named, and always
// before -args, which hands the rest to the test binaries.
func TestGoTestArgs(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{nil, []string{"test", "./..."}},
		{[]string{"-run", "TestX", "-count=1"}, []string{"test", "-run", "TestX", "-count=1", "./..."}},
		{[]string{"-race", "./store/..."}, []string{"test", "-race", "./store/..."}},
		{[]string{"crewai-setup/render", "-v"}, []string{"test", "crewai-setup/render", "-v"}},
		{[]string{"-run", "X", "-args", "./notapackage"}, []string{"test", "-run", "X", "./...", "-args", "./notapackage"}},
	} {
		if got := goTestArgs(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("goTestArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// The README's first two commands: the wizard's runs with nothing but Go (no PATH beyond the
// go command, no terminal, no network), and the tests' is this script.
func TestReadmeCommands(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "```sh\n")
	block, _, ok2 := strings.Cut(after, "```")
	lines := strings.Split(strings.TrimSpace(block), "\n")
	if !ok || !ok2 || len(lines) != 2 {
		t.Fatalf("the README does not start with a sh block of two commands:\n%s", block)
	}
	command := func(line string) []string {
		code, _, _ := strings.Cut(line, " #")
		return strings.Fields(code)
	}
	if test := command(lines[1]); !reflect.DeepEqual(test, []string{toolset.Script}) {
		t.Errorf("the README's test command is %q, want %s", test, toolset.Script)
	}

	wizard := command(lines[0])
	if len(wizard) < 3 || wizard[0] != "go" || wizard[1] != "run" {
		t.Fatalf("the README's first command is not a go run: %q", wizard)
	}
	out := filepath.Join(t.TempDir(), "out")
	for i := range wizard {
		if wizard[i] == "--out" && i+1 < len(wizard) {
			wizard[i+1] = out
		}
	}
	goTool, err := exec.LookPath("go") // the one thing a newcomer installs by hand
	if err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, v := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS"} {
		val, err := exec.Command(goTool, "env", v).Output()
		if err != nil {
			t.Fatal(err)
		}
		env = append(env, v+"="+strings.TrimSpace(string(val)))
	}
	cmd := exec.Command(goTool, wizard[1:]...)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(env, "PATH="+filepath.Dir(goTool), "HOME="+t.TempDir(), "GOPROXY=off", "GOTOOLCHAIN=local")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s with only Go: %v\n%s", strings.Join(wizard, " "), err, msg)
	}
	for _, f := range []string{"values.yaml", "secrets.yaml", "summary.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("the README's first command wrote no %s: %v", f, err)
		}
	}
}

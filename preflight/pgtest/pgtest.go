package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"crewai-setup/internal/testtool"
	"crewai-setup/internal/toolset"
)

// Environment variables naming an existing server to use instead of a private one. The user
// must be allowed to create roles and databases; everything the harness creates is dropped.
const (
	EnvHost     = "CREWAI_SETUP_TEST_PG_HOST"
	EnvPort     = "CREWAI_SETUP_TEST_PG_PORT"     // default 5432
	EnvUser     = "CREWAI_SETUP_TEST_PG_USER"     // default postgres
	EnvPassword = "CREWAI_SETUP_TEST_PG_PASSWORD" //nolint:gosec // names the variable holding the admin user's password
)

// Password is the test role's password: every character that breaks a hand-built
// postgres:// URL or a carelessly quoted SQL literal.
const Password = `p@ss:w/rd?#%&=+ "'\ü` //nolint:gosec // a throwaway test password

// tempPrefix names the private servers' temporary directories, so stale ones can be found.
const tempPrefix = "crewai-setup-pg-"

// Server is a running PostgreSQL server with a test role and its databases.
type Server struct {
	// Host and Port are where the server listens (127.0.0.1 and a free port for a private one).
	Host string
	Port int
	// User and Password are the test role's credentials; the role is not a superuser.
	User, Password string
	// OAuthDB and WharfDB are databases the role owns.
	OAuthDB, WharfDB string
	// NoCreateDB is a database the role may connect to but not create tables in.
	NoCreateDB string
	// Version is the server's version number, e.g. "15.18".
	Version string
	// SSL reports whether the server accepts TLS (a private server never does).
	SSL bool

	adminUser, adminPassword string
	// Private servers only.
	dir, bin string
	runAs    *user.User
}

// Addr returns "host:port".
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Start returns a server ready for the tests: the one the environment names, or a private one.
func Start(ctx context.Context) (*Server, error) {
	s := &Server{Password: Password}
	if host := os.Getenv(EnvHost); host != "" {
		s.Host, s.Port = host, 5432
		if p := os.Getenv(EnvPort); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 || n > 65535 {
				return nil, fmt.Errorf("%s=%q is not a port number", EnvPort, p)
			}
			s.Port = n
		}
		s.adminUser, s.adminPassword = os.Getenv(EnvUser), os.Getenv(EnvPassword)
		if s.adminUser == "" {
			s.adminUser = "postgres"
		}
	} else if err := s.startPrivate(ctx); err != nil {
		return nil, err
	}
	if err := s.setUp(ctx); err != nil {
		return nil, errors.Join(err, s.Stop())
	}
	return s, nil
}

// Stop drops what the harness created and, for a private server, stops it and removes its files.
func (s *Server) Stop() error {
	if s.dir == "" {
		if s.User == "" {
			return nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return s.tearDown(ctx)
	}
	err := s.pgCtl("stop", "-m", "immediate", "-w", "-t", "60")
	if rmErr := os.RemoveAll(s.dir); err == nil {
		err = rmErr
	}
	return err
}

// Lazy starts a server on first use and stops it at the end; keep one in a test package's
// variables and call Stop from TestMain after m.Run.
type Lazy struct {
	once sync.Once
	srv  *Server
	err  error
}

// Get returns the server, starting it the first time, and fails the test when it cannot.
func (l *Lazy) Get(t testing.TB) *Server {
	t.Helper()
	if os.Getenv(EnvHost) == "" {
		testtool.NeedPostgres(t) // every test that needs the server fails with the install hint
	}
	l.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		l.srv, l.err = Start(ctx)
	})
	if l.err != nil {
		t.Fatalf("PostgreSQL test server: %v", l.err)
	}
	return l.srv
}

// Stop stops the server if it was started.
func (l *Lazy) Stop() {
	if l.srv != nil {
		if err := l.srv.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: stopping the PostgreSQL test server:", err)
		}
	}
}

// findBin returns the directory holding initdb and pg_ctl (see toolset.Find).
func findBin() (string, error) {
	bin, err := toolset.Find(toolset.Postgres)
	if err != nil {
		return "", fmt.Errorf("%w (or point %s, %s, %s and %s at a server where that user may create roles and databases)",
			err, EnvHost, EnvPort, EnvUser, EnvPassword)
	}
	return bin, nil
}

// startPrivate creates a data directory in a new temporary directory and starts a server on it.
func (s *Server) startPrivate(ctx context.Context) error {
	bin, err := findBin()
	if err != nil {
		return err
	}
	sweepStale(bin)
	s.bin, s.Host, s.adminUser, s.adminPassword = bin, "127.0.0.1", "postgres", randomHex(16)
	if s.dir, err = os.MkdirTemp("", tempPrefix); err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(s.dir)
		}
	}()
	// Written first, so a sweep by another test binary knows this directory is in use.
	if err := os.WriteFile(filepath.Join(s.dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		return err
	}
	if os.Geteuid() == 0 {
		// initdb and postgres refuse to run as root: run them as the postgres user.
		if s.runAs, err = user.Lookup("postgres"); err != nil {
			return errors.New("the tests run as root, and initdb refuses root, but there is no postgres user to run it as: " +
				"apt-get install -y postgresql creates it")
		}
		uid, _ := strconv.Atoi(s.runAs.Uid)
		gid, _ := strconv.Atoi(s.runAs.Gid)
		if err := os.Chown(s.dir, uid, gid); err != nil {
			return err
		}
	}
	pwfile := filepath.Join(s.dir, "pwfile")
	if err := os.WriteFile(pwfile, []byte(s.adminPassword+"\n"), 0o600); err != nil {
		return err
	}
	if s.runAs != nil {
		uid, _ := strconv.Atoi(s.runAs.Uid)
		gid, _ := strconv.Atoi(s.runAs.Gid)
		if err := os.Chown(pwfile, uid, gid); err != nil {
			return err
		}
	}
	data := filepath.Join(s.dir, "data")
	if out, err := s.run(ctx, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--pwfile="+pwfile,
		"--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return fmt.Errorf("initdb failed: %w\n%s", err, out)
	}
	conf := strings.Join([]string{"",
		"listen_addresses = '127.0.0.1'",
		"unix_socket_directories = ''", // no socket: nothing shared between parallel servers
		"ssl = off",
		"fsync = off", "synchronous_commit = off", "full_page_writes = off",
		"max_connections = 50", "shared_buffers = 16MB",
		"password_encryption = 'scram-sha-256'",
		""}, "\n")
	f, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(conf); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// A free port can be taken between choosing and binding it: try a few.
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		if s.Port, err = freePort(); err != nil {
			return err
		}
		if lastErr = s.pgCtl("start", "-w", "-t", "60", "-l", filepath.Join(s.dir, "server.log"), "-o", "-p "+strconv.Itoa(s.Port)); lastErr == nil {
			ok = true
			return nil
		}
		log, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
		if !strings.Contains(string(log), "could not bind") && !strings.Contains(string(log), "already in use") {
			break
		}
	}
	log, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
	return fmt.Errorf("pg_ctl start failed: %w\n%s", lastErr, log)
}

// pgCtl runs pg_ctl on the private server's data directory.
func (s *Server) pgCtl(args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args = append([]string{args[0], "-D", filepath.Join(s.dir, "data")}, args[1:]...)
	out, err := s.run(ctx, filepath.Join(s.bin, "pg_ctl"), args...)
	if err != nil {
		return fmt.Errorf("%w: %s", err, out)
	}
	return nil
}

// run runs a server program, as the postgres user when the tests run as root.
func (s *Server) run(ctx context.Context, prog string, args ...string) ([]byte, error) {
	if s.runAs != nil {
		runuser, err := toolset.Find("runuser")
		if err != nil {
			return nil, err
		}
		args = append([]string{"-u", s.runAs.Username, "--", prog}, args...)
		prog = runuser
	}
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = s.dir // readable by the postgres user, unlike root's home
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	return cmd.CombinedOutput()
}

// sweepStale stops and removes private servers left behind by test binaries that died
// (a test timeout panics past TestMain's cleanup).
func sweepStale(bin string) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, dir := range dirs {
		raw, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if err != nil {
			continue // being created, or not ours
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
		if err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "data", "postmaster.pid")); err == nil {
			stale := &Server{dir: dir, bin: bin}
			if os.Geteuid() == 0 {
				stale.runAs, _ = user.Lookup("postgres")
			}
			_ = stale.pgCtl("stop", "-m", "immediate", "-w", "-t", "30")
		}
		_ = os.RemoveAll(dir)
	}
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func freePort() (int, error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// admin connects as the admin user without TLS.
func (s *Server) admin(ctx context.Context, database string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig("")
	if err != nil {
		return nil, err
	}
	cfg.Host, cfg.Port, cfg.User, cfg.Password, cfg.Database = s.Host, uint16(s.Port&0xFFFF), s.adminUser, s.adminPassword, database
	cfg.TLSConfig, cfg.Fallbacks = nil, nil
	cfg.RuntimeParams = map[string]string{"application_name": "crewai-setup pgtest"}
	return pgx.ConnectConfig(ctx, cfg)
}

// setUp creates the test role and its databases, with names unique to this run so several
// test binaries can share an existing server.
func (s *Server) setUp(ctx context.Context) error {
	conn, err := s.admin(ctx, "postgres")
	if err != nil {
		return fmt.Errorf("cannot connect to the test server as %s: %w", s.adminUser, err)
	}
	defer conn.Close(ctx)
	s.Version = strings.Fields(conn.PgConn().ParameterStatus("server_version") + " ?")[0]
	var ssl string
	if err := conn.QueryRow(ctx, "SHOW ssl").Scan(&ssl); err == nil {
		s.SSL = ssl == "on"
	}
	base := "crewai_preflight_" + randomHex(4)
	s.User = base
	s.OAuthDB, s.WharfDB, s.NoCreateDB = base+"_oauth", base+"_wharf", base+"_nocreate"
	role := pgx.Identifier{s.User}.Sanitize()
	stmts := []string{
		"CREATE ROLE " + role + " LOGIN PASSWORD " + quoteLiteral(s.Password),
		"CREATE DATABASE " + pgx.Identifier{s.OAuthDB}.Sanitize() + " OWNER " + role,
		"CREATE DATABASE " + pgx.Identifier{s.WharfDB}.Sanitize() + " OWNER " + role,
		"CREATE DATABASE " + pgx.Identifier{s.NoCreateDB}.Sanitize(),
	}
	for _, q := range stmts {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("setting up the test role and databases: %w", err)
		}
	}
	// Before PostgreSQL 15 every user could create tables in public: take that away explicitly.
	nc, err := s.admin(ctx, s.NoCreateDB)
	if err != nil {
		return err
	}
	defer nc.Close(ctx)
	if _, err := nc.Exec(ctx, "REVOKE CREATE ON SCHEMA public FROM PUBLIC"); err != nil {
		return err
	}
	return nil
}

// tearDown drops the role and databases of an existing server.
func (s *Server) tearDown(ctx context.Context) error {
	conn, err := s.admin(ctx, "postgres")
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var errs []error
	for _, db := range []string{s.OAuthDB, s.WharfDB, s.NoCreateDB} {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{db}.Sanitize()+" WITH (FORCE)"); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := conn.Exec(ctx, "DROP ROLE IF EXISTS "+pgx.Identifier{s.User}.Sanitize()); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// quoteLiteral quotes s as an SQL string literal: E'...' with quotes and backslashes
// escaped, which reads the same whatever standard_conforming_strings says.
func quoteLiteral(s string) string {
	return "E'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

package preflight

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"crewai-setup/model"
	"crewai-setup/preflight/pgtest"
)

// pgAnswers are answers for the test server with the OAuth and Wharf databases on; kv
// overrides or adds values.
func pgAnswers(srv *pgtest.Server, kv ...string) *model.Answers {
	base := []string{
		"postgres.enabled", "false",
		"envVars.DB_HOST", srv.Host,
		"envVars.DB_PORT", strconv.Itoa(srv.Port),
		"envVars.DB_USER", srv.User,
		"secrets.DB_PASSWORD", srv.Password,
		"oauth.enabled", "true",
		"envVars.POSTGRES_OAUTH_DB", srv.OAuthDB,
		"postgres.wharfDatabase", srv.WharfDB,
	}
	return answers(append(base, kv...)...)
}

// The password is full of URL-special characters and works as typed; the version is reported
// and both feature databases are checked.
func TestPostgresPass(t *testing.T) {
	srv := pg.Get(t)
	r := runCheck(t, pgAnswers(srv), Options{}, "PostgreSQL")
	want(t, r, Pass, "PostgreSQL "+srv.Version, srv.OAuthDB, srv.WharfDB)
	if r.Target != srv.Addr() {
		t.Errorf("target %q, want %q", r.Target, srv.Addr())
	}
	if strings.Contains(r.Detail+r.Target, srv.Password) {
		t.Error("the password appears in the result")
	}
}

// The user may come from secrets.DB_USER, which wins over envVars.DB_USER for the platform;
// Wharf connects as envVars.DB_USER (reference: WHARF_POSTGRES_URL), so its database is tested
// as that role.
func TestPostgresSecretUser(t *testing.T) {
	srv := pg.Get(t)
	r := runCheck(t, pgAnswers(srv, "envVars.DB_USER", "someone_else", "secrets.DB_USER", srv.User, "wharf.enabled", "false"), Options{}, "PostgreSQL")
	want(t, r, Pass, "PostgreSQL "+srv.Version)
	r = runCheck(t, pgAnswers(srv, "envVars.DB_USER", "someone_else", "secrets.DB_USER", srv.User), Options{}, "PostgreSQL")
	want(t, r, Fail, "someone_else (envVars.DB_USER, as Wharf connects)")
	r = runCheck(t, pgAnswers(srv, "envVars.DB_USER", srv.User, "secrets.DB_USER", srv.User), Options{}, "PostgreSQL")
	want(t, r, Pass, "may create tables in") // the names hold the user, a secret here: redacted
}

// With neither OAuth nor Wharf on, only the login is tested (in the postgres database).
func TestPostgresLoginOnly(t *testing.T) {
	srv := pg.Get(t)
	r := runCheck(t, pgAnswers(srv, "oauth.enabled", "false", "wharf.enabled", "false"), Options{SSLMode: "disable"}, "PostgreSQL")
	want(t, r, Pass, "PostgreSQL "+srv.Version, "no TLS", "login accepted")
}

func TestPostgresWrongPassword(t *testing.T) {
	srv := pg.Get(t)
	r := runCheck(t, pgAnswers(srv, "secrets.DB_PASSWORD", srv.Password+"x"), Options{}, "PostgreSQL")
	want(t, r, Fail, "password authentication failed", "28P01", "secrets.DB_PASSWORD")
}

// PostgreSQL does not tell an unknown user from a wrong password; the message says so.
func TestPostgresUnknownUser(t *testing.T) {
	srv := pg.Get(t)
	r := runCheck(t, pgAnswers(srv, "envVars.DB_USER", "nobody_"+srv.User), Options{}, "PostgreSQL")
	want(t, r, Fail, "28P01", "unknown user")
}

func TestPostgresDNSFailure(t *testing.T) {
	srv := pg.Get(t)
	r := runCheck(t, pgAnswers(srv, "envVars.DB_HOST", "db.crewai-preflight.invalid"), Options{}, "PostgreSQL")
	want(t, r, Fail, "no such host db.crewai-preflight.invalid", "envVars.DB_HOST")
}

func TestPostgresRefused(t *testing.T) {
	srv := pg.Get(t)
	host, port := splitAddr(t, closedPort(t))
	r := runCheck(t, pgAnswers(srv, "envVars.DB_HOST", host, "envVars.DB_PORT", port), Options{}, "PostgreSQL")
	want(t, r, Fail, "connection refused", "envVars.DB_PORT")
}

// A server that accepts and never answers is reported as a timeout, within the timeout.
func TestPostgresTimeout(t *testing.T) {
	srv := pg.Get(t)
	host, port := splitAddr(t, serveTCP(t, silent))
	r := runCheck(t, pgAnswers(srv, "envVars.DB_HOST", host, "envVars.DB_PORT", port), Options{Timeout: 300 * time.Millisecond}, "PostgreSQL")
	want(t, r, Fail, "no answer from", "300ms")
	if r.Elapsed > 3*time.Second {
		t.Errorf("the check took %s despite a 300ms timeout", r.Elapsed)
	}
}

func TestPostgresMissingDatabase(t *testing.T) {
	srv := pg.Get(t)
	r := runCheck(t, pgAnswers(srv, "envVars.POSTGRES_OAUTH_DB", "no_such_db_"+srv.User), Options{}, "PostgreSQL")
	want(t, r, Fail, "PostgreSQL "+srv.Version, "no_such_db_"+srv.User, "does not exist", "envVars.POSTGRES_OAUTH_DB", "CREATE DATABASE")
	if strings.Contains(r.Detail, "may create tables in") {
		t.Error("a failing result should list only the problems")
	}
}

func TestPostgresMissingPrivilege(t *testing.T) {
	srv := pg.Get(t)
	r := runCheck(t, pgAnswers(srv, "postgres.wharfDatabase", srv.NoCreateDB), Options{}, "PostgreSQL")
	want(t, r, Fail, "may not create tables in database "+srv.NoCreateDB, "postgres.wharfDatabase", "GRANT CREATE ON SCHEMA public")
}

// sslmode=require against a server without SSL fails and says what to change.
func TestPostgresRequireWithoutSSL(t *testing.T) {
	srv := pg.Get(t)
	r := runCheck(t, pgAnswers(srv), Options{SSLMode: "require"}, "PostgreSQL")
	if srv.SSL {
		// An existing server given through the environment may have SSL on.
		want(t, r, Pass, "TLS")
		return
	}
	want(t, r, Fail, "does not support SSL", "sslmode=require", "sslmode=prefer")
}

// With verify-full, a certificate no CA vouches for is refused with a TLS message.
func TestPostgresUntrustedCertificate(t *testing.T) {
	srv := pg.Get(t)
	cfg := selfSignedTLS(t)
	addr := serveTCP(t, func(c net.Conn) {
		be := pgproto3.NewBackend(c, c)
		if msg, err := be.ReceiveStartupMessage(); err != nil {
			return
		} else if _, ok := msg.(*pgproto3.SSLRequest); !ok {
			return
		}
		_, _ = c.Write([]byte("S"))
		_ = tls.Server(c, cfg).Handshake()
	})
	host, port := splitAddr(t, addr)
	r := runCheck(t, pgAnswers(srv, "envVars.DB_HOST", host, "envVars.DB_PORT", port), Options{SSLMode: "verify-full"}, "PostgreSQL")
	want(t, r, Fail, "TLS certificate", "not signed by a CA")
}

// fakePG answers every startup with a FATAL error whose message names the user and database,
// as pg_hba.conf rejections do.
func fakePG(t *testing.T, code string) string {
	return serveTCP(t, func(c net.Conn) {
		be := pgproto3.NewBackend(c, c)
		for {
			msg, err := be.ReceiveStartupMessage()
			if err != nil {
				return
			}
			switch m := msg.(type) {
			case *pgproto3.SSLRequest, *pgproto3.GSSEncRequest:
				_, _ = c.Write([]byte("N"))
			case *pgproto3.StartupMessage:
				be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: code, Message: fmt.Sprintf(
					`no pg_hba.conf entry for host "127.0.0.1", user "%s", database "%s", no encryption`, m.Parameters["user"], m.Parameters["database"])})
				_ = be.Flush()
				return
			default:
				return
			}
		}
	})
}

// A pg_hba.conf rejection is explained, and the server's message is kept without the secret user name.
func TestPostgresHBARejection(t *testing.T) {
	srv := pg.Get(t)
	host, port := splitAddr(t, fakePG(t, "28000"))
	r := runCheck(t, pgAnswers(srv, "envVars.DB_HOST", host, "envVars.DB_PORT", port, "secrets.DB_USER", "Tq4Hz8Wn2Lx6"), Options{}, "PostgreSQL")
	want(t, r, Fail, "28000", "pg_hba.conf", "no encryption", "the user in secrets.DB_USER")
	if strings.Contains(r.Detail, "Tq4Hz8") {
		t.Errorf("the secret user name leaked: %s", r.Detail)
	}
}

func TestPostgresSkipped(t *testing.T) {
	r := runCheck(t, answers("postgres.enabled", "true", "envVars.DB_HOST", "db.example.com", "secrets.DB_PASSWORD", "x"), Options{}, "PostgreSQL")
	want(t, r, Skipped, "in-cluster")
	r = runCheck(t, answers("postgres.enabled", "false", "secrets.DB_PASSWORD", "x"), Options{}, "PostgreSQL")
	want(t, r, Skipped, "envVars.DB_HOST")
	r = runCheck(t, answers("postgres.enabled", "false", "envVars.DB_HOST", "db.example.com"), Options{}, "PostgreSQL")
	want(t, r, Skipped, "secrets.DB_PASSWORD")
	if r.Target != "db.example.com:5432" {
		t.Errorf("target %q, want the default port", r.Target)
	}
}

func TestPostgresBadSettings(t *testing.T) {
	a := answers("postgres.enabled", "false", "envVars.DB_HOST", "db.example.com", "secrets.DB_PASSWORD", "x")
	want(t, runCheck(t, a, Options{SSLMode: "verify"}, "PostgreSQL"), Fail, "unknown sslmode", "verify-full")
	a.Set("envVars.DB_PORT", "99999")
	want(t, runCheck(t, a, Options{}, "PostgreSQL"), Fail, "envVars.DB_PORT")
}

// A cancelled context ends the check at once.
func TestPostgresCancelled(t *testing.T) {
	srv := pg.Get(t)
	host, port := splitAddr(t, serveTCP(t, silent))
	ctx, cancel := context.WithCancel(context.Background())
	check := Checks(pgAnswers(srv, "envVars.DB_HOST", host, "envVars.DB_PORT", port), Options{Timeout: time.Minute})[0]
	time.AfterFunc(100*time.Millisecond, cancel)
	r := check.Run(ctx)
	if r.Status != Fail || r.Elapsed > 5*time.Second {
		t.Errorf("got %s after %s: %s", r.Status, r.Elapsed, r.Detail)
	}
}

func TestPgTLSModes(t *testing.T) {
	for _, mode := range SSLModes() {
		first, second, retry, err := pgTLS(mode, "db.example.com")
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		switch mode {
		case "disable":
			if first != nil || retry {
				t.Errorf("disable must never use TLS")
			}
		case "allow":
			if first != nil || !retry || second == nil {
				t.Errorf("allow must try without TLS, then with")
			}
		case "prefer":
			if first == nil || !retry || second != nil {
				t.Errorf("prefer must try TLS, then without")
			}
		case "require", "verify-ca":
			if first == nil || retry || !first.InsecureSkipVerify {
				t.Errorf("%s must use TLS only, checking the chain itself", mode)
			}
			if mode == "verify-ca" && first.VerifyConnection == nil {
				t.Errorf("verify-ca must verify the chain")
			}
		case "verify-full":
			if first == nil || retry || first.InsecureSkipVerify || first.ServerName != "db.example.com" {
				t.Errorf("verify-full must verify chain and name")
			}
		}
	}
}

package preflight

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"crewai-setup/model"
)

// SSLModes lists the PostgreSQL sslmode values Options.SSLMode accepts, weakest first.
func SSLModes() []string {
	return []string{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}
}

// pgTarget is what the PostgreSQL check connects to, read from the answers.
type pgTarget struct {
	host, port string
	// addr is host:port, as shown in results.
	addr           string
	user, password string
	// userShown is the user name as it may be printed: secrets.DB_USER is a secret.
	userShown string
	// dbs are the databases the enabled features need, with the key that names each.
	dbs []model.Database
}

// postgresCheck reads the database values now and connects when run; the in-cluster server
// does not exist yet at this point, so it is skipped.
func postgresCheck(a *model.Answers, e *env) func(context.Context) Result {
	t := pgTarget{host: a.Get("envVars.DB_HOST"), port: a.ValueOrDefault("envVars.DB_PORT"), password: a.Get("secrets.DB_PASSWORD")}
	t.user, t.userShown = a.DBUser(), a.DBUser()
	if _, secret := a.Lookup("secrets.DB_USER"); secret {
		t.userShown = "the user in secrets.DB_USER"
	}
	t.dbs = a.NeededDatabases()
	if t.host != "" {
		t.addr = net.JoinHostPort(t.host, t.port)
	}
	inCluster := a.Get("postgres.enabled") == "true"
	return func(ctx context.Context) Result {
		target := t.addr
		switch {
		case inCluster:
			return skip(target, "postgres.enabled is true: the in-cluster server is created at install and cannot be reached from here")
		case t.host == "":
			return skip("", "envVars.DB_HOST is not set")
		case t.password == "":
			return skip(target, "secrets.DB_PASSWORD is not set")
		}
		return e.checkPostgres(ctx, t)
	}
}

// checkPostgres connects to each database the features need and checks that the user may
// create tables there. Without such databases it connects to "postgres" to test the login.
func (e *env) checkPostgres(ctx context.Context, t pgTarget) Result {
	target := t.addr
	port, err := strconv.ParseUint(t.port, 10, 16)
	if err != nil || port == 0 {
		return fail(target, "envVars.DB_PORT must be a port number from 1 to 65535")
	}
	dbs := t.dbs
	loginOnly := len(dbs) == 0
	if loginOnly {
		dbs = []model.Database{{Name: "postgres"}}
	}
	var version, tlsUsed string
	var ok, problems []string
	for _, db := range dbs {
		// Each database is tested as the role that will connect to it: Wharf connects as
		// envVars.DB_USER even when secrets.DB_USER is set for the other components.
		t := t
		if db.User != "" && db.User != t.user {
			t.user, t.userShown = db.User, db.User+" (envVars.DB_USER, as "+db.Feature+" connects)"
		}
		cfg, err := e.pgConfig(t, uint16(port), db.Name)
		if err != nil {
			return fail(target, err.Error())
		}
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "3D000" {
				// The server checks the password before the database, so the login is fine.
				if loginOnly {
					return pass(target, "login accepted (the database postgres does not exist, so the version was not read; "+
						"no feature that needs its own database is on)")
				}
				problems = append(problems, fmt.Sprintf("database %s (%s, for %s) does not exist: create it before install with "+
					"CREATE DATABASE %s OWNER %s;", db.Name, db.Path, db.Feature, pgx.Identifier{db.Name}.Sanitize(), e.pgUserSQL(t)))
				continue
			}
			return fail(target, e.pgFailure(err, t, db.Name))
		}
		if version == "" {
			version = e.scrub(serverVersion(conn))
			if _, isTLS := conn.PgConn().Conn().(*tls.Conn); isTLS {
				tlsUsed = ", TLS"
			} else {
				tlsUsed = ", no TLS"
			}
		}
		if !loginOnly {
			if msg := e.pgCanCreate(ctx, conn, t, db); msg != "" {
				problems = append(problems, msg)
			} else {
				ok = append(ok, db.Name)
			}
		}
		_ = conn.Close(ctx)
	}
	head := "login accepted"
	if version != "" {
		head = "PostgreSQL " + version + tlsUsed
	}
	if len(problems) > 0 {
		return fail(target, head+"; "+strings.Join(problems, "; "))
	}
	if loginOnly {
		return pass(target, head+"; login accepted (no feature that needs its own database is on)")
	}
	return pass(target, head+"; may create tables in "+strings.Join(ok, ", "))
}

// pgUserSQL is the user name for SQL suggestions, or a placeholder when it is a secret.
func (e *env) pgUserSQL(t pgTarget) string {
	if t.userShown != t.user {
		return "<DB user>"
	}
	return pgx.Identifier{t.user}.Sanitize()
}

// serverVersion returns the first word of server_version ("15.18" of "15.18 (Debian ...)").
func serverVersion(conn *pgx.Conn) string {
	v := conn.PgConn().ParameterStatus("server_version")
	if f := strings.Fields(v); len(f) > 0 {
		return f[0]
	}
	return "(version not reported)"
}

// pgConfig builds the connection settings field by field, so that no value is ever parsed
// out of a URL: a password with @ : / ? # % works as typed. Everything ParseConfig may have
// taken from PG* environment variables is set explicitly.
func (e *env) pgConfig(t pgTarget, port uint16, database string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig("")
	if err != nil {
		// Only PG* environment variables can make an empty connection string fail.
		return nil, errors.New("the PG* environment variables of this shell are invalid (PGSERVICE, PGPORT, PGSSLMODE...): unset them and try again")
	}
	cfg.Host, cfg.Port = t.host, port
	cfg.User, cfg.Password, cfg.Database = t.user, t.password, database
	first, second, retry, err := pgTLS(e.opts.SSLMode, t.host)
	if err != nil {
		return nil, err
	}
	// Replace ParseConfig's fallbacks too: a stale one could connect without TLS.
	cfg.TLSConfig, cfg.Fallbacks = first, nil
	if retry {
		cfg.Fallbacks = []*pgconn.FallbackConfig{{Host: t.host, Port: port, TLSConfig: second}}
	}
	cfg.RuntimeParams = map[string]string{"application_name": "crewai-setup preflight"}
	cfg.ConnectTimeout = 0 // the check's context bounds the whole attempt
	cfg.DialFunc = (&net.Dialer{}).DialContext
	cfg.ValidateConnect, cfg.AfterConnect = nil, nil
	cfg.KerberosSrvName, cfg.KerberosSpn = "", ""
	cfg.SSLNegotiation, cfg.SSLCertMode = "", "disable"
	cfg.MinProtocolVersion, cfg.MaxProtocolVersion = "3.0", "3.0"
	cfg.ChannelBinding, cfg.RequireAuth = "prefer", ""
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol // works through PgBouncer too
	return cfg, nil
}

// pgTLS returns the TLS setting to try first (nil: without TLS) and, for allow and prefer,
// whether to try again with the other one (second), following libpq's sslmode rules.
func pgTLS(mode, host string) (first, second *tls.Config, retry bool, err error) {
	// allow, prefer and require encrypt without checking the certificate, as in libpq;
	// verify-ca checks the chain itself in VerifyConnection.
	insecure := &tls.Config{ServerName: host, InsecureSkipVerify: true, MinVersion: tls.VersionTLS12} //nolint:gosec // see above
	switch mode {
	case "disable":
		return nil, nil, false, nil
	case "allow":
		return nil, insecure, true, nil
	case "prefer":
		return insecure, nil, true, nil
	case "require":
		return insecure, nil, false, nil
	case "verify-ca":
		// Check the chain against the system's CAs but not the name, like libpq's verify-ca.
		insecure.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the server sent no certificate")
			}
			opts := x509.VerifyOptions{Intermediates: x509.NewCertPool()}
			for _, ic := range cs.PeerCertificates[1:] {
				opts.Intermediates.AddCert(ic)
			}
			_, err := cs.PeerCertificates[0].Verify(opts)
			return err
		}
		return insecure, nil, false, nil
	case "verify-full":
		return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}, nil, false, nil
	}
	return nil, nil, false, fmt.Errorf("unknown sslmode %q: use one of %s", mode, strings.Join(SSLModes(), ", "))
}

// pgFailure explains a failed connection attempt and says what to fix.
func (e *env) pgFailure(err error, t pgTarget, database string) string {
	target := t.addr
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "28P01":
			return fmt.Sprintf("password authentication failed for %s (SQLSTATE 28P01): check secrets.DB_PASSWORD and the user name "+
				"(envVars.DB_USER or secrets.DB_USER); PostgreSQL reports an unknown user the same way", t.userShown)
		case "28000":
			return fmt.Sprintf("the server refuses %s from this address (SQLSTATE 28000: %s): check that the role exists and "+
				"that pg_hba.conf (or the cloud provider's rules) allows it; if it asks for encryption, try sslmode=require",
				t.userShown, e.serverMessage(pgErr))
		case "42501":
			return fmt.Sprintf("%s may not connect to database %s (SQLSTATE 42501): GRANT CONNECT ON DATABASE %s TO %s;",
				t.userShown, database, pgx.Identifier{database}.Sanitize(), e.pgUserSQL(t))
		case "53300":
			return "the server has no free connection slots (SQLSTATE 53300): raise max_connections or close idle connections"
		case "57P03":
			return "the server is starting up or shutting down (SQLSTATE 57P03): try again in a moment"
		}
		return fmt.Sprintf("the server refused the connection (SQLSTATE %s: %s)", pgErr.Code, e.serverMessage(pgErr))
	}
	if strings.Contains(err.Error(), "server refused TLS connection") {
		return fmt.Sprintf("the server at %s does not support SSL, but sslmode=%s requires it: enable SSL on the server, "+
			"or choose sslmode=prefer (or disable) if unencrypted traffic is acceptable on this network", target, e.opts.SSLMode)
	}
	if msg := networkProblem(err, target, e.opts.Timeout, e.scrub); msg != "" {
		if strings.Contains(msg, "TLS certificate") && e.opts.SSLMode != "verify-full" && e.opts.SSLMode != "verify-ca" {
			return msg
		}
		if strings.Contains(msg, "TLS certificate") {
			return msg + " (managed databases such as RDS or Cloud SQL use their provider's CA; or use sslmode=require, which encrypts without checking the certificate)"
		}
		if strings.HasPrefix(msg, "no such host") {
			return msg + " (envVars.DB_HOST)"
		}
		if strings.HasPrefix(msg, "connection refused") {
			return msg + " (envVars.DB_PORT)"
		}
		return msg
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return fmt.Sprintf("the server's TLS certificate was refused with sslmode=%s: %s", e.opts.SSLMode, clip(e.red.foreign(certErr.Err.Error()), 200))
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	return "cannot connect: " + clip(e.red.foreign(pgErrorText(err)), 300)
}

// pgErrorText drops pgx's "failed to connect to `user=... database=...`:" prefix, which
// names the user (a secret when it comes from secrets.DB_USER).
func pgErrorText(err error) string {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) && errors.Unwrap(ce) != nil {
		return errors.Unwrap(ce).Error()
	}
	return err.Error()
}

// serverMessage is the server's own message, with secrets (such as a secret user name) removed.
func (e *env) serverMessage(pgErr *pgconn.PgError) string {
	return clip(e.red.foreign(pgErr.Message), 200)
}

// pgCanCreate tries CREATE TABLE inside a transaction that is always rolled back, so nothing
// stays behind; it returns "" when the user may create tables in the database.
func (e *env) pgCanCreate(ctx context.Context, conn *pgx.Conn, t pgTarget, db model.Database) string {
	var suffix [6]byte
	rand.Read(suffix[:])
	table := pgx.Identifier{"crewai_setup_probe_" + hex.EncodeToString(suffix[:])}.Sanitize()
	tx, err := conn.Begin(ctx)
	if err == nil {
		_, err = tx.Exec(ctx, "CREATE TABLE "+table+" (id integer)")
		if rbErr := tx.Rollback(ctx); err == nil {
			err = rbErr
		}
	}
	if err == nil {
		return ""
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "42501":
			return fmt.Sprintf("%s may not create tables in database %s (%s): in that database, as its owner, run GRANT CREATE ON SCHEMA public TO %s; "+
				"(PostgreSQL 15 stopped granting it to everyone), or make the user the owner: ALTER DATABASE %s OWNER TO %s;",
				t.userShown, db.Name, db.Path, e.pgUserSQL(t), pgx.Identifier{db.Name}.Sanitize(), e.pgUserSQL(t))
		case "25006":
			return fmt.Sprintf("database %s is read-only here (SQLSTATE 25006): envVars.DB_HOST points at a replica; use the primary", db.Name)
		case "3F000":
			return fmt.Sprintf("database %s has no schema to create tables in (SQLSTATE 3F000): create the public schema or fix the user's search_path", db.Name)
		}
		return fmt.Sprintf("creating a table in %s failed (SQLSTATE %s: %s)", db.Name, pgErr.Code, e.serverMessage(pgErr))
	}
	return fmt.Sprintf("testing table creation in %s failed: %s", db.Name, e.pgFailure(err, t, db.Name))
}

// Package pgtest gives tests a real PostgreSQL server with a role and databases set up for
// the preflight checks. Unless CREWAI_SETUP_TEST_PG_HOST names an existing server, it starts
// a private one from the PostgreSQL server binaries (Debian: apt-get install -y postgresql):
// its own data directory in a temporary directory, listening on 127.0.0.1 on a free port with
// password (scram-sha-256) authentication and no Unix socket, so several test binaries can run
// it at once. Tests never skip when the binaries are missing: they fail and say what to install.
package pgtest

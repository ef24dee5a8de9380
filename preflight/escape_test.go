package preflight

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"

	"crewai-setup/guard"
	"crewai-setup/guard/guardtest"
)

// hostileText is every hostile sequence PostgreSQL's protocol can carry (no NUL) in one string.
func hostileText() string {
	return strings.ReplaceAll(guardtest.Hostile(), "\x00", "")
}

// assertResultClean checks a result's name, target and detail: what check --connect prints
// and the wizard's Review screen shows.
func assertResultClean(t *testing.T, r Result, where string) {
	t.Helper()
	guardtest.AssertClean(t, where+" name", r.Name, false)
	guardtest.AssertClean(t, where+" target", r.Target, false)
	guardtest.AssertClean(t, where+" detail", r.Detail, false)
}

// Text that servers send back (PostgreSQL errors, an OpenID issuer, a GitHub App's name and
// slug, an HTTP error body) reaches the result only through guard.Visible.
func TestServerTextShowsEscapes(t *testing.T) {
	h := hostileText()

	t.Run("PostgreSQL error message", func(t *testing.T) {
		// The server echoes the user name in its error, as pg_hba.conf rejections do.
		addr := serveTCP(t, func(c net.Conn) {
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
					be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: "28000", Message: `no pg_hba.conf entry for user "` + m.Parameters["user"] + `" ` + h})
					_ = be.Flush()
					return
				default:
					return
				}
			}
		})
		host, port := splitAddr(t, addr)
		r := runCheck(t, answers("postgres.enabled", "false", "envVars.DB_HOST", host, "envVars.DB_PORT", port,
			"envVars.DB_USER", "u"+h, "secrets.DB_PASSWORD", "a-password"), Options{}, "PostgreSQL")
		want(t, r, Fail, "28000", `\x1b]0;pwned\x07`)
		assertResultClean(t, r, "PostgreSQL")
	})

	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration"):
			_ = json.NewEncoder(w).Encode(map[string]any{"issuer": "https://evil.example/" + h})
		case r.URL.Path == "/api/v3/app":
			_ = json.NewEncoder(w).Encode(map[string]any{"id": 4242, "slug": "slug" + h, "name": "name" + h, "owner": map[string]any{"login": "owner" + h}})
		case r.URL.Path == "/v1/models":
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": "bad key " + h}})
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	opts := Options{HTTPClient: srv.Client(), OpenAIBase: srv.URL + "/v1"}

	t.Run("OpenID issuer", func(t *testing.T) {
		r := runCheck(t, answers("envVars.AUTH_PROVIDER", "okta", "envVars.OKTA_SITE", srv.URL, "envVars.OKTA_AUTHORIZATION_SERVER", "default"), opts, "SSO (Okta)")
		want(t, r, Fail, "names its issuer", `\x1b]0;pwned\x07`)
		assertResultClean(t, r, "SSO")
	})
	t.Run("GitHub App slug and name", func(t *testing.T) {
		r := runCheck(t, gitHubAnswers(srv.URL+"/apps/x", appKey()), opts, "GitHub App")
		want(t, r, Pass, "slug"+guard.Visible(h)[:20])
		assertResultClean(t, r, "GitHub App")
	})
	t.Run("HTTP error body", func(t *testing.T) {
		r := runCheck(t, answers("envVars.BUILT_IN_LLM_PROVIDER", "openai", "secrets.BUILT_IN_LLM_API_KEY", "sk-test-key-123456"), opts, "LLM")
		want(t, r, Fail, "401", "bad key")
		assertResultClean(t, r, "LLM")
	})
	t.Run("provider name from the file", func(t *testing.T) {
		for _, c := range Checks(answers("envVars.AUTH_PROVIDER", "p"+h), opts) {
			r := c.Run(context.Background())
			assertResultClean(t, r, "unknown provider")
			guardtest.AssertClean(t, "check name", c.Name, false)
		}
	})
}

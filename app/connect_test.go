package app

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"crewai-setup/preflight/pgtest"
)

// pg is the PostgreSQL server of this test binary, started by the first test that needs it.
var pg pgtest.Lazy

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// exampleKey is the throwaway GitHub App key of the example answers.
func exampleKey(t *testing.T) (string, *rsa.PublicKey) {
	t.Helper()
	data, err := os.ReadFile("../testdata/example-github-app.pem")
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return string(data), &key.PublicKey
}

// fakeGitHub serves GET /api/v3/app over plain HTTP for the App whose key is pub: a token
// with a valid RS256 signature gets the App, anything else 401.
func fakeGitHub(t *testing.T, pub *rsa.PublicKey) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v3/app" {
			http.NotFound(w, r)
			return
		}
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		parts := strings.Split(token, ".")
		sig, _ := base64.RawURLEncoding.DecodeString(parts[len(parts)-1])
		sum := sha256.Sum256([]byte(strings.Join(parts[:len(parts)-1], ".")))
		if len(parts) != 3 || rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) != nil {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"A JSON web token could not be decoded"}`))
			return
		}
		_, _ = w.Write([]byte(`{"id":4242,"slug":"crewai-test","name":"CrewAI Test","owner":{"login":"acme"}}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// writeValues writes values.json and secrets.json (JSON is YAML, and quotes every special
// character correctly) for an external database at addr and a GitHub App, and returns their paths.
func writeValues(t *testing.T, srv *pgtest.Server, host, port, password string) []string {
	t.Helper()
	key, _ := exampleKey(t)
	dir := t.TempDir()
	values := map[string]any{
		"postgres": map[string]any{"enabled": false, "wharfDatabase": srv.WharfDB},
		"oauth":    map[string]any{"enabled": true, "secrets": map[string]any{"google": map[string]any{"clientId": "id", "clientSecret": "s"}}},
		"envVars": map[string]any{"DB_HOST": host, "DB_PORT": port, "DB_USER": srv.User, "POSTGRES_OAUTH_DB": srv.OAuthDB,
			"AUTH_PROVIDER": "local", "GITHUB_APP_ID": "4242", "GITHUB_CLIENT_ID": "Iv1.0123456789abcdef",
			"GITHUB_APP_URL": "https://github.com/apps/crewai-test/installations/new"},
	}
	secrets := map[string]any{"secrets": map[string]any{"DB_PASSWORD": password, "GITHUB_CLIENT_SECRET": "gh-client-secret",
		"GITHUB_APP_PRIVATE_KEY": key}}
	var paths []string
	for name, doc := range map[string]any{"values.json": values, "secrets.json": secrets} {
		data, _ := json.Marshal(doc)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func TestCheckConnectPass(t *testing.T) {
	srv := pg.Get(t)
	_, pub := exampleKey(t)
	gh := fakeGitHub(t, pub)
	files := writeValues(t, srv, srv.Host, strconv.Itoa(srv.Port), srv.Password)
	stdout, stderr, err := run(t, "", append([]string{"check", "--replicated", "--connect", "--github-api", gh.URL + "/api/v3"}, files...)...)
	if err != nil {
		t.Fatalf("%v\n%s%s", err, stdout, stderr)
	}
	for _, want := range []string{
		"0 error(s)",
		"pass  PostgreSQL  " + srv.Addr() + "  PostgreSQL " + srv.Version,
		"pass  GitHub App  " + gh.URL + "/api/v3/app  App \"CrewAI Test\"",
		"2 connection check(s): 2 passed, 0 failed, 0 skipped",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	// The lint output comes first.
	if strings.Index(stdout, "error(s)") > strings.Index(stdout, "pass  PostgreSQL") {
		t.Errorf("connection results printed before the lint findings:\n%s", stdout)
	}
	if strings.Contains(stdout+stderr, srv.Password) {
		t.Error("the database password was printed")
	}
}

// A wrong password fails the check: exit 1, a "connections" array in the JSON report, no secret.
func TestCheckConnectJSONFailure(t *testing.T) {
	srv := pg.Get(t)
	_, pub := exampleKey(t)
	gh := fakeGitHub(t, pub)
	wrong := "Wrong-Zq8Vn3Lp5"
	files := writeValues(t, srv, srv.Host, strconv.Itoa(srv.Port), wrong)
	stdout, stderr, err := run(t, "", append([]string{"check", "--replicated", "--format", "json", "--connect", "--github-api", gh.URL + "/api/v3"}, files...)...)
	if !errors.Is(err, ErrFindings) {
		t.Fatalf("want ErrFindings, got %v\n%s", err, stderr)
	}
	var rep struct {
		Errors      int
		Connections []struct {
			Name, Status, Target, Detail string
			ElapsedMs                    int64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if rep.Errors != 0 || len(rep.Connections) != 2 {
		t.Fatalf("report: %+v", rep)
	}
	pgRes, ghRes := rep.Connections[0], rep.Connections[1]
	if pgRes.Name != "PostgreSQL" || pgRes.Status != "fail" || !strings.Contains(pgRes.Detail, "28P01") || pgRes.Target != srv.Addr() {
		t.Errorf("PostgreSQL result: %+v", pgRes)
	}
	if ghRes.Name != "GitHub App" || ghRes.Status != "pass" {
		t.Errorf("GitHub App result: %+v", ghRes)
	}
	if strings.Contains(stdout+stderr, wrong[6:]) {
		t.Error("the password was printed")
	}
}

// --timeout bounds each check.
func TestCheckConnectTimeout(t *testing.T) {
	srv := pg.Get(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() { // accept and never answer
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	host, port, _ := net.SplitHostPort(l.Addr().String())
	files := writeValues(t, srv, host, port, srv.Password)
	_, pub := exampleKey(t)
	gh := fakeGitHub(t, pub)
	stdout, _, err := run(t, "", append([]string{"check", "--connect", "--timeout", "300ms", "--github-api", gh.URL + "/api/v3"}, files...)...)
	if !errors.Is(err, ErrFindings) {
		t.Fatalf("want ErrFindings, got %v", err)
	}
	if !strings.Contains(stdout, "fail  PostgreSQL  "+l.Addr().String()+"  no answer from") || !strings.Contains(stdout, "within 300ms") {
		t.Errorf("output:\n%s", stdout)
	}
}

// --offline reports the checks as skipped and contacts nothing.
func TestCheckOffline(t *testing.T) {
	var contacted atomic.Int32
	gh := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { contacted.Add(1) }))
	defer gh.Close()
	srv := &pgtest.Server{User: "crewai", OAuthDB: "oauth", WharfDB: "wharf", Password: "x"}
	files := writeValues(t, srv, "db.crewai-preflight.invalid", "5432", "x")
	stdout, _, err := run(t, "", append([]string{"check", "--replicated", "--connect", "--offline", "--github-api", gh.URL}, files...)...)
	if err != nil || !strings.Contains(stdout, "connection checks skipped (--offline)") || strings.Contains(stdout, "PostgreSQL") {
		t.Errorf("%v\n%s", err, stdout)
	}
	stdout, _, err = run(t, "", append([]string{"check", "--replicated", "--format", "json", "--offline", "--github-api", gh.URL}, files...)...)
	if err != nil || !strings.Contains(stdout, `"status": "skipped"`) || !strings.Contains(stdout, `"detail": "--offline: not contacted"`) {
		t.Errorf("%v\n%s", err, stdout)
	}
	if contacted.Load() != 0 {
		t.Error("--offline contacted a server")
	}
}

// Without --connect, check is the linter it was: no connection output, no "connections" key.
func TestCheckWithoutConnect(t *testing.T) {
	srv := &pgtest.Server{User: "crewai", OAuthDB: "oauth", WharfDB: "wharf"}
	files := writeValues(t, srv, "db.crewai-preflight.invalid", "5432", "x")
	stdout, _, err := run(t, "", append([]string{"check", "--replicated", "--format", "json"}, files...)...)
	if err != nil || strings.Contains(stdout, "connections") {
		t.Errorf("%v\n%s", err, stdout)
	}
	if _, _, err := run(t, "", append([]string{"check", "--connect", "--timeout", "soon"}, files...)...); !errors.Is(err, ErrUsage) {
		t.Errorf("a bad --timeout: want ErrUsage, got %v", err)
	}
}

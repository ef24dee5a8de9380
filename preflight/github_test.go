package preflight

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"crewai-setup/model"
	"crewai-setup/model/pemkey"
)

// RSA keys are slow to make: each is made once per test binary.
var (
	appKey   = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA() })
	otherKey = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA() })
)

func mustRSA() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

func pkcs1PEM(k *rsa.PrivateKey) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
}

func fingerprint(t *testing.T, k *rsa.PrivateKey) string {
	t.Helper()
	info, err := pemkey.ParseGitHubAppKey([]byte(pkcs1PEM(k)))
	if err != nil {
		t.Fatal(err)
	}
	return info.Fingerprint
}

// verifyAppJWT checks a GitHub App token as GitHub does: RS256 signature by the App's key,
// issuer, and a lifetime of at most ten minutes that started in the past.
func verifyAppJWT(token string, pub *rsa.PublicKey, wantIss int64) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return errors.New("not a JWT")
	}
	var header struct{ Alg, Typ string }
	raw, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if json.Unmarshal(raw, &header) != nil || header.Alg != "RS256" {
		return errors.New("bad header")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		return errors.New("bad signature")
	}
	var claims struct{ Iat, Exp, Iss int64 }
	raw, _ = base64.RawURLEncoding.DecodeString(parts[1])
	if err := json.Unmarshal(raw, &claims); err != nil {
		return err
	}
	now := time.Now().Unix()
	switch {
	case claims.Iss != wantIss:
		return errors.New("wrong issuer")
	case claims.Iat > now-30 || claims.Iat < now-120:
		return errors.New("iat not about a minute in the past")
	case claims.Exp-claims.Iat > 600 || claims.Exp <= now:
		return errors.New("exp more than ten minutes after iat, or past")
	}
	return nil
}

// gitHubServer is a GitHub API (Enterprise Server layout, under /api/v3) for an App with ID
// 4242 and appKey's public key; it answers with the given App ID.
func gitHubServer(t *testing.T, answerID int64) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/api/v3/app" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("Accept") != "application/vnd.github+json" {
			t.Errorf("Accept %q", r.Header.Get("Accept"))
		}
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if err := verifyAppJWT(token, &appKey().PublicKey, 4242); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"A JSON web token could not be decoded","documentation_url":"https://docs.github.com/rest"}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"id": answerID, "slug": "crewai-test", "name": "CrewAI Test", "owner": map[string]any{"login": "acme"}})
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func gitHubAnswers(appURL string, key *rsa.PrivateKey) *model.Answers {
	return answers("envVars.GITHUB_APP_ID", "4242", "envVars.GITHUB_CLIENT_ID", "Iv1.abc",
		"envVars.GITHUB_APP_URL", appURL, "secrets.GITHUB_APP_PRIVATE_KEY", pkcs1PEM(key))
}

// The API base follows a GitHub Enterprise App URL's host; the JWT verifies server-side.
func TestGitHubPass(t *testing.T) {
	srv, _ := gitHubServer(t, 4242)
	a := gitHubAnswers(srv.URL+"/github-apps/crewai-test/installations/new", appKey())
	r := runCheck(t, a, Options{HTTPClient: srv.Client()}, "GitHub App")
	want(t, r, Pass, `"CrewAI Test"`, "crewai-test", "acme", fingerprint(t, appKey()))
	if r.Target != srv.URL+"/api/v3/app" {
		t.Errorf("target %q", r.Target)
	}
}

// The chart's one-line form (literal \n) works too, and --github-api overrides the base.
func TestGitHubOneLineKeyAndOverride(t *testing.T) {
	srv, _ := gitHubServer(t, 4242)
	a := gitHubAnswers("https://github.com/apps/crewai-test/installations/new", appKey())
	a.Set("secrets.GITHUB_APP_PRIVATE_KEY", pemkey.OneLine(pkcs1PEM(appKey())))
	r := runCheck(t, a, Options{HTTPClient: srv.Client(), GitHubAPI: srv.URL + "/api/v3/"}, "GitHub App")
	want(t, r, Pass, "crewai-test")
}

// A key of another App: 401, and the message names the fingerprint of the key used.
func TestGitHubWrongKey(t *testing.T) {
	srv, _ := gitHubServer(t, 4242)
	r := runCheck(t, gitHubAnswers(srv.URL+"/apps/x", otherKey()), Options{HTTPClient: srv.Client()}, "GitHub App")
	want(t, r, Fail, "401", "does not belong to App ID 4242", fingerprint(t, otherKey()), "could not be decoded")
}

func TestGitHubIDMismatch(t *testing.T) {
	srv, _ := gitHubServer(t, 9999)
	r := runCheck(t, gitHubAnswers(srv.URL+"/apps/x", appKey()), Options{HTTPClient: srv.Client()}, "GitHub App")
	want(t, r, Fail, "ID 9999", "envVars.GITHUB_APP_ID 4242")
}

func TestGitHubNotFound(t *testing.T) {
	srv, _ := gitHubServer(t, 4242)
	r := runCheck(t, gitHubAnswers(srv.URL, appKey()), Options{HTTPClient: srv.Client(), GitHubAPI: srv.URL + "/wrong"}, "GitHub App")
	want(t, r, Fail, "404", "--github-api")
}

// A redirect to another host is not followed: the token never reaches it.
func TestGitHubRedirectElsewhere(t *testing.T) {
	other, calls := gitHubServer(t, 4242)
	front := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer front.Close()
	r := runCheck(t, gitHubAnswers(front.URL+"/apps/x", appKey()), Options{HTTPClient: front.Client()}, "GitHub App")
	want(t, r, Fail, "redirected to another host", "never sent")
	if calls.Load() != 0 {
		t.Error("the request reached the other host")
	}
}

func TestGitHubSkippedAndBadKey(t *testing.T) {
	r := runCheck(t, answers("envVars.GITHUB_APP_ID", "4242"), Options{}, "GitHub App")
	want(t, r, Skipped, "secrets.GITHUB_APP_PRIVATE_KEY")
	r = runCheck(t, answers("secrets.GITHUB_CLIENT_SECRET", "x"), Options{}, "GitHub App")
	want(t, r, Skipped, "envVars.GITHUB_APP_ID")
	r = runCheck(t, answers("envVars.GITHUB_APP_ID", "4242", "secrets.GITHUB_APP_PRIVATE_KEY", "SHA256:abc"), Options{}, "GitHub App")
	want(t, r, Fail, "secrets.GITHUB_APP_PRIVATE_KEY")
	if len(Checks(answers("envVars.AUTH_PROVIDER", "local"), Options{})) != 1 {
		t.Error("without GitHub App values there should be no GitHub App check")
	}
}

func TestGitHubAPIBase(t *testing.T) {
	for _, c := range []struct{ override, appURL, want string }{
		{"", "https://github.com/apps/x/installations/new", "https://api.github.com"},
		{"", "", "https://api.github.com"},
		{"", "https://ghe.corp.example/github-apps/x", "https://ghe.corp.example/api/v3"},
		{"", "https://octo.ghe.com/apps/x", "https://api.octo.ghe.com"},
		{"https://ghe.example/api/v3/", "https://github.com/apps/x", "https://ghe.example/api/v3"},
	} {
		if got, _ := gitHubAPI(c.override, c.appURL); got != c.want {
			t.Errorf("gitHubAPI(%q, %q) = %q, want %q", c.override, c.appURL, got, c.want)
		}
	}
}

// A key still named only by the wizard block is read from its file when the check runs;
// running the same check twice at once is safe.
func TestGitHubKeyFile(t *testing.T) {
	srv, _ := gitHubServer(t, 4242)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.pem"), []byte(pkcs1PEM(appKey())), 0o600); err != nil {
		t.Fatal(err)
	}
	a := answers("envVars.GITHUB_APP_ID", "4242", "envVars.GITHUB_APP_URL", srv.URL+"/apps/x")
	a.Dir, a.Wizard.GitHubAppPrivateKeyFile = dir, "app.pem"
	check := Checks(a, Options{HTTPClient: srv.Client()})[1]
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { want(t, check.Run(context.Background()), Pass, "crewai-test") })
	}
	wg.Wait()
	a.Wizard.GitHubAppPrivateKeyFile = "missing.pem"
	want(t, runCheck(t, a, Options{HTTPClient: srv.Client()}, "GitHub App"), Skipped, "key file")
}

package preflight

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// loggingServer is a plain-http server that records every connection and every request it
// gets; a check that sends nothing leaves both at zero.
func loggingServer(t *testing.T) (srv *httptest.Server, conns, requests *atomic.Int32, log *[]string) {
	t.Helper()
	conns, requests = &atomic.Int32{}, &atomic.Int32{}
	var mu sync.Mutex
	log = &[]string{}
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		*log = append(*log, r.Method+" "+r.URL.String()+" "+r.Header.Get("Authorization")+" "+string(body))
		mu.Unlock()
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, conns, requests, log
}

// check --connect sends no secret over plain http: an http:// Okta or Keycloak site or
// package index makes that check refused (skipped, saying why), and the server hears nothing,
// not even a connection.
func TestPlainHTTPRefused(t *testing.T) {
	srv, conns, requests, log := loggingServer(t)
	host := strings.TrimPrefix(srv.URL, "http://")
	cases := []struct {
		name, check, key string
		kv               []string
	}{
		{"Okta", "SSO (Okta)", "envVars.OKTA_SITE", []string{"envVars.AUTH_PROVIDER", "okta", "envVars.OKTA_SITE", srv.URL,
			"envVars.OKTA_AUTHORIZATION_SERVER", "default", "envVars.OKTA_CLIENT_ID", "0oa123", "secrets.OKTA_CLIENT_SECRET", "okta-secret-value"}},
		{"Keycloak", "SSO (Keycloak)", "envVars.KEYCLOAK_SITE", []string{"envVars.AUTH_PROVIDER", "keycloak", "envVars.KEYCLOAK_SITE", srv.URL + "/",
			"envVars.KEYCLOAK_REALM", "crewai", "envVars.KEYCLOAK_CLIENT_ID", "kc", "secrets.KEYCLOAK_CLIENT_SECRET", "kc-secret-value"}},
		{"package index", "Package index", "secrets.UV_DEFAULT_INDEX", []string{"secrets.UV_DEFAULT_INDEX", "http://user:index-password@" + host + "/simple/"}},
		{"package index without credentials", "Package index", "secrets.UV_DEFAULT_INDEX", []string{"secrets.UV_DEFAULT_INDEX", srv.URL + "/simple/"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCheck(t, answers(c.kv...), Options{}, c.check)
			want(t, r, Skipped, "refused", c.key, "http://", "nothing was sent", "https://")
			if strings.Contains(r.Detail+r.Target, "secret-value") || strings.Contains(r.Detail+r.Target, "index-password") {
				t.Errorf("a secret is in the result: %s %s", r.Target, r.Detail)
			}
		})
	}
	// Every check at once, as check --connect runs them.
	RunAll(context.Background(), answers(append(cases[0].kv, cases[2].kv...)...), Options{})
	if conns.Load() != 0 || requests.Load() != 0 {
		t.Errorf("the plain-http server saw %d connections and %d requests: %q", conns.Load(), requests.Load(), *log)
	}
	// The server does log what it gets: the same site over http is contacted by a check that
	// sends no secret (here, a direct request), so zero above means nothing was sent.
	resp, err := srv.Client().Get(srv.URL + "/probe")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if conns.Load() != 1 || requests.Load() != 1 {
		t.Errorf("the logging server does not log: %d connections, %d requests", conns.Load(), requests.Load())
	}
}

// recordingTransport answers every request with 404 and records where it went; for checks
// whose host cannot be a test server (api.github.com, a GitHub Enterprise host).
type recordingTransport struct {
	mu   sync.Mutex
	urls []string
}

func (rt *recordingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.urls = append(rt.urls, r.URL.String())
	rt.mu.Unlock()
	return &http.Response{StatusCode: http.StatusNotFound, Body: io.NopCloser(strings.NewReader(`{"message":"Not Found"}`)), Request: r}, nil
}

func (rt *recordingTransport) sent() []string {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]string(nil), rt.urls...)
}

// The App token goes to api.github.com for github.com App URLs. A host that looks like a
// misspelling or a look-alike of github.com gets an error and no request; a GitHub Enterprise
// Server host that is no near miss gets the token at its /api/v3; --github-api always wins.
func TestGitHubTokenOnlyWhereSafe(t *testing.T) {
	cases := []struct {
		appURL, override string
		sentTo           string // "" means: refused, nothing sent
	}{
		{"https://github.com/apps/crewai/installations/new", "", "https://api.github.com/app"},
		{"https://GitHub.com./apps/crewai", "", "https://api.github.com/app"},
		{"https://www.github.com/apps/crewai", "", "https://api.github.com/app"},
		{"https://github.acme-corp.example/github-apps/crewai", "", "https://github.acme-corp.example/api/v3/app"},
		{"https://ghe.example.org/github-apps/crewai", "", "https://ghe.example.org/api/v3/app"},
		{"https://git.internal:8443/github-apps/crewai", "", "https://git.internal:8443/api/v3/app"},
		{"https://github.internal/github-apps/crewai", "", "https://github.internal/api/v3/app"},
		{"https://github.corp/github-apps/crewai", "", "https://github.corp/api/v3/app"},
		{"https://octo.ghe.com/apps/crewai", "", "https://api.octo.ghe.com/app"},
		{"https://gihtub.com/apps/crewai", "", ""},
		{"https://github.co/apps/crewai", "", ""},
		{"https://githu8.com/apps/crewai", "", ""},
		{"https://gthub.com/apps/crewai", "", ""},
		{"https://githubb.com/apps/crewai", "", ""},
		{"https://www.gituhb.com/apps/crewai", "", ""},
		{"https://github.cm/apps/crewai", "", ""},
		{"https://g1thub.com/apps/crewai", "", ""},
		{"https://gіthub.com/apps/crewai", "", ""},        // Cyrillic і
		{"https://xn--gthub-n2e.com/apps/crewai", "", ""}, // the same, as IDNA
		{"https://github.com.evil.example/apps/crewai", "", ""},
		{"https://github.org/apps/crewai", "", ""},
		{"https://github.co.uk/apps/crewai", "", ""},
		{"https://gihtub.com/apps/crewai", "https://gihtub.com/api/v3", "https://gihtub.com/api/v3/app"},
	}
	for _, c := range cases {
		t.Run(c.appURL+" "+c.override, func(t *testing.T) {
			rt := &recordingTransport{}
			opts := Options{HTTPClient: &http.Client{Transport: rt}, GitHubAPI: c.override}
			r := runCheck(t, gitHubAnswers(c.appURL, appKey()), opts, "GitHub App")
			sent := rt.sent()
			if c.sentTo == "" {
				want(t, r, Fail, "looks like a misspelling of github.com", "was not sent", "--github-api")
				if len(sent) != 0 {
					t.Errorf("requests were sent: %v", sent)
				}
				return
			}
			if len(sent) != 1 || sent[0] != c.sentTo {
				t.Errorf("sent to %v, want %s (result: %s %s)", sent, c.sentTo, r.Status, r.Detail)
			}
		})
	}
}

func TestNearGitHub(t *testing.T) {
	for host, want := range map[string]bool{
		"github.com": false, "api.github.com": false, "gist.github.com": false, "github.ibm.com": false,
		"github.mycompany.com": false, "ghe.io": false, "gitlab.example.com": false, "127.0.0.1": false,
		"code.example.net": false, "github-enterprise.example.com": false,
		"github.internal": false, "github.corp": false, "github.local": false, "github.lan": false,
		"github.home.arpa": false, "github.xyz": true, "github.co.uk": true, "github.de": true,
		"gihtub.com": true, "githib.com": true, "guthib.com": true, "github.net": true, "github.io": true,
		"githuh.com": true, "gitbub.com": true, "myorg-github.com": false, "glthub.com": true, "githud.com": true,
	} {
		if got := nearGitHub(host); got != want {
			t.Errorf("nearGitHub(%q) = %v, want %v", host, got, want)
		}
	}
	if d, ok := punycodeDecode("gthub-n2e"); !ok || d != "gіthub" {
		t.Errorf("punycodeDecode = %q, %v", d, ok)
	}
	for _, bad := range []string{"!!", "zzzzzzzzzzzzzzzzzzzzzzzz9", "a-"} {
		if d, ok := punycodeDecode(bad); ok && bad != "a-" {
			t.Errorf("punycodeDecode(%q) = %q, accepted", bad, d)
		}
	}
}

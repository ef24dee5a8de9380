package preflight

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The index user and password hold characters that must be percent-encoded in the URL.
const (
	indexUser     = "cust@mer"
	indexPassword = "Yw3:Ko8/Qe?1#"
)

// indexServer is a private simple index: HTML at /simple/, JSON at /json/simple/, basic auth
// required everywhere.
func indexServer(t *testing.T) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != indexUser || p != indexPassword {
			w.Header().Set("WWW-Authenticate", `Basic realm="index"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/simple/":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`<!DOCTYPE html><html><body><a href="/simple/crewai/">crewai</a><a href="/simple/crewai-tools/">crewai-tools</a></body></html>`))
		case "/json/simple/":
			w.Header().Set("Content-Type", "application/vnd.pypi.simple.v1+json")
			_, _ = w.Write([]byte(`{"meta":{"api-version":"1.1"},"projects":[{"name":"crewai"}]}`))
		case "/login/":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`<html><body>Sign in</body></html>`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// indexURL puts the credentials into the server's URL, percent-encoded, as the chart wants.
func indexURL(srv *httptest.Server, user, password, path string) string {
	u, _ := url.Parse(srv.URL + path)
	u.User = url.UserPassword(user, password)
	return u.String()
}

func TestIndex(t *testing.T) {
	srv := indexServer(t)
	opts := Options{HTTPClient: srv.Client()}
	r := runCheck(t, answers("secrets.UV_DEFAULT_INDEX", indexURL(srv, indexUser, indexPassword, "/simple/")), opts, "Package index")
	want(t, r, Pass, "simple index (HTML) with 2 links", "credentials accepted")
	if r.Target != srv.URL+"/simple/" {
		t.Errorf("target %q shows more than the URL without credentials", r.Target)
	}
	r = runCheck(t, answers("secrets.UV_DEFAULT_INDEX", indexURL(srv, indexUser, indexPassword, "/json/simple/")), opts, "Package index")
	want(t, r, Pass, "simple index (JSON, API 1.1) with 1 projects")

	r = runCheck(t, answers("secrets.UV_DEFAULT_INDEX", indexURL(srv, indexUser, "wrong", "/simple/")), opts, "Package index")
	want(t, r, Fail, "refused the credentials (401)", "secrets.UV_DEFAULT_INDEX")
	r = runCheck(t, answers("secrets.UV_DEFAULT_INDEX", indexURL(srv, indexUser, indexPassword, "/pypi/")), opts, "Package index")
	want(t, r, Fail, "404", "/simple/")
	r = runCheck(t, answers("secrets.UV_DEFAULT_INDEX", indexURL(srv, indexUser, indexPassword, "/login/")), opts, "Package index")
	want(t, r, Fail, "not a simple index")
	r = runCheck(t, answers("secrets.UV_DEFAULT_INDEX", indexURL(srv, indexUser, indexPassword, "/simple/")+"?token=x"), opts, "Package index")
	want(t, r, Fail, "query string")
	r = runCheck(t, answers("secrets.UV_DEFAULT_INDEX", "https://u:p@[::1"), opts, "Package index")
	want(t, r, Fail, "not a URL")
	if strings.Contains(r.Detail, "u:p") {
		t.Error("the unparsable URL was echoed")
	}
}

// A redirect to another host is refused before the credentials go there.
func TestIndexRedirect(t *testing.T) {
	var reached bool
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true }))
	defer other.Close()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/simple" {
			http.Redirect(w, r, "/simple/", http.StatusMovedPermanently) // same host: followed
			return
		}
		http.Redirect(w, r, other.URL+"/simple/", http.StatusFound)
	}))
	defer srv.Close()
	r := runCheck(t, answers("secrets.UV_DEFAULT_INDEX", indexURL(srv, indexUser, indexPassword, "/simple")), Options{HTTPClient: srv.Client()}, "Package index")
	want(t, r, Fail, "redirected to another host")
	if reached {
		t.Error("the other host was contacted")
	}
}

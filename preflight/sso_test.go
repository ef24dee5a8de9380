package preflight

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

const (
	goodClientID = "client-0oa1"
	goodSecret   = "Gk5Rw1Mz8Pq3"
	tenantID     = "72f988bf-86f1-41af-91ab-2d7cd011db47"
)

// idp is a fake identity provider: discovery documents for each provider's layout and a token
// endpoint that answers like the real one (style) for right and wrong client credentials. Its
// settings are fixed before it starts, so handlers read them without races.
type idp struct {
	idpConfig
	srv         *httptest.Server
	tokenCalls  atomic.Int32
	lastAuthHow atomic.Value
}

type idpConfig struct {
	// style is okta, keycloak, entra or auth0.
	style string
	// issuer overrides the issuer the discovery document names; "base" means the server's URL.
	issuer string
	// tokenURL overrides the token endpoint the discovery document names; a path is on this server.
	tokenURL string
	// redirectTo is where /redirect/token sends requests.
	redirectTo string
	// methods are the token endpoint auth methods listed (default basic and post).
	methods []string
}

func newIDP(t *testing.T, cfg idpConfig) *idp {
	p := &idp{idpConfig: cfg}
	p.srv = httptest.NewUnstartedServer(http.HandlerFunc(p.serve(t)))
	p.srv.StartTLS()
	t.Cleanup(p.srv.Close)
	return p
}

func (p *idp) serve(t *testing.T) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		base := p.srv.URL
		if issuer, ok := strings.CutSuffix(r.URL.Path, "/.well-known/openid-configuration"); ok {
			if p.style == "entra" && !strings.Contains(issuer, tenantID) {
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"error":"invalid_tenant","error_description":"AADSTS90002: Tenant 'x' not found."}`))
				return
			}
			if issuer == "/oauth2/missing" {
				http.NotFound(w, r)
				return
			}
			iss := base + issuer
			if p.style == "auth0" {
				iss = base + "/"
			}
			switch p.issuer {
			case "":
			case "base":
				iss = base
			default:
				iss = p.issuer
			}
			tok := base + issuer + "/token"
			if strings.HasPrefix(p.tokenURL, "/") {
				tok = base + p.tokenURL
			} else if p.tokenURL != "" {
				tok = p.tokenURL
			}
			methods := p.methods
			if methods == nil {
				methods = []string{"client_secret_basic", "client_secret_post"}
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"issuer": iss, "token_endpoint": tok, "token_endpoint_auth_methods_supported": methods})
			return
		}
		if r.URL.Path == "/redirect/token" {
			http.Redirect(w, r, p.redirectTo, http.StatusTemporaryRedirect)
			return
		}
		if !strings.HasSuffix(r.URL.Path, "/token") || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		p.tokenCalls.Add(1)
		if r.URL.RawQuery != "" {
			t.Errorf("token request with a query string: %q", r.URL.RawQuery)
		}
		_ = r.ParseForm()
		id, secret, basic := r.BasicAuth()
		how := "basic"
		if !basic {
			id, secret, how = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret"), "post"
		}
		p.lastAuthHow.Store(how)
		if r.PostForm.Get("grant_type") != "client_credentials" {
			t.Errorf("grant_type %q", r.PostForm.Get("grant_type"))
		}
		good := id == goodClientID && secret == goodSecret
		w.Header().Set("Content-Type", "application/json")
		switch p.style {
		case "okta":
			if !good {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"Client authentication failed."}`))
				return
			}
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"unauthorized_client","error_description":"The client is not authorized to use the provided grant type."}`))
		case "keycloak":
			w.WriteHeader(http.StatusUnauthorized)
			if !good {
				_, _ = w.Write([]byte(`{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}`))
				return
			}
			_, _ = w.Write([]byte(`{"error":"unauthorized_client","error_description":"Client not enabled to retrieve service account"}`))
		case "entra":
			if r.PostForm.Get("scope") != "https://graph.microsoft.com/.default" {
				t.Errorf("Entra scope %q", r.PostForm.Get("scope"))
			}
			switch {
			case id != goodClientID:
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"error":"unauthorized_client","error_description":"AADSTS700016: Application not found.","error_codes":[700016]}`))
			case !good:
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}`))
			default:
				_, _ = w.Write([]byte(`{"token_type":"Bearer","access_token":"eyJ.test.token","expires_in":3599}`))
			}
		case "auth0":
			if !good {
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"error":"access_denied","error_description":"Unauthorized"}`))
				return
			}
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"error":"unauthorized_client","error_description":"Grant type 'client_credentials' not allowed for the client."}`))
		}
	}
}

// host is the fake provider's host:port, for the providers configured by domain.
func (p *idp) host() string { return strings.TrimPrefix(p.srv.URL, "https://") }

func ssoAnswers(p *idp, id, secret string) (a []string) {
	switch p.style {
	case "okta":
		return []string{"envVars.AUTH_PROVIDER", "okta", "envVars.OKTA_SITE", p.srv.URL, "envVars.OKTA_AUTHORIZATION_SERVER", "default",
			"envVars.OKTA_CLIENT_ID", id, "secrets.OKTA_CLIENT_SECRET", secret}
	case "keycloak":
		return []string{"envVars.AUTH_PROVIDER", "keycloak", "envVars.KEYCLOAK_SITE", p.srv.URL + "/", "envVars.KEYCLOAK_REALM", "crewai",
			"envVars.KEYCLOAK_CLIENT_ID", id, "secrets.KEYCLOAK_CLIENT_SECRET", secret}
	case "entra":
		return []string{"envVars.AUTH_PROVIDER", "entra_id", "envVars.ENTRA_ID_TENANT_ID", tenantID,
			"envVars.ENTRA_ID_CLIENT_ID", id, "secrets.ENTRA_ID_CLIENT_SECRET", secret}
	case "auth0":
		return []string{"envVars.AUTH_PROVIDER", "auth0", "envVars.AUTH0_DOMAIN", p.host(),
			"envVars.AUTH0_CLIENT_ID", id, "secrets.AUTH0_CLIENT_SECRET", secret}
	}
	return nil
}

func ssoOpts(p *idp) Options { return Options{HTTPClient: p.srv.Client(), EntraBase: p.srv.URL} }

var ssoNames = map[string]string{"okta": "SSO (Okta)", "keycloak": "SSO (Keycloak)", "entra": "SSO (Entra ID)", "auth0": "SSO (Auth0)"}

// Each provider's layout: right credentials are accepted, a wrong secret is refused.
func TestSSOProviders(t *testing.T) {
	for _, style := range []string{"okta", "keycloak", "entra", "auth0"} {
		t.Run(style, func(t *testing.T) {
			p := newIDP(t, idpConfig{style: style})
			r := runCheck(t, answers(ssoAnswers(p, goodClientID, goodSecret)...), ssoOpts(p), ssoNames[style])
			want(t, r, Pass, "issuer https://127.0.0.1", "client ID and secret accepted")
			if !strings.HasSuffix(r.Target, "/.well-known/openid-configuration") {
				t.Errorf("target %q", r.Target)
			}
			r = runCheck(t, answers(ssoAnswers(p, goodClientID, "wrong-"+goodSecret)...), ssoOpts(p), ssoNames[style])
			want(t, r, Fail, "refused the client credentials")
		})
	}
}

func TestSSOEntraUnknownClientAndTenant(t *testing.T) {
	p := newIDP(t, idpConfig{style: "entra"})
	r := runCheck(t, answers(ssoAnswers(p, "00000000-0000-0000-0000-000000000000", goodSecret)...), ssoOpts(p), "SSO (Entra ID)")
	want(t, r, Fail, "not registered in this tenant")
	a := answers(ssoAnswers(p, goodClientID, goodSecret)...)
	a.Set("envVars.ENTRA_ID_TENANT_ID", "11111111-2222-3333-4444-555555555555")
	want(t, runCheck(t, a, ssoOpts(p), "SSO (Entra ID)"), Fail, "does not know this tenant", "envVars.ENTRA_ID_TENANT_ID")
}

// A provider that only accepts client_secret_post is tried that way.
func TestSSOPostOnly(t *testing.T) {
	p := newIDP(t, idpConfig{style: "okta", methods: []string{"client_secret_post"}})
	r := runCheck(t, answers(ssoAnswers(p, goodClientID, goodSecret)...), ssoOpts(p), "SSO (Okta)")
	want(t, r, Pass, "accepted")
	if p.lastAuthHow.Load() != "post" {
		t.Errorf("authenticated with %v, want post", p.lastAuthHow.Load())
	}
}

func TestSSOIssuerMismatch(t *testing.T) {
	p := newIDP(t, idpConfig{style: "keycloak", issuer: "https://keycloak.internal:8443/realms/crewai"})
	r := runCheck(t, answers(ssoAnswers(p, goodClientID, goodSecret)...), ssoOpts(p), "SSO (Keycloak)")
	want(t, r, Fail, "keycloak.internal:8443", p.srv.URL+"/realms/crewai", "envVars.KEYCLOAK_SITE")
	if p.tokenCalls.Load() != 0 {
		t.Error("the secret was sent although the issuer is wrong")
	}
}

func TestSSONotFound(t *testing.T) {
	p := newIDP(t, idpConfig{style: "okta"})
	a := answers(ssoAnswers(p, goodClientID, goodSecret)...)
	a.Set("envVars.OKTA_AUTHORIZATION_SERVER", "missing")
	want(t, runCheck(t, a, ssoOpts(p), "SSO (Okta)"), Fail, "404", "envVars.OKTA_AUTHORIZATION_SERVER")
}

// A token endpoint on another host never receives the secret, listed or reached by redirect.
func TestSSOSecretStaysOnHost(t *testing.T) {
	other := newIDP(t, idpConfig{style: "okta"})
	p := newIDP(t, idpConfig{style: "okta", tokenURL: other.srv.URL + "/oauth2/default/token"})
	r := runCheck(t, answers(ssoAnswers(p, goodClientID, goodSecret)...), ssoOpts(p), "SSO (Okta)")
	want(t, r, Pass, "another host", "not sent")

	p = newIDP(t, idpConfig{style: "okta", tokenURL: "/redirect/token", redirectTo: other.srv.URL + "/oauth2/default/token"})
	r = runCheck(t, answers(ssoAnswers(p, goodClientID, goodSecret)...), ssoOpts(p), "SSO (Okta)")
	want(t, r, Pass, "not confirmed", "redirected to another host")
	if other.tokenCalls.Load() != 0 {
		t.Error("the secret reached another host")
	}
}

func TestSSOWorkOSAndSkips(t *testing.T) {
	p := newIDP(t, idpConfig{style: "okta", issuer: "base"})
	a := answers("envVars.AUTH_PROVIDER", "workos", "envVars.WORKOS_AUTHKIT_DOMAIN", p.host(), "secrets.WORKOS_API_KEY", "sk_test_x")
	want(t, runCheck(t, a, ssoOpts(p), "SSO (WorkOS)"), Pass, "issuer https://"+p.host())

	want(t, runCheck(t, answers("envVars.AUTH_PROVIDER", "okta"), Options{}, "SSO (Okta)"), Skipped, "envVars.OKTA_SITE")
	want(t, runCheck(t, answers("envVars.AUTH_PROVIDER", "pingone"), Options{}, "SSO (pingone)"), Skipped, "pingone")
	for _, c := range Checks(answers("envVars.AUTH_PROVIDER", "local"), Options{}) {
		if strings.HasPrefix(c.Name, "SSO") {
			t.Error("local accounts need no SSO check")
		}
	}
}

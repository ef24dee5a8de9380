package preflight

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"crewai-setup/model"
)

// ssoTarget is what the SSO check needs for one provider, read from the answers.
type ssoTarget struct {
	label string
	// discovery is the OpenID configuration URL and issuer the issuer it must name.
	discovery, issuer string
	// foldIssuer compares the issuer case-insensitively (Entra writes tenant IDs in lower case).
	foldIssuer bool
	// missing names a required key that is not set.
	missing string
	// clientID and secret are checked at the token endpoint when both are set.
	clientID, secret, idKey, secretKey string
	// scope is sent with the client-credentials request when the provider requires one.
	scope string
	// hint names the keys to check when the discovery document is not found.
	hint string
	// siteKey names the key the discovery URL is built from when the operator chose its
	// scheme (Okta, Keycloak): a plain http:// site is refused before anything is sent.
	siteKey string
}

// ssoCheck returns the check's name and function for the chosen provider, or nil when no SSO
// provider applies (none chosen, or local accounts).
func ssoCheck(a *model.Answers, e *env) (string, func(context.Context) Result) {
	provider := a.Get("envVars.AUTH_PROVIDER")
	if provider == "" || provider == "local" {
		return "", nil
	}
	t, known := ssoTargetFor(a, provider, e.opts.EntraBase)
	name := "SSO (" + t.label + ")"
	return name, func(ctx context.Context) Result {
		switch {
		case !known:
			return skip("", fmt.Sprintf("no sign-in check for provider %q", provider))
		case t.missing != "":
			return skip("", t.missing+" is not set")
		}
		return e.checkSSO(ctx, t)
	}
}

func ssoTargetFor(a *model.Answers, provider, entraBase string) (ssoTarget, bool) {
	need := func(t *ssoTarget, paths ...string) {
		for _, p := range paths {
			if _, ok := a.Lookup(p); !ok && t.missing == "" {
				t.missing = p
			}
		}
	}
	site := func(path string) string { return strings.TrimRight(a.Get(path), "/") }
	var t ssoTarget
	// The key paths ("secrets.OKTA_CLIENT_SECRET") name secrets; they hold none (gosec G101).
	switch provider {
	case "okta":
		t = ssoTarget{label: "Okta", clientID: a.Get("envVars.OKTA_CLIENT_ID"), secret: a.Get("secrets.OKTA_CLIENT_SECRET"), //nolint:gosec // G101, see above
			idKey: "envVars.OKTA_CLIENT_ID", secretKey: "secrets.OKTA_CLIENT_SECRET", hint: "envVars.OKTA_SITE and envVars.OKTA_AUTHORIZATION_SERVER",
			siteKey: "envVars.OKTA_SITE"}
		need(&t, "envVars.OKTA_SITE", "envVars.OKTA_AUTHORIZATION_SERVER")
		t.issuer = site("envVars.OKTA_SITE") + "/oauth2/" + url.PathEscape(a.Get("envVars.OKTA_AUTHORIZATION_SERVER"))
		t.discovery = t.issuer + "/.well-known/openid-configuration"
	case "keycloak":
		t = ssoTarget{label: "Keycloak", clientID: a.Get("envVars.KEYCLOAK_CLIENT_ID"), secret: a.Get("secrets.KEYCLOAK_CLIENT_SECRET"),
			idKey: "envVars.KEYCLOAK_CLIENT_ID", secretKey: "secrets.KEYCLOAK_CLIENT_SECRET", hint: "envVars.KEYCLOAK_SITE (servers migrated from before Keycloak 17 may need /auth) and envVars.KEYCLOAK_REALM",
			siteKey: "envVars.KEYCLOAK_SITE"}
		need(&t, "envVars.KEYCLOAK_SITE", "envVars.KEYCLOAK_REALM")
		t.issuer = site("envVars.KEYCLOAK_SITE") + "/realms/" + url.PathEscape(a.Get("envVars.KEYCLOAK_REALM"))
		t.discovery = t.issuer + "/.well-known/openid-configuration"
	case "entra_id":
		t = ssoTarget{label: "Entra ID", clientID: a.Get("envVars.ENTRA_ID_CLIENT_ID"), secret: a.Get("secrets.ENTRA_ID_CLIENT_SECRET"), //nolint:gosec // G101, see above
			idKey: "envVars.ENTRA_ID_CLIENT_ID", secretKey: "secrets.ENTRA_ID_CLIENT_SECRET", hint: "envVars.ENTRA_ID_TENANT_ID", foldIssuer: true,
			scope: "https://graph.microsoft.com/.default"}
		need(&t, "envVars.ENTRA_ID_TENANT_ID")
		t.issuer = strings.TrimRight(entraBase, "/") + "/" + url.PathEscape(a.Get("envVars.ENTRA_ID_TENANT_ID")) + "/v2.0"
		t.discovery = t.issuer + "/.well-known/openid-configuration"
	case "workos":
		// WorkOS's API key is not an OAuth client secret: only the AuthKit domain is checked.
		t = ssoTarget{label: "WorkOS", hint: "envVars.WORKOS_AUTHKIT_DOMAIN"}
		need(&t, "envVars.WORKOS_AUTHKIT_DOMAIN")
		t.issuer = "https://" + a.Get("envVars.WORKOS_AUTHKIT_DOMAIN")
		t.discovery = t.issuer + "/.well-known/openid-configuration"
	case "auth0":
		t = ssoTarget{label: "Auth0", clientID: a.Get("envVars.AUTH0_CLIENT_ID"), secret: a.Get("secrets.AUTH0_CLIENT_SECRET"), //nolint:gosec // G101, see above
			idKey: "envVars.AUTH0_CLIENT_ID", secretKey: "secrets.AUTH0_CLIENT_SECRET", hint: "envVars.AUTH0_DOMAIN"}
		need(&t, "envVars.AUTH0_DOMAIN")
		t.issuer = "https://" + a.Get("envVars.AUTH0_DOMAIN") + "/"
		t.discovery = t.issuer + ".well-known/openid-configuration"
	default:
		return ssoTarget{label: provider}, false
	}
	return t, true
}

// oidcConfig is the part of an OpenID discovery document the check reads.
type oidcConfig struct {
	Issuer        string   `json:"issuer"`
	TokenEndpoint string   `json:"token_endpoint"`
	AuthMethods   []string `json:"token_endpoint_auth_methods_supported"`
	// Error fields: Entra answers an unknown tenant with an OAuth error instead.
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func (e *env) checkSSO(ctx context.Context, t ssoTarget) Result {
	u, err := url.Parse(t.discovery)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fail(t.discovery, "the discovery URL is not a valid http(s) URL: check "+t.hint)
	}
	target := publicURL(u)
	if u.Scheme == "http" && t.siteKey != "" {
		return skip(target, "refused: "+t.siteKey+" is a plain http:// address, so the client secret (and the platform's "+
			"sign-ins) would cross the network unencrypted; nothing was sent: use the provider's https:// address")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fail(target, "the discovery URL is not usable: check "+t.hint)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := do(e.http.open, req)
	if err != nil {
		return fail(target, e.httpFailure(err, u))
	}
	var doc oidcConfig
	jsonErr := json.Unmarshal(resp.body, &doc)
	switch {
	case doc.Error == "invalid_tenant" || strings.Contains(doc.Description, "AADSTS90002"):
		return fail(target, "Entra ID does not know this tenant: check envVars.ENTRA_ID_TENANT_ID (Directory (tenant) ID on the App registration's Overview)")
	case resp.status == http.StatusNotFound:
		return fail(target, fmt.Sprintf("no OpenID configuration here (404): check %s", t.hint))
	case resp.status != http.StatusOK:
		return fail(target, fmt.Sprintf("the provider answered HTTP %d to the discovery request: check %s", resp.status, t.hint))
	case jsonErr != nil || doc.Issuer == "":
		return fail(target, "the answer is not an OpenID configuration (a login page or proxy?): check "+t.hint)
	}
	if !sameIssuer(doc.Issuer, t.issuer, t.foldIssuer) {
		return fail(target, fmt.Sprintf("the provider names its issuer %s, but the platform will expect %s: check %s "+
			"(and, for Keycloak, its hostname setting)", clip(e.red.foreign(doc.Issuer), 200), t.issuer, t.hint))
	}
	found := "issuer " + e.scrub(doc.Issuer)
	if t.clientID == "" || t.secret == "" {
		if t.secretKey == "" {
			return pass(target, found+" (the "+t.label+" API key is not checked here)")
		}
		return pass(target, found+" (client ID or secret not set, so the client was not checked)")
	}
	ok, note := e.checkClient(ctx, t, doc, u)
	if !ok {
		return fail(target, found+"; "+note)
	}
	return pass(target, found+"; "+note)
}

// sameIssuer compares issuers, ignoring one trailing slash.
func sameIssuer(got, want string, fold bool) bool {
	got, want = strings.TrimSuffix(got, "/"), strings.TrimSuffix(want, "/")
	if fold {
		return strings.EqualFold(got, want)
	}
	return got == want
}

// checkClient posts a client-credentials request to the token endpoint and reads the OAuth
// error: invalid_client means a wrong ID or secret; a token, or a refusal of the grant itself,
// means the provider accepted the client's credentials. It reports whether the credentials
// can be used and a note saying what was found.
func (e *env) checkClient(ctx context.Context, t ssoTarget, doc oidcConfig, discovery *url.URL) (bool, string) {
	tok, err := url.Parse(doc.TokenEndpoint)
	switch {
	case err != nil || tok.Host == "":
		return true, "no token endpoint listed, so the client secret was not checked"
	case tok.Scheme != discovery.Scheme || !strings.EqualFold(tok.Host, discovery.Host):
		// The secret belongs to the provider's own host; never send it anywhere else.
		return true, fmt.Sprintf("the token endpoint is on another host (%s), so the client secret was not sent there", tok.Host)
	case tok.RawQuery != "" || tok.Fragment != "":
		return true, "the token endpoint has a query string, so the client secret was not sent there"
	}
	methods := doc.AuthMethods
	if len(methods) == 0 {
		methods = []string{"client_secret_basic"} // RFC 8414's default
	}
	var tries []bool // true: client_secret_basic, false: client_secret_post
	if slices.Contains(methods, "client_secret_basic") {
		tries = append(tries, true)
	}
	if slices.Contains(methods, "client_secret_post") {
		tries = append(tries, false)
	}
	if len(tries) == 0 {
		return true, "the provider lists no client-secret authentication method, so the client secret was not checked"
	}
	var verdict tokenVerdict
	for _, basic := range tries {
		verdict = e.tryClient(ctx, t, tok, basic)
		// A client set up for the other method may be refused as invalid_client: try it too.
		if verdict.kind != clientRefused {
			break
		}
	}
	switch verdict.kind {
	case clientRefused:
		return false, fmt.Sprintf("the provider refused the client credentials (%s): check %s and %s", verdict.why, t.idKey, t.secretKey)
	case clientAccepted:
		return true, "client ID and secret accepted (" + verdict.why + ")"
	default:
		return true, "client secret not confirmed (" + verdict.why + ")"
	}
}

type verdictKind int

const (
	clientUnknown verdictKind = iota
	clientAccepted
	clientRefused
)

type tokenVerdict struct {
	kind verdictKind
	why  string
}

// tryClient makes one client-credentials request, with the secret in a Basic header or in
// the form body (never in the URL).
func (e *env) tryClient(ctx context.Context, t ssoTarget, tok *url.URL, basic bool) tokenVerdict {
	form := url.Values{"grant_type": {"client_credentials"}}
	if t.scope != "" {
		form.Set("scope", t.scope)
	}
	if !basic {
		form.Set("client_id", t.clientID)
		form.Set("client_secret", t.secret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tok.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return tokenVerdict{clientUnknown, "the token endpoint is not usable"}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	red := e.red
	if basic {
		// RFC 6749 2.3.1: both parts form-encoded before Basic encoding.
		req.SetBasicAuth(url.QueryEscape(t.clientID), url.QueryEscape(t.secret))
		// A server that echoes the header would show the secret in base64.
		red = red.with(strings.TrimPrefix(req.Header.Get("Authorization"), "Basic "))
	}
	resp, err := do(e.http.sameHost, req)
	if err != nil {
		return tokenVerdict{clientUnknown, "token endpoint: " + e.httpFailure(err, tok)}
	}
	var body struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
		ErrorCodes  []int  `json:"error_codes"`
	}
	_ = json.Unmarshal(resp.body, &body)
	desc := strings.ToLower(body.Description)
	code := clip(red.foreign(body.Error), 60)
	if code == "" {
		code = fmt.Sprintf("HTTP %d", resp.status)
	}
	switch {
	case slices.Contains(body.ErrorCodes, 7000222):
		return tokenVerdict{clientRefused, "the client secret has expired; create a new one"}
	case slices.Contains(body.ErrorCodes, 700016):
		return tokenVerdict{clientRefused, "the client ID is not registered in this tenant"}
	case body.Error == "invalid_client":
		return tokenVerdict{clientRefused, "invalid_client"}
	case strings.Contains(desc, "invalid client"):
		// Keycloak reports a wrong secret as unauthorized_client "Invalid client or Invalid client credentials".
		return tokenVerdict{clientRefused, code + ": " + clip(red.foreign(body.Description), 80)}
	case resp.status == http.StatusUnauthorized && (body.Error == "" || body.Error == "access_denied"):
		// Auth0 answers a wrong secret with 401 access_denied "Unauthorized".
		return tokenVerdict{clientRefused, code}
	case resp.status == http.StatusOK && body.AccessToken != "":
		return tokenVerdict{clientAccepted, "a test token was issued and discarded"}
	case slices.Contains([]string{"unauthorized_client", "unsupported_grant_type", "invalid_grant", "invalid_scope", "access_denied"}, body.Error):
		return tokenVerdict{clientAccepted, "the provider then declined the test grant with " + body.Error + ", as expected for a sign-in client"}
	}
	return tokenVerdict{clientUnknown, "the token endpoint answered " + code}
}

package model

import "strings"

// HostPlaceholder stands in for the platform's host name when the answers do not give one.
const HostPlaceholder = "<platform-host>"

// Host returns the platform's public host name, or HostPlaceholder.
func (a *Answers) Host() string {
	if a.Wizard.Host != "" {
		return a.Wizard.Host
	}
	return HostPlaceholder
}

// DefaultRelease is the release name the printed helm commands use when the answers give none.
const DefaultRelease = "crewai-platform"

// Release returns the Helm release name (wizard.release), or DefaultRelease.
func (a *Answers) Release() string {
	if a.Wizard.Release != "" {
		return a.Wizard.Release
	}
	return DefaultRelease
}

// ChartSecret is the name of the Kubernetes Secret the chart makes from secrets.yaml
// (<release>-secrets, reference: the kubectl example of reading a generated key back).
func (a *Answers) ChartSecret() string { return a.Release() + "-secrets" }

// GitHubCallbackURL is the callback URL to set in the GitHub App's settings; it must match
// exactly (GitHub App page, fact catalog S5).
func GitHubCallbackURL(a *Answers) string {
	return "https://" + a.Host() + "/crewai_plus/organizations/github/callback"
}

// AuthProvider is one sign-in provider: its AUTH_PROVIDER value, its name, the prefix of its
// keys, and what to register at the provider.
type AuthProvider struct {
	ID    string
	Label string
	// KeyPrefix starts the names of the provider's keys (OKTA_ → envVars.OKTA_SITE).
	KeyPrefix string
	// Logout says which sign-out or origin URLs to register besides the redirect URI ("" none).
	Logout string
}

// AuthProviders returns the sign-in providers the catalog knows, in the order the wizard
// offers them: the one list envVars.AUTH_PROVIDER's choices are made from.
func AuthProviders() []AuthProvider {
	return []AuthProvider{
		{ID: "workos", Label: "WorkOS", KeyPrefix: "WORKOS_"},
		{ID: "entra_id", Label: "Microsoft Entra ID", KeyPrefix: "ENTRA_ID_", Logout: "as a Web platform redirect"},
		{ID: "okta", Label: "Okta", KeyPrefix: "OKTA_", Logout: "sign-out redirect https://HOST"},
		{ID: "keycloak", Label: "Keycloak", KeyPrefix: "KEYCLOAK_", Logout: "post-logout redirect https://HOST and web origin https://HOST"},
		{ID: "auth0", Label: "Auth0", KeyPrefix: "AUTH0_", Logout: "allowed logout URL https://HOST"},
		{ID: "local", Label: "Local accounts (no SSO)"},
	}
}

// AuthProviderOf returns the provider whose keys include path (envVars.OKTA_SITE → okta), or "".
func AuthProviderOf(path string) string {
	name := path[strings.LastIndexByte(path, '.')+1:]
	for _, p := range AuthProviders() {
		if p.KeyPrefix != "" && strings.HasPrefix(name, p.KeyPrefix) {
			return p.ID
		}
	}
	return ""
}

// SignInRedirect returns the redirect (callback) URI to register at the chosen sign-in
// provider and any other URL it needs, or "" for local accounts or no provider (SSO page,
// fact catalog S14).
func SignInRedirect(a *Answers) (redirect, also string) {
	id := a.Get("envVars.AUTH_PROVIDER")
	for _, p := range AuthProviders() {
		if p.ID != id || p.KeyPrefix == "" {
			continue
		}
		return "https://" + a.Host() + "/auth/" + id + "/callback", strings.ReplaceAll(p.Logout, "HOST", a.Host())
	}
	return "", ""
}

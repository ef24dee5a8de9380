package model

import "strings"

// This file holds the catalog's data: one entry per chart key. Facts come from the chart's
// secrets reference and the fact catalog in ../shared/reference; the words are ours. Where the
// docs leave something open, Unknown says so instead of guessing.

// entries returns every catalog entry in wizard order.
func entries() []*Entry {
	var all []*Entry
	all = append(all, deploymentEntries()...)
	all = append(all, databaseEntries()...)
	all = append(all, githubEntries()...)
	all = append(all, authEntries()...)
	all = append(all, integrationEntries()...)
	all = append(all, llmEntries()...)
	all = append(all, storageEntries()...)
	all = append(all, platformEntries()...)
	all = append(all, tlsEntries()...)
	for _, e := range all {
		if e.Kind == KindBool {
			e.Rules = append([]Rule{boolRule}, e.Rules...)
		}
		if len(e.Choices) > 0 {
			e.Rules = append(e.Rules, choiceRule(e))
		}
	}
	return all
}

// Conditions used by the entries.

func always(*Answers) bool { return true }

func enabled(path string) Condition { return func(a *Answers) bool { return a.Enabled(path) } }

func providerIs(p string) Condition {
	return func(a *Answers) bool { return a.Get("envVars.AUTH_PROVIDER") == p }
}

func externalDB(a *Answers) bool { return a.Get("postgres.enabled") == "false" }

func awsStatic(a *Answers) bool {
	return a.Get("envVars.STORAGE_SERVICE") == "amazon" && a.AWSStatic()
}

func storageIs(s string) Condition {
	return func(a *Answers) bool { return a.Get("envVars.STORAGE_SERVICE") == s }
}

func llmChosen(a *Answers) bool { return a.Get("envVars.BUILT_IN_LLM_PROVIDER") != "" }

// gitHubAppKeys returns the values that only work together: set one and the others are needed.
func gitHubAppKeys() []string {
	return []string{"envVars.GITHUB_APP_ID", "envVars.GITHUB_CLIENT_ID", "envVars.GITHUB_APP_URL",
		"secrets.GITHUB_CLIENT_SECRET", "secrets.GITHUB_APP_PRIVATE_KEY"}
}

func gitHubAppStarted(a *Answers) bool {
	for _, p := range gitHubAppKeys() {
		if a.Get(p) != "" {
			return true
		}
	}
	return a.Wizard.GitHubAppPrivateKeyFile != ""
}

func deploymentEntries() []*Entry {
	return []*Entry{
		{
			Path: "postgres.enabled", Section: SectionDeployment, Kind: KindBool, WizardDefault: "false",
			Title: "In-cluster PostgreSQL",
			Hint:  "true runs PostgreSQL inside the cluster; false uses a server you operate",
			Help: "With true the chart deploys PostgreSQL itself and creates the OAuth and Wharf databases for you. " +
				"With false you point envVars.DB_HOST at your own server (RDS, Cloud SQL, Azure Database...) and create " +
				"the databases the enabled features need before the first helm install.",
			Unknown: "The chart's default for postgres.enabled is not documented; the wizard always sets it explicitly.",
		},
		{
			Path: "oauth.enabled", Section: SectionDeployment, Kind: KindBool, Default: "false",
			Title: "Built-in Integrations (OAuth service)",
			Hint:  "Only for Gmail, Outlook, HubSpot, Notion and similar tool connections; SSO does not need it",
			Help: "Turns on the Built-in Integrations service that lets crews act on users' Google, Microsoft, HubSpot " +
				"and Notion accounts. It adds a pod and its own database. Sign-in (WorkOS, Entra ID, Okta, Keycloak) " +
				"and the GitHub App work without it.",
		},
		{
			Path: "wharf.enabled", Section: SectionDeployment, Kind: KindBool, Default: "true",
			Title: "Wharf trace collector",
			Hint:  "Collects execution traces (OTLP) from automations; on unless you turn it off",
			Help: "Wharf stores execution traces in its own database (postgres.wharfDatabase). With an external " +
				"PostgreSQL that database must exist before install. Traces need CrewAI 1.12 or newer in the automations.",
		},
		{
			Path: "cube.enabled", Section: SectionDeployment, Kind: KindBool, Default: "false",
			Title:   "Cube analytics",
			Hint:    "Cost tracking and execution analytics",
			Help:    "Runs the Cube analytics service. When it is on the chart also needs secrets.CUBE_JWT_SECRET (generated unless you pin it).",
			Unknown: "The default (off) is inferred: the docs say CUBE_JWT_SECRET is generated only when cube is enabled.",
		},
		{
			Path: "web.tls.autoGenerate", Section: SectionDeployment, Kind: KindBool, WizardDefault: "true",
			Title: "Chart-generated TLS certificate",
			Hint:  "true lets the chart make a self-signed certificate; false uses your certificate and key",
			Help: "With true the chart creates a self-signed certificate and key for application-level TLS and keeps " +
				"them across upgrades. With false, supply secrets.SSL_CERTIFICATE and secrets.SSL_PRIVATE_KEY " +
				"(or terminate TLS in front of the platform).",
			Unknown: "The docs name this key but not its default, nor whether the generated certificate survives an ArgoCD sync.",
		},
		{
			Path: "externalSecret.enabled", Section: SectionDeployment, Kind: KindBool, Default: "false",
			Title: "Secrets from an external store",
			Hint:  "true: an external secret store holds the secrets and secrets.yaml is not written",
			Help: "When secrets live in an external store (External Secrets Operator with AWS Secrets Manager, Vault...) " +
				"the chart does not read the secrets: section. The wizard then writes no secrets.yaml and lists in " +
				"summary.md every key and format the store must hold.",
			Unknown: "The default (false) is inferred from the docs; the externalSecret.* sub-keys are not documented.",
		},
	}
}

func databaseEntries() []*Entry {
	return []*Entry{
		{
			Path: "envVars.DB_HOST", Section: SectionDatabase,
			Title: "Database host",
			Hint:  "Host name or IP of your PostgreSQL server, e.g. crewai.abc123.eu-west-1.rds.amazonaws.com",
			Help: "Where web, worker, OAuth and Wharf pods connect. Use a name the cluster can resolve. A wrong host " +
				"shows up as pods that crash-loop on start with connection errors.",
			RequiredWhen: "postgres.enabled is false", Required: externalDB,
			Unknown: "The chart's default host is not documented.",
		},
		{
			Path: "envVars.DB_PORT", Section: SectionDatabase, Default: "5432",
			Title: "Database port", Hint: "PostgreSQL listens on 5432 unless your server says otherwise",
			Help:   "TCP port of the PostgreSQL server. Written as a quoted string, as the chart expects for envVars.",
			Format: "a number from 1 to 65535", Rules: []Rule{portRule},
		},
		{
			Path: "envVars.DB_USER", Section: SectionDatabase, Default: "postgres",
			Title: "Database user", Hint: "The role the platform connects as (stored in plain values)",
			Help: "Database role for every platform component. Put it in secrets.DB_USER instead if the user name " +
				"itself should stay out of values.yaml. Special characters are fine: the chart URL-encodes it.",
		},
		{
			Path: "secrets.DB_USER", Section: SectionDatabase, Sensitive: true,
			Title: "Database user (secret)", Hint: "Optional: overrides envVars.DB_USER and keeps the name in secrets.yaml",
			Help: "Same as envVars.DB_USER but stored in the Kubernetes Secret. When set it wins over envVars.DB_USER.",
			Rotation: "Create the new role on the database server and grant it the same privileges first; " +
				"pods use the new name after the upgrade.",
		},
		{
			Path: "secrets.DB_PASSWORD", Section: SectionDatabase, Sensitive: true,
			Title: "Database password", Hint: "Paste it as is: do not URL-encode @ : / ? # % — the chart does that",
			Help: "Password of the database user. Every component needs it; a wrong password makes the web, worker and " +
				"migration pods fail at start. Take it byte for byte; the chart encodes special characters itself.",
			RequiredWhen: "always", Required: always,
			Rotation: "Change the password on the PostgreSQL server first (ALTER ROLE ... PASSWORD ...), then here. " +
				"Between the two steps no pod can connect, so do them close together.",
			Unknown: "Whether a new value also changes the in-cluster PostgreSQL user's password is not documented.",
		},
		{
			Path: "envVars.POSTGRES_OAUTH_DB", Section: SectionDatabase, Default: "oauth_db",
			Title: "OAuth database name", Hint: "Database of the Built-in Integrations service",
			Help: "Name of the database the OAuth service uses. With an external PostgreSQL and oauth.enabled it " +
				"must exist before install (CREATE DATABASE ...; grant the platform user all privileges on it).",
		},
		{
			Path: "postgres.oauthDatabase", Section: SectionDatabase,
			Title: "OAuth database name (in-cluster)", Hint: "Name the in-cluster PostgreSQL gives the OAuth database",
			Help:    "Used when postgres.enabled is true: the chart creates this database for the OAuth service.",
			Unknown: "Its default, and how it relates to envVars.POSTGRES_OAUTH_DB, are not documented.",
		},
		{
			Path: "postgres.wharfDatabase", Section: SectionDatabase, Default: "wharf",
			Title: "Wharf database name", Hint: "Database of the Wharf trace collector",
			Help: "With an external PostgreSQL and wharf.enabled a database of exactly this name must exist before " +
				"install, with all privileges granted to the platform user.",
		},
		{
			Path: "secrets.WHARF_POSTGRES_URL", Section: SectionDatabase, Sensitive: true,
			Title:     "Wharf connection string",
			Forbidden: "the chart builds it from envVars.DB_HOST, DB_PORT, DB_USER, secrets.DB_PASSWORD and postgres.wharfDatabase; remove it and set those instead",
		},
	}
}

func githubEntries() []*Entry {
	required := "when any GitHub App value is set (they only work together)"
	return []*Entry{
		{
			Path: "envVars.GITHUB_APP_ID", Section: SectionGitHub,
			Title: "GitHub App ID", Hint: "The number shown as App ID at the top of the App's settings page",
			Help:         "Numeric ID of the GitHub App the platform uses to reach repositories. A wrong ID makes every GitHub call fail with 401.",
			RequiredWhen: required, Required: gitHubAppStarted,
			Format: "digits", Rules: []Rule{digitsRule("the App's numeric ID")},
		},
		{
			Path: "envVars.GITHUB_CLIENT_ID", Section: SectionGitHub,
			Title: "GitHub App client ID", Hint: "Shown as Client ID on the App's settings page (starts with Iv)",
			Help:         "Identifies the App in the user-authorization flow during installation.",
			RequiredWhen: required, Required: gitHubAppStarted,
		},
		{
			Path: "envVars.GITHUB_APP_URL", Section: SectionGitHub,
			Title: "GitHub App URL", Hint: "e.g. https://github.com/apps/<app-slug>/installations/new",
			Help:         "Where the platform sends users to install the App on their organization.",
			RequiredWhen: required, Required: gitHubAppStarted,
			Format: "an https URL", Rules: []Rule{httpsURLRule("https://github.com/apps/my-crewai-app/installations/new")},
		},
		{
			Path: "secrets.GITHUB_CLIENT_SECRET", Section: SectionGitHub, Sensitive: true,
			Title: "GitHub App client secret", Hint: "App settings > Client secrets > Generate a new client secret",
			Help:         "Secret of the App's OAuth flow. GitHub shows it once; generate a new one if it is lost.",
			RequiredWhen: required, Required: gitHubAppStarted,
			Rotation: "Generate a new client secret in the App settings first (GitHub keeps the old one valid until " +
				"you delete it), rotate here, upgrade, then delete the old secret in GitHub.",
		},
		{
			Path: "secrets.GITHUB_WEBHOOK_SECRET_TOKEN", Section: SectionGitHub, Sensitive: true,
			Title: "GitHub webhook secret", Hint: "Any long random string; the same value goes into the App's webhook settings",
			Help: "Lets the platform check that webhook deliveries really come from GitHub. Leave it empty when the " +
				"App's webhook is inactive.",
			Gen: alphaNumGen(64),
			Rotation: "Put the same new secret into the App's webhook settings at the same time; deliveries signed " +
				"with the other secret are rejected in between.",
		},
		{
			Path: "secrets.GITHUB_APP_PRIVATE_KEY", Section: SectionGitHub, Kind: KindOneLinePEM, Sensitive: true,
			Title: "GitHub App private key", Hint: "Path to the .pem from App settings > Private keys > Generate a private key",
			Help: "The App signs its API requests with this RSA key. GitHub downloads it once as a .pem file; the " +
				"short SHA256 string GitHub shows next to it is only the fingerprint. The chart wants the whole key " +
				"on one line with \\n escapes, starting with -----BEGIN RSA PRIVATE KEY-----.",
			RequiredWhen: required, Required: gitHubAppStarted,
			Format: "an unencrypted RSA private key, PKCS#1 PEM (BEGIN RSA PRIVATE KEY)",
			Rules:  []Rule{githubAppKeyRule},
			Rotation: "Generate a new key in GitHub first (App settings > Private keys; an App can hold several), " +
				"supply the new .pem, upgrade, then delete the old key in GitHub.",
		},
		{
			Path: "secrets.GITHUB_TOKEN", Section: SectionGitHub, Sensitive: true,
			Title: "GitHub token for CrewAI repositories", Hint: "Provided by CrewAI; filled in automatically when installing through Replicated",
			Help:     "Lets the platform pull CrewAI's enterprise repositories. Replicated installs get it from the license.",
			Rotation: "Get the new token from CrewAI first; pods use it after the upgrade.",
		},
		{
			Path: "secrets.GITHUB_CREW_STUDIO_TOKEN", Section: SectionGitHub, Sensitive: true,
			Title: "Crew Studio GitHub token", Hint: "GitHub token for the Crew Studio integration",
			Help:     "A separate GitHub token used by Crew Studio.",
			Rotation: "Create the new token in GitHub first, rotate, upgrade, then revoke the old one.",
			Unknown:  "Which scopes the token needs is not documented.",
		},
	}
}

func authEntries() []*Entry {
	clientSecretRotation := func(where string) string {
		return "Create a new secret at the provider first (" + where + "), rotate, upgrade, then remove the old one. " +
			"Until the upgrade finishes, sign-ins use whichever secret the pod has."
	}
	return []*Entry{
		{
			Path: "envVars.AUTH_PROVIDER", Section: SectionAuth,
			Title: "Sign-in provider", Hint: "The identity provider users sign in with",
			Help: "Which single sign-on provider the platform uses. Only that provider's keys are needed. " +
				"Built-in Integrations (oauth.enabled) are not needed for any of them.",
			Choices: []Choice{{"workos", "WorkOS"}, {"entra_id", "Microsoft Entra ID"}, {"okta", "Okta"},
				{"keycloak", "Keycloak"}, {"auth0", "Auth0"}, {"local", "Local accounts (no SSO)"}},
			Unknown: "The chart's default provider is not documented.",
		},
		// Microsoft Entra ID
		{
			Path: "envVars.ENTRA_ID_CLIENT_ID", Section: SectionAuth,
			Title: "Entra ID client ID", Hint: "App registration > Overview > Application (client) ID",
			Help:         "Identifies the platform's App registration in Microsoft Entra ID.",
			RequiredWhen: "AUTH_PROVIDER is entra_id", Required: providerIs("entra_id"), Rules: []Rule{guidRule},
		},
		{
			Path: "envVars.ENTRA_ID_TENANT_ID", Section: SectionAuth,
			Title: "Entra ID tenant ID", Hint: "App registration > Overview > Directory (tenant) ID",
			Help:         "Your organization's directory; users from other tenants cannot sign in.",
			RequiredWhen: "AUTH_PROVIDER is entra_id", Required: providerIs("entra_id"), Rules: []Rule{guidRule},
		},
		{
			Path: "secrets.ENTRA_ID_CLIENT_SECRET", Section: SectionAuth, Sensitive: true,
			Title: "Entra ID client secret", Hint: "App registration > Certificates & secrets > Client secrets (copy the Value, not the ID)",
			Help: "Azure shows the value once, right after creating it, and it expires after the period you chose: " +
				"note the date, an expired secret stops all sign-ins.",
			RequiredWhen: "AUTH_PROVIDER is entra_id", Required: providerIs("entra_id"),
			Rotation: clientSecretRotation("App registration > Certificates & secrets"),
		},
		// Okta
		{
			Path: "envVars.OKTA_SITE", Section: SectionAuth,
			Title: "Okta site", Hint: "Your Okta org URL, e.g. https://company.okta.com",
			Help:         "Base URL of your Okta organization (shown under your user name in the Admin Console).",
			RequiredWhen: "AUTH_PROVIDER is okta", Required: providerIs("okta"),
			Format: "an https URL", Rules: []Rule{httpsURLRule("https://company.okta.com")},
		},
		{
			Path: "envVars.OKTA_CLIENT_ID", Section: SectionAuth,
			Title: "Okta client ID", Hint: "Applications > your app > General > Client Credentials",
			Help:         "Client ID of the Okta web application for the platform.",
			RequiredWhen: "AUTH_PROVIDER is okta", Required: providerIs("okta"),
		},
		{
			Path: "envVars.OKTA_AUTHORIZATION_SERVER", Section: SectionAuth,
			Title: "Okta authorization server", Hint: "Security > API > Authorization Servers: the server's name, e.g. default",
			Help:         "Name of the authorization server that issues the tokens. It must match exactly, or token checks fail with 401.",
			RequiredWhen: "AUTH_PROVIDER is okta", Required: providerIs("okta"),
		},
		{
			Path: "envVars.OKTA_AUDIENCE", Section: SectionAuth,
			Title: "Okta audience", Hint: "The authorization server's Audience, e.g. api://default",
			Help:         "Must equal the audience of the authorization server above, or tokens are rejected.",
			RequiredWhen: "AUTH_PROVIDER is okta", Required: providerIs("okta"),
		},
		{
			Path: "secrets.OKTA_CLIENT_SECRET", Section: SectionAuth, Sensitive: true,
			Title: "Okta client secret", Hint: "Applications > your app > General > Client Credentials",
			Help:         "Client secret of the Okta web application.",
			RequiredWhen: "AUTH_PROVIDER is okta", Required: providerIs("okta"),
			Rotation: clientSecretRotation("Okta lets an app hold two client secrets"),
		},
		// WorkOS
		{
			Path: "envVars.WORKOS_CLIENT_ID", Section: SectionAuth,
			Title: "WorkOS client ID", Hint: "WorkOS Dashboard > API Keys: Client ID (client_...)",
			Help:         "Identifies your WorkOS environment.",
			RequiredWhen: "AUTH_PROVIDER is workos", Required: providerIs("workos"),
		},
		{
			Path: "envVars.WORKOS_AUTHKIT_DOMAIN", Section: SectionAuth,
			Title: "WorkOS AuthKit domain", Hint: "Bare host of your AuthKit, e.g. company.authkit.app",
			Help:         "Domain of the hosted AuthKit sign-in page. Give the host only.",
			RequiredWhen: "AUTH_PROVIDER is workos", Required: providerIs("workos"),
			Rules: []Rule{bareHostRule("company.authkit.app")},
		},
		{
			Path: "envVars.WORKOS_COOKIE_PASSWORD", Section: SectionAuth, Sensitive: true,
			Title: "WorkOS cookie password", Hint: "At least 32 random characters; let the wizard generate it",
			Help: "Encrypts the WorkOS session cookie. It sits in envVars (values.yaml), as the chart documents, so " +
				"treat values.yaml as sensitive when WorkOS is used.",
			RequiredWhen: "AUTH_PROVIDER is workos", Required: providerIs("workos"),
			Format: "at least 32 characters", Rules: []Rule{minLenRule(32)}, Gen: alphaNumGen(64),
			Rotation: "Existing session cookies can no longer be read: every user is signed out once.",
		},
		{
			Path: "secrets.WORKOS_API_KEY", Section: SectionAuth, Sensitive: true,
			Title: "WorkOS API key", Hint: "WorkOS Dashboard > API Keys: secret key (sk_live_... or sk_test_...)",
			Help:         "Server-side key for the WorkOS API. Use the production key (sk_live_) for production.",
			RequiredWhen: "AUTH_PROVIDER is workos", Required: providerIs("workos"),
			Format: "starts with sk_live_ or sk_test_", Rules: []Rule{workosKeyRule},
			Rotation: "Create a new key in the WorkOS dashboard first, rotate, upgrade, then revoke the old key.",
		},
		// Keycloak
		{
			Path: "envVars.KEYCLOAK_CLIENT_ID", Section: SectionAuth,
			Title: "Keycloak client ID", Hint: "Clients > your client: Client ID, e.g. crewai-factory",
			Help:         "The OpenID Connect client created for the platform (client authentication on).",
			RequiredWhen: "AUTH_PROVIDER is keycloak", Required: providerIs("keycloak"),
		},
		{
			Path: "envVars.KEYCLOAK_SITE", Section: SectionAuth,
			Title: "Keycloak site", Hint: "Base URL of your Keycloak server, e.g. https://keycloak.company.com",
			Help:         "Where Keycloak is served. Installs migrated from Keycloak before 17 may also need a base path such as /auth.",
			RequiredWhen: "AUTH_PROVIDER is keycloak", Required: providerIs("keycloak"),
			Format: "an https URL", Rules: []Rule{httpsURLRule("https://keycloak.company.com")},
		},
		{
			Path: "envVars.KEYCLOAK_REALM", Section: SectionAuth,
			Title: "Keycloak realm", Hint: "The realm holding the client, e.g. crewai",
			Help:         "Realm name as shown in the Keycloak admin console's realm selector.",
			RequiredWhen: "AUTH_PROVIDER is keycloak", Required: providerIs("keycloak"),
		},
		{
			Path: "secrets.KEYCLOAK_CLIENT_SECRET", Section: SectionAuth, Sensitive: true,
			Title: "Keycloak client secret", Hint: "Clients > your client > Credentials tab",
			Help:         "Secret of the client above; the Credentials tab only exists when client authentication is on.",
			RequiredWhen: "AUTH_PROVIDER is keycloak", Required: providerIs("keycloak"),
			Rotation: "Regenerate it on the client's Credentials tab: Keycloak drops the old secret at once, so " +
				"rotate and upgrade right away.",
		},
		// Auth0
		{
			Path: "envVars.AUTH0_CLIENT_ID", Section: SectionAuth,
			Title: "Auth0 client ID", Hint: "Applications > your application > Settings: Client ID",
			Help:         "Client ID of the Auth0 regular web application.",
			RequiredWhen: "AUTH_PROVIDER is auth0", Required: providerIs("auth0"),
			Unknown: "Older docs list Auth0 values under secrets; placing the non-secret ones in envVars follows the other providers and is not confirmed.",
		},
		{
			Path: "envVars.AUTH0_DOMAIN", Section: SectionAuth,
			Title: "Auth0 domain", Hint: "Your tenant domain, e.g. company.us.auth0.com",
			Help:         "Domain of your Auth0 tenant, without https://.",
			RequiredWhen: "AUTH_PROVIDER is auth0", Required: providerIs("auth0"),
			Rules:   []Rule{bareHostRule("company.us.auth0.com")},
			Unknown: "Placement in envVars follows the other providers and is not confirmed.",
		},
		{
			Path: "secrets.AUTH0_CLIENT_SECRET", Section: SectionAuth, Sensitive: true,
			Title: "Auth0 client secret", Hint: "Applications > your application > Settings: Client Secret",
			Help:         "Client secret of the Auth0 application.",
			RequiredWhen: "AUTH_PROVIDER is auth0", Required: providerIs("auth0"),
			Rotation: clientSecretRotation("Auth0 rotates on the application's Settings page and drops the old secret at once"),
		},
	}
}

// OAuthProvider is a provider of the Built-in Integrations service and its products.
type OAuthProvider struct {
	ID       string // key under oauth.secrets: google, microsoft, hubspot, notion
	Label    string
	Console  string // where its OAuth clients are created
	Products []OAuthProduct
}

// OAuthProduct is one integration product with its own optional credentials.
type OAuthProduct struct {
	Prefix string // secrets.<Prefix>_CLIENT_ID
	Label  string
}

// OAuthProviders returns the Built-in Integrations providers and their products.
func OAuthProviders() []OAuthProvider {
	return []OAuthProvider{
		{"google", "Google", "Google Cloud console > APIs & Services > Credentials", []OAuthProduct{
			{"GOOGLE_GMAIL", "Gmail"}, {"GOOGLE_CAL", "Calendar"}, {"GOOGLE_DRIVE", "Drive"},
			{"GOOGLE_CONTACTS", "Contacts"}, {"GOOGLE_SHEETS", "Sheets"}, {"GOOGLE_SLIDES", "Slides"},
			{"GOOGLE_DOCS", "Docs"}}},
		{"microsoft", "Microsoft", "Azure portal > App registrations", []OAuthProduct{
			{"MICROSOFT_OUTLOOK", "Outlook"}, {"MICROSOFT_ONEDRIVE", "OneDrive"}, {"MICROSOFT_TEAMS", "Teams"},
			{"MICROSOFT_SHAREPOINT", "SharePoint"}, {"MICROSOFT_EXCEL", "Excel"}, {"MICROSOFT_WORD", "Word"}}},
		{"hubspot", "HubSpot", "HubSpot developer account > Apps", []OAuthProduct{{"HUBSPOT", "HubSpot"}}},
		{"notion", "Notion", "Notion > Settings > Integrations (public integration)", []OAuthProduct{{"NOTION", "Notion"}}},
	}
}

func integrationEntries() []*Entry {
	var out []*Entry
	for _, p := range OAuthProviders() {
		on := func(a *Answers) bool { return a.OAuthProviderOn(p.ID) }
		base := "oauth.secrets." + p.ID
		out = append(out,
			&Entry{
				Path: base + ".clientId", Section: SectionIntegrations,
				Title: p.Label + " client ID", Hint: "Created in " + p.Console,
				Help:         "Provider-level OAuth client used by every " + p.Label + " product that has no override of its own.",
				RequiredWhen: "when " + p.Label + " integrations are used", Required: on,
			},
			&Entry{
				Path: base + ".clientSecret", Section: SectionIntegrations, Sensitive: true,
				Title: p.Label + " client secret", Hint: "Created with the client ID in " + p.Console,
				Help:         "Secret of the provider-level OAuth client.",
				RequiredWhen: "when " + p.Label + " integrations are used", Required: on,
				Rotation: "Create a new secret for the same client at " + p.Label + " first, rotate, upgrade, then " +
					"delete the old one. Connected accounts stay connected.",
			})
		for _, prod := range p.Products {
			for _, half := range []string{"_CLIENT_ID", "_CLIENT_SECRET"} {
				out = append(out, &Entry{
					Path: "secrets." + prod.Prefix + half, Section: SectionIntegrations, Sensitive: half == "_CLIENT_SECRET",
					Title: prod.Label + " OAuth client" + strings.ToLower(strings.ReplaceAll(half, "_CLIENT_", " ")),
					Hint:  "The chart makes it from " + base + "; set the " + p.Label + " client there",
					Help: "One of the Secret keys the chart generates from oauth.secrets.* for the " + prod.Label +
						" integration. Set the provider-level client under " + base + " instead of this key.",
					Derived: base,
					Unknown: "The reference says oauth.secrets supports product-specific overrides but does not show their " +
						"layout; see the chart's Built-in Integrations reference (OAuth Secrets Configuration).",
				})
			}
		}
	}
	oauthOn := enabled("oauth.enabled")
	out = append(out,
		&Entry{
			Path: "secrets.OAUTH_DB_ENCRYPTION_KEY", Section: SectionIntegrations, Sensitive: true,
			Title: "OAuth token encryption key", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help:   "Encrypts the access and refresh tokens of connected accounts in the OAuth database.",
			Format: "64 hexadecimal characters", Rules: []Rule{hexKeyRule(64)},
			ChartGen: "64 hexadecimal characters", ChartGenWhen: oauthOn, Gen: hexGen(64), ArgoCD: true,
			Rotation: "Tokens already stored can no longer be decrypted: every user must reconnect their Google, " +
				"Microsoft, HubSpot and Notion accounts.",
			ConfirmRotate: true,
		},
		&Entry{
			Path: "secrets.OAUTH_INTERNAL_API_KEY", Section: SectionIntegrations, Sensitive: true,
			Title: "OAuth internal API key", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Authenticates calls between the OAuth service and Rails.",
			ChartGen: "randAlphaNum 64", ChartGenWhen: oauthOn, Gen: alphaNumGen(64), ArgoCD: true,
			Mirror: "CREWAI_OAUTH_API_KEY",
			Rotation: "The chart also hands this value to Rails as CREWAI_OAUTH_API_KEY, so both sides change on the " +
				"same upgrade; integration calls during the rollout may fail.",
		},
	)
	return out
}

func llmEntries() []*Entry {
	return []*Entry{
		{
			Path: "envVars.BUILT_IN_LLM_PROVIDER", Section: SectionLLM,
			Title: "LLM provider", Hint: "Provider of the model behind Studio prompt help, automation descriptions and flow chat",
			Help: "The platform's own AI features (improving Studio prompts, describing automations, chatting with " +
				"flows) call this provider. Leave it empty to run without them.",
			Choices: []Choice{{"openai", "OpenAI"}}, Open: true,
			Unknown: "Only openai appears as a value in the docs; they mention Anthropic-specific requirements without " +
				"showing them. Check your chart version's docs for other providers.",
		},
		{
			Path: "envVars.BUILT_IN_LLM_MODEL", Section: SectionLLM,
			Title: "LLM model", Hint: "Model name at that provider, e.g. gpt-4o-mini",
			Help:         "The model the platform's AI features use.",
			RequiredWhen: "when an LLM provider is chosen", Required: llmChosen,
		},
		{
			Path: "secrets.BUILT_IN_LLM_API_KEY", Section: SectionLLM, Sensitive: true,
			Title: "LLM API key", Hint: "An API key from the provider's console (OpenAI keys start with sk-)",
			Help:         "Authenticates the platform's calls to the LLM provider.",
			RequiredWhen: "when an LLM provider is chosen", Required: llmChosen,
			Rotation: "Create a new key at the provider first, rotate, upgrade, then revoke the old key.",
			Unknown:  "Provider-specific rules for the key are not documented.",
		},
	}
}

func storageEntries() []*Entry {
	lowConfidence := "Seen in third-party values files, not in the chart's reference; check your chart version."
	return []*Entry{
		{
			Path: "envVars.STORAGE_SERVICE", Section: SectionStorage,
			Title: "Object storage", Hint: "amazon (S3 or S3-compatible) or microsoft (Azure Blob); empty keeps the chart's default",
			Help:    "Where the platform keeps files and artifacts.",
			Choices: []Choice{{"amazon", "Amazon S3 or S3-compatible"}, {"microsoft", "Azure Blob Storage"}}, Open: true,
			Unknown: "The values come from third-party material; the chart's default and any other value are not documented.",
		},
		{
			Path: "envVars.AWS_REGION", Section: SectionStorage,
			Title: "AWS region", Hint: "Region of the bucket, e.g. us-east-1", Unknown: lowConfidence,
		},
		{
			Path: "envVars.AWS_BUCKET", Section: SectionStorage,
			Title: "S3 bucket", Hint: "Bucket name", Unknown: lowConfidence,
		},
		{
			Path: "envVars.AWS_ENDPOINT", Section: SectionStorage,
			Title: "S3 endpoint", Hint: "Only for S3-compatible stores (MinIO, GCS interoperability)", Unknown: lowConfidence,
		},
		{
			Path: "secrets.AWS_ACCESS_KEY_ID", Section: SectionStorage, Sensitive: true,
			Title: "AWS access key ID", Hint: "IAM > Users > Security credentials; prefer an IAM role (IRSA) instead",
			Help:         "Static credentials for S3. Not needed when the pods get an IAM role through IRSA.",
			RequiredWhen: "STORAGE_SERVICE is amazon with static credentials", Required: awsStatic,
			Pair:     "secrets.AWS_SECRET_ACCESS_KEY",
			Rotation: "Create a second access key for the IAM user first, rotate both values, upgrade, then deactivate the old key.",
		},
		{
			Path: "secrets.AWS_SECRET_ACCESS_KEY", Section: SectionStorage, Sensitive: true,
			Title: "AWS secret access key", Hint: "Shown once, when the access key is created",
			Help:         "Secret half of the static S3 credentials.",
			RequiredWhen: "STORAGE_SERVICE is amazon with static credentials", Required: awsStatic,
			Pair:     "secrets.AWS_ACCESS_KEY_ID",
			Rotation: "Rotates together with AWS_ACCESS_KEY_ID.",
		},
		{
			Path: "secrets.AZURE_STORAGE_ACCOUNT_NAME", Section: SectionStorage,
			Title: "Azure storage account", Hint: "Name of the storage account", Unknown: lowConfidence,
		},
		{
			Path: "secrets.AZURE_STORAGE_ACCESS_KEY", Section: SectionStorage, Sensitive: true,
			Title: "Azure storage access key", Hint: "Storage account > Security + networking > Access keys",
			Help:         "Key of the Azure storage account.",
			RequiredWhen: "STORAGE_SERVICE is microsoft", Required: storageIs("microsoft"),
			Rotation: "Azure keeps two keys per account: switch to the other key here, upgrade, then regenerate the old one.",
		},
		{
			Path: "secrets.AZURE_CLIENT_SECRET", Section: SectionStorage, Sensitive: true,
			Title: "Azure client secret", Hint: "App registration of the service principal > Certificates & secrets",
			Help:     "Secret of the Azure service principal, when the platform reaches Azure through one.",
			Rotation: "Add a new secret to the service principal first, rotate, upgrade, then delete the old one.",
		},
	}
}

func platformEntries() []*Entry {
	dataLoss := "Existing encrypted data can no longer be read. Only rotate with a plan for that data."
	return []*Entry{
		{
			Path: "secrets.SECRET_KEY_BASE", Section: SectionPlatform, Sensitive: true,
			Title: "Rails secret key base", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Rails signs and encrypts sessions with it.",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Every session becomes invalid: all users are signed out.",
		},
		{
			Path: "secrets.CREWAI_PLUS_INTERNAL_API_KEY", Section: SectionPlatform, Sensitive: true,
			Title: "Internal API key", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Authenticates the platform's services to each other.",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "All platform services switch on the same upgrade. Crews built before may carry the old key " +
				"(observed in the field, not documented): redeploy any that fail to call back.",
		},
		{
			Path: "secrets.ENCRYPTION_KEY", Section: SectionPlatform, Sensitive: true,
			Title: "Application encryption key", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help:   "Encrypts sensitive application data at rest.",
			Format: "hexadecimal, 64 characters recommended", Rules: []Rule{hexKeyRule(64)},
			ChartGen: "64 hexadecimal characters (sha256sum)", Gen: hexGen(64), ArgoCD: true,
			Rotation: dataLoss, ConfirmRotate: true,
		},
		{
			Path: "secrets.ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY", Section: SectionPlatform, Sensitive: true,
			Title: "Active Record primary key", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Rails Active Record Encryption key for encrypted columns.",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Columns encrypted with it can no longer be decrypted. " + dataLoss, ConfirmRotate: true,
		},
		{
			Path: "secrets.ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY", Section: SectionPlatform, Sensitive: true,
			Title: "Active Record deterministic key", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Key for deterministically encrypted columns, the ones the application can search by value.",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Deterministically encrypted columns can no longer be decrypted or searched. " + dataLoss, ConfirmRotate: true,
		},
		{
			Path: "secrets.ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT", Section: SectionPlatform, Sensitive: true,
			Title: "Active Record key derivation salt", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Salt from which Rails derives its encryption keys.",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Every derived key changes, so all Active Record encrypted data becomes unreadable. " + dataLoss, ConfirmRotate: true,
		},
		{
			Path: "secrets.FACTORY_DEBUG_TOKEN", Section: SectionPlatform, Sensitive: true,
			Title: "Factory debug token", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help: "Unlocks GET /health/debug (header X-Factory-Debug-Token), the one-shot diagnostic of database, " +
				"sign-in, LLM and pod health; without it the endpoint answers 404.",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Scripts that call /health/debug with the old token get 404 until they use the new one.",
		},
		{
			Path: "secrets.REGISTRY_HTTP_SECRET", Section: SectionPlatform, Sensitive: true,
			Title: "Registry HTTP secret", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Shared secret of the internal container registry. Note the length: 32, not 64.",
			ChartGen: "randAlphaNum 32", Gen: alphaNumGen(32), ArgoCD: true,
			Rotation: "Registry pods restart; image uploads in progress may fail and need a retry.",
		},
		{
			Path: "secrets.OIDC_PRIVATE_KEY", Section: SectionPlatform, Kind: KindPEM, Sensitive: true,
			Title: "OIDC signing key", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help: "Signs the tokens of the platform's built-in identity provider; its public half is published at " +
				"/oauth2/jwks, where AWS IAM, GCP Workload Identity and Azure federated credentials check them.",
			Format: "an RSA private key, PEM", Rules: []Rule{privateKeyRule},
			ChartGen: `genPrivateKey "rsa"`, Gen: rsaGen(), ArgoCD: true,
			Pair: "secrets.OIDC_KEY_ID",
			Rotation: "Cloud workload-identity trust breaks until the new public key is published at /oauth2/jwks and " +
				"the clouds refresh it. Rotates together with OIDC_KEY_ID.",
		},
		{
			Path: "secrets.OIDC_KEY_ID", Section: SectionPlatform,
			Title: "OIDC key ID", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "The kid published in the JWKS and stamped on every token; it must stay with its signing key.",
			ChartGen: "crewai-oidc-<random>", Gen: oidcKeyIDGen(), ArgoCD: true,
			Pair:     "secrets.OIDC_PRIVATE_KEY",
			Rotation: "Changing it without the signing key (or the reverse) breaks token verification: it rotates together with OIDC_PRIVATE_KEY.",
			Unknown:  "The chart's random suffix format is not documented; the tool uses 16 lowercase letters and digits.",
		},
		{
			Path: "secrets.DEPLOYMENT_INSTANCE_JWT_SECRET", Section: SectionPlatform, Sensitive: true,
			Title: "Deployment instance JWT secret", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help: "Signs the access tokens (24 h) and refresh tokens (1 year) deployed crews use to call back into the " +
				"platform. Without it crews stop working when their access token expires.",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Every refresh token already handed to a deployed crew stops verifying, and the daily re-mint " +
				"job does not recover them: redeploy every active automation after the upgrade.",
		},
		{
			Path: "secrets.WHARF_JWT_SECRET", Section: SectionPlatform, Sensitive: true,
			Title: "Wharf JWT secret", Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Shared by Wharf and Rails to authenticate trace submissions.",
			ChartGen: "randAlphaNum 64", ChartGenWhen: enabled("wharf.enabled"), Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Wharf and Rails switch on the same upgrade; traces sent during the rollout may be rejected.",
		},
		{
			Path: "secrets.CUBE_JWT_SECRET", Section: SectionPlatform, Sensitive: true,
			Title: "Cube JWT secret", Hint: "Generated by the chart when cube is on, unless you pin it (ArgoCD must)",
			Help:     "Shared by Cube and Rails to authenticate analytics queries.",
			ChartGen: "randAlphaNum 64", ChartGenWhen: enabled("cube.enabled"), Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Cube and Rails switch on the same upgrade; analytics queries during the rollout may fail.",
		},
		{ //nolint:gosec // the hint describes the URL's form; it holds no credential
			Path: "secrets.UV_DEFAULT_INDEX", Section: SectionPlatform, Sensitive: true,
			Title: "Private Python package index", Hint: "https://USER:PASSWORD@HOST/simple/ (Replicated installs fill it in)",
			Help: "Where crew builds install CrewAI's enterprise Python packages, for example a private PyPI mirror in an " +
				"air-gapped network. When set it overrides the URL Replicated builds from the license.",
			Format: "https://USER:PASSWORD@HOST/simple/", Rules: []Rule{uvIndexRule},
			Rotation: "Crew builds fail until the new credentials work at the index: change them there first.",
		},
		{
			Path: "secrets.RAILS_MASTER_KEY", Section: SectionPlatform, Sensitive: true,
			Title:     "Rails master key",
			Forbidden: "the chart configures Rails without it and warns at install when it is present; remove it",
		},
		{
			Path: "envVars.RAILS_MASTER_KEY", Section: SectionPlatform, Sensitive: true,
			Title:     "Rails master key",
			Forbidden: "the chart configures Rails without it and warns at install when it is present; remove it",
		},
	}
}

func tlsEntries() []*Entry {
	autoGen := enabled("web.tls.autoGenerate")
	pairRotation := "Rotate the certificate and its key together; they must match."
	return []*Entry{
		{
			Path: "secrets.SSL_CERTIFICATE", Section: SectionTLS, Kind: KindPEM,
			Title: "TLS certificate", Hint: "PEM certificate, with intermediates after it",
			Help:   "Certificate for application-level TLS; may hold the whole chain (server certificate first).",
			Format: "PEM certificate(s)", Rules: []Rule{certificateRule},
			ChartGen: "self-signed, when web.tls.autoGenerate is true", ChartGenWhen: autoGen,
			Pair: "secrets.SSL_PRIVATE_KEY", Rotation: pairRotation,
		},
		{
			Path: "secrets.SSL_PRIVATE_KEY", Section: SectionTLS, Kind: KindPEM, Sensitive: true,
			Title: "TLS private key", Hint: "PEM private key of the certificate",
			Help:   "Private key matching secrets.SSL_CERTIFICATE.",
			Format: "an unencrypted PEM private key", Rules: []Rule{privateKeyRule},
			ChartGen: "self-signed, when web.tls.autoGenerate is true", ChartGenWhen: autoGen,
			Pair: "secrets.SSL_CERTIFICATE", Rotation: pairRotation,
		},
		{
			Path: "secrets.CREW_SSL_CERT", Section: SectionTLS, Kind: KindPEM,
			Title: "Crew service certificate", Hint: "PEM certificate for crew service traffic",
			Help:   "Certificate for communication with crew services.",
			Format: "PEM certificate(s)", Rules: []Rule{certificateRule},
			ChartGen: "self-signed, when web.tls.autoGenerate is true", ChartGenWhen: autoGen,
			Pair: "secrets.CREW_SSL_KEY", Rotation: pairRotation,
		},
		{
			Path: "secrets.CREW_SSL_KEY", Section: SectionTLS, Kind: KindPEM, Sensitive: true,
			Title: "Crew service key", Hint: "PEM private key of the crew service certificate",
			Help:   "Private key matching secrets.CREW_SSL_CERT.",
			Format: "an unencrypted PEM private key", Rules: []Rule{privateKeyRule},
			ChartGen: "self-signed, when web.tls.autoGenerate is true", ChartGenWhen: autoGen,
			Pair: "secrets.CREW_SSL_CERT", Rotation: pairRotation,
		},
	}
}

// Gap is a documented secret the tool cannot name, so it cannot be set or generated.
type Gap struct {
	Section Section
	// Name is how lists show it in place of a key name.
	Name string
	// ChartGen says how the chart generates it.
	ChartGen string
	What     string
	When     Condition
	Advice   string
}

// Gaps returns the documented secrets whose key names the docs do not give.
func Gaps() []Gap {
	return []Gap{{
		Section:  SectionIntegrations,
		Name:     "OAuth session-cookie secret (key name not in the reference)",
		ChartGen: "randAlphaNum 64",
		What:     "the OAuth service's session-cookie signing secret (the chart generates it with randAlphaNum 64)",
		When:     enabled("oauth.enabled"),
		Advice: "its key name is not documented, so the tool cannot pin it: under ArgoCD, look it up in your " +
			"chart version's docs and pin it in secrets.yaml, or OAuth sessions reset on every sync",
	}}
}

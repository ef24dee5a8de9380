package model

import "strings"

// This file holds the catalog's data: one entry per chart key. Facts come from the chart's
// secrets reference page and the fact catalog in ../shared/reference; the words are ours. Every
// entry says where it comes from (Source, and From for single statements); where the docs leave
// something open, Unknown says so in one sentence ("The chart's docs don't say …") instead of
// guessing.

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
	// The tool's own bookkeeping, last: it is written at the end of secrets.yaml.
	all = append(all, &Entry{
		Path: FingerprintKeyPath, Section: SectionTool, Sensitive: true, Internal: true,
		Title:  "crewai-setup fingerprint key",
		Source: tool("the key of the keyed fingerprints in summary.md and on screen; the chart does not read it"),
		Hint:   "Made by crewai-setup; keep it with the secrets",
		Help: "A random key crewai-setup keeps in secrets.yaml to fingerprint secrets (HMAC-SHA-256), so the masked " +
			"values in summary.md can be told apart without revealing anything to someone who lacks secrets.yaml.",
		Gen: hexGen(64),
	})
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

func storageIs(s string) Condition {
	return func(a *Answers) bool { return a.Get("envVars.STORAGE_SERVICE") == s }
}

func llmChosen(a *Answers) bool { return a.Get("envVars.BUILT_IN_LLM_PROVIDER") != "" }

func notReplicated(a *Answers) bool { return !a.Wizard.Replicated }

// gitHubAppKeys returns the values that only work together: set one and the others are needed.
func gitHubAppKeys() []string {
	return []string{"envVars.GITHUB_APP_ID", "envVars.GITHUB_CLIENT_ID", "envVars.GITHUB_APP_URL",
		"secrets.GITHUB_CLIENT_SECRET", "secrets.GITHUB_APP_PRIVATE_KEY"}
}

// GitHubAppStarted reports whether any GitHub App value is given: the App's values only work
// together, so the others are then needed too.
func GitHubAppStarted(a *Answers) bool {
	for _, p := range gitHubAppKeys() {
		if a.Get(p) != "" {
			return true
		}
	}
	return a.Wizard.GitHubAppPrivateKeyFile != ""
}

// Sources shared by many entries.
var (
	srcSSO         = docs("the enterprise SSO page (fact catalog S14, high confidence)")
	srcKeycloak    = docs("the Keycloak SSO guide (fact catalog S6, high confidence)")
	srcGitHubApp   = docs("the GitHub App page (fact catalog S5, high confidence)")
	srcThirdParty  = docs("third-party values files only (fact catalog S15/S16, low confidence); not in the chart's reference")
	srcOAuthPage   = docs("the Built-in Integrations and OAuth chart-values pages (fact catalog S3/S4, high confidence)")
	srcWharfPage   = docs("the Wharf chart-values page (fact catalog S7, high confidence)")
	srcStorageLoTr = inferred("S3 access keys and bucket settings appear only in low-confidence third-party files (fact catalog S15/S16)")
)

func deploymentEntries() []*Entry {
	return []*Entry{
		{
			Path: "postgres.enabled", Section: SectionDeployment, Kind: KindBool, WizardDefault: "false",
			Title:  "In-cluster PostgreSQL",
			Source: srcOAuthPage,
			Hint:   "In the cluster: the chart runs PostgreSQL; my own server: a server you operate",
			Help: "In the cluster, the chart deploys PostgreSQL itself and creates the OAuth and Wharf databases. " +
				"With your own server (RDS, Cloud SQL, Azure Database…), envVars.DB_HOST points at it and you create " +
				"the databases the enabled features need before the first helm install.",
			Unknown: "The chart's docs don't give its default; the wizard always writes it explicitly.",
		},
		{
			Path: "oauth.enabled", Section: SectionDeployment, Kind: KindBool, Default: "false",
			Title:  "Built-in Integrations (OAuth service)",
			Source: srcOAuthPage,
			Hint:   "Only for Gmail, Outlook, HubSpot, Notion and similar tool connections; SSO does not need it",
			Help: "Runs the Built-in Integrations service that lets crews act on users' Google, Microsoft, HubSpot " +
				"and Notion accounts. It adds a pod and its own database. Sign-in (WorkOS, Entra ID, Okta, Keycloak) " +
				"and the GitHub App work without it.",
		},
		{
			Path: "wharf.enabled", Section: SectionDeployment, Kind: KindBool, Default: "true",
			Title:  "Wharf trace collector",
			Source: srcWharfPage,
			Hint:   "Collects execution traces (OTLP) from automations; on unless you turn it off",
			Help: "Wharf stores execution traces in its own database (postgres.wharfDatabase). With your own PostgreSQL " +
				"server that database must exist before install. Traces need CrewAI 1.12 or newer in the automations.",
		},
		{
			Path: "cube.enabled", Section: SectionDeployment, Kind: KindBool, Default: "false",
			Title:  "Cube analytics",
			Source: ref(secCube),
			From:   Sources{Default: inferred("the reference generates CUBE_JWT_SECRET only when cube.enabled is true, so the feature looks opt-in")},
			Hint:   "Cost tracking and execution analytics",
			Help:   "Runs the Cube analytics service. When it is on the chart also needs secrets.CUBE_JWT_SECRET (generated unless you pin it).",
		},
		{
			Path: "web.tls.autoGenerate", Section: SectionDeployment, Kind: KindBool, WizardDefault: "true",
			Title:  "Chart-generated TLS certificate",
			Source: ref(secTLS),
			Hint:   "Chart-generated: a self-signed certificate; my certificate and key: files you supply",
			Help: "Chart-generated: the chart creates a self-signed certificate and key for application-level TLS and " +
				"keeps them across upgrades. My certificate and key: supply secrets.SSL_CERTIFICATE and " +
				"secrets.SSL_PRIVATE_KEY (or terminate TLS in front of the platform).",
			Unknown: "The chart's docs don't give the default, nor say whether the generated certificate survives an ArgoCD sync.",
		},
		{
			Path: "externalSecret.enabled", Section: SectionDeployment, Kind: KindBool, Default: "false",
			Title:  "Secrets from an external store",
			Source: ref(secTop),
			From:   Sources{Default: inferred("the reference describes direct secret values as the mode used when externalSecret.enabled is false")},
			Hint:   "Yes: an external secret store holds the secrets and secrets.yaml is not written",
			Help: "When secrets live in an external store (External Secrets Operator with AWS Secrets Manager, Vault…) " +
				"the chart does not read the secrets: section. The wizard then writes no secrets.yaml and lists in " +
				"summary.md every key and format the store must hold.",
			Unknown: "The chart's docs don't describe the externalSecret.* sub-keys.",
		},
		{
			Path: "global.replicated.licenseFields.replicated_customer_id", Section: SectionDeployment, Sensitive: true,
			Title:  "Replicated customer ID (license field)",
			Source: refKey(secPyPI, "secrets.UV_DEFAULT_INDEX: Auto-Generation (Replicated)"),
			Hint:   "Filled in by Replicated from your license; not set by hand",
			Help: "With a Replicated install the chart builds the private package index URL from this license field " +
				"and the registry.crewai.com password in global.replicated.dockerconfigjson. Changing license fields " +
				"restarts the pods on the next upgrade.",
		},
		{
			Path: "global.replicated.dockerconfigjson", Section: SectionDeployment, Sensitive: true,
			Title:  "Replicated registry credentials (license field)",
			Source: refKey(secPyPI, "secrets.UV_DEFAULT_INDEX: Auto-Generation (Replicated)"),
			Hint:   "Filled in by Replicated from your license; not set by hand",
			Help:   "The registry credentials Replicated provides; its registry.crewai.com entry supplies the package index password.",
		},
	}
}

func databaseEntries() []*Entry {
	dbRef := func(key string) Source { return refKey(secDatabase, key) }
	return []*Entry{
		{
			Path: "envVars.DB_HOST", Section: SectionDatabase,
			Title:  "Database host",
			Source: refKey(secWharf, "secrets.WHARF_POSTGRES_URL (Host: envVars.DB_HOST)"),
			From:   Sources{Required: inferred("with your own server the chart has no other way to find it")},
			Hint:   "Host name or IP of your PostgreSQL server, e.g. crewai.abc123.eu-west-1.rds.amazonaws.com",
			Help: "Where web, worker, OAuth and Wharf pods connect. Use a name the cluster can resolve. A wrong host " +
				"shows up as pods that crash-loop on start with connection errors.",
			RequiredWhen: "postgres.enabled is false", Required: externalDB,
			Unknown: "The chart's docs don't give a default host.",
		},
		{
			Path: "envVars.DB_PORT", Section: SectionDatabase, Default: "5432",
			Title:  "Database port",
			Source: refKey(secWharf, "secrets.WHARF_POSTGRES_URL (Port: envVars.DB_PORT, default \"5432\")"),
			Hint:   "PostgreSQL listens on 5432 unless your server says otherwise",
			Help:   "TCP port of the PostgreSQL server. Written as a quoted string, as environment variables are text.",
			Format: "a number from 1 to 65535", Rules: []Rule{portRule}, From: Sources{Format: portRule.Source},
		},
		{
			Path: "envVars.DB_USER", Section: SectionDatabase, Default: "postgres",
			Title:  "Database user",
			Source: dbRef("secrets.DB_USER (Default Behavior: envVars.DB_USER, default \"postgres\")"),
			Hint:   "The role the platform connects as (plain values.yaml)",
			Help: "Database role of the platform. Wharf always connects as this user, even when secrets.DB_USER is " +
				"set for the other components. Special characters are fine: the chart URL-encodes it.",
			Rules: []Rule{percentRule},
		},
		{
			Path: "secrets.DB_USER", Section: SectionDatabase, Sensitive: true,
			Title:   "Database user (secret)",
			Source:  dbRef("secrets.DB_USER"),
			Hint:    "Optional: overrides envVars.DB_USER for the platform and keeps the name in secrets.yaml",
			Purpose: "The role web, worker and the OAuth service log in to PostgreSQL as.",
			Help: "Same role name as envVars.DB_USER, kept in the Kubernetes Secret; when set it wins over " +
				"envVars.DB_USER for web, worker and OAuth. Wharf still reads envVars.DB_USER, so the wizard writes " +
				"both. Special characters are fine: the chart URL-encodes it.",
			Rules:    []Rule{percentRule},
			Rotation: "Create the new role on the database server and grant it the same privileges first; pods use the new name after the upgrade.",
			From:     Sources{Rotation: inferred("a role must exist on the server before pods connect as it")},
		},
		{
			Path: "secrets.DB_PASSWORD", Section: SectionDatabase, Sensitive: true,
			Title:   "Database password",
			Source:  dbRef("secrets.DB_PASSWORD"),
			Hint:    "Paste it as is: do not URL-encode @ : / ? # % — the chart does that",
			Purpose: "Logs every platform component, Wharf included, in to PostgreSQL.",
			Help: "Password of the database user. Every component needs it; a wrong password makes the web, worker and " +
				"migration pods fail at start. Take it byte for byte; the chart encodes special characters itself.",
			RequiredWhen: "always", Required: always,
			Rules:    []Rule{percentRule},
			Rotation: "Change the password on the PostgreSQL server first (ALTER ROLE … PASSWORD …), then here. Between the two steps no pod can connect, so do them close together.",
			From:     Sources{Rotation: inferred("the chart does not change the password on your server; pods restart on upgrade (reference: Automatic Pod Restarts)")},
			Unknown:  "The chart's docs don't say whether a new value also changes the in-cluster PostgreSQL user's password.",
		},
		{
			Path: "envVars.POSTGRES_OAUTH_DB", Section: SectionDatabase, Default: "oauth_db",
			Title:  "OAuth database name",
			Source: srcOAuthPage,
			Hint:   "Database of the Built-in Integrations service",
			Help: "Name of the database the OAuth service uses. With your own PostgreSQL server and Built-in " +
				"Integrations on it must exist before install (CREATE DATABASE …; grant the platform user all privileges on it).",
		},
		{
			Path: "postgres.oauthDatabase", Section: SectionDatabase,
			Title:   "OAuth database name (in-cluster)",
			Source:  srcOAuthPage,
			Hint:    "Name the in-cluster PostgreSQL gives the OAuth database",
			Help:    "Used with the in-cluster PostgreSQL: the chart creates this database for the OAuth service.",
			Unknown: "The chart's docs don't give its default or how it relates to envVars.POSTGRES_OAUTH_DB.",
		},
		{
			Path: "postgres.wharfDatabase", Section: SectionDatabase, Default: "wharf",
			Title:  "Wharf database name",
			Source: refKey(secWharf, "secrets.WHARF_POSTGRES_URL (Database: postgres.wharfDatabase, default \"wharf\")"),
			Hint:   "Database of the Wharf trace collector",
			Help: "With your own PostgreSQL server and Wharf on, a database of exactly this name must exist before " +
				"install, with all privileges granted to the user Wharf connects as (envVars.DB_USER).",
		},
		{
			Path: "postgres.fullnameOverride", Section: SectionDatabase,
			Title:  "In-cluster PostgreSQL name",
			Source: refKey(secWharf, "secrets.WHARF_POSTGRES_URL (Host: postgres.fullnameOverride with internal PostgreSQL)"),
			Hint:   "Optional: the name of the in-cluster PostgreSQL service, which Wharf uses as its host",
			Help:   "With the in-cluster PostgreSQL, Wharf connects to the service of this name instead of envVars.DB_HOST.",
			Unknown: "The chart's docs don't give its default; leave it unset unless you rename the in-cluster " +
				"PostgreSQL.",
		},
		{
			Path: "secrets.WHARF_POSTGRES_URL", Section: SectionDatabase, Sensitive: true,
			Title:     "Wharf connection string",
			Source:    refKey(secWharf, "secrets.WHARF_POSTGRES_URL: automatically constructed, not directly user-configurable"),
			Forbidden: "the chart builds it from envVars.DB_HOST, DB_PORT, DB_USER, secrets.DB_PASSWORD and postgres.wharfDatabase; remove it and set those instead",
		},
	}
}

func githubEntries() []*Entry {
	required := "when any GitHub App value is set (they only work together)"
	together := inferred("the reference lists the App's ID, client ID, URL, client secret and private key as configuration that goes together")
	ghRef := func(key string) Source { return refKey(secGitHub, key) }
	return []*Entry{
		{
			Path: "envVars.GITHUB_APP_ID", Section: SectionGitHub,
			Title:        "GitHub App ID",
			Source:       ghRef("secrets.GITHUB_CLIENT_SECRET (Related Configuration: envVars.GITHUB_APP_ID)"),
			Hint:         "The number shown as App ID at the top of the App's settings page",
			Help:         "Numeric ID of the GitHub App the platform uses to reach repositories. A wrong ID makes every GitHub call fail with 401.",
			Purpose:      "Identifies the App when the platform signs its API requests with the private key.",
			RequiredWhen: required, Required: GitHubAppStarted, From: Sources{Required: together, Format: srcGitHubApp},
			Format: "digits", Rules: []Rule{digitsRule("the App's numeric ID", srcGitHubApp)},
		},
		{
			Path: "envVars.GITHUB_CLIENT_ID", Section: SectionGitHub,
			Title:        "GitHub App client ID",
			Source:       ghRef("secrets.GITHUB_CLIENT_SECRET (Related Configuration: envVars.GITHUB_CLIENT_ID)"),
			Hint:         "Shown as Client ID on the App's settings page (starts with Iv)",
			Help:         "Identifies the App in the user-authorization flow during installation.",
			RequiredWhen: required, Required: GitHubAppStarted, From: Sources{Required: together},
		},
		{
			Path: "envVars.GITHUB_APP_URL", Section: SectionGitHub,
			Title:        "GitHub App URL",
			Source:       ghRef("secrets.GITHUB_CLIENT_SECRET (Related Configuration: envVars.GITHUB_APP_URL, the installation URL)"),
			Hint:         "e.g. https://github.com/apps/<app-slug>/installations/new",
			Help:         "Where the platform sends users to install the App on their organization. GitHub Enterprise Server Apps have their own host.",
			RequiredWhen: required, Required: GitHubAppStarted,
			Format: "a URL, normally https", Rules: []Rule{httpsURLRule("https://github.com/apps/my-crewai-app/installations/new")},
			From: Sources{Required: together, Format: httpsURLRule("").Source},
		},
		{
			Path: "secrets.GITHUB_CLIENT_SECRET", Section: SectionGitHub, Sensitive: true,
			Title:        "GitHub App client secret",
			Source:       ghRef("secrets.GITHUB_CLIENT_SECRET"),
			Hint:         "App settings > Client secrets > Generate a new client secret",
			Help:         "Secret of the App's OAuth flow (user authorization during installation). GitHub shows it once; generate a new one if it is lost.",
			Purpose:      "Lets the platform complete the App's user-authorization flow during installation.",
			RequiredWhen: required, Required: GitHubAppStarted, From: Sources{Required: together, Rotation: inferred("GitHub keeps an older client secret valid until it is deleted")},
			Rotation: "Generate a new client secret in the App settings first (GitHub keeps the old one valid until you delete it), rotate here, upgrade, then delete the old secret in GitHub.",
		},
		{
			Path: "secrets.GITHUB_WEBHOOK_SECRET_TOKEN", Section: SectionGitHub, Sensitive: true,
			Title:   "GitHub webhook secret",
			Source:  ghRef("secrets.GITHUB_WEBHOOK_SECRET_TOKEN"),
			Hint:    "Any long random string (ctrl+g makes one); the same value goes into the App's webhook settings",
			Help:    "Lets the platform check that webhook deliveries really come from GitHub. Paste the same value into the App's webhook secret. Leave it empty when the App's webhook is inactive.",
			Purpose: "Proves that webhook deliveries come from GitHub; the same value sits in the App's webhook settings.",
			Gen:     alphaNumGen(64),
			CopyTo:  "the GitHub App's webhook settings (Webhook secret)",
			Rotation: "Put the same new secret into the App's webhook settings at the same time; deliveries signed " +
				"with the other secret are rejected in between. Rotate shows the new value once so you can copy it.",
			From: Sources{Rotation: inferred("GitHub signs each delivery with the secret set in the App")},
		},
		{
			Path: "secrets.GITHUB_APP_PRIVATE_KEY", Section: SectionGitHub, Kind: KindOneLinePEM, Sensitive: true,
			Title:  "GitHub App private key",
			Source: ghRef("secrets.GITHUB_APP_PRIVATE_KEY"),
			Hint:   "Path to the .pem from App settings > Private keys > Generate a private key",
			Help: "The App signs its API requests with this RSA key. GitHub downloads it once as a .pem file; the " +
				"short SHA256 string GitHub shows next to it is only the fingerprint. The chart wants the whole key " +
				"on one line with \\n escapes, starting with -----BEGIN RSA PRIVATE KEY-----; the wizard converts the file.",
			Purpose:      "Signs the App's server-to-server requests to GitHub.",
			RequiredWhen: required, Required: GitHubAppStarted, From: Sources{Required: together, Rotation: docs("GitHub's docs on App private keys (fact catalog S19): an App can hold several keys")},
			Format: "an unencrypted RSA private key, PKCS#1 PEM (BEGIN RSA PRIVATE KEY), on one line with \\n escapes",
			Rules:  []Rule{githubAppKeyRule},
			Rotation: "Generate a new key in GitHub first (App settings > Private keys; an App can hold several), " +
				"supply the new .pem, upgrade, then delete the old key in GitHub.",
		},
		{
			Path: "secrets.GITHUB_TOKEN", Section: SectionGitHub, Sensitive: true,
			Title:        "GitHub token for CrewAI repositories",
			Source:       ghRef("secrets.GITHUB_TOKEN"),
			Hint:         "Provided by CrewAI; filled in from the license when installing through Replicated",
			Help:         "Lets the platform pull CrewAI's enterprise repositories. Replicated installs get it from the license; others ask CrewAI for it.",
			Purpose:      "Pulls CrewAI's enterprise repositories.",
			RequiredWhen: "when not installing through Replicated", Required: notReplicated,
			Rotation: "Get the new token from CrewAI first; pods use it after the upgrade.",
			From:     Sources{Rotation: ref(secRestarts)},
		},
		{
			Path: "secrets.GITHUB_CREW_STUDIO_TOKEN", Section: SectionGitHub, Sensitive: true,
			Title:    "Crew Studio GitHub token",
			Source:   ghRef("secrets.GITHUB_CREW_STUDIO_TOKEN"),
			Hint:     "Optional: a GitHub token for the Crew Studio integration",
			Help:     "A separate GitHub token used by Crew Studio.",
			Purpose:  "Lets Crew Studio reach GitHub.",
			Rotation: "Create the new token in GitHub first, rotate, upgrade, then revoke the old one.",
			From:     Sources{Rotation: inferred("a GitHub token works until it is revoked")},
			Unknown:  "The chart's docs don't say which scopes the token needs.",
		},
	}
}

// authProviderChoices are envVars.AUTH_PROVIDER's values, made from AuthProviders.
func authProviderChoices() []Choice {
	var out []Choice
	for _, p := range AuthProviders() {
		out = append(out, Choice{p.ID, p.Label})
	}
	return out
}

func authEntries() []*Entry {
	clientSecretRotation := func(where string) string {
		return "Create a new secret at the provider first (" + where + "), rotate, upgrade, then remove the old one. " +
			"Until the upgrade finishes, sign-ins use whichever secret the pod has."
	}
	rot := Sources{Rotation: inferred("providers keep an old client secret valid until it is removed, unless noted")}
	authRef := func(key string) Source { return refKey(secAuth, key) }
	// exampleOf cites a key shown in the reference's example configuration for a provider.
	exampleOf := func(secret string) Source { return authRef(secret + " (example configuration)") }
	withReq := func(s Source) Sources { return Sources{Required: s} }
	return []*Entry{
		{
			Path: "envVars.AUTH_PROVIDER", Section: SectionAuth,
			Title:  "Sign-in provider",
			Source: ref(secAuth),
			From:   Sources{Format: srcSSO},
			Hint:   "The identity provider users sign in with",
			Help: "Which single sign-on provider the platform uses. Only that provider's keys are needed. " +
				"Built-in Integrations are not needed for any of them.",
			Choices: authProviderChoices(),
			Unknown: "The chart's docs don't give a default provider.",
		},
		// Microsoft Entra ID
		{
			Path: "envVars.ENTRA_ID_CLIENT_ID", Section: SectionAuth,
			Title: "Entra ID client ID", Source: exampleOf("secrets.ENTRA_ID_CLIENT_SECRET"),
			Hint:         "App registration > Overview > Application (client) ID",
			Help:         "Identifies the platform's App registration in Microsoft Entra ID.",
			RequiredWhen: "AUTH_PROVIDER is entra_id", Required: providerIs("entra_id"), Rules: []Rule{guidRule},
			From: Sources{Format: guidRule.Source},
		},
		{
			Path: "envVars.ENTRA_ID_TENANT_ID", Section: SectionAuth,
			Title: "Entra ID tenant ID", Source: exampleOf("secrets.ENTRA_ID_CLIENT_SECRET"),
			Hint:         "App registration > Overview > Directory (tenant) ID",
			Help:         "Your organization's directory; users from other tenants cannot sign in.",
			RequiredWhen: "AUTH_PROVIDER is entra_id", Required: providerIs("entra_id"), Rules: []Rule{guidRule},
			From: Sources{Format: guidRule.Source},
		},
		{
			Path: "secrets.ENTRA_ID_CLIENT_SECRET", Section: SectionAuth, Sensitive: true,
			Title: "Entra ID client secret", Source: authRef("secrets.ENTRA_ID_CLIENT_SECRET"),
			Hint: "App registration > Certificates & secrets > Client secrets (copy the Value, not the ID)",
			Help: "Azure shows the value once, right after creating it, and it expires after the period you chose: " +
				"note the date, an expired secret stops all sign-ins.",
			Purpose:      "Authenticates the platform to Entra ID when users sign in.",
			RequiredWhen: "AUTH_PROVIDER is entra_id", Required: providerIs("entra_id"),
			Rotation: clientSecretRotation("App registration > Certificates & secrets"), From: rot,
		},
		// Okta
		{
			Path: "envVars.OKTA_SITE", Section: SectionAuth,
			Title: "Okta site", Source: exampleOf("secrets.OKTA_CLIENT_SECRET"),
			Hint:         "Your Okta org URL, e.g. https://company.okta.com",
			Help:         "Base URL of your Okta organization (shown under your user name in the Admin Console).",
			RequiredWhen: "AUTH_PROVIDER is okta", Required: providerIs("okta"),
			Format: "a URL, normally https", Rules: []Rule{httpsURLRule("https://company.okta.com")},
			From: Sources{Format: httpsURLRule("").Source},
		},
		{
			Path: "envVars.OKTA_CLIENT_ID", Section: SectionAuth,
			Title: "Okta client ID", Source: exampleOf("secrets.OKTA_CLIENT_SECRET"),
			Hint:         "Applications > your app > General > Client Credentials",
			Help:         "Client ID of the Okta web application for the platform.",
			RequiredWhen: "AUTH_PROVIDER is okta", Required: providerIs("okta"),
		},
		{
			Path: "envVars.OKTA_AUTHORIZATION_SERVER", Section: SectionAuth,
			Title: "Okta authorization server", Source: exampleOf("secrets.OKTA_CLIENT_SECRET"),
			Hint:         "Security > API > Authorization Servers: the server's name, e.g. default",
			Help:         "Name of the authorization server that issues the tokens. It must match exactly, or token checks fail with 401.",
			RequiredWhen: "AUTH_PROVIDER is okta", Required: providerIs("okta"),
		},
		{
			Path: "envVars.OKTA_AUDIENCE", Section: SectionAuth,
			Title: "Okta audience", Source: exampleOf("secrets.OKTA_CLIENT_SECRET"),
			Hint:         "The authorization server's Audience, e.g. api://default",
			Help:         "Must equal the audience of the authorization server above, or tokens are rejected.",
			RequiredWhen: "AUTH_PROVIDER is okta", Required: providerIs("okta"),
		},
		{
			Path: "secrets.OKTA_CLIENT_SECRET", Section: SectionAuth, Sensitive: true,
			Title: "Okta client secret", Source: authRef("secrets.OKTA_CLIENT_SECRET"),
			Hint:         "Applications > your app > General > Client Credentials",
			Help:         "Client secret of the Okta web application.",
			Purpose:      "Authenticates the platform to Okta when users sign in.",
			RequiredWhen: "AUTH_PROVIDER is okta", Required: providerIs("okta"),
			Rotation: clientSecretRotation("Okta lets an app hold two client secrets"), From: rot,
		},
		// WorkOS
		{
			Path: "envVars.WORKOS_CLIENT_ID", Section: SectionAuth,
			Title: "WorkOS client ID", Source: exampleOf("secrets.WORKOS_API_KEY"),
			Hint:         "WorkOS Dashboard > API Keys: Client ID (client_…)",
			Help:         "Identifies your WorkOS environment.",
			RequiredWhen: "AUTH_PROVIDER is workos", Required: providerIs("workos"),
		},
		{
			Path: "envVars.WORKOS_AUTHKIT_DOMAIN", Section: SectionAuth,
			Title: "WorkOS AuthKit domain", Source: exampleOf("secrets.WORKOS_API_KEY"),
			Hint:         "Bare host of your AuthKit, e.g. company.authkit.app",
			Help:         "Domain of the hosted AuthKit sign-in page. Give the host only.",
			RequiredWhen: "AUTH_PROVIDER is workos", Required: providerIs("workos"),
			Rules: []Rule{bareHostRule("company.authkit.app", exampleOf("secrets.WORKOS_API_KEY"))},
		},
		{
			Path: "envVars.WORKOS_COOKIE_PASSWORD", Section: SectionAuth, Sensitive: true,
			Title: "WorkOS cookie password", Source: exampleOf("secrets.WORKOS_API_KEY"),
			Hint: "A long random string; ctrl+g makes one (it lands in values.yaml, which then stays private)",
			Help: "Encrypts the WorkOS session cookie. The reference's example puts it under envVars, so it is " +
				"written to values.yaml, which is then kept private (mode 0600) like secrets.yaml.",
			Purpose:      "Encrypts users' WorkOS session cookies.",
			RequiredWhen: "AUTH_PROVIDER is workos", Required: providerIs("workos"),
			Format:   "a long random string; at least 32 characters advised",
			Rules:    []Rule{minLenRule(32, inferred("the reference's example value has 32 characters; WorkOS session encryption wants a long random password"))},
			Gen:      alphaNumGen(64),
			Rotation: "Existing session cookies can no longer be read: every user is signed out once.",
			From:     Sources{Rotation: inferred("cookies encrypted with the old password cannot be decrypted"), Format: inferred("the reference's example value has 32 characters")},
		},
		{
			Path: "secrets.WORKOS_API_KEY", Section: SectionAuth, Sensitive: true,
			Title: "WorkOS API key", Source: authRef("secrets.WORKOS_API_KEY"),
			Hint:         "WorkOS Dashboard > API Keys: secret key (usually sk_live_… or sk_test_…)",
			Help:         "Server-side key for the WorkOS API. Use the production key (sk_live_) for production.",
			Purpose:      "Authenticates the platform to the WorkOS API.",
			RequiredWhen: "AUTH_PROVIDER is workos", Required: providerIs("workos"),
			Format: "typically starts with sk_live_ or sk_test_", Rules: []Rule{workosKeyRule},
			Rotation: "Create a new key in the WorkOS dashboard first, rotate, upgrade, then revoke the old key.", From: Sources{Format: workosKeyRule.Source, Rotation: rot.Rotation},
		},
		// Keycloak
		{
			Path: "envVars.KEYCLOAK_CLIENT_ID", Section: SectionAuth,
			Title: "Keycloak client ID", Source: exampleOf("secrets.KEYCLOAK_CLIENT_SECRET"),
			Hint:         "Clients > your client: Client ID, e.g. crewai-factory",
			Help:         "The OpenID Connect client created for the platform (client authentication on).",
			RequiredWhen: "AUTH_PROVIDER is keycloak", Required: providerIs("keycloak"),
		},
		{
			Path: "envVars.KEYCLOAK_SITE", Section: SectionAuth,
			Title: "Keycloak site", Source: exampleOf("secrets.KEYCLOAK_CLIENT_SECRET"),
			Hint:         "Base URL of your Keycloak server, e.g. https://keycloak.company.com",
			Help:         "Where Keycloak is served. Installs migrated from Keycloak before 17 may also need a base path such as /auth.",
			RequiredWhen: "AUTH_PROVIDER is keycloak", Required: providerIs("keycloak"),
			Format: "a URL, normally https", Rules: []Rule{httpsURLRule("https://keycloak.company.com")},
			From: Sources{Format: httpsURLRule("").Source},
		},
		{
			Path: "envVars.KEYCLOAK_REALM", Section: SectionAuth,
			Title: "Keycloak realm", Source: exampleOf("secrets.KEYCLOAK_CLIENT_SECRET"),
			Hint:         "The realm holding the client, e.g. crewai",
			Help:         "Realm name as shown in the Keycloak admin console's realm selector.",
			RequiredWhen: "AUTH_PROVIDER is keycloak", Required: providerIs("keycloak"),
		},
		{
			Path: "secrets.KEYCLOAK_CLIENT_SECRET", Section: SectionAuth, Sensitive: true,
			Title: "Keycloak client secret", Source: authRef("secrets.KEYCLOAK_CLIENT_SECRET"),
			Hint:         "Clients > your client > Credentials tab",
			Help:         "Secret of the client above; the Credentials tab only exists when client authentication is on.",
			Purpose:      "Authenticates the platform to Keycloak when users sign in.",
			RequiredWhen: "AUTH_PROVIDER is keycloak", Required: providerIs("keycloak"),
			Rotation: "Regenerate it on the client's Credentials tab: Keycloak drops the old secret at once, so rotate and upgrade right away.",
			From:     Sources{Rotation: srcKeycloak},
		},
		// Auth0
		{
			Path: "envVars.AUTH0_CLIENT_ID", Section: SectionAuth,
			Title: "Auth0 client ID", Source: srcSSO,
			Hint:         "Applications > your application > Settings: Client ID",
			Help:         "Client ID of the Auth0 regular web application.",
			RequiredWhen: "AUTH_PROVIDER is auth0", Required: providerIs("auth0"), From: withReq(srcSSO),
			Unknown: "The chart's docs don't say where Auth0 values go; the wizard puts the non-secret ones in envVars, as the reference does for the other providers.",
		},
		{
			Path: "envVars.AUTH0_DOMAIN", Section: SectionAuth,
			Title: "Auth0 domain", Source: srcSSO,
			Hint:         "Your tenant domain, e.g. company.us.auth0.com",
			Help:         "Domain of your Auth0 tenant, without https://.",
			RequiredWhen: "AUTH_PROVIDER is auth0", Required: providerIs("auth0"), From: withReq(srcSSO),
			Rules:   []Rule{bareHostRule("company.us.auth0.com", srcSSO)},
			Unknown: "The chart's docs don't say where Auth0 values go; the wizard puts the non-secret ones in envVars, as the reference does for the other providers.",
		},
		{
			Path: "secrets.AUTH0_CLIENT_SECRET", Section: SectionAuth, Sensitive: true,
			Title: "Auth0 client secret", Source: srcSSO,
			Hint:         "Applications > your application > Settings: Client Secret",
			Help:         "Client secret of the Auth0 application.",
			Purpose:      "Authenticates the platform to Auth0 when users sign in.",
			RequiredWhen: "AUTH_PROVIDER is auth0", Required: providerIs("auth0"), From: Sources{Required: srcSSO, Rotation: rot.Rotation},
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

// OAuthSecretsBase is the path of a Built-in Integrations provider's credentials
// (oauth.secrets.<id>, holding clientId and clientSecret).
func OAuthSecretsBase(id string) string { return "oauth.secrets." + id }

// OAuthProduct is one integration product; the chart makes its Secret keys
// (secrets.<Prefix>_CLIENT_ID/_CLIENT_SECRET) from oauth.secrets.
type OAuthProduct struct {
	Prefix string
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
	providerSrc := ref(secOAuth)
	for _, p := range OAuthProviders() {
		on := func(a *Answers) bool { return a.OAuthProviderOn(p.ID) }
		base := OAuthSecretsBase(p.ID)
		out = append(out,
			&Entry{
				Path: base + ".clientId", Section: SectionIntegrations, Source: providerSrc,
				Title: p.Label + " client ID", Hint: "Created in " + p.Console,
				Help:         "Provider-level OAuth client used by every " + p.Label + " product.",
				RequiredWhen: "when " + p.Label + " integrations are used", Required: on,
			},
			&Entry{
				Path: base + ".clientSecret", Section: SectionIntegrations, Sensitive: true, Source: providerSrc,
				Title: p.Label + " client secret", Hint: "Created with the client ID in " + p.Console,
				Help:         "Secret of the provider-level OAuth client.",
				Purpose:      "Lets the Built-in Integrations service connect users' " + p.Label + " accounts.",
				RequiredWhen: "when " + p.Label + " integrations are used", Required: on,
				Rotation: "Create a new secret for the same client at " + p.Label + " first, rotate, upgrade, then " +
					"delete the old one. Connected accounts stay connected.",
				From: Sources{Rotation: inferred("a provider's OAuth client can hold a second secret; the stored user tokens belong to the client, not the secret")},
			})
		for _, prod := range p.Products {
			for _, half := range []string{"_CLIENT_ID", "_CLIENT_SECRET"} {
				out = append(out, &Entry{
					Path: "secrets." + prod.Prefix + half, Section: SectionIntegrations, Sensitive: half == "_CLIENT_SECRET",
					Title:  prod.Label + " OAuth client" + strings.ToLower(strings.ReplaceAll(half, "_CLIENT_", " ")),
					Source: refKey(secOAuth, "the Kubernetes secret keys generated from oauth.secrets.*"),
					Hint:   "The chart makes it from " + base + "; set the " + p.Label + " client there",
					Help: "One of the Secret keys the chart generates from oauth.secrets.* for the " + prod.Label +
						" integration. Set the provider-level client under " + base + " instead of this key.",
					Derived: base,
					Unknown: "The chart's docs don't show the layout of per-product overrides inside oauth.secrets; " +
						"see the chart's Built-in Integrations reference (OAuth Secrets Configuration).",
				})
			}
		}
	}
	oauthOn := enabled("oauth.enabled")
	out = append(out,
		&Entry{
			Path: "secrets.OAUTH_DB_ENCRYPTION_KEY", Section: SectionIntegrations, Sensitive: true,
			Title:   "OAuth token encryption key",
			Source:  refKey(secIntegrations, "secrets.OAUTH_DB_ENCRYPTION_KEY"),
			From:    Sources{Generated: refKey(secIntegrations, "secrets.OAUTH_DB_ENCRYPTION_KEY"), Rotation: inferred("tokens encrypted with the old key cannot be decrypted")},
			Hint:    "Generated by the chart unless you pin it (ArgoCD must)",
			Help:    "Encrypts the access and refresh tokens of connected accounts in the OAuth database.",
			Purpose: "Encrypts the connected accounts' OAuth tokens at rest in the OAuth database.",
			Format:  "64 hexadecimal characters", Rules: []Rule{hexKeyRule(64, true, refKey(secIntegrations, "secrets.OAUTH_DB_ENCRYPTION_KEY: Hexadecimal string (64 characters)"))},
			ChartGen: "64 hexadecimal characters", ChartGenWhen: oauthOn, Gen: hexGen(64), ArgoCD: true,
			Rotation: "Tokens already stored can no longer be decrypted: every user must reconnect their Google, " +
				"Microsoft, HubSpot and Notion accounts.",
			ConfirmRotate: true, ConfirmWhy: "protects data at rest: the stored OAuth tokens become unreadable",
		},
		&Entry{
			Path: "secrets.OAUTH_INTERNAL_API_KEY", Section: SectionIntegrations, Sensitive: true,
			Title:    "OAuth internal API key",
			Source:   refKey(secIntegrations, "secrets.OAUTH_INTERNAL_API_KEY"),
			Hint:     "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Authenticates calls between the OAuth service and Rails.",
			Purpose:  "Authenticates calls between the Built-in Integrations service and Rails (Rails gets it as CREWAI_OAUTH_API_KEY).",
			ChartGen: "randAlphaNum 64", ChartGenWhen: oauthOn, Gen: alphaNumGen(64), ArgoCD: true,
			Mirror: "CREWAI_OAUTH_API_KEY",
			Rotation: "The chart also hands this value to Rails as CREWAI_OAUTH_API_KEY, so both sides change on the " +
				"same upgrade; integration calls during the rollout may fail.",
			From: Sources{Rotation: inferred("both services restart on the upgrade (reference: Automatic Pod Restarts)")},
		},
	)
	return out
}

func llmEntries() []*Entry {
	return []*Entry{
		{
			Path: "envVars.BUILT_IN_LLM_PROVIDER", Section: SectionLLM,
			Title:  "LLM provider",
			Source: refKey(secLLM, "secrets.BUILT_IN_LLM_API_KEY (Related Configuration)"),
			Hint:   "Provider of the model behind Studio prompt help, automation descriptions and flow chat; empty: none",
			Help: "The platform's own AI features (improving Studio prompts, describing automations, chatting with " +
				"flows) call this provider. Leave it empty to run without them.",
			Choices: []Choice{{"openai", "OpenAI"}}, Open: true,
			Unknown: "The chart's docs show only openai as a value and mention Anthropic-specific requirements without " +
				"giving them; check your chart version's docs for other providers.",
		},
		{
			Path: "envVars.BUILT_IN_LLM_MODEL", Section: SectionLLM,
			Title:        "LLM model",
			Source:       refKey(secLLM, "secrets.BUILT_IN_LLM_API_KEY (Related Configuration)"),
			From:         Sources{Required: inferred("a provider without a model has nothing to call")},
			Hint:         "Model name at that provider, e.g. gpt-4o-mini",
			Help:         "The model the platform's AI features use.",
			RequiredWhen: "when an LLM provider is chosen", Required: llmChosen,
		},
		{
			Path: "secrets.BUILT_IN_LLM_API_KEY", Section: SectionLLM, Sensitive: true,
			Title:        "LLM API key",
			Source:       refKey(secLLM, "secrets.BUILT_IN_LLM_API_KEY"),
			Hint:         "An API key from the provider's console (OpenAI keys start with sk-)",
			Help:         "Authenticates the platform's calls to the LLM provider.",
			Purpose:      "Authenticates the platform's own AI features to the LLM provider.",
			RequiredWhen: "when an LLM provider is chosen", Required: llmChosen,
			Rotation: "Create a new key at the provider first, rotate, upgrade, then revoke the old key.",
			From:     Sources{Rotation: inferred("provider keys stay valid until revoked")},
			Unknown:  "The chart's docs don't give provider-specific rules for the key.",
		},
	}
}

func storageEntries() []*Entry {
	lowConfidence := "Not in the chart's reference; known from third-party values files only, so check against your chart version."
	return []*Entry{
		{
			Path: "envVars.STORAGE_SERVICE", Section: SectionStorage,
			Title:   "Object storage",
			Source:  refKey(secAWS, "secrets.AWS_ACCESS_KEY_ID (When Required: STORAGE_SERVICE: amazon)"),
			From:    Sources{Format: srcThirdParty},
			Hint:    "Amazon S3 (or S3-compatible) or Azure Blob Storage; empty keeps the chart's default",
			Help:    "Where the platform keeps files and artifacts.",
			Choices: []Choice{{"amazon", "Amazon S3 or S3-compatible"}, {"microsoft", "Azure Blob Storage"}}, Open: true,
			Unknown: "The chart's docs don't give the default or list every value; amazon and microsoft are the ones the reference mentions.",
		},
		{
			Path: "envVars.AWS_REGION", Section: SectionStorage, Source: srcThirdParty,
			Title: "AWS region", Hint: "Region of the bucket, e.g. us-east-1", Unknown: lowConfidence,
			Help:         "Region of the S3 bucket ('auto' for some S3-compatible stores).",
			RequiredWhen: "STORAGE_SERVICE is amazon", Required: storageIs("amazon"), From: Sources{Required: srcStorageLoTr},
		},
		{
			Path: "envVars.AWS_BUCKET", Section: SectionStorage, Source: srcThirdParty,
			Title: "S3 bucket", Hint: "Bucket name (create it first)", Unknown: lowConfidence,
			Help:         "The bucket the platform stores files in. Create it before installing.",
			RequiredWhen: "STORAGE_SERVICE is amazon", Required: storageIs("amazon"), From: Sources{Required: srcStorageLoTr},
		},
		{
			Path: "envVars.AWS_ENDPOINT", Section: SectionStorage, Source: srcThirdParty,
			Title: "S3 endpoint", Hint: "Only for S3-compatible stores (MinIO, GCS interoperability)", Unknown: lowConfidence,
			Help: "URL of an S3-compatible store; leave it empty for Amazon S3.",
		},
		{
			Path:  "serviceAccount.annotations.eks.amazonaws.com/role-arn",
			Keys:  []string{"serviceAccount", "annotations", "eks.amazonaws.com/role-arn"},
			Title: "IAM role for S3 (IRSA)", Section: SectionStorage,
			Source: docs("the service-account chart-values page (fact catalog S10, high confidence): serviceAccount.annotations, the EKS IRSA annotation"),
			Hint:   "arn:aws:iam::ACCOUNT:role/NAME — the role the pods assume for S3 (EKS)",
			Help: "With an IAM role for the service account (IRSA), EKS gives the pods the role's credentials and no access " +
				"keys sit in secrets.yaml. The role's trust policy must allow the cluster's OIDC provider and the " +
				"platform's service account (<release>-sa unless serviceAccount.name is set), and its policy the bucket.",
			RequiredWhen: "STORAGE_SERVICE is amazon without access keys", Required: func(a *Answers) bool {
				return a.S3WithRole()
			},
			From:  Sources{Required: inferred("S3 without access keys needs credentials from somewhere; on EKS that is IRSA")},
			Rules: []Rule{roleARNRule},
		},
		{
			Path: "secrets.AWS_ACCESS_KEY_ID", Section: SectionStorage, Sensitive: true,
			Title:        "AWS access key ID",
			Source:       refKey(secAWS, "secrets.AWS_ACCESS_KEY_ID"),
			Hint:         "IAM > Users > Security credentials; prefer an IAM role (IRSA) instead",
			Help:         "Static credentials for S3. Not needed when the pods get an IAM role through IRSA, which the reference recommends for production.",
			Purpose:      "Identifies the platform to S3 with static credentials.",
			RequiredWhen: "STORAGE_SERVICE is amazon with static credentials", Required: (*Answers).S3WithKeys,
			Pair:     "secrets.AWS_SECRET_ACCESS_KEY",
			Rotation: "Create a second access key for the IAM user first, rotate both values, upgrade, then deactivate the old key.",
			From:     Sources{Rotation: inferred("an IAM user can hold two access keys")},
		},
		{
			Path: "secrets.AWS_SECRET_ACCESS_KEY", Section: SectionStorage, Sensitive: true,
			Title:        "AWS secret access key",
			Source:       refKey(secAWS, "secrets.AWS_SECRET_ACCESS_KEY"),
			From:         Sources{Required: inferred("the secret half of the access key the reference requires with static credentials")},
			Hint:         "Shown once, when the access key is created",
			Help:         "Secret half of the static S3 credentials.",
			Purpose:      "Signs the platform's requests to S3 with static credentials.",
			RequiredWhen: "STORAGE_SERVICE is amazon with static credentials", Required: (*Answers).S3WithKeys,
			Pair:     "secrets.AWS_ACCESS_KEY_ID",
			Rotation: "Rotates together with AWS_ACCESS_KEY_ID.",
		},
		{
			Path: "secrets.AZURE_STORAGE_ACCOUNT_NAME", Section: SectionStorage, Source: srcThirdParty,
			Title: "Azure storage account", Hint: "Name of the storage account", Unknown: lowConfidence,
			Help:         "The Azure storage account holding the platform's files.",
			RequiredWhen: "STORAGE_SERVICE is microsoft", Required: storageIs("microsoft"), From: Sources{Required: srcThirdParty},
		},
		{
			Path: "secrets.AZURE_STORAGE_ACCESS_KEY", Section: SectionStorage, Sensitive: true,
			Title:        "Azure storage access key",
			Source:       refKey(secAzure, "secrets.AZURE_STORAGE_ACCESS_KEY"),
			Hint:         "Storage account > Security + networking > Access keys",
			Help:         "Key of the Azure storage account.",
			Purpose:      "Authenticates the platform to the Azure storage account.",
			RequiredWhen: "STORAGE_SERVICE is microsoft", Required: storageIs("microsoft"),
			Rotation: "Azure keeps two keys per account: switch to the other key here, upgrade, then regenerate the old one.",
			From:     Sources{Rotation: inferred("Azure storage accounts have two access keys")},
		},
		{
			Path: "secrets.AZURE_CLIENT_SECRET", Section: SectionStorage, Sensitive: true,
			Title:    "Azure client secret",
			Source:   refKey(secAzure, "secrets.AZURE_CLIENT_SECRET"),
			Hint:     "Optional: App registration of the service principal > Certificates & secrets",
			Help:     "Secret of the Azure service principal, when the platform reaches Azure through one.",
			Purpose:  "Authenticates the platform's Azure service principal.",
			Rotation: "Add a new secret to the service principal first, rotate, upgrade, then delete the old one.",
			From:     Sources{Rotation: inferred("a service principal can hold several secrets")},
		},
	}
}

func platformEntries() []*Entry {
	dataLoss := "Existing encrypted data can no longer be read. Only rotate with a plan for that data."
	gen := func(key, section string) Sources {
		return Sources{Generated: refKey(section, key+": Auto-Generation"), Rotation: inferred("what the value protects, per the reference's description")}
	}
	return []*Entry{
		{
			Path: "secrets.SECRET_KEY_BASE", Section: SectionPlatform, Sensitive: true,
			Title: "Rails secret key base", Source: refKey(secRails, "secrets.SECRET_KEY_BASE"), From: gen("secrets.SECRET_KEY_BASE", secRails),
			Hint:     "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Rails signs and encrypts sessions with it.",
			Purpose:  "Signs and encrypts users' sessions (Rails secret_key_base).",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Every session becomes invalid: all users are signed out.",
		},
		{
			Path: "secrets.CREWAI_PLUS_INTERNAL_API_KEY", Section: SectionPlatform, Sensitive: true,
			Title: "Internal API key", Source: refKey(secRails, "secrets.CREWAI_PLUS_INTERNAL_API_KEY"), From: gen("secrets.CREWAI_PLUS_INTERNAL_API_KEY", secRails),
			Hint:     "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Authenticates the platform's services to each other.",
			Purpose:  "Authenticates the platform's services to each other.",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "All platform services switch on the same upgrade. Crews built before may carry the old key " +
				"(observed in the field, not documented): redeploy any that fail to call back.",
		},
		{
			Path: "secrets.ENCRYPTION_KEY", Section: SectionPlatform, Sensitive: true,
			Title: "Application encryption key", Source: refKey(secRails, "secrets.ENCRYPTION_KEY"),
			From:    Sources{Generated: refKey(secRails, "secrets.ENCRYPTION_KEY: Auto-Generation"), Format: refKey(secRails, "secrets.ENCRYPTION_KEY: Format"), Rotation: inferred("data encrypted at rest with the old key cannot be decrypted")},
			Hint:    "Generated by the chart unless you pin it (ArgoCD must)",
			Help:    "Encrypts sensitive application data at rest.",
			Purpose: "Encrypts sensitive application data at rest; lose it and that data is unreadable.",
			Format:  "hexadecimal, 64 characters recommended", Rules: []Rule{hexKeyRule(64, false, refKey(secRails, "secrets.ENCRYPTION_KEY: Hexadecimal string (recommended: 64 characters)"))},
			ChartGen: "64 hexadecimal characters", Gen: hexGen(64), ArgoCD: true,
			Rotation: dataLoss, ConfirmRotate: true, ConfirmWhy: "protects data at rest",
		},
		{
			Path: "secrets.ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY", Section: SectionPlatform, Sensitive: true,
			Title: "Active Record primary key", Source: refKey(secRails, "secrets.ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY"), From: gen("secrets.ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY", secRails),
			Hint:     "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Rails Active Record Encryption key for encrypted columns.",
			Purpose:  "Encrypts database columns (Active Record Encryption); lose it and they are unreadable.",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Columns encrypted with it can no longer be decrypted. " + dataLoss, ConfirmRotate: true, ConfirmWhy: "protects data at rest",
		},
		{
			Path: "secrets.ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY", Section: SectionPlatform, Sensitive: true,
			Title: "Active Record deterministic key", Source: refKey(secRails, "secrets.ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY"), From: gen("secrets.ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY", secRails),
			Hint:     "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Key for deterministically encrypted columns, the ones the application can search by value.",
			Purpose:  "Encrypts the database columns the application searches by value.",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Deterministically encrypted columns can no longer be decrypted or searched. " + dataLoss, ConfirmRotate: true, ConfirmWhy: "protects data at rest",
		},
		{
			Path: "secrets.ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT", Section: SectionPlatform, Sensitive: true,
			Title: "Active Record key derivation salt", Source: refKey(secRails, "secrets.ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT"), From: gen("secrets.ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT", secRails),
			Hint:     "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Salt from which Rails derives its encryption keys.",
			Purpose:  "Derives Active Record's encryption keys; change it and encrypted data is unreadable.",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Every derived key changes, so all Active Record encrypted data becomes unreadable. " + dataLoss, ConfirmRotate: true, ConfirmWhy: "protects data at rest",
		},
		{
			Path: "secrets.FACTORY_DEBUG_TOKEN", Section: SectionPlatform, Sensitive: true,
			Title: "Factory debug token", Source: refKey(secRails, "secrets.FACTORY_DEBUG_TOKEN"), From: gen("secrets.FACTORY_DEBUG_TOKEN", secRails),
			Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help: "Unlocks GET /health/debug (sent in the X-Factory-Debug-Token header), the one-shot diagnostic of database, " +
				"sign-in, LLM and pod health; without it the endpoint answers 404.",
			Purpose:  "Unlocks the /health/debug diagnostic (header X-Factory-Debug-Token).",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Scripts that call /health/debug with the old token get 404 until they use the new one.",
		},
		{
			Path: "secrets.REGISTRY_HTTP_SECRET", Section: SectionPlatform, Sensitive: true,
			Title: "Registry HTTP secret", Source: refKey(secRails, "secrets.REGISTRY_HTTP_SECRET"), From: gen("secrets.REGISTRY_HTTP_SECRET", secRails),
			Hint:     "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Shared secret of the internal container registry. Note the length: 32, not 64.",
			Purpose:  "Authenticates HTTP traffic of the internal container registry.",
			ChartGen: "randAlphaNum 32", Gen: alphaNumGen(32), ArgoCD: true,
			Rotation: "Registry pods restart; image uploads in progress may fail and need a retry.",
		},
		{
			Path: "secrets.OIDC_PRIVATE_KEY", Section: SectionPlatform, Kind: KindPEM, Sensitive: true,
			Title: "OIDC signing key", Source: refKey(secRails, "secrets.OIDC_PRIVATE_KEY"),
			From: Sources{Generated: refKey(secRails, "secrets.OIDC_PRIVATE_KEY: Auto-Generation"), Format: refKey(secRails, "secrets.OIDC_PRIVATE_KEY: RSA private key (PEM)"),
				Rotation: refKey(secRails, "secrets.OIDC_PRIVATE_KEY: Stability requirement")},
			Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help: "Signs the tokens of the platform's built-in identity provider; its public half is published at " +
				"/oauth2/jwks, where AWS IAM, GCP Workload Identity and Azure federated credentials check them.",
			Purpose: "Signs the platform's OIDC tokens that clouds trust for workload identity (published at /oauth2/jwks).",
			Format:  "an RSA private key, PEM", Rules: []Rule{rsaPrivateKeyRule(refKey(secRails, "secrets.OIDC_PRIVATE_KEY: RSA private key (PEM)"))},
			ChartGen: `genPrivateKey "rsa"`, Gen: rsaGen(), ArgoCD: true,
			Pair: "secrets.OIDC_KEY_ID",
			Rotation: "Cloud workload-identity trust breaks until the new public key is published at /oauth2/jwks and " +
				"the clouds refresh it. Rotates together with OIDC_KEY_ID.",
			ConfirmRotate: true, ConfirmWhy: "is what cloud providers trust: rotating it invalidates all federated trust until they refresh",
		},
		{
			Path: "secrets.OIDC_KEY_ID", Section: SectionPlatform,
			Title: "OIDC key ID", Source: refKey(secRails, "secrets.OIDC_KEY_ID"),
			From:     Sources{Generated: refKey(secRails, "secrets.OIDC_KEY_ID: Auto-Generation"), Rotation: refKey(secRails, "secrets.OIDC_KEY_ID: Stability requirement")},
			Hint:     "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "The kid published in the JWKS and stamped on every token; it must stay with its signing key.",
			Purpose:  "Names the OIDC signing key (kid) in the JWKS and in every token.",
			ChartGen: "crewai-oidc-<random>", Gen: oidcKeyIDGen(), ArgoCD: true,
			Pair:     "secrets.OIDC_PRIVATE_KEY",
			Rotation: "Changing it without the signing key (or the reverse) breaks token verification: it rotates together with OIDC_PRIVATE_KEY.",
			Unknown:  "The chart's docs don't give the random suffix's format; the tool uses 16 lowercase letters and digits.",
		},
		{
			Path: "secrets.DEPLOYMENT_INSTANCE_JWT_SECRET", Section: SectionPlatform, Sensitive: true,
			Title: "Deployment instance JWT secret", Source: refKey(secDeployment, "secrets.DEPLOYMENT_INSTANCE_JWT_SECRET"),
			From: Sources{Generated: refKey(secDeployment, "secrets.DEPLOYMENT_INSTANCE_JWT_SECRET: Auto-Generation"), Rotation: refKey(secDeployment, "secrets.DEPLOYMENT_INSTANCE_JWT_SECRET: Rotation Warning")},
			Hint: "Generated by the chart unless you pin it (ArgoCD must)",
			Help: "Signs the access tokens (24 h) and refresh tokens (1 year) deployed crews use to call back into the " +
				"platform. Without it crews stop working when their access token expires.",
			Purpose:  "Signs the access and refresh tokens that deployed crews use to call back into the platform.",
			ChartGen: "randAlphaNum 64", Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Every refresh token already handed to a deployed crew stops verifying, and the daily re-mint " +
				"job does not recover them: redeploy every active automation after the upgrade.",
			ConfirmRotate: true, ConfirmWhy: "signs every deployed crew's refresh token: each active automation must be redeployed",
		},
		{
			Path: "secrets.WHARF_JWT_SECRET", Section: SectionPlatform, Sensitive: true,
			Title: "Wharf JWT secret", Source: refKey(secWharf, "secrets.WHARF_JWT_SECRET"), From: gen("secrets.WHARF_JWT_SECRET", secWharf),
			Hint:     "Generated by the chart unless you pin it (ArgoCD must)",
			Help:     "Shared by Wharf and Rails to authenticate trace submissions.",
			Purpose:  "Authenticates trace submissions between Rails and the Wharf collector.",
			ChartGen: "randAlphaNum 64", ChartGenWhen: enabled("wharf.enabled"), Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Wharf and Rails switch on the same upgrade; traces sent during the rollout may be rejected.",
		},
		{
			Path: "secrets.CUBE_JWT_SECRET", Section: SectionPlatform, Sensitive: true,
			Title: "Cube JWT secret", Source: refKey(secCube, "secrets.CUBE_JWT_SECRET"), From: gen("secrets.CUBE_JWT_SECRET", secCube),
			Hint:     "Generated by the chart when Cube is on, unless you pin it (ArgoCD must)",
			Help:     "Shared by Cube and Rails to authenticate analytics queries.",
			Purpose:  "Authenticates analytics queries between Rails and Cube.",
			ChartGen: "randAlphaNum 64", ChartGenWhen: enabled("cube.enabled"), Gen: alphaNumGen(64), ArgoCD: true,
			Rotation: "Cube and Rails switch on the same upgrade; analytics queries during the rollout may fail.",
		},
		{ //nolint:gosec // the hint describes the URL's form; it holds no credential
			Path: "secrets.UV_DEFAULT_INDEX", Section: SectionPlatform, Sensitive: true,
			Title: "Private Python package index", Source: refKey(secPyPI, "secrets.UV_DEFAULT_INDEX"),
			Hint: "https://USER:PASSWORD@HOST/simple/ (Replicated installs fill it in from the license)",
			Help: "Where crew builds install CrewAI's enterprise Python packages, for example a private PyPI mirror in an " +
				"air-gapped network. When set it overrides the URL Replicated builds from the license. Give it plain: the chart base64-encodes it.",
			Purpose:      "Lets crew builds install CrewAI's enterprise Python packages.",
			RequiredWhen: "when not installing through Replicated", Required: notReplicated,
			Format: "https://USER:PASSWORD@HOST/simple/", Rules: []Rule{uvIndexRule, alreadyBase64Rule},
			Rotation: "Crew builds fail until the new credentials work at the index: change them there first.",
			From:     Sources{Rotation: inferred("builds authenticate with the URL's credentials")},
		},
		{
			Path: "secrets.RAILS_MASTER_KEY", Section: SectionPlatform, Sensitive: true,
			Title: "Rails master key", Source: ref(secRails + " (Do not set RAILS_MASTER_KEY)"),
			Forbidden: "the chart configures Rails without it and warns at install when it is present; remove it",
		},
		{
			Path: "envVars.RAILS_MASTER_KEY", Section: SectionPlatform, Sensitive: true,
			Title: "Rails master key", Source: ref(secRails + " (Do not set RAILS_MASTER_KEY)"),
			Forbidden: "the chart configures Rails without it and warns at install when it is present; remove it",
		},
	}
}

func tlsEntries() []*Entry {
	autoGen := enabled("web.tls.autoGenerate")
	pairRotation := "Rotate the certificate and its key together; they must match."
	tlsGen := Sources{Generated: ref(secTLS + " (Auto-Generation when web.tls.autoGenerate is true)"), Rotation: enforced("a TLS key must match its certificate")}
	with := func(s Sources, format Source) Sources { s.Format = format; return s }
	return []*Entry{
		{
			Path: "secrets.SSL_CERTIFICATE", Section: SectionTLS, Kind: KindPEM,
			Title: "TLS certificate", Source: refKey(secTLS, "secrets.SSL_CERTIFICATE"), From: tlsGen,
			Hint:    "PEM certificate, with intermediates after it",
			Help:    "Certificate for application-level TLS; may hold the whole chain (server certificate first).",
			Purpose: "Certificate the platform serves for application-level TLS.",
			Format:  "PEM certificate(s)", Rules: []Rule{certificateRule(refKey(secTLS, "secrets.SSL_CERTIFICATE: PEM-encoded certificate, may include the chain"))},
			ChartGen: "self-signed, when web.tls.autoGenerate is true", ChartGenWhen: autoGen,
			Pair: "secrets.SSL_PRIVATE_KEY", Rotation: pairRotation,
		},
		{
			Path: "secrets.SSL_PRIVATE_KEY", Section: SectionTLS, Kind: KindPEM, Sensitive: true,
			Title: "TLS private key", Source: refKey(secTLS, "secrets.SSL_PRIVATE_KEY"), From: tlsGen,
			Hint:    "PEM private key of the certificate",
			Help:    "Private key matching secrets.SSL_CERTIFICATE.",
			Purpose: "Private key of the platform's TLS certificate.",
			Format:  "an unencrypted PEM private key", Rules: []Rule{privateKeyRule(refKey(secTLS, "secrets.SSL_PRIVATE_KEY: PEM-encoded private key"))},
			ChartGen: "self-signed, when web.tls.autoGenerate is true", ChartGenWhen: autoGen,
			Pair: "secrets.SSL_CERTIFICATE", Rotation: pairRotation,
		},
		{
			Path: "secrets.CREW_SSL_CERT", Section: SectionTLS, Kind: KindPEM,
			Title: "Crew service certificate", Source: refKey(secTLS, "secrets.CREW_SSL_CERT"),
			From:    with(tlsGen, inferred("an SSL certificate, like secrets.SSL_CERTIFICATE")),
			Hint:    "PEM certificate for crew service traffic",
			Help:    "Certificate for communication with crew services.",
			Purpose: "Certificate for traffic with crew services.",
			Format:  "PEM certificate(s)", Rules: []Rule{certificateRule(refKey(secTLS, "secrets.CREW_SSL_CERT: SSL certificate"))},
			ChartGen: "self-signed, when web.tls.autoGenerate is true", ChartGenWhen: autoGen,
			Pair: "secrets.CREW_SSL_KEY", Rotation: pairRotation,
		},
		{
			Path: "secrets.CREW_SSL_KEY", Section: SectionTLS, Kind: KindPEM, Sensitive: true,
			Title: "Crew service key", Source: refKey(secTLS, "secrets.CREW_SSL_KEY"),
			From:    with(tlsGen, inferred("an SSL private key, like secrets.SSL_PRIVATE_KEY")),
			Hint:    "PEM private key of the crew service certificate",
			Help:    "Private key matching secrets.CREW_SSL_CERT.",
			Purpose: "Private key of the crew service certificate.",
			Format:  "an unencrypted PEM private key", Rules: []Rule{privateKeyRule(refKey(secTLS, "secrets.CREW_SSL_KEY: SSL private key"))},
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
	// Purpose says what it protects.
	Purpose string
	When    Condition
	Advice  string
	Source  Source
}

// Gaps returns the documented secrets whose key names the docs do not give.
func Gaps() []Gap {
	return []Gap{{
		Section:  SectionIntegrations,
		Name:     "OAuth session-cookie secret (key name not in the reference)",
		ChartGen: "randAlphaNum 64",
		Purpose:  "Signs the Built-in Integrations service's session cookies during OAuth flows.",
		When:     enabled("oauth.enabled"),
		Advice: "its key name is not documented, so the tool cannot pin it: under ArgoCD, look it up in your " +
			"chart version's docs and pin it in secrets.yaml, or OAuth sessions reset on every sync",
		Source: ref(secIntegrations + " (an entry whose key name is missing from the page)"),
	}}
}

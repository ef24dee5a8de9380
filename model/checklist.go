package model

// ChecklistItem is one thing to have ready before installing: what it is, where it comes from,
// and whether Replicated supplies it.
type ChecklistItem struct {
	What string
	From string
	// Replicated: an install through Replicated gets it from the license.
	Replicated bool
	// Optional: only some installs need it.
	Optional bool
}

// Checklist returns what to have ready before the first install, in the order the wizard asks.
// The README's "Before you start" list, the wizard's first screen and summary.md show it.
// Nothing on it blocks the wizard: a missing value can be filled in later with init --from.
func Checklist() []ChecklistItem {
	return []ChecklistItem{
		{What: "Access to the chart's registry (" + ChartRef + ")", From: "CrewAI gives you the registry credentials", Replicated: true},
		{What: "A PostgreSQL server, or the in-cluster one: host, user, password", From: "your database team or cloud console (RDS, Cloud SQL, Azure Database); with your own server, create the OAuth and Wharf databases beforehand"},
		{What: "A GitHub App: App ID, client ID, client secret, private key (.pem), installation URL", From: "GitHub > Settings > Developer settings > GitHub Apps; the .pem downloads only once"},
		{What: "A GitHub token for CrewAI's repositories", From: "CrewAI", Replicated: true},
		{What: "Package index credentials (a https://USER:PASSWORD@HOST/simple/ URL)", From: "CrewAI, or your private PyPI mirror", Replicated: true}, //nolint:gosec // a format description, not a credential
		{What: "A sign-in app registration (WorkOS, Entra ID, Okta, Keycloak or Auth0): client ID and secret", From: "your identity provider's admin console; register the redirect URI the wizard shows"},
		{What: "Object storage: an S3 bucket, its region and an IAM role (IRSA) or access keys — or an Azure storage account and key", From: "your cloud console"},
		{What: "The platform's host name, with DNS, ingress and a certificate for it", From: "your cluster and DNS admins; this tool does not set them"},
		{What: "An LLM API key (OpenAI) for the platform's own AI features", From: "the provider's console", Optional: true},
		{What: "OAuth clients for Google, Microsoft, HubSpot or Notion tool connections", From: "each provider's developer console", Optional: true},
	}
}

// ChartRef is the chart's OCI reference.
const ChartRef = "oci://registry.crewai.com/crewai/stable/crewai-platform"

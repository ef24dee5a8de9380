package steps

import (
	"slices"
	"strings"

	"crewai-setup/model"
)

// NewIntegrations asks for the OAuth clients of the Built-in Integrations providers and any
// per-product overrides. It is skipped while Built-in Integrations are off.
func NewIntegrations(ctx *Context) Step {
	cat := ctx.Catalog
	preselect(ctx.Answers)
	providers := OAuthProvidersQuestion()
	qs := []Question{providers}
	for _, p := range model.OAuthProviders() {
		selected := listed(func(a *model.Answers) []string { return a.Wizard.OAuthProviders }, p.ID)
		base := "oauth.secrets." + p.ID
		qs = append(qs, Ask(cat, base+".clientId").when(selected), Ask(cat, base+".clientSecret").when(selected))
	}
	s := newFormStep(ctx, "integrations", "OAuth products",
		"Built-in Integrations let crews use people's Google, Microsoft, HubSpot and Notion accounts. Sign-in (SSO) does not need them; they cost a pod and a database.",
		qs...)
	s.skip = func(a *model.Answers) string {
		if !a.Enabled("oauth.enabled") {
			return "Built-in Integrations are off (Deployment)"
		}
		return ""
	}
	return s
}

// preselect marks the providers whose credentials the answers already hold, so prefilled
// values show up (and are kept) on the screen.
func preselect(a *model.Answers) {
	for _, p := range model.OAuthProviders() {
		if a.OAuthProviderOn(p.ID) && !slices.Contains(a.Wizard.OAuthProviders, p.ID) {
			a.Wizard.OAuthProviders = append(a.Wizard.OAuthProviders, p.ID)
		}
	}
}

// OAuthProvidersQuestion asks which Built-in Integrations providers are used.
func OAuthProvidersQuestion() Question {
	q := wizardQuestion("wizard.oauthProviders", "Providers", "space selects; each selected provider needs an OAuth client",
		"Create one OAuth client per provider in its developer console and register the platform's callback URL there.",
		Multi,
		func(a *model.Answers) string { return strings.Join(a.Wizard.OAuthProviders, ",") },
		func(a *model.Answers, v string) { a.Wizard.OAuthProviders = splitList(v) })
	for _, p := range model.OAuthProviders() {
		q.Choices = append(q.Choices, model.Choice{Value: p.ID, Label: p.Label})
	}
	return q
}

// listed is a visibility condition: value is in the list a Multi question stores. (It is
// checked for every field on every frame, so it reads the list rather than the joined answer.)
func listed(list func(a *model.Answers) []string, value string) func(a *model.Answers) bool {
	return func(a *model.Answers) bool { return slices.Contains(list(a), value) }
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

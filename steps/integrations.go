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
	var products []model.Choice
	qs := []Question{providers}
	for _, p := range model.OAuthProviders() {
		selected := listed(func(a *model.Answers) []string { return a.Wizard.OAuthProviders }, p.ID)
		base := "oauth.secrets." + p.ID
		qs = append(qs, Ask(cat, base+".clientId").when(selected), Ask(cat, base+".clientSecret").when(selected))
		if len(p.Products) > 1 {
			for _, prod := range p.Products {
				products = append(products, model.Choice{Value: prod.Prefix, Label: prod.Label})
			}
		}
	}
	overrides := wizardQuestion("wizard.oauthProducts", "Own OAuth client for", "Select products that use their own client instead of the provider's",
		"Each Google and Microsoft product can use its own OAuth client (secrets.GOOGLE_GMAIL_CLIENT_ID and so on) "+
			"instead of the provider-level one, e.g. when Gmail needs a separately verified app.",
		Multi,
		func(a *model.Answers) string { return strings.Join(a.Wizard.OAuthProducts, ",") },
		func(a *model.Answers, v string) { a.Wizard.OAuthProducts = splitList(v) })
	overrides.Choices = products
	qs = append(qs, overrides)
	for _, c := range products {
		chosen := listed(func(a *model.Answers) []string { return a.Wizard.OAuthProducts }, c.Value)
		qs = append(qs, Ask(cat, "secrets."+c.Value+"_CLIENT_ID").when(chosen), Ask(cat, "secrets."+c.Value+"_CLIENT_SECRET").when(chosen))
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

// preselect marks the providers and products whose credentials the answers already hold, so
// prefilled values show up (and are kept) on the screen.
func preselect(a *model.Answers) {
	for _, p := range model.OAuthProviders() {
		if a.OAuthProviderOn(p.ID) && !slices.Contains(a.Wizard.OAuthProviders, p.ID) {
			a.Wizard.OAuthProviders = append(a.Wizard.OAuthProviders, p.ID)
		}
		for _, prod := range p.Products {
			set := a.Get("secrets."+prod.Prefix+"_CLIENT_ID") != "" || a.Get("secrets."+prod.Prefix+"_CLIENT_SECRET") != ""
			if set && len(p.Products) > 1 && !slices.Contains(a.Wizard.OAuthProducts, prod.Prefix) {
				a.Wizard.OAuthProducts = append(a.Wizard.OAuthProducts, prod.Prefix)
			}
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

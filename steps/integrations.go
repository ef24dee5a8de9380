package steps

import (
	"strings"

	"crewai-setup/model"
)

// NewIntegrations asks for the OAuth clients of the Built-in Integrations providers. It is
// skipped while Built-in Integrations are off.
func NewIntegrations(ctx *Context) Step {
	cat := ctx.Catalog
	providers := newProviders()
	fields := []Field{providers}
	for _, p := range model.OAuthProviders() {
		selected := func(*model.Answers) bool { return providers.Has(p.ID) }
		base := model.OAuthSecretsBase(p.ID)
		fields = append(fields, FieldFor(QuestionFor(cat, base+".clientId").when(selected)),
			FieldFor(QuestionFor(cat, base+".clientSecret").when(selected)))
	}
	s := newFormStep(ctx, "integrations", "OAuth products",
		"Built-in Integrations let crews use people's Google, Microsoft, HubSpot and Notion accounts. Sign-in (SSO) does not need them; they cost a pod and a database.",
		fields...)
	s.outro = func(a *model.Answers) string {
		if !providers.any() {
			return ""
		}
		// The chart's docs give the redirect URIs per ingress layout; the reference has none.
		return ctx.Styles.Accent.Render("Each OAuth client needs the platform's callback URL registered. It depends on your " +
			"ingress layout: the chart's Built-in Integrations docs list it (Built-in Integrations overview, Redirect URIs).")
	}
	s.skip = func(a *model.Answers) string {
		if !a.Enabled("oauth.enabled") {
			return "Built-in Integrations are off (Deployment)"
		}
		return ""
	}
	return s
}

// newProviders asks which Built-in Integrations providers are used. A provider starts
// ticked when the answers list it or hold its credentials (model.Answers.OAuthProviderOn), so
// prefilled values show up and are kept; the ticks are the screen's own until the operator
// changes them, which stores the list.
func newProviders() *Multi {
	var choices []model.Choice
	for _, p := range model.OAuthProviders() {
		choices = append(choices, model.Choice{Value: p.ID, Label: p.Label})
	}
	return NewMulti(Question{
		Path: "wizard.oauthProviders", Label: "Providers", Hint: "space selects; each selected provider needs an OAuth client",
		Help: "Create one OAuth client per provider in its developer console. The callback URL to register there is in " +
			"the chart's Built-in Integrations docs, for your ingress layout (see below the fields).",
		Get: func(a *model.Answers) string {
			var on []string
			for _, p := range model.OAuthProviders() {
				if a.OAuthProviderOn(p.ID) {
					on = append(on, p.ID)
				}
			}
			return strings.Join(on, ",")
		},
		Set: func(a *model.Answers, v string) { a.Wizard.OAuthProviders = splitList(v) },
	}, choices)
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

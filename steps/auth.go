package steps

import (
	"strings"

	"crewai-setup/model"
)

// NewAuth asks which identity provider users sign in with, then only that provider's values.
func NewAuth(ctx *Context) Step {
	cat := ctx.Catalog
	provider := QuestionFor(cat, "envVars.AUTH_PROVIDER")
	fields := []Field{NewChoice(provider, append([]model.Choice{{Value: "", Label: "not chosen"}}, provider.Entry.Choices...))}
	for _, e := range cat.Section(model.SectionAuth) {
		if e.Path == "envVars.AUTH_PROVIDER" {
			continue
		}
		id := providerOf(e.Path)
		fields = append(fields, FieldFor(QuestionFor(cat, e.Path).when(equals("envVars.AUTH_PROVIDER", id))))
	}
	s := newFormStep(ctx, "auth", "Authentication",
		"The single sign-on provider users log in with. Built-in Integrations are not needed for any of them.",
		fields...)
	s.outro = func(a *model.Answers) string {
		p := a.Get("envVars.AUTH_PROVIDER")
		if p == "" || p == "local" {
			return ""
		}
		return ctx.Styles.Accent.Render("Redirect (callback) URL to register at the provider:\nhttps://" + hostOr(a) + "/auth/" + p + "/callback")
	}
	return s
}

// providerOf maps an auth key to its AUTH_PROVIDER value (envVars.OKTA_SITE → okta).
func providerOf(path string) string {
	name := path[strings.LastIndexByte(path, '.')+1:]
	for _, p := range []struct{ prefix, id string }{
		{"ENTRA_ID_", "entra_id"}, {"OKTA_", "okta"}, {"WORKOS_", "workos"}, {"KEYCLOAK_", "keycloak"}, {"AUTH0_", "auth0"},
	} {
		if strings.HasPrefix(name, p.prefix) {
			return p.id
		}
	}
	return ""
}

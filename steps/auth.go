package steps

import (
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
		id := model.AuthProviderOf(e.Path)
		fields = append(fields, FieldFor(QuestionFor(cat, e.Path).when(equals("envVars.AUTH_PROVIDER", id))))
	}
	s := newFormStep(ctx, "auth", "Authentication",
		"The single sign-on provider users log in with. Built-in Integrations are not needed for any of them.",
		fields...)
	s.outro = func(a *model.Answers) string {
		redirect, also := model.SignInRedirect(a)
		if redirect == "" {
			return ""
		}
		out := ctx.copyable(ctx.Styles.Accent, "Redirect (callback) URL to register at the provider:", redirect)
		if also != "" {
			out += "\n" + ctx.Styles.Accent.Render("Also register: "+also)
		}
		return out
	}
	return s
}

package steps

import "crewai-setup/model"

// NewLLM asks for the model behind the platform's own AI features.
func NewLLM(ctx *Context) Step {
	cat := ctx.Catalog
	chosen := func(a *model.Answers) bool { return a.Get("envVars.BUILT_IN_LLM_PROVIDER") != "" }
	provider := Ask(cat, "envVars.BUILT_IN_LLM_PROVIDER")
	provider.Placeholder = "openai (leave empty to go without)"
	return newFormStep(ctx, "llm", "LLM",
		"The platform's own AI features (Studio prompt help, automation descriptions, chatting with flows) call this model. Optional.",
		provider,
		Ask(cat, "envVars.BUILT_IN_LLM_MODEL").when(chosen),
		Ask(cat, "secrets.BUILT_IN_LLM_API_KEY").when(chosen),
	)
}

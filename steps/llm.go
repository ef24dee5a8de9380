package steps

import "crewai-setup/model"

// NewLLM asks for the model behind the platform's own AI features.
func NewLLM(ctx *Context) Step {
	cat := ctx.Catalog
	chosen := func(a *model.Answers) bool { return a.Get("envVars.BUILT_IN_LLM_PROVIDER") != "" }
	provider := QuestionFor(cat, "envVars.BUILT_IN_LLM_PROVIDER")
	provider.Placeholder = "openai, or leave empty to go without"
	return newFormStep(ctx, "llm", "LLM",
		"The platform's own AI features (Studio prompt help, automation descriptions, chatting with flows) call this model. Optional.",
		FieldFor(provider),
		FieldFor(QuestionFor(cat, "envVars.BUILT_IN_LLM_MODEL").when(chosen)),
		FieldFor(QuestionFor(cat, "secrets.BUILT_IN_LLM_API_KEY").when(chosen)),
	)
}

package preflight

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"crewai-setup/model"
)

// llmCheck lists the models the key may use at the chosen provider: the cheapest call that
// proves the key works without spending tokens. Providers without such a list are skipped.
func llmCheck(a *model.Answers, e *env) func(context.Context) Result {
	provider := a.Get("envVars.BUILT_IN_LLM_PROVIDER")
	key, wantModel := a.Get("secrets.BUILT_IN_LLM_API_KEY"), a.Get("envVars.BUILT_IN_LLM_MODEL")
	return func(ctx context.Context) Result {
		var base string
		switch strings.ToLower(provider) {
		case "openai":
			base = e.opts.OpenAIBase
		case "anthropic":
			base = e.opts.AnthropicBase
		default:
			return skip("", fmt.Sprintf("no model-list check for provider %s", provider))
		}
		target := strings.TrimRight(base, "/") + "/models"
		if key == "" {
			return skip(target, "secrets.BUILT_IN_LLM_API_KEY is not set")
		}
		return e.checkLLM(ctx, strings.ToLower(provider), target, key, wantModel)
	}
}

// checkLLM sends the key only to the provider's API base, in the provider's own header.
func (e *env) checkLLM(ctx context.Context, provider, target, key, wantModel string) Result {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fail(target, "the API base is not an http(s) URL")
	}
	target = publicURL(u)
	if provider == "anthropic" {
		u.RawQuery = "limit=1000" // the list is paged; one page holds every model
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fail(target, "the API base is not usable")
	}
	req.Header.Set("Accept", "application/json")
	if provider == "anthropic" {
		req.Header.Set("x-api-key", key)
		req.Header.Set("anthropic-version", "2023-06-01")
	} else {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := do(e.http.sameHost, req)
	if err != nil {
		return fail(target, e.httpFailure(err, u))
	}
	var body struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
		HasMore bool `json:"has_more"`
		Error   struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	jsonErr := json.Unmarshal(resp.body, &body)
	msg := ""
	if m := clip(e.red.foreign(body.Error.Message), 160); m != "" {
		msg = ": " + m
	}
	switch {
	case resp.status == http.StatusUnauthorized:
		return fail(target, fmt.Sprintf("the API key was refused (401%s): check secrets.BUILT_IN_LLM_API_KEY", msg))
	case resp.status == http.StatusForbidden:
		return fail(target, fmt.Sprintf("the key may not list models (403%s): give it permission to read models, or check the organization/project it belongs to", msg))
	case resp.status == http.StatusTooManyRequests:
		return fail(target, fmt.Sprintf("rate limited or out of quota (429%s): check the account's billing and limits", msg))
	case resp.status == http.StatusNotFound:
		return fail(target, "no model list at this address (404): check the API base")
	case resp.status != http.StatusOK:
		return fail(target, fmt.Sprintf("the provider answered HTTP %d%s", resp.status, msg))
	case jsonErr != nil:
		return fail(target, "the answer is not a model list: check the API base")
	}
	// A model missing from the list is only a warning: aliases and fine-tuned models may work
	// without being listed, and the key itself is fine.
	ids := make([]string, len(body.Data))
	for i, m := range body.Data {
		ids[i] = m.ID
	}
	detail := fmt.Sprintf("key accepted; %d models listed", len(ids))
	switch {
	case wantModel == "":
	case slices.Contains(ids, wantModel):
		detail += "; " + wantModel + " is available"
	case body.HasMore:
		detail += fmt.Sprintf("; warning: %s is not among the first %d models listed: check envVars.BUILT_IN_LLM_MODEL", wantModel, len(ids))
	default:
		detail += fmt.Sprintf("; warning: %s is not in the list (a typo, an alias, or a model this key cannot use): check envVars.BUILT_IN_LLM_MODEL", wantModel)
	}
	return pass(target, detail)
}

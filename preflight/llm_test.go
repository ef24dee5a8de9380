package preflight

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

const llmKey = "sk-proj-Vb7Nc2Xe5Ja9"

// llmServer imitates both model-list APIs: /openai/models with a Bearer key and
// /anthropic/models with x-api-key and anthropic-version.
func llmServer(t *testing.T) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var ok bool
		switch r.URL.Path {
		case "/openai/models":
			ok = r.Header.Get("Authorization") == "Bearer "+llmKey
		case "/anthropic/models":
			if r.Header.Get("anthropic-version") != "2023-06-01" {
				t.Errorf("anthropic-version %q", r.Header.Get("anthropic-version"))
			}
			ok = r.Header.Get("x-api-key") == llmKey && r.Header.Get("Authorization") == ""
		default:
			http.NotFound(w, r)
			return
		}
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			// OpenAI echoes the start and end of a wrong key.
			_, _ = w.Write([]byte(`{"error":{"message":"Incorrect API key provided: sk-proj-********Ja9x.","type":"invalid_request_error"}}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"data": []map[string]string{{"id": "gpt-4o-mini"}, {"id": "claude-sonnet-4-20250514"}}, "has_more": false})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestLLM(t *testing.T) {
	srv := llmServer(t)
	opts := Options{HTTPClient: srv.Client(), OpenAIBase: srv.URL + "/openai", AnthropicBase: srv.URL + "/anthropic/"}
	a := answers("envVars.BUILT_IN_LLM_PROVIDER", "openai", "envVars.BUILT_IN_LLM_MODEL", "gpt-4o-mini", "secrets.BUILT_IN_LLM_API_KEY", llmKey)
	r := runCheck(t, a, opts, "LLM")
	want(t, r, Pass, "key accepted", "2 models", "gpt-4o-mini is available")
	if r.Target != srv.URL+"/openai/models" {
		t.Errorf("target %q", r.Target)
	}

	a.Set("envVars.BUILT_IN_LLM_MODEL", "gpt-4o-mni")
	want(t, runCheck(t, a, opts, "LLM"), Pass, "warning: gpt-4o-mni is not in the list", "envVars.BUILT_IN_LLM_MODEL")

	a.Set("envVars.BUILT_IN_LLM_PROVIDER", "anthropic")
	a.Set("envVars.BUILT_IN_LLM_MODEL", "claude-sonnet-4-20250514")
	want(t, runCheck(t, a, opts, "LLM"), Pass, "claude-sonnet-4-20250514 is available")

	a.Set("secrets.BUILT_IN_LLM_API_KEY", llmKey+"x")
	r = runCheck(t, a, opts, "LLM")
	want(t, r, Fail, "401", "secrets.BUILT_IN_LLM_API_KEY", "Incorrect API key provided")

	a.Set("envVars.BUILT_IN_LLM_PROVIDER", "azure")
	want(t, runCheck(t, a, opts, "LLM"), Skipped, "no model-list check for provider azure")

	a = answers("envVars.BUILT_IN_LLM_PROVIDER", "openai")
	want(t, runCheck(t, a, opts, "LLM"), Skipped, "secrets.BUILT_IN_LLM_API_KEY")
}

func TestLLMWrongBase(t *testing.T) {
	srv := llmServer(t)
	a := answers("envVars.BUILT_IN_LLM_PROVIDER", "openai", "secrets.BUILT_IN_LLM_API_KEY", llmKey)
	want(t, runCheck(t, a, Options{HTTPClient: srv.Client(), OpenAIBase: srv.URL + "/v2"}, "LLM"), Fail, "404", "API base")
}

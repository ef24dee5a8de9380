package preflight

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"crewai-setup/model"
)

// Distinctive secrets: no 6-character piece of them occurs in any message of the package.
const (
	leakDBUser     = "Jd4Lq9Ws2Tn7"
	leakDBPassword = "Mv8Bx3Kp6Rz1"
	leakOkta       = "Hc5Fy2Wd8Qs4"
	leakLLM        = "sk-proj-Pz6Ug1Ye4Ko9"
	leakIndexUser  = "Ra7Cu3Ni"
	leakIndexPass  = "Ex2Gm9Vh5Bn8"
	leakWorkOS     = "sk_test_Oa3Dk7Ji5Wu1"
	leakCookie     = "Lf2Rb6Tc9Hx4Lf2Rb6Tc9Hx4Lf2Rb6Tc9Hx4"
)

// echoServer fails every request and echoes everything it received (headers, body, query)
// in the error fields the checks read, as a careless server might.
func echoServer(t *testing.T, tokens *sync.Map) *httptest.Server {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		var all strings.Builder
		for k, v := range r.Header {
			all.WriteString(k + ": " + strings.Join(v, ",") + " ")
		}
		all.WriteString(r.Form.Encode())
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			tokens.Store(tok, true)
		}
		echo := all.String()
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration") {
			base := "https://" + r.Host + strings.TrimSuffix(r.URL.Path, "/.well-known/openid-configuration")
			_ = json.NewEncoder(w).Encode(map[string]any{"issuer": base, "token_endpoint": base + "/token"})
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"message": echo, "error": "invalid_client " + echo, "error_description": "Invalid client: " + echo,
			"error_codes": []int{}, "detail": echo,
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Every check, run with distinctive secrets against servers that fail and echo what they
// got, shows no secret and no piece of one in any result.
func TestNoSecretInResults(t *testing.T) {
	srv := pg.Get(t)
	var tokens sync.Map
	echo := echoServer(t, &tokens)
	host := strings.TrimPrefix(echo.URL, "https://")
	fakeHost, fakePort := splitAddr(t, fakePG(t, "XX000"))
	hbaHost, hbaPort := splitAddr(t, fakePG(t, "28000"))
	silentHost, silentPort := splitAddr(t, serveTCP(t, silent))
	gitKey := pkcs1PEM(otherKey())
	index := "https://" + leakIndexUser + ":" + leakIndexPass + "@" + host + "/simple/"

	common := []string{
		"postgres.enabled", "false", "oauth.enabled", "true",
		"secrets.DB_USER", leakDBUser, "secrets.DB_PASSWORD", leakDBPassword,
		"envVars.GITHUB_APP_ID", "4242", "envVars.GITHUB_APP_URL", echo.URL + "/apps/x",
		"secrets.GITHUB_APP_PRIVATE_KEY", gitKey,
		"envVars.BUILT_IN_LLM_PROVIDER", "openai", "envVars.BUILT_IN_LLM_MODEL", "gpt-x", "secrets.BUILT_IN_LLM_API_KEY", leakLLM,
		"secrets.UV_DEFAULT_INDEX", index,
		"envVars.WORKOS_COOKIE_PASSWORD", leakCookie, "secrets.WORKOS_API_KEY", leakWorkOS,
	}
	scenarios := [][]string{
		// A real server: unknown (secret) user, wrong password.
		{"envVars.DB_HOST", srv.Host, "envVars.DB_PORT", strconv.Itoa(srv.Port),
			"envVars.AUTH_PROVIDER", "okta", "envVars.OKTA_SITE", echo.URL, "envVars.OKTA_AUTHORIZATION_SERVER", "default",
			"envVars.OKTA_CLIENT_ID", "0oa-client", "secrets.OKTA_CLIENT_SECRET", leakOkta},
		// Servers whose error messages name the user.
		{"envVars.DB_HOST", fakeHost, "envVars.DB_PORT", fakePort, "envVars.AUTH_PROVIDER", "keycloak",
			"envVars.KEYCLOAK_SITE", echo.URL, "envVars.KEYCLOAK_REALM", "r", "envVars.KEYCLOAK_CLIENT_ID", "kc", "secrets.KEYCLOAK_CLIENT_SECRET", leakOkta},
		{"envVars.DB_HOST", hbaHost, "envVars.DB_PORT", hbaPort, "envVars.AUTH_PROVIDER", "workos", "envVars.WORKOS_AUTHKIT_DOMAIN", host},
		// Network failures.
		{"envVars.DB_HOST", silentHost, "envVars.DB_PORT", silentPort, "envVars.AUTH_PROVIDER", "auth0",
			"envVars.AUTH0_DOMAIN", "auth.crewai-preflight.invalid", "envVars.AUTH0_CLIENT_ID", "a0", "secrets.AUTH0_CLIENT_SECRET", leakOkta},
	}
	secrets := []string{leakDBUser, leakDBPassword, leakOkta, leakLLM, leakIndexUser, leakIndexPass, leakWorkOS, leakCookie,
		base64.StdEncoding.EncodeToString([]byte("0oa-client:" + leakOkta))}
	for _, line := range strings.Split(gitKey, "\n") {
		if line != "" && !strings.HasPrefix(line, "-----") {
			secrets = append(secrets, line)
		}
	}
	opts := Options{HTTPClient: echo.Client(), OpenAIBase: echo.URL + "/v1", Timeout: 2 * time.Second}
	var results []Result
	for _, sc := range scenarios {
		a := answers(append(append([]string{}, common...), sc...)...)
		for _, r := range RunAll(t.Context(), a, opts) {
			t.Logf("%s %s %s: %.80s (%s)", r.Status, r.Name, r.Target, r.Detail, r.Elapsed)
			// WorkOS has no client check: its discovery document is all there is, and it is fine.
			if r.Status != Fail && r.Name != "SSO (WorkOS)" {
				t.Errorf("%s: want a failure against the failing server, got %s", r.Name, r.Status)
			}
			results = append(results, r)
		}
	}
	tokens.Range(func(k, _ any) bool {
		secrets = append(secrets, k.(string)) // the signed GitHub App token
		return true
	})
	for _, r := range results {
		text := r.Name + "\n" + r.Target + "\n" + r.Detail
		for _, s := range secrets {
			if piece := leakedPiece(text, s); piece != "" {
				t.Errorf("%s result shows %q, a piece of a secret:\n%s", r.Name, piece, text)
			}
		}
	}
	if len(results) != 4*5 {
		t.Errorf("ran %d checks, want 20 (5 per scenario)", len(results))
	}
}

// leakedPiece returns a piece of secret of at least 6 bytes that text contains, or "".
func leakedPiece(text, secret string) string {
	if len(secret) < minPiece {
		if strings.Contains(text, secret) {
			return secret
		}
		return ""
	}
	for i := 0; i+minPiece <= len(secret); i++ {
		if strings.Contains(text, secret[i:i+minPiece]) {
			return secret[i : i+minPiece]
		}
	}
	return ""
}

func TestRedactor(t *testing.T) {
	a := model.NewAnswers(model.NewCatalog())
	a.Set("secrets.DB_PASSWORD", "Abcdef123456")
	a.Set("secrets.UV_DEFAULT_INDEX", "https://user1:pAss%40word@h/simple/")
	a.Set("envVars.DB_HOST", "db.example.com") // not a secret
	r := newRedactor(a)
	for in, want := range map[string]string{
		"key Abcdef123456 here":            "key ••• here",
		"partial xxAbcdef1yy and 456!":     "partial xx•••yy and 456!",
		"decoded pAss@word, encoded %40":   "decoded •••, encoded %40",
		"host db.example.com":              "host db.example.com",
		"ü Abcdef and a multi-byte secret": "ü ••• and a multi-byte secret",
	} {
		if got := r.foreign(in); got != want {
			t.Errorf("foreign(%q) = %q, want %q", in, got, want)
		}
	}
	if got := r.values("x Abcdef123456 y Abcdef"); got != "x ••• y Abcdef" {
		t.Errorf("values replaced pieces: %q", got)
	}
}

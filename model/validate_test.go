package model

import (
	"strings"
	"testing"
)

// baseAnswers is a small valid set: in-cluster PostgreSQL, local sign-in, Replicated install.
func baseAnswers() *Answers {
	a := NewAnswers(NewCatalog())
	a.SetBool("postgres.enabled", true)
	a.Set("secrets.DB_PASSWORD", "pw")
	a.Set("envVars.AUTH_PROVIDER", "local")
	a.Wizard.Replicated = true
	return a
}

type expect struct {
	path string
	sev  Severity
	// text must appear in the message; "" means "no problem of this severity at path".
	text string
}

func TestValidateBaseIsClean(t *testing.T) {
	if probs := Validate(baseAnswers()); len(probs) > 0 {
		t.Fatalf("base answers should be clean, got:\n%v", probs)
	}
}

func TestValidateRules(t *testing.T) {
	cert, otherKey := fxCert(t)
	tests := []struct {
		name   string
		change func(a *Answers)
		want   []expect
	}{
		{"password required", func(a *Answers) { a.Set("secrets.DB_PASSWORD", "") },
			[]expect{{"secrets.DB_PASSWORD", Error, "is required"}}},
		{"port zero", func(a *Answers) { a.Set("envVars.DB_PORT", "0") }, []expect{{"envVars.DB_PORT", Warning, "1 to 65535"}}},
		{"port too big", func(a *Answers) { a.Set("envVars.DB_PORT", "65536") }, []expect{{"envVars.DB_PORT", Warning, "1 to 65535"}}},
		{"port not digits", func(a *Answers) { a.Set("envVars.DB_PORT", "54x") }, []expect{{"envVars.DB_PORT", Warning, "digits"}}},
		{"port signed", func(a *Answers) { a.Set("envVars.DB_PORT", "+5432") }, []expect{{"envVars.DB_PORT", Warning, "digits"}}},
		{"port max ok", func(a *Answers) { a.Set("envVars.DB_PORT", "65535") }, []expect{{"envVars.DB_PORT", Error, ""}}},
		{"external db needs host", func(a *Answers) { a.SetBool("postgres.enabled", false) },
			[]expect{{"envVars.DB_HOST", Warning, "postgres.enabled is false"}}},
		{"postgres.enabled not a bool", func(a *Answers) { a.Set("postgres.enabled", "yes") },
			[]expect{{"postgres.enabled", Error, "true or false"}}},
		{"okta needs all its keys at once", func(a *Answers) { a.Set("envVars.AUTH_PROVIDER", "okta") }, []expect{
			{"envVars.OKTA_SITE", Error, "AUTH_PROVIDER is okta"}, {"envVars.OKTA_CLIENT_ID", Error, "required"},
			{"envVars.OKTA_AUTHORIZATION_SERVER", Error, "required"}, {"envVars.OKTA_AUDIENCE", Error, "required"},
			{"secrets.OKTA_CLIENT_SECRET", Error, "required"}}},
		{"entra needs its keys", func(a *Answers) { a.Set("envVars.AUTH_PROVIDER", "entra_id") }, []expect{
			{"envVars.ENTRA_ID_CLIENT_ID", Error, "required"}, {"envVars.ENTRA_ID_TENANT_ID", Error, "required"},
			{"secrets.ENTRA_ID_CLIENT_SECRET", Error, "required"}, {"secrets.OKTA_CLIENT_SECRET", Error, ""}}},
		{"workos needs its keys", func(a *Answers) { a.Set("envVars.AUTH_PROVIDER", "workos") }, []expect{
			{"envVars.WORKOS_CLIENT_ID", Error, "required"}, {"envVars.WORKOS_AUTHKIT_DOMAIN", Error, "required"},
			{"envVars.WORKOS_COOKIE_PASSWORD", Error, "required"}, {"secrets.WORKOS_API_KEY", Error, "required"}}},
		{"keycloak needs its keys", func(a *Answers) { a.Set("envVars.AUTH_PROVIDER", "keycloak") }, []expect{
			{"envVars.KEYCLOAK_CLIENT_ID", Error, "required"}, {"envVars.KEYCLOAK_SITE", Error, "required"},
			{"envVars.KEYCLOAK_REALM", Error, "required"}, {"secrets.KEYCLOAK_CLIENT_SECRET", Error, "required"}}},
		{"unknown provider", func(a *Answers) { a.Set("envVars.AUTH_PROVIDER", "google") },
			[]expect{{"envVars.AUTH_PROVIDER", Warning, "documentation shows"}}},
		{"provider unset warns", func(a *Answers) { a.Set("envVars.AUTH_PROVIDER", "") },
			[]expect{{"envVars.AUTH_PROVIDER", Warning, "sign-in provider"}}},
		{"okta site http", func(a *Answers) { a.Set("envVars.OKTA_SITE", "http://company.okta.com") },
			[]expect{{"envVars.OKTA_SITE", Warning, "https://"}}},
		{"okta site bare host", func(a *Answers) { a.Set("envVars.OKTA_SITE", "company.okta.com") },
			[]expect{{"envVars.OKTA_SITE", Warning, "full URL"}}},
		{"keycloak site ok", func(a *Answers) { a.Set("envVars.KEYCLOAK_SITE", "https://kc.example.com") },
			[]expect{{"envVars.KEYCLOAK_SITE", Error, ""}}},
		{"github app url http", func(a *Answers) { a.Set("envVars.GITHUB_APP_URL", "http://github.com/apps/x") },
			[]expect{{"envVars.GITHUB_APP_URL", Warning, "https://"}}},
		{"workos key prefix", func(a *Answers) { a.Set("secrets.WORKOS_API_KEY", "sk_abc") },
			[]expect{{"secrets.WORKOS_API_KEY", Warning, "sk_live_"}}},
		{"workos live key ok", func(a *Answers) { a.Set("secrets.WORKOS_API_KEY", "sk_live_abc") },
			[]expect{{"secrets.WORKOS_API_KEY", Error, ""}}},
		{"workos test key ok", func(a *Answers) { a.Set("secrets.WORKOS_API_KEY", "sk_test_abc") },
			[]expect{{"secrets.WORKOS_API_KEY", Error, ""}}},
		{"workos cookie short", func(a *Answers) { a.Set("envVars.WORKOS_COOKIE_PASSWORD", strings.Repeat("a", 31)) },
			[]expect{{"envVars.WORKOS_COOKIE_PASSWORD", Warning, "at least 32"}}},
		{"workos cookie 32 ok", func(a *Answers) { a.Set("envVars.WORKOS_COOKIE_PASSWORD", strings.Repeat("a", 32)) },
			[]expect{{"envVars.WORKOS_COOKIE_PASSWORD", Error, ""}}},
		{"authkit domain with scheme", func(a *Answers) { a.Set("envVars.WORKOS_AUTHKIT_DOMAIN", "https://x.authkit.app") },
			[]expect{{"envVars.WORKOS_AUTHKIT_DOMAIN", Warning, "bare host"}}},
		{"entra ids not guids", func(a *Answers) { a.Set("envVars.ENTRA_ID_TENANT_ID", "contoso") },
			[]expect{{"envVars.ENTRA_ID_TENANT_ID", Warning, "Azure ID"}}},
		{"aws static needs keys", func(a *Answers) {
			a.Set("envVars.STORAGE_SERVICE", "amazon")
			a.Wizard.AWSCredentials = "static"
		}, []expect{{"secrets.AWS_ACCESS_KEY_ID", Error, "static credentials"}, {"secrets.AWS_SECRET_ACCESS_KEY", Warning, "required"}}},
		{"aws one key implies static", func(a *Answers) {
			a.Set("envVars.STORAGE_SERVICE", "amazon")
			a.Set("secrets.AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
		}, []expect{{"secrets.AWS_SECRET_ACCESS_KEY", Warning, "required"}}},
		{"aws irsa warns", func(a *Answers) {
			a.Set("envVars.STORAGE_SERVICE", "amazon")
			a.Wizard.AWSCredentials = "irsa"
		}, []expect{{"serviceAccount.annotations.eks.amazonaws.com/role-arn", Warning, "without access keys"}, {"secrets.AWS_ACCESS_KEY_ID", Error, ""}}},
		{"irsa role arn shape", func(a *Answers) {
			a.Set("envVars.STORAGE_SERVICE", "amazon")
			a.Set("serviceAccount.annotations.eks.amazonaws.com/role-arn", "crewai-role")
		}, []expect{{"serviceAccount.annotations.eks.amazonaws.com/role-arn", Warning, "IAM role ARN"}}},
		{"azure needs access key", func(a *Answers) { a.Set("envVars.STORAGE_SERVICE", "microsoft") },
			[]expect{{"secrets.AZURE_STORAGE_ACCESS_KEY", Error, "STORAGE_SERVICE is microsoft"}}},
		{"unlisted storage warns", func(a *Answers) { a.Set("envVars.STORAGE_SERVICE", "local") },
			[]expect{{"envVars.STORAGE_SERVICE", Warning, "chart version"}}},
		{"llm provider needs key and model", func(a *Answers) { a.Set("envVars.BUILT_IN_LLM_PROVIDER", "openai") },
			[]expect{{"secrets.BUILT_IN_LLM_API_KEY", Error, "required"}, {"envVars.BUILT_IN_LLM_MODEL", Warning, "required"}}},
		{"llm key without provider warns", func(a *Answers) { a.Set("secrets.BUILT_IN_LLM_API_KEY", "sk-x") },
			[]expect{{"envVars.BUILT_IN_LLM_PROVIDER", Warning, "unused"}}},
		{"oauth provider pair", func(a *Answers) {
			a.SetBool("oauth.enabled", true)
			a.Set("oauth.secrets.google.clientId", "id")
		}, []expect{{"oauth.secrets.google.clientSecret", Error, "Google"}}},
		{"oauth listed provider needs both", func(a *Answers) {
			a.SetBool("oauth.enabled", true)
			a.Wizard.OAuthProviders = []string{"notion"}
		}, []expect{{"oauth.secrets.notion.clientId", Error, "required"}, {"oauth.secrets.notion.clientSecret", Error, "required"}}},
		{"product key set directly under secrets", func(a *Answers) {
			a.SetBool("oauth.enabled", true)
			a.Set("secrets.GOOGLE_GMAIL_CLIENT_ID", "id")
		}, []expect{{"secrets.GOOGLE_GMAIL_CLIENT_ID", Warning, "oauth.secrets.google.clientId"}}},
		{"oauth creds while disabled", func(a *Answers) {
			a.Set("oauth.secrets.hubspot.clientId", "id")
			a.Set("oauth.secrets.hubspot.clientSecret", "s")
		}, []expect{{"oauth.enabled", Warning, "unused"}}},
		{"uv index http", func(a *Answers) { a.Set("secrets.UV_DEFAULT_INDEX", "http://u:p@pypi.example.com/simple/") },
			[]expect{{"secrets.UV_DEFAULT_INDEX", Error, "https://"}}},
		{"uv index without credentials", func(a *Answers) { a.Set("secrets.UV_DEFAULT_INDEX", "https://pypi.example.com/simple/") },
			[]expect{{"secrets.UV_DEFAULT_INDEX", Error, "USER:PASSWORD@"}}},
		{"uv index user only", func(a *Answers) { a.Set("secrets.UV_DEFAULT_INDEX", "https://u@pypi.example.com/simple/") },
			[]expect{{"secrets.UV_DEFAULT_INDEX", Error, "USER:PASSWORD@"}}},
		{"uv index without /simple/", func(a *Answers) { a.Set("secrets.UV_DEFAULT_INDEX", "https://u:p@pypi.example.com/simple") },
			[]expect{{"secrets.UV_DEFAULT_INDEX", Error, "/simple/"}}},
		{"uv index every problem at once", func(a *Answers) { a.Set("secrets.UV_DEFAULT_INDEX", "http://pypi.example.com/") }, []expect{
			{"secrets.UV_DEFAULT_INDEX", Error, "https://"}, {"secrets.UV_DEFAULT_INDEX", Error, "USER:PASSWORD@"},
			{"secrets.UV_DEFAULT_INDEX", Error, "/simple/"}}},
		{"uv index ok", func(a *Answers) { a.Set("secrets.UV_DEFAULT_INDEX", "https://u:p%40ss@pypi.example.com/simple/") },
			[]expect{{"secrets.UV_DEFAULT_INDEX", Error, ""}}},
		{"encryption key not hex", func(a *Answers) { a.Set("secrets.ENCRYPTION_KEY", "not-hex") },
			[]expect{{"secrets.ENCRYPTION_KEY", Error, "hexadecimal"}}},
		{"encryption key short", func(a *Answers) { a.Set("secrets.ENCRYPTION_KEY", "abcd") },
			[]expect{{"secrets.ENCRYPTION_KEY", Warning, "64 are recommended"}, {"secrets.ENCRYPTION_KEY", Error, ""}}},
		{"oauth db key not hex", func(a *Answers) { a.Set("secrets.OAUTH_DB_ENCRYPTION_KEY", strings.Repeat("g", 64)) },
			[]expect{{"secrets.OAUTH_DB_ENCRYPTION_KEY", Error, "hexadecimal"}}},
		{"rails master key in secrets", func(a *Answers) { a.Set("secrets.RAILS_MASTER_KEY", "x") },
			[]expect{{"secrets.RAILS_MASTER_KEY", Error, "must not be set"}}},
		{"rails master key in envVars", func(a *Answers) { a.Set("envVars.RAILS_MASTER_KEY", "x") },
			[]expect{{"envVars.RAILS_MASTER_KEY", Error, "must not be set"}}},
		{"wharf url forbidden", func(a *Answers) { a.Set("secrets.WHARF_POSTGRES_URL", "postgres://x") },
			[]expect{{"secrets.WHARF_POSTGRES_URL", Error, "builds it"}}},
		{"github app partial", func(a *Answers) { a.Set("envVars.GITHUB_APP_ID", "12") }, []expect{
			{"envVars.GITHUB_CLIENT_ID", Warning, "GitHub App"}, {"envVars.GITHUB_APP_URL", Warning, "required"},
			{"secrets.GITHUB_CLIENT_SECRET", Warning, "required"}, {"secrets.GITHUB_APP_PRIVATE_KEY", Warning, "required"}}},
		{"github app id digits", func(a *Answers) { a.Set("envVars.GITHUB_APP_ID", "my-app") },
			[]expect{{"envVars.GITHUB_APP_ID", Warning, "digits"}}},
		{"github key is a certificate", func(a *Answers) { a.Set("secrets.GITHUB_APP_PRIVATE_KEY", cert) },
			[]expect{{"secrets.GITHUB_APP_PRIVATE_KEY", Error, "certificate"}}},
		{"github key is EC", func(a *Answers) { a.Set("secrets.GITHUB_APP_PRIVATE_KEY", fxECKey(t)) },
			[]expect{{"secrets.GITHUB_APP_PRIVATE_KEY", Error, "EC"}}},
		{"github key is a fingerprint", func(a *Answers) {
			a.Set("secrets.GITHUB_APP_PRIVATE_KEY", "SHA256:3xZ7b2C9pQmF0a1Yk8rLw4sN6tUv5Hj2Gd0Ei9Ko1Ms=")
		}, []expect{{"secrets.GITHUB_APP_PRIVATE_KEY", Error, "fingerprint"}}},
		{"github key ok", func(a *Answers) { a.Set("secrets.GITHUB_APP_PRIVATE_KEY", fxPKCS1(t)) },
			[]expect{{"secrets.GITHUB_APP_PRIVATE_KEY", Error, ""}}},
		{"certificate without key", func(a *Answers) { a.Set("secrets.SSL_CERTIFICATE", cert) },
			[]expect{{"secrets.SSL_PRIVATE_KEY", Error, "required"}}},
		{"key without certificate", func(a *Answers) { a.Set("secrets.CREW_SSL_KEY", fxPKCS1(t)) },
			[]expect{{"secrets.CREW_SSL_CERT", Error, "required"}}},
		{"certificate and key mismatch", func(a *Answers) {
			a.Set("secrets.SSL_CERTIFICATE", cert)
			a.Set("secrets.SSL_PRIVATE_KEY", otherKey)
		}, []expect{{"secrets.SSL_PRIVATE_KEY", Error, "does not belong"}}},
		{"certificate and key match", func(a *Answers) {
			a.Set("secrets.SSL_CERTIFICATE", cert)
			a.Set("secrets.SSL_PRIVATE_KEY", fxPKCS8(t))
		}, []expect{{"secrets.SSL_PRIVATE_KEY", Error, ""}, {"secrets.SSL_CERTIFICATE", Error, ""}}},
		{"certificate garbage", func(a *Answers) {
			a.Set("secrets.SSL_CERTIFICATE", "hello")
			a.Set("secrets.SSL_PRIVATE_KEY", fxPKCS1(t))
		}, []expect{{"secrets.SSL_CERTIFICATE", Error, "PEM"}}},
		{"oidc key garbage", func(a *Answers) {
			a.Set("secrets.OIDC_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")
		},
			[]expect{{"secrets.OIDC_PRIVATE_KEY", Error, "RSA"}}},
		{"trailing whitespace warns", func(a *Answers) { a.Set("secrets.DB_PASSWORD", "pw ") },
			[]expect{{"secrets.DB_PASSWORD", Warning, "whitespace"}}},
		{"newline warns", func(a *Answers) { a.Set("secrets.GITHUB_TOKEN", "abc\ndef") },
			[]expect{{"secrets.GITHUB_TOKEN", Warning, "line break"}}},
		{"generate unknown key", func(a *Answers) { a.Wizard.Generate = []string{"secrets.NOPE"} },
			[]expect{{"wizard.generate", Error, "not a key this tool knows"}}},
		{"generate a key that cannot be generated", func(a *Answers) { a.Wizard.Generate = []string{"secrets.DB_PASSWORD"} },
			[]expect{{"wizard.generate", Error, "cannot be generated"}}},
		{"external store: secrets not required", func(a *Answers) {
			a.SetBool("externalSecret.enabled", true)
			a.Set("secrets.DB_PASSWORD", "")
		}, []expect{{"secrets.DB_PASSWORD", Error, ""}}},
		{"external store: given secret warns", func(a *Answers) { a.SetBool("externalSecret.enabled", true) },
			[]expect{{"secrets.DB_PASSWORD", Warning, "external secret store"}}},
		{"no replicated: token and index required", func(a *Answers) { a.Wizard.Replicated = false }, []expect{
			{"secrets.GITHUB_TOKEN", Error, "Replicated"}, {"secrets.UV_DEFAULT_INDEX", Error, "Replicated"}}},
		{"differing db users warn", func(a *Answers) {
			a.Set("envVars.DB_USER", "a")
			a.Set("secrets.DB_USER", "b")
		}, []expect{{"secrets.DB_USER", Warning, "Wharf as envVars.DB_USER"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := baseAnswers()
			tc.change(a)
			probs := Validate(a)
			for _, w := range tc.want {
				var found []Problem
				for _, p := range probs {
					if p.Path == w.path && p.Severity == w.sev {
						found = append(found, p)
					}
				}
				if w.text == "" {
					if len(found) > 0 {
						t.Errorf("want no %v at %s, got %v", w.sev, w.path, found)
					}
					continue
				}
				ok := false
				for _, p := range found {
					ok = ok || strings.Contains(p.Message, w.text)
				}
				if !ok {
					t.Errorf("want %v at %s containing %q; got:\n%v", w.sev, w.path, w.text, probs)
				}
			}
		})
	}
}

// No message may contain the secret value it is about.
func TestValidateMessagesNeverShowValues(t *testing.T) {
	a := baseAnswers()
	secret := "Sup3rS3cretV@lue-do-not-print"
	for _, p := range []string{"secrets.WORKOS_API_KEY", "secrets.UV_DEFAULT_INDEX", "secrets.ENCRYPTION_KEY",
		"secrets.GITHUB_APP_PRIVATE_KEY", "secrets.OIDC_PRIVATE_KEY", "secrets.RAILS_MASTER_KEY", "envVars.WORKOS_COOKIE_PASSWORD"} {
		a.Set(p, secret+" ")
	}
	probs := Validate(a)
	if len(probs) < 7 {
		t.Fatalf("expected findings for every bad value, got %d", len(probs))
	}
	for _, p := range probs {
		if strings.Contains(p.String(), "Sup3r") {
			t.Errorf("message shows the value: %s", p)
		}
	}
}

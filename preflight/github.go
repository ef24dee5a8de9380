package preflight

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"crewai-setup/model"
	"crewai-setup/model/pemkey"
)

// gitHubTarget is what the GitHub App check needs, read from the answers.
type gitHubTarget struct {
	appID, key, api string
	// nearMiss says why the App URL's host gets no token (a look-alike of github.com), or "".
	nearMiss string
	// keyFile is set when the key is still only a path in the wizard block.
	keyFile *model.Answers
}

// gitHubCheck signs an App token with the private key and asks GitHub which App it belongs
// to: proof that key and App ID match, without touching any installation.
func gitHubCheck(a *model.Answers, e *env) func(context.Context) Result {
	t := gitHubTarget{appID: a.Get("envVars.GITHUB_APP_ID"), key: a.Get("secrets.GITHUB_APP_PRIVATE_KEY")}
	t.api, t.nearMiss = gitHubAPI(e.opts.GitHubAPI, a.Get("envVars.GITHUB_APP_URL"))
	if t.key == "" && a.Wizard.GitHubAppPrivateKeyFile != "" {
		t.keyFile = a.Clone()
	}
	return func(ctx context.Context) Result {
		target := t.api + "/app"
		if t.nearMiss != "" {
			return fail(target, t.nearMiss)
		}
		if t.appID == "" {
			return skip(target, "envVars.GITHUB_APP_ID is not set")
		}
		key := t.key
		if t.keyFile != nil {
			// Read the .pem the wizard block names, the way init does, into a copy of the
			// snapshot: Run may be called again, even concurrently.
			resolved := t.keyFile.Clone()
			if probs := resolved.Resolve(); probs.HasErrors() {
				return skip(target, "the GitHub App key file cannot be used: "+e.scrub(probs.Errors()[0].Message))
			}
			key = resolved.Get("secrets.GITHUB_APP_PRIVATE_KEY")
		}
		if key == "" {
			return skip(target, "secrets.GITHUB_APP_PRIVATE_KEY is not set")
		}
		return e.checkGitHub(ctx, t.appID, key, target)
	}
}

// gitHubAPI returns the REST API base: the override, api.github.com for github.com (and its
// subdomains), https://api.SUB.ghe.com for GitHub Enterprise Cloud with data residency, else
// https://HOST/api/v3 for a GitHub Enterprise Server App URL. nearMiss says why the App token
// must not be sent there, or is "" when it may: the host looks like a misspelling or a
// look-alike of github.com (gihtub.com, github.co, githu8.com, Cyrillic letters), where a
// signed token would go to whoever owns that name. An explicit API base (--github-api) is the
// operator's decision and is never second-guessed.
func gitHubAPI(override, appURL string) (api, nearMiss string) {
	if override != "" {
		return strings.TrimRight(override, "/"), ""
	}
	u, err := url.Parse(appURL)
	if err != nil || u.Host == "" {
		return DefaultGitHubAPI, ""
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if nearGitHub(host) {
		nearMiss = fmt.Sprintf("envVars.GITHUB_APP_URL names the host %s, which looks like a misspelling of github.com, so the "+
			"signed App token was not sent there: fix the URL (a GitHub App's URL is https://github.com/apps/NAME); if %s "+
			"really is your GitHub Enterprise Server, name its API with --github-api https://%s/api/v3", host, host, u.Host)
	}
	switch {
	case host == "github.com" || strings.HasSuffix(host, ".github.com"):
		return DefaultGitHubAPI, nearMiss
	case strings.HasSuffix(host, ".ghe.com") && !strings.HasPrefix(host, "api."):
		return "https://api." + u.Host, nearMiss
	}
	return "https://" + u.Host + "/api/v3", nearMiss
}

// gitHubApp is the part of GET /app's answer the check reads.
type gitHubApp struct {
	ID    int64  `json:"id"`
	Slug  string `json:"slug"`
	Name  string `json:"name"`
	Owner struct {
		Login string `json:"login"`
	} `json:"owner"`
}

// checkGitHub sends the signed token only to the GitHub API base and names the key by its
// fingerprint, as GitHub's App settings page does.
func (e *env) checkGitHub(ctx context.Context, appID, keyText, target string) Result {
	if !strings.Contains(keyText, "\n") && strings.Contains(keyText, `\n`) {
		keyText = strings.ReplaceAll(keyText, `\n`, "\n") // the chart's one-line form
	}
	info, err := pemkey.ParseGitHubAppKey([]byte(keyText))
	if err != nil {
		return fail(target, "secrets.GITHUB_APP_PRIVATE_KEY: "+e.red.foreign(err.Error()))
	}
	block, _ := pem.Decode([]byte(info.PKCS1))
	if block == nil {
		return fail(target, "secrets.GITHUB_APP_PRIVATE_KEY cannot be decoded")
	}
	key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		return fail(target, "secrets.GITHUB_APP_PRIVATE_KEY is not a usable RSA key")
	}
	token, err := appJWT(key, appID, time.Now())
	if err != nil {
		return fail(target, "cannot sign the App token: "+err.Error())
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fail(target, "the GitHub API address is not an http(s) URL")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fail(target, "the GitHub API address is not usable")
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := do(e.http.sameHost, req)
	if err != nil {
		return fail(target, e.httpFailure(err, u))
	}
	var body struct {
		gitHubApp
		Message string `json:"message"`
	}
	_ = json.Unmarshal(resp.body, &body)
	msg := ""
	if m := clip(e.red.with(token).foreign(body.Message), 160); m != "" {
		msg = ": " + m
	}
	switch {
	case resp.status == http.StatusOK && body.ID != 0:
		if strconv.FormatInt(body.ID, 10) != appID {
			return fail(target, fmt.Sprintf("the key (%s) belongs to App %q (ID %d), not to envVars.GITHUB_APP_ID %s: fix the App ID or use that App's key",
				info.Fingerprint, e.scrub(body.Slug), body.ID, appID))
		}
		return pass(target, fmt.Sprintf("App %q (%s) owned by %s; key %s accepted", e.scrub(body.Name), e.scrub(body.Slug), e.scrub(body.Owner.Login), info.Fingerprint))
	case resp.status == http.StatusUnauthorized:
		why := fmt.Sprintf("GitHub refused the App token (401%s): the private key %s does not belong to App ID %s, or the App ID is wrong; "+
			"compare the fingerprint with the App's settings > Private keys", msg, info.Fingerprint, appID)
		if strings.Contains(msg, "'iat'") || strings.Contains(msg, "'exp'") {
			why += "; GitHub also mentions the token's time: check this machine's clock"
		}
		return fail(target, why)
	case resp.status == http.StatusNotFound:
		return fail(target, "no GitHub App API at this address (404): for GitHub Enterprise Server pass the API base, "+
			"e.g. --github-api https://HOST/api/v3, or check envVars.GITHUB_APP_URL's host")
	case resp.status == http.StatusForbidden || resp.status == http.StatusTooManyRequests:
		return fail(target, fmt.Sprintf("GitHub refused the request (%d%s): rate limit or an IP allow list; try again later or from an allowed network", resp.status, msg))
	case resp.status == http.StatusOK:
		return fail(target, "the answer is not a GitHub App description: check --github-api / envVars.GITHUB_APP_URL")
	}
	return fail(target, fmt.Sprintf("GitHub answered HTTP %d%s", resp.status, msg))
}

// appJWT signs the short-lived token a GitHub App authenticates as itself with: RS256, issued
// a minute in the past (to allow for clock drift), valid for nine minutes (GitHub allows ten).
func appJWT(key *rsa.PrivateKey, appID string, now time.Time) (string, error) {
	var iss any = appID
	if n, err := strconv.ParseInt(appID, 10, 64); err == nil {
		iss = n
	}
	claims, err := json.Marshal(map[string]any{"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(9 * time.Minute).Unix(), "iss": iss})
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	signed := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc.EncodeToString(claims)
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", errors.New("RSA signing failed")
	}
	return signed + "." + enc.EncodeToString(sig), nil
}

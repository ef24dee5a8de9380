package preflight

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"

	"crewai-setup/model"
)

// simpleJSON is the JSON form of the PyPI simple API (PEP 691).
const simpleJSON = "application/vnd.pypi.simple.v1+json"

// indexCheck fetches the index's simple API root with the URL's credentials, the way uv
// would when a crew is built.
func indexCheck(a *model.Answers, e *env) func(context.Context) Result {
	raw := a.Get("secrets.UV_DEFAULT_INDEX")
	return func(ctx context.Context) Result {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			// url.Parse's error quotes the input, which holds the password: say nothing of it.
			return fail("", "secrets.UV_DEFAULT_INDEX is not a URL of the form https://USER:PASSWORD@HOST/simple/ "+
				"(percent-encode special characters in the password)")
		}
		return e.checkIndex(ctx, u)
	}
}

// checkIndex sends the credentials as basic auth, never in the URL, and accepts both forms
// of the simple API: HTML with links (PEP 503) or JSON (PEP 691).
func (e *env) checkIndex(ctx context.Context, u *url.URL) Result {
	target := publicURL(u)
	if u.Scheme == "http" {
		return skip(target, "refused: secrets.UV_DEFAULT_INDEX is a plain http:// URL, so its user and password (and every "+
			"package download) would cross the network unencrypted; nothing was sent: use the index's https:// URL")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fail(target, "secrets.UV_DEFAULT_INDEX has a query string or fragment; it is not sent (a secret there would be logged by proxies): "+
			"the URL must end with /simple/")
	}
	clean := *u
	clean.User = nil
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, clean.String(), nil)
	if err != nil {
		return fail(target, "secrets.UV_DEFAULT_INDEX is not usable as a URL")
	}
	req.Header.Set("Accept", simpleJSON+", text/html;q=0.5")
	hasCreds := u.User != nil
	if hasCreds {
		pw, _ := u.User.Password()
		req.SetBasicAuth(u.User.Username(), pw)
	}
	resp, err := do(e.http.sameHost, req)
	if err != nil {
		return fail(target, e.httpFailure(err, &clean))
	}
	creds := "credentials accepted"
	if !hasCreds {
		creds = "no credentials needed"
	}
	switch resp.status {
	case http.StatusUnauthorized, http.StatusForbidden:
		if !hasCreds {
			return fail(target, fmt.Sprintf("the index wants credentials (%d): put them in the URL as https://USER:PASSWORD@HOST/simple/", resp.status))
		}
		return fail(target, fmt.Sprintf("the index refused the credentials (%d): check the user and password in secrets.UV_DEFAULT_INDEX "+
			"(percent-encoded: @ as %%40, : as %%3A, / as %%2F)", resp.status))
	case http.StatusNotFound:
		return fail(target, "nothing at this path (404): the URL must point at the index's simple API root, usually ending in /simple/")
	case http.StatusOK:
	default:
		return fail(target, fmt.Sprintf("the index answered HTTP %d", resp.status))
	}
	mediaType, _, _ := mime.ParseMediaType(resp.contentType)
	switch {
	case mediaType == simpleJSON:
		var doc struct {
			Meta struct {
				APIVersion string `json:"api-version"`
			} `json:"meta"`
			Projects []json.RawMessage `json:"projects"`
		}
		if err := json.Unmarshal(resp.body, &doc); err != nil || doc.Meta.APIVersion == "" {
			return fail(target, "the answer claims to be a simple index (JSON) but cannot be read as one")
		}
		return pass(target, fmt.Sprintf("simple index (JSON, API %s) with %d projects; %s", doc.Meta.APIVersion, len(doc.Projects), creds))
	case bytes.Contains(bytes.ToLower(resp.body), []byte("<a ")):
		return pass(target, fmt.Sprintf("simple index (HTML) with %d links; %s", bytes.Count(bytes.ToLower(resp.body), []byte("<a ")), creds))
	}
	return fail(target, "the answer is not a simple index (no project links): the URL must point at the simple API root, usually ending in /simple/")
}

package preflight

import (
	"context"
	"net/http"
	"sync"
	"time"

	"crewai-setup/guard"
	"crewai-setup/model"
)

// Status is the outcome of one check.
type Status int

// The outcomes.
const (
	Pass Status = iota
	Fail
	Skipped
)

// String returns "pass", "fail" or "skipped".
func (s Status) String() string {
	switch s {
	case Pass:
		return "pass"
	case Fail:
		return "fail"
	default:
		return "skipped"
	}
}

// MarshalText writes the status as its String form, so JSON reports read "pass".
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Result is what one check found.
type Result struct {
	// Name is the check's name, e.g. "PostgreSQL".
	Name string
	// Target names what was contacted without any secret (host:port, URL without credentials).
	Target string
	Status Status
	// Detail says what was found ("PostgreSQL 15.18") or, on failure, what is wrong and what to fix.
	Detail string
	// Elapsed is how long the check ran.
	Elapsed time.Duration
}

// Options configure where the checks connect and how long they wait.
type Options struct {
	// Timeout bounds each check; 0 means DefaultTimeout.
	Timeout time.Duration
	// HTTPClient is the client the HTTP checks start from; nil means a default client. The
	// checks copy it and set their own redirect policy, so a shared client is never changed.
	HTTPClient *http.Client
	// GitHubAPI is the GitHub REST API base; empty means https://api.github.com, or
	// https://HOST/api/v3 when envVars.GITHUB_APP_URL points at a GitHub Enterprise host.
	GitHubAPI string
	// OpenAIBase and AnthropicBase are the LLM API bases (defaults https://api.openai.com/v1 and
	// https://api.anthropic.com/v1).
	OpenAIBase, AnthropicBase string
	// EntraBase is the Microsoft identity platform's base (default https://login.microsoftonline.com).
	EntraBase string
	// SSLMode is the PostgreSQL sslmode: disable, allow, prefer (default), require, verify-ca or verify-full.
	SSLMode string
}

// Defaults used when an Options field is empty.
const (
	DefaultTimeout       = 5 * time.Second
	DefaultGitHubAPI     = "https://api.github.com"
	DefaultOpenAIBase    = "https://api.openai.com/v1"
	DefaultAnthropicBase = "https://api.anthropic.com/v1"
	DefaultEntraBase     = "https://login.microsoftonline.com"
	DefaultSSLMode       = "prefer"
)

// withDefaults returns opts with every empty field set to its default.
func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.OpenAIBase == "" {
		o.OpenAIBase = DefaultOpenAIBase
	}
	if o.AnthropicBase == "" {
		o.AnthropicBase = DefaultAnthropicBase
	}
	if o.EntraBase == "" {
		o.EntraBase = DefaultEntraBase
	}
	if o.SSLMode == "" {
		o.SSLMode = DefaultSSLMode
	}
	return o
}

// Check is one connection test that can run on its own.
type Check struct {
	// Name is the check's name, the same as its Result's.
	Name string
	// Run performs the check, bounded by Options.Timeout and by ctx. It never panics on
	// missing values: a check that cannot run reports Skipped with the reason.
	Run func(ctx context.Context) Result
}

// Checks returns the checks that apply to these answers, in a fixed order: PostgreSQL, GitHub
// App, SSO provider, LLM, package index. A check that applies but lacks values is returned
// and reports Skipped with the reason. The values are read now: changing the answers later
// does not change the checks.
func Checks(a *model.Answers, opts Options) []Check {
	opts = opts.withDefaults()
	env := &env{opts: opts, red: newRedactor(a), http: newHTTPClients(opts.HTTPClient)}
	var checks []Check
	add := func(name string, fn func(context.Context) Result) {
		checks = append(checks, env.wrap(name, fn))
	}
	add("PostgreSQL", postgresCheck(a, env))
	if model.GitHubAppStarted(a) {
		add("GitHub App", gitHubCheck(a, env))
	}
	if name, fn := ssoCheck(a, env); fn != nil {
		add(name, fn)
	}
	if a.Get("envVars.BUILT_IN_LLM_PROVIDER") != "" {
		add("LLM", llmCheck(a, env))
	}
	if _, ok := a.Lookup("secrets.UV_DEFAULT_INDEX"); ok {
		add("Package index", indexCheck(a, env))
	}
	return checks
}

// RunAll runs every check concurrently, each bounded by opts.Timeout, and returns the results
// in Checks order.
func RunAll(ctx context.Context, a *model.Answers, opts Options) []Result {
	checks := Checks(a, opts)
	results := make([]Result, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() { results[i] = c.Run(ctx) })
	}
	wg.Wait()
	return results
}

// env is what every check of one Checks call shares: the options, the redactor built from
// the answers' secrets and the HTTP clients. It is never changed after Checks returns.
type env struct {
	opts Options
	red  *redactor
	http httpClients
}

// wrap gives a check its name, its timeout, its timing and a last scrub of secret values and
// of characters a terminal would act on.
func (e *env) wrap(name string, fn func(context.Context) Result) Check {
	name = guard.Visible(name) // "SSO (provider)" names the provider as the file spells it
	return Check{Name: name, Run: func(ctx context.Context) Result {
		start := time.Now()
		ctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
		defer cancel()
		r := fn(ctx)
		r.Name = name
		r.Elapsed = time.Since(start)
		// Targets and details hold values and server-supplied text (PostgreSQL errors, an
		// issuer, an App's slug): control characters and bidi overrides are shown, never sent.
		r.Target = guard.Visible(e.red.values(r.Target))
		r.Detail = guard.Visible(e.red.values(r.Detail))
		return r
	}}
}

// pass, fail and skip build results; the wrapper fills in the name and time.
func pass(target, detail string) Result {
	return Result{Target: target, Status: Pass, Detail: detail}
}

func fail(target, detail string) Result {
	return Result{Target: target, Status: Fail, Detail: detail}
}

func skip(target, detail string) Result {
	return Result{Target: target, Status: Skipped, Detail: detail}
}

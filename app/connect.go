package app

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"time"

	"crewai-setup/model"
	"crewai-setup/preflight"
)

// connectOptions are check's connection-test flags.
type connectOptions struct {
	// connect runs the checks; offline reports them as skipped and wins over connect.
	connect, offline bool
	timeout          time.Duration
	sslMode          string
	gitHubAPI        string
}

// connectionResult is one connection check in check's JSON output.
type connectionResult struct {
	Name      string           `json:"name"`
	Status    preflight.Status `json:"status"`
	Target    string           `json:"target,omitempty"`
	Detail    string           `json:"detail"`
	ElapsedMS int64            `json:"elapsedMs"`
}

// runConnections runs the connection checks that apply to the merged answers, prints them
// when text is true, and returns them for the JSON report. The error wraps ErrFindings when a
// check failed, or ErrAborted when the operator interrupted the checks. Without --connect or
// --offline it does nothing.
func runConnections(a *model.Answers, o connectOptions, sio IO, text bool) ([]connectionResult, error) {
	if !o.connect && !o.offline {
		return nil, nil
	}
	opts := preflight.Options{Timeout: o.timeout, GitHubAPI: o.gitHubAPI, SSLMode: o.sslMode}
	if opts.SSLMode == "" {
		opts.SSLMode = sio.Getenv("PGSSLMODE")
	}
	var results []preflight.Result
	if o.offline {
		// Name every check that would have run, so a JSON reader sees what was not tested.
		for _, c := range preflight.Checks(a, opts) {
			results = append(results, preflight.Result{Name: c.Name, Status: preflight.Skipped, Detail: "--offline: not contacted"})
		}
		if text {
			fmt.Fprintln(sio.Out, "connection checks skipped (--offline)")
		}
	} else {
		// Ctrl-C stops the checks (each already has its own timeout) and ends as aborted.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		results = preflight.RunAll(ctx, a, opts)
		interrupted := ctx.Err() != nil
		stop()
		if interrupted {
			return nil, fmt.Errorf("connection checks interrupted: %w", ErrAborted)
		}
	}
	out := make([]connectionResult, len(results))
	var passed, failed, skipped int
	for i, r := range results {
		out[i] = connectionResult{Name: r.Name, Status: r.Status, Target: r.Target, Detail: r.Detail, ElapsedMS: r.Elapsed.Milliseconds()}
		switch r.Status {
		case preflight.Pass:
			passed++
		case preflight.Fail:
			failed++
		default:
			skipped++
		}
		if text && !o.offline {
			fmt.Fprintln(sio.Out, connectionLine(r))
		}
	}
	if text && !o.offline {
		fmt.Fprintf(sio.Out, "%d connection check(s): %d passed, %d failed, %d skipped\n", len(results), passed, failed, skipped)
	}
	if failed > 0 {
		return out, fmt.Errorf("%d connection check(s) failed: %w", failed, ErrFindings)
	}
	return out, nil
}

// connectionLine renders one result: "pass  PostgreSQL  db.example.com:5432  PostgreSQL 15.18 (1.2s)".
func connectionLine(r preflight.Result) string {
	line := r.Status.String() + "  " + r.Name
	if r.Target != "" {
		line += "  " + r.Target
	}
	if r.Detail != "" {
		line += "  " + r.Detail
	}
	if r.Status != preflight.Skipped {
		line += " (" + roundDuration(r.Elapsed) + ")"
	}
	return line
}

// roundDuration shows short times in milliseconds and longer ones to a tenth of a second.
func roundDuration(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}

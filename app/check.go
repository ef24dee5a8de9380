package app

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/preflight"
)

// checkFinding is one finding in check's JSON output.
type checkFinding struct {
	Path     string `json:"path"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
}

// checkReport is check's JSON output.
type checkReport struct {
	Files    []string       `json:"files"`
	Errors   int            `json:"errors"`
	Warnings int            `json:"warnings"`
	Findings []checkFinding `json:"findings"`
	// Connections holds the connection checks' results, with --connect or --offline.
	Connections []connectionResult `json:"connections,omitempty"`
}

func runCheck(args []string, sio IO) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(sio.Err)
	format := fs.String("format", "text", "output format: text or json")
	argocd := fs.Bool("argocd", false, "the files are deployed by ArgoCD: every chart-generated secret must be set")
	replicated := fs.Bool("replicated", false, "installed through Replicated (GITHUB_TOKEN and UV_DEFAULT_INDEX come from the license)")
	strict := fs.Bool("strict", false, "exit 1 on warnings too")
	var conn connectOptions
	fs.BoolVar(&conn.connect, "connect", false, "also test the credentials against the real services (PostgreSQL, GitHub App, SSO, LLM, package index)")
	fs.BoolVar(&conn.offline, "offline", false, "never connect: report the connection checks as skipped (wins over --connect)")
	fs.DurationVar(&conn.timeout, "timeout", 5*time.Second, "time limit of each connection check")
	fs.StringVar(&conn.sslMode, "sslmode", "", "PostgreSQL sslmode for --connect: "+strings.Join(preflight.SSLModes(), ", ")+" (default: $PGSSLMODE, else prefer)")
	fs.StringVar(&conn.gitHubAPI, "github-api", "", "GitHub API base for the App check (default https://api.github.com, or https://HOST/api/v3 for a GitHub Enterprise App URL)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: crewai-setup check [--format text|json] [--argocd] [--replicated] [--strict] [--connect [--timeout 5s] [--github-api URL]] [--offline] FILE...\n\n"+
			"Lints values files the way helm would merge them (-f order: later files win).\n"+
			"Pass every file you pass to helm, e.g. check values.yaml secrets.yaml.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, sio); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(sio.Err, "crewai-setup check: --format must be text or json\n")
		return fmt.Errorf("bad format: %w", ErrUsage)
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(sio.Err, "crewai-setup check: give the values files to check, e.g. crewai-setup check values.yaml secrets.yaml")
		return fmt.Errorf("no files: %w", ErrUsage)
	}

	a := model.NewAnswers(model.NewCatalog())
	a.Wizard.ArgoCD, a.Wizard.Replicated = *argocd, *replicated
	var probs model.Problems
	for _, name := range fs.Args() {
		data, err := guard.ReadFile(name, guard.ValuesFileLimit)
		if err != nil {
			fmt.Fprintf(sio.Err, "crewai-setup check: %s\n", guard.Visible(err.Error()))
			return fmt.Errorf("%w: %w", err, ErrBadInput)
		}
		more, err := a.Merge(data, name, false)
		if err != nil {
			fmt.Fprintf(sio.Err, "crewai-setup check: %s\n", guard.Visible(err.Error()))
			return fmt.Errorf("%w: %w", err, ErrBadInput)
		}
		probs = append(probs, more...)
	}
	probs = append(probs, model.Lint(a)...).Sorted()

	if *format == "text" {
		for _, p := range probs {
			fmt.Fprintln(sio.Out, p.String())
		}
		fmt.Fprintf(sio.Out, "%d error(s), %d warning(s) in %d file(s)\n", len(probs.Errors()), len(probs.Warnings()), fs.NArg())
	}
	conns, connErr := runConnections(a, conn, sio, *format == "text")
	if errors.Is(connErr, ErrAborted) {
		return connErr
	}
	if *format == "json" {
		rep := checkReport{Files: guard.VisibleAll(fs.Args()), Errors: len(probs.Errors()), Warnings: len(probs.Warnings()), Findings: []checkFinding{}}
		for _, p := range probs {
			rep.Findings = append(rep.Findings, checkFinding{Path: guard.Visible(p.Path), Severity: p.Severity.String(), Message: guard.Visible(p.Message), File: guard.Visible(p.Pos.File), Line: p.Pos.Line})
		}
		rep.Connections = conns
		enc := json.NewEncoder(sio.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	}
	if probs.HasErrors() || (*strict && len(probs) > 0) {
		return fmt.Errorf("%d finding(s): %w", len(probs), ErrFindings)
	}
	return connErr
}

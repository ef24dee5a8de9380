package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"crewai-setup/guard"
	"crewai-setup/model"
	"crewai-setup/preflight"
	"crewai-setup/store"

	"github.com/spf13/cobra"
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

// checkOptions are check's command-line options.
type checkOptions struct {
	format                     string
	argocd, replicated, strict bool
	// argocdSet, replicatedSet: the flag was given, so it wins over crewai-setup.yaml.
	argocdSet, replicatedSet bool
	conn                     connectOptions
}

// newCheckCmd is "crewai-setup check FILE...".
func newCheckCmd(sio IO) *cobra.Command {
	var o checkOptions
	cmd := &cobra.Command{
		Use:   "check FILE...",
		Short: "Lint existing values files; --connect also tests the services they name",
		Long: `Lints values files the way helm merges them (-f order: later files win),
so pass every file you pass to helm. Exits 1 when there are errors (with
--strict, on warnings too). --connect also tests the database, GitHub App,
sign-in provider, LLM key and package index the files name.`,
		Example: `
crewai-setup check values.yaml secrets.yaml
crewai-setup check values.yaml secrets.yaml --format json --strict
crewai-setup check values.yaml secrets.yaml --connect --timeout 10s`,
		SuggestFor: []string{"lint", "validate", "verify"},
		Args: func(cmd *cobra.Command, args []string) error {
			var probs []string
			if o.format != "text" && o.format != "json" {
				probs = append(probs, fmt.Sprintf("--format must be text or json, not %q", o.format))
			}
			if len(args) == 0 {
				probs = append(probs, "give the values files to check, e.g. crewai-setup check values.yaml secrets.yaml")
			}
			return usageProblems(cmd, probs)
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"yaml", "yml", "json"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, files []string) error {
			o.argocdSet, o.replicatedSet = cmd.Flags().Changed("argocd"), cmd.Flags().Changed("replicated")
			return runCheck(o, files, sio)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.format, "format", "text", "output format: text or json")
	fs.BoolVar(&o.argocd, "argocd", false, "the files are deployed by ArgoCD: every chart-generated secret must be set (default: as crewai-setup.yaml beside the last file remembers)")
	fs.BoolVar(&o.replicated, "replicated", false, "installed through Replicated: GITHUB_TOKEN and UV_DEFAULT_INDEX come from the license (default: as crewai-setup.yaml beside the last file remembers)")
	fs.BoolVar(&o.strict, "strict", false, "exit 1 on warnings too")
	fs.BoolVar(&o.conn.connect, "connect", false, "also test the credentials against the real services (PostgreSQL, GitHub App, SSO, LLM, package index)")
	fs.BoolVar(&o.conn.offline, "offline", false, "never connect: report the connection checks as skipped (wins over --connect)")
	fs.DurationVar(&o.conn.timeout, "timeout", 5*time.Second, "time limit of each connection check")
	fs.StringVar(&o.conn.sslMode, "sslmode", "", "the PostgreSQL sslmode for --connect: "+strings.Join(preflight.SSLModes(), ", ")+" (default: $PGSSLMODE, else prefer)")
	fs.StringVar(&o.conn.gitHubAPI, "github-api", "", "base URL of the GitHub API for the App check (default https://api.github.com, or https://HOST/api/v3 for a GitHub Enterprise App URL)")
	fixedCompletions(cmd, "format", "text", "json")
	fixedCompletions(cmd, "sslmode", preflight.SSLModes()...)
	return cmd
}

// fixedCompletions completes flag's value from a fixed list.
func fixedCompletions(cmd *cobra.Command, flag string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// runCheck lints files (merged in helm's -f order) and runs the connection checks.
func runCheck(o checkOptions, files []string, sio IO) error {
	a := model.NewAnswers(model.NewCatalog())
	// crewai-setup.yaml beside the secrets file (the last, as helm -f takes them; where
	// store.ReadFiles reads it) remembers how the platform is deployed; a flag given wins.
	probs, err := store.ReadWizardFile(a, filepath.Dir(files[len(files)-1]))
	if err != nil {
		fmt.Fprintf(sio.Err, "crewai-setup check: %s\n", guard.Visible(err.Error()))
		return fmt.Errorf("%w: %w", err, ErrBadInput)
	}
	if o.argocdSet {
		a.Wizard.ArgoCD = o.argocd
	}
	if o.replicatedSet {
		a.Wizard.Replicated = o.replicated
	}
	for _, path := range files {
		// A SOPS file is decrypted in memory; its findings' line numbers are the decrypted
		// document's, and its name says so.
		data, name, err := store.ReadValuesFile(path)
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

	if o.format == "text" {
		for _, p := range probs {
			fmt.Fprintln(sio.Out, p.String())
		}
		fmt.Fprintf(sio.Out, "%d error(s), %d warning(s) in %d file(s)\n", len(probs.Errors()), len(probs.Warnings()), len(files))
	}
	conns, connErr := runConnections(a, o.conn, sio, o.format == "text")
	if errors.Is(connErr, ErrAborted) {
		return connErr
	}
	if o.format == "json" {
		rep := checkReport{Files: guard.VisibleAll(files), Errors: len(probs.Errors()), Warnings: len(probs.Warnings()), Findings: []checkFinding{}}
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
	if probs.HasErrors() || (o.strict && len(probs) > 0) {
		return fmt.Errorf("%d finding(s): %w", len(probs), ErrFindings)
	}
	return connErr
}

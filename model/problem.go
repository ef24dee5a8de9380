package model

import (
	"fmt"
	"sort"
	"strings"

	"crewai-setup/guard"
)

// Severity says whether a problem stops the write (Error) or is only reported (Warning).
type Severity int

// Severities, most serious first.
const (
	Error Severity = iota
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Problem is one finding about one key: its path, how serious it is and what to do.
// Messages never contain secret values.
type Problem struct {
	Path     string
	Severity Severity
	Message  string
	// Pos is where the key was read from, when it came from a file.
	Pos Pos
}

// Pos is a position in a source file (1-based line and column); the zero value means unknown.
type Pos struct {
	File   string
	Line   int
	Column int
}

// String renders "file:line" or "" when unknown.
func (p Pos) String() string {
	switch {
	case p.File == "":
		return ""
	case p.Line == 0:
		return p.File
	default:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
}

// String renders a problem as one line: "error: secrets.DB_PASSWORD: is required ...". The
// path, the file name and the message can hold text read from files (key names, values), so
// each goes through guard.Visible: no control character or bidi override reaches a terminal.
func (p Problem) String() string {
	loc := ""
	if s := p.Pos.String(); s != "" {
		loc = " (" + guard.Visible(s) + ")"
	}
	return fmt.Sprintf("%s: %s%s: %s", p.Severity, guard.Visible(p.Path), loc, guard.Visible(p.Message))
}

// Problems is a list of findings with helpers to split and sort them.
type Problems []Problem

// HasErrors reports whether any problem is an Error.
func (ps Problems) HasErrors() bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (ps Problems) Errors() Problems { return ps.filter(Error) }

// Warnings returns only the warnings.
func (ps Problems) Warnings() Problems { return ps.filter(Warning) }

func (ps Problems) filter(s Severity) Problems {
	var out Problems
	for _, p := range ps {
		if p.Severity == s {
			out = append(out, p)
		}
	}
	return out
}

// For returns the problems about one key path.
func (ps Problems) For(path string) Problems {
	var out Problems
	for _, p := range ps {
		if p.Path == path {
			out = append(out, p)
		}
	}
	return out
}

// Sorted returns the problems ordered by severity, then path, keeping the order of equal ones;
// a problem reported twice (the same finding at the same place) is listed once.
func (ps Problems) Sorted() Problems {
	out := make(Problems, 0, len(ps))
	seen := make(map[Problem]bool, len(ps))
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity < out[j].Severity
		}
		return out[i].Path < out[j].Path
	})
	return out
}

// Error joins the problems, one per line, so a Problems value can be returned as an error.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

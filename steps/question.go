// Package steps holds the wizard's screens, one file per screen. Each screen is a form of
// questions built from catalog entries; the same questions drive the accessible line-by-line mode.
package steps

import (
	"strings"

	"crewai-setup/model"
)

// Kind is how a question is asked.
type Kind int

// Question kinds.
const (
	Text    Kind = iota // free text
	Secret              // masked text, with a reveal toggle
	Choice              // one of Choices
	Toggle              // yes or no, stored as "true"/"false"
	KeyFile             // a path to a PEM file, or a pasted PEM
	Multi               // several of Choices, stored comma-separated
)

// Question is one thing the wizard asks: where the answer goes, how to ask, and the words
// that teach the operator what it is.
type Question struct {
	// Path is the answers path: a catalog path ("secrets.DB_PASSWORD") or "wizard.<name>".
	Path  string
	Entry *model.Entry
	Label string
	Hint  string
	// Help is the longer "what is this / where to find it / what breaks" text.
	Help        string
	Kind        Kind
	Choices     []model.Choice
	Placeholder string
	// Visible decides whether the question applies to the answers given so far (nil: always).
	Visible func(a *model.Answers) bool
	// Get and Set read and store the answer.
	Get func(a *model.Answers) string
	Set func(a *model.Answers, v string)
	// Generate, when set, offers a fresh random value.
	Generate *model.Generator
}

// Shown reports whether the question applies to these answers.
func (q *Question) Shown(a *model.Answers) bool { return q.Visible == nil || q.Visible(a) }

// Ask builds the question for a catalog entry: label, hints, kind and storage all come from
// the entry, so the wizard teaches exactly what the catalog knows.
func Ask(cat *model.Catalog, path string) Question {
	e := cat.Lookup(path)
	if e == nil {
		panic("steps: no catalog entry " + path)
	}
	q := Question{
		Path: path, Entry: e, Label: e.Title, Hint: e.Hint, Help: entryHelp(e), Generate: e.Gen,
		Get: func(a *model.Answers) string { return a.Get(path) },
		Set: func(a *model.Answers, v string) { a.Set(path, v) },
	}
	switch {
	case e.Kind == model.KindBool:
		q.Kind = Toggle
		q.Get = func(a *model.Answers) string { return boolString(a.Enabled(path)) }
	case e.Kind == model.KindOneLinePEM || e.Kind == model.KindPEM:
		q.Kind = KeyFile
	case len(e.Choices) > 0 && !e.Open:
		q.Kind, q.Choices = Choice, e.Choices
	case e.Sensitive:
		q.Kind = Secret
	}
	if e.Default != "" && e.Kind != model.KindBool {
		q.Placeholder = e.Default
	}
	return q
}

// entryHelp composes the long help panel of an entry.
func entryHelp(e *model.Entry) string {
	parts := []string{e.Help}
	if e.Format != "" {
		parts = append(parts, "Format: "+e.Format+".")
	}
	if e.RequiredWhen != "" {
		parts = append(parts, "Required: "+e.RequiredWhen+".")
	}
	if e.Default != "" {
		parts = append(parts, "Chart default: "+e.Default+".")
	}
	if e.Rotation != "" {
		parts = append(parts, "Changing it later: "+e.Rotation)
	}
	if e.Unknown != "" {
		parts = append(parts, "Not documented: "+e.Unknown)
	}
	return strings.Join(nonEmpty(parts), "\n")
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// when returns a copy of q shown only when cond holds.
func (q Question) when(cond func(a *model.Answers) bool) Question {
	q.Visible = cond
	return q
}

// with returns a copy of q with a different label and hint.
func (q Question) with(label, hint string) Question {
	if label != "" {
		q.Label = label
	}
	if hint != "" {
		q.Hint = hint
	}
	return q
}

// equals is a visibility condition: the answer at path equals v.
func equals(path, v string) func(a *model.Answers) bool {
	return func(a *model.Answers) bool { return a.Get(path) == v }
}

// on is a visibility condition: the toggle at path is on.
func on(path string) func(a *model.Answers) bool {
	return func(a *model.Answers) bool { return a.Enabled(path) }
}

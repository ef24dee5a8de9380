package steps

import (
	"strings"

	"crewai-setup/model"
)

// Question is what a field asks: where the answer goes, and the words that teach the operator
// what it is. How it is asked is the field's type (Text, Secret, Choice, Toggle, Multi, KeyFile).
type Question struct {
	// Path is the answers path: a catalog path ("secrets.DB_PASSWORD") or "wizard.<name>".
	Path  string
	Entry *model.Entry
	Label string
	Hint  string
	// Help is the longer "what is this / where to find it / what breaks" text.
	Help string
	// Placeholder is shown greyed in an empty text field.
	Placeholder string
	// Default is what applies when the answer stays empty ("" when nothing does).
	Default string
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

// QuestionFor builds the question for a catalog entry: label, hints, default and storage all
// come from the entry, so the wizard teaches exactly what the catalog knows.
func QuestionFor(cat *model.Catalog, path string) Question {
	e := cat.Lookup(path)
	if e == nil {
		panic("steps: no catalog entry " + path)
	}
	q := Question{
		Path: path, Entry: e, Label: e.Title, Hint: e.Hint, Help: entryHelp(e), Generate: e.Gen,
		Get: func(a *model.Answers) string { return a.Get(path) },
		Set: func(a *model.Answers, v string) { a.Set(path, v) },
	}
	if e.Kind == model.KindBool {
		q.Get = func(a *model.Answers) string { return boolString(a.Enabled(path)) }
	} else if e.Default != "" {
		q.Placeholder, q.Default = e.Default, e.Default
	}
	return q
}

// FieldFor returns the field a catalog question calls for: a toggle for a boolean, a key file
// for a PEM, a choice for a closed list, a secret for a sensitive value, else text.
func FieldFor(q Question) Field {
	e := q.Entry
	switch {
	case e == nil:
		return NewText(q)
	case e.Kind == model.KindBool:
		return NewToggle(q)
	case e.Kind == model.KindOneLinePEM || e.Kind == model.KindPEM:
		return NewKeyFile(q)
	case len(e.Choices) > 0 && !e.Open:
		return NewChoice(q, e.Choices)
	case e.Sensitive:
		return NewSecret(q)
	}
	return NewText(q)
}

// entryHelp composes the long help panel of an entry. The chart's default is added by the
// field (HelpText), in the words its choices use; what the docs leave open (Entry.Unknown)
// is said once per screen, below the fields.
func entryHelp(e *model.Entry) string {
	parts := []string{e.Help}
	if e.Format != "" {
		parts = append(parts, "Format: "+e.Format+".")
	}
	if e.RequiredWhen != "" {
		parts = append(parts, "Required: "+e.RequiredWhen+".")
	}
	if e.Rotation != "" {
		parts = append(parts, "Changing it later: "+e.Rotation)
	}
	return strings.Join(nonEmpty(parts), "\n")
}

// HelpText is a field's long help as its panel and the accessible mode's ? show it: the
// question's help and the chart's default, named the way the field shows its choices ("no",
// not "false"), and said to be inferred when the docs do not state it.
func HelpText(f Field) string {
	b := f.base()
	if b.help != nil {
		return *b.help
	}
	help := b.q.Help
	if e := b.q.Entry; e != nil && e.Default != "" {
		line := "Chart default: " + f.ValueLabel(e.Default) + "."
		if e.StatementSource(e.From.Default).Inferred() {
			line = "Chart default: probably " + f.ValueLabel(e.Default) + " (the chart's docs don't state it)."
		}
		help = strings.Join(nonEmpty([]string{help, line}), "\n")
	}
	b.help = &help
	return help
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

package steps

import (
	"crewai-setup/model"
	"crewai-setup/steps/theme"

	"charm.land/lipgloss/v2"
)

// problemMark is the mark a problem is shown with: ✗ for an error, ! for a warning.
func problemMark(p model.Problem) string {
	if p.Severity == model.Warning {
		return "! "
	}
	return "✗ "
}

// problemStyle is the style a problem is shown in.
func problemStyle(st *theme.Styles, p model.Problem) lipgloss.Style {
	if p.Severity == model.Warning {
		return st.Warning
	}
	return st.Error
}

// FieldLabel returns the label a screen shows for path (the first screen asking it), else the
// catalog's title of the key, else "".
func FieldLabel(screens []Step, cat *model.Catalog, path string) string {
	for _, s := range screens {
		for _, f := range s.Fields() {
			if q := f.Question(); q.Path == path {
				return q.Label
			}
		}
	}
	if e := cat.Lookup(path); e != nil {
		return e.Title
	}
	return ""
}

// Named is a problem's message for a place away from its field (the review's other findings,
// the accessible mode): it names the setting by its label and its key, "Database password
// (secrets.DB_PASSWORD): is required by the chart.", or by its key alone without a label.
func Named(p model.Problem, label string) string {
	if label == "" || label == p.Path {
		return p.Path + ": " + p.Message
	}
	return label + " (" + p.Path + "): " + p.Message
}

// screenMark is what the review's heading of screen i adds: how many errors and warnings its
// fields have.
func (r *Review) screenMark(i int) string {
	probs := r.ScreenProblems(i)
	st := r.ctx.Styles
	switch errs, warns := len(probs.Errors()), len(probs.Warnings()); {
	case errs > 0:
		return st.Error.Render("  ✗ " + count(errs, "problem"))
	case warns > 0:
		return st.Warning.Render("  ! " + count(warns, "warning"))
	}
	return ""
}

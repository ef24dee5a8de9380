// Package steps holds the wizard's screens, one file per screen, and the field types they are
// made of (field_*.go), one per kind of question. Each screen is a list of fields with text
// around them; the same fields drive the accessible line-by-line mode.
package steps

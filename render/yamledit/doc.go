// Package yamledit edits existing YAML byte for byte: a splicer that changes only the edited
// values' text (comments, order, quoting, indentation and line endings stay), the scalar
// writers that quote what Helm's YAML 1.1 parser would misread, and the read-back checks.
package yamledit

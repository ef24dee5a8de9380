// Package perffiles grows real values files to a given length for the performance benchmarks
// and scripts/cmd-measure, so that rotate and check can be timed at 1k, 10k and 100k lines on
// files shaped like the ones operators keep.
package perffiles

import (
	"errors"
	"fmt"
	"strings"
)

// Shape is how a file grows.
type Shape int

const (
	// Flat adds keys to the file's secrets: mapping, each after a comment line, as a team
	// that keeps many pass-through secrets in one file would.
	Flat Shape = iota
	// Nested appends a top-level mapping of per-tenant sections (nested mappings, a flow
	// sequence, quoted and plain scalars, comments, a literal and a folded block in each).
	Nested
)

// String names the shape for benchmark names.
func (s Shape) String() string {
	if s == Nested {
		return "nested"
	}
	return "flat"
}

// Grow returns base (a secrets file that crewai-setup wrote: it has a top-level "secrets:"
// line) grown to about lines lines (never fewer than base has). Keys and values are made up
// and deterministic; none is a chart key, so the file stays valid for check and rotate. The
// text is sparing with the characters the input guard counts (, [ ] { } - : ?) so that a
// 100k-line file stays within yamlguard.MaxNodes and can be measured at all.
func Grow(base []byte, lines int, shape Shape) ([]byte, error) {
	src := string(base)
	have := strings.Count(src, "\n")
	if have >= lines {
		return base, nil
	}
	var b strings.Builder
	switch shape {
	case Flat:
		at := strings.Index(src, "\nsecrets:\n")
		if at < 0 {
			return nil, errors.New("the base file has no top-level secrets: line to add keys to")
		}
		at += len("\nsecrets:\n")
		b.Grow(len(src) + (lines-have)*40)
		b.WriteString(src[:at])
		for i := 0; have < lines; i++ {
			// Two lines per key: a comment and the key.
			fmt.Fprintf(&b, "  # team %d (rotated quarterly)\n  TEAM%d_SERVICE_TOKEN_%05d: \"tok_%08x_%05d\"\n", i%40, i%40, i, uint32(i)*2654435761, i)
			have += 2
		}
		b.WriteString(src[at:])
	case Nested:
		b.Grow(len(src) + (lines-have)*30)
		b.WriteString(src)
		if !strings.HasSuffix(src, "\n") {
			b.WriteString("\n")
		}
		b.WriteString("# Per-tenant settings read by our own templates (not the chart's).\ntenants:\n")
		have += 2
		for i := 0; have < lines; i++ {
			h := uint32(i) * 2654435761
			fmt.Fprintf(&b, "  # tenant %d (primary region)\n  tenant%05d:\n    enabled: true\n    database:\n      host: db%d.internal   # primary\n"+
				"      port: \"5432\"\n      name: 'tenant_%d'\n    zones: [a, b]\n    tls:\n      cert: |\n        MIIBszCCAVmgAwIBAgIU%08x\n"+
				"        AAAAB3NzaC1yc2EAAAADAQAB%08x\n    note: >\n      kept as one folded\n      line of text\n\n", i, i, i%97, i, h, h^0x5bd1e995)
			have += 16
		}
	default:
		return nil, fmt.Errorf("unknown shape %d", shape)
	}
	return []byte(b.String()), nil
}

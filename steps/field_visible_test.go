package steps

import (
	"strings"
	"testing"

	"crewai-setup/guard"
)

// A prefilled value holding escape sequences or bidi overrides is shown through guard.Visible
// (the text input would otherwise drop the control characters silently) and kept exactly
// unless the operator edits it; an edit takes the text as shown.
func TestPrefilledEscapesShownAndKept(t *testing.T) {
	ctx := newCtx(t)
	raw := "db\x1b]0;pwned\x07\u202eend"
	ctx.Answers.Set("envVars.DB_HOST", raw)
	h := start(t, ctx, NewDatabase)
	view := h.s.View() // styled: lipgloss writes SGR sequences, never OSC, BEL or bidi controls
	for _, bad := range []string{"\x1b]", "\x07", "\u202e"} {
		if strings.Contains(view, bad) {
			t.Errorf("the view holds %q raw", bad)
		}
	}
	h.wantView(guard.Visible(raw))
	h.keys(kEnter, kShiftTab) // leave the field and come back without typing
	h.wantAnswer("envVars.DB_HOST", raw)
	h.typeText("x")
	h.wantAnswer("envVars.DB_HOST", guard.Visible(raw)+"x")
}

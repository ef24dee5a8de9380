package ui

import (
	"strings"
	"testing"

	"crewai-setup/guard"
	"crewai-setup/guard/guardtest"
	"crewai-setup/model"
)

// The line-by-line mode prints current values; one holding escape sequences or bidi overrides
// is printed through guard.Visible.
func TestAccessibleShowsEscapes(t *testing.T) {
	a := model.NewAnswers(model.NewCatalog())
	raw := "db\x1b]0;pwned\x07\u202eend"
	a.Set("envVars.DB_HOST", raw)
	a.Set("postgres.enabled", "false")
	var out strings.Builder
	_, _ = NewAccessible(strings.NewReader(strings.Repeat("\n", 40)), &out).Run(a, t.TempDir())
	guardtest.AssertClean(t, "accessible mode", out.String(), false)
	if !strings.Contains(out.String(), guard.Visible(raw)) {
		t.Errorf("the current value is not shown:\n%s", out.String())
	}
}

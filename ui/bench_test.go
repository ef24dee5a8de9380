package ui

import (
	"testing"

	"crewai-setup/model"

	tea "charm.land/bubbletea/v2"
)

// benchWizard is the wizard at 120×40 on the realistic answers, every Built-in Integrations
// provider and product selected so the OAuth products screen shows all it can.
func benchWizard(b *testing.B) *harness {
	t := &testing.T{}
	a, _, err := model.LoadAnswersFile(model.NewCatalog(), fixture)
	if err != nil {
		b.Fatal(err)
	}
	if probs := a.Resolve(); probs.HasErrors() {
		b.Fatal(probs)
	}
	for _, p := range model.OAuthProviders() {
		a.Wizard.OAuthProviders = append(a.Wizard.OAuthProviders, p.ID)
	}
	hs := newHarness(t, a, b.TempDir(), 120, 40)
	hs.send(tea.BackgroundColorMsg{Color: darkColor})
	return hs
}

// BenchmarkView redraws each screen from scratch (a new theme invalidates every cached
// piece), to find the one that costs most: OAuth products with everything selected.
func BenchmarkView(b *testing.B) {
	hs := benchWizard(b)
	for i, name := range []string{"deployment", "database", "github", "auth", "integrations", "llm", "storage", "review"} {
		hs.send(jump(i))
		b.Run(name, func(b *testing.B) {
			var m tea.Model = hs.m
			n := 0
			for b.Loop() {
				bg := darkColor
				if n++; n%2 == 0 {
					bg = lightColor
				}
				m, _ = m.Update(tea.BackgroundColorMsg{Color: bg})
				_ = m.View()
			}
		})
	}
}

// BenchmarkKeystroke is one typed character in a text field of the most expensive screen
// (OAuth products with every provider and product selected, see BenchmarkView) at 120×40:
// Update with the key press, then View, as the Bubble Tea loop does for each key. The field is
// emptied every 64 keys so it does not grow without bound.
func BenchmarkKeystroke(b *testing.B) {
	hs := benchWizard(b)
	hs.send(jump(4))
	hs.focusOn("Microsoft client ID")
	k := char('x')
	clear := tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	var m tea.Model = hs.m
	n := 0
	for b.Loop() {
		if n++; n%64 == 0 {
			m, _ = m.Update(clear)
		}
		m, _ = m.Update(k)
		_ = m.View()
	}
}

package ui

import "charm.land/bubbles/v2/key"

// KeyMap holds the keys that work on every screen.
type KeyMap struct {
	Quit, Back, Help, HelpAlt, Checklist key.Binding
	Yes, No                              key.Binding
	// Close closes the help or the checklist.
	Close key.Binding
}

// DefaultKeyMap returns the global bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Quit:      key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "previous screen")),
		Help:      key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", "all keys")),
		HelpAlt:   key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys (outside text fields)")),
		Checklist: key.NewBinding(key.WithKeys("f2"), key.WithHelp("f2", "what to have ready")),
		Yes:       key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:        key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "no")),
		Close:     key.NewBinding(key.WithKeys("esc", "f1", "f2", "?", "q"), key.WithHelp("esc", "close")),
	}
}

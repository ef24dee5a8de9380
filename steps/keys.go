package steps

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// KeyMap holds the keys of a form and its fields: moving between fields, and what the focused
// field does beyond typing.
type KeyMap struct {
	// Next, Prev, Down and Up move between fields; Next on the last field leaves the form.
	Next, Prev, Down, Up key.Binding
	// Line ends a line of a PEM key typed in without bracketed paste.
	Line key.Binding
	// Reveal shows or hides a secret; Generate fills a fresh random value.
	Reveal, Generate key.Binding
	// Complete extends a typed file path.
	Complete key.Binding
	// Left and Right change a choice or move in a multi-select; Toggle flips the item.
	Left, Right, Toggle key.Binding
	// Yes and No set a yes/no field.
	Yes, No key.Binding
}

// DefaultKeyMap returns the form and field bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:     key.NewBinding(key.WithKeys("enter", "tab"), key.WithHelp("enter/tab", "next field")),
		Prev:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Down:     key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "next field")),
		Up:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "previous field")),
		Line:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next line of the key")),
		Reveal:   key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "show/hide value")),
		Generate: key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "generate")),
		Complete: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete path")),
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/→", "change choice")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→", "next choice")),
		Toggle:   key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space", "select/unselect")),
		Yes:      key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:       key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n", "no")),
	}
}

// leaves reports whether msg moves focus off a field: the form's business, not the field's.
func (k *KeyMap) leaves(msg tea.KeyPressMsg) bool {
	return key.Matches(msg, k.Next, k.Prev, k.Down, k.Up)
}

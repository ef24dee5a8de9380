// Package ui is the wizard's root Bubble Tea model: the screen state machine, layout, global
// keys and help. The screens themselves live in package steps.
package ui

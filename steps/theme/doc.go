// Package theme holds the wizard's styles, shared by the root model (ui) and the screens (steps).
package theme

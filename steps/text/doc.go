// Package text lays text out in terminal cells: cutting it to a width and wrapping it. The
// screens (steps) and the root model (ui) both use it.
package text

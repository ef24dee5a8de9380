// Package guardtest holds what tests of every output path share to prove that no terminal
// escape sequence or reordering character gets through: a table of hostile sequences and
// an assertion over output.
package guardtest

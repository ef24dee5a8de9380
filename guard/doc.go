// Package guard keeps hostile input harmless: files are read only when they are regular files
// of bounded size (a FIFO, a device or a huge file is refused at once instead of hanging or
// filling memory), and text that reaches a terminal has its control characters made visible.
// It imports only the standard library, so every layer may use it.
package guard

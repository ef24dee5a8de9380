// Package store keeps the files on disk: atomic sets of files with bounded backups, locks
// against concurrent runs, modes, owners and symbolic links handled safely, in-place edits of
// existing values files, and keeping secrets out of Git.
package store

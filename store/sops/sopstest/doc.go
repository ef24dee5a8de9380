// Package sopstest holds what tests of encrypted files share: the real sops and age binaries
// (a test fails with an install hint when they are missing), fresh age keys, a clean sops
// environment, and an inotify watch that catches any plaintext written to a directory.
package sopstest

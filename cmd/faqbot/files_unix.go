//go:build unix

package main

import "syscall"

// openFileLimit returns how many files the process may open, or 0 when
// that cannot be told.
func openFileLimit() uint64 {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0
	}
	return r.Cur
}

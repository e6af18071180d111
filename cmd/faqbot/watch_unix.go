//go:build unix

package main

import (
	"os"
	"syscall"
)

// fileID returns the device and inode of a file, which change when a new
// file is renamed over it even if its size and time do not.
func fileID(fi os.FileInfo) any {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return [2]uint64{uint64(st.Dev), uint64(st.Ino)}
	}
	return nil
}

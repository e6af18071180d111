//go:build !unix

package main

import "os"

// fileID returns nil where files have no inode: size and time tell
// versions apart.
func fileID(os.FileInfo) any { return nil }

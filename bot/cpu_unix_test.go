//go:build unix

package bot

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the process has used, user and system,
// so that a busy machine does not count another process's time against
// the answers.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

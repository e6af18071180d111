//go:build !linux

package match

import "time"

// threadCPU returns 0 where the thread's CPU clock is not read: the cpu
// figures of BenchmarkSearch are then 0.
func threadCPU() time.Duration { return 0 }

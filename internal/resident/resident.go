// Package resident reads the process's resident memory as the kernel
// counts it, for the benchmarks that report it.
package resident

// MB returns the process's resident memory now (VmRSS in /proc/self/status)
// and its peak since the last ResetPeak (VmHWM), in MiB, or zeros where it
// cannot be read.
func MB() (now, peak float64) { return read() }

// ResetPeak starts a new peak of the process's resident memory. It reports
// whether it could; where it cannot, the peak MB returns is the process's
// whole life's.
func ResetPeak() bool { return resetPeak() }

//go:build !linux

package match

// resetPeakRSS reports that the peak resident memory is not read here: the
// rss figures of BenchmarkBuild are then 0.
func resetPeakRSS() bool { return false }

// residentMB returns zeros where the resident memory is not read.
func residentMB() (now, peak float64) { return 0, 0 }

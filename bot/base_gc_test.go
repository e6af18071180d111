package bot

import (
	"runtime/debug"
	"testing"
)

// gcPercent returns the collector's GOGC.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestCollectOften checks that a load lowers GOGC to loadGCPercent and sets
// it back, never raises it, and leaves it as it found it when two loads
// overlap either way.
func TestCollectOften(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		name   string
		before int
		during int
		// nested ends the first load before the second when it is set.
		firstEndsFirst bool
	}{
		{"default", 100, loadGCPercent, false},
		{"default, overlapping", 100, loadGCPercent, true},
		{"higher", 400, loadGCPercent, false},
		{"lower", 10, 10, false},
		{"lower, overlapping", 10, 10, true},
		{"off", -1, -1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetGCPercent(tc.before)
			first := collectOften()
			if got := gcPercent(); got != tc.during {
				t.Errorf("during a load, GOGC = %d, want %d", got, tc.during)
			}
			second := collectOften()
			if got := gcPercent(); got != tc.during {
				t.Errorf("during two loads, GOGC = %d, want %d", got, tc.during)
			}
			if tc.firstEndsFirst {
				first()
				second()
			} else {
				second()
				first()
			}
			if got := gcPercent(); got != tc.before {
				t.Errorf("after the loads, GOGC = %d, want %d", got, tc.before)
			}
		})
	}
}

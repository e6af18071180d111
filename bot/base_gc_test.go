package bot

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
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
			first, _ := collectOften()
			if got := gcPercent(); got != tc.during {
				t.Errorf("during a load, GOGC = %d, want %d", got, tc.during)
			}
			second, _ := collectOften()
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

// TestHoldHeapGoal checks that holding the heap to a budget turns GOGC
// off under a memory limit of at least the budget and at most the one
// set before, that a load starting meanwhile leaves both be, and that
// release sets GOGC to loadGCPercent and the limit back; and that a
// reload leaves both as it found them.
func TestHoldHeapGoal(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	const budget = 64 << 20
	for _, tc := range []struct {
		name  string
		limit int64
	}{
		{"no limit", math.MaxInt64},
		{"a limit", 1 << 40},
		{"a limit under the budget", budget / 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(tc.limit)
			restore, set := collectOften()
			if !set {
				t.Fatal("collectOften did not set GOGC")
			}
			release := holdHeapGoal(budget)
			runtime.GC()
			if got := gcPercent(); got != -1 {
				t.Errorf("held, GOGC = %d, want off", got)
			}
			if got := debug.SetMemoryLimit(-1); got > tc.limit || got < min(tc.limit, budget) {
				t.Errorf("held, the memory limit is %d, want from %d to %d", got, min(tc.limit, budget), tc.limit)
			}
			if _, set := collectOften(); set || gcPercent() != -1 {
				t.Errorf("a load while held set GOGC (%v, %d)", set, gcPercent())
			}
			release()
			if got := gcPercent(); got != loadGCPercent {
				t.Errorf("released, GOGC = %d, want %d", got, loadGCPercent)
			}
			if got := debug.SetMemoryLimit(-1); got != tc.limit {
				t.Errorf("released, the memory limit is %d, want %d", got, tc.limit)
			}
			restore()
			if got := gcPercent(); got != 100 {
				t.Errorf("after the load, GOGC = %d, want 100", got)
			}
		})
	}
	t.Run("a reload", func(t *testing.T) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(1 << 40)
		data, err := os.ReadFile("../knowledge/testdata/palestine.yaml")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "kb.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		serving, err := LoadBase(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append([]byte("# A comment.\n"), data...), 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := Loading{}.Reloading().LoadReplacing(path, serving)
		if err != nil || b == serving {
			t.Fatalf("reloaded %v, %v", b == serving, err)
		}
		if got := gcPercent(); got != 100 {
			t.Errorf("after the reload, GOGC = %d, want 100", got)
		}
		if got := debug.SetMemoryLimit(-1); got != 1<<40 {
			t.Errorf("after the reload, the memory limit is %d, want %d", got, int64(1<<40))
		}
	})
}

// TestPaceLoad checks that the load of a small knowledge file leaves the
// collector's pace as it is, that of a large one has it run more often
// until restore, and that a reload of a large one holds the heap to a
// budget, GOGC off, until release.
func TestPaceLoad(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	for _, tc := range []struct {
		name     string
		size     int64
		reload   bool
		checking int // GOGC before release
		building int // GOGC after release, before restore
	}{
		{"small", collectOftenFrom - 1, false, 100, 100},
		{"small reload", collectOftenFrom - 1, true, 100, 100},
		{"large", collectOftenFrom, false, loadGCPercent, loadGCPercent},
		{"large reload", collectOftenFrom, true, -1, loadGCPercent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(1 << 40)
			restore, release := paceLoad(tc.size, tc.reload)
			if got := gcPercent(); got != tc.checking {
				t.Errorf("checking, GOGC = %d, want %d", got, tc.checking)
			}
			release()
			if got := gcPercent(); got != tc.building {
				t.Errorf("building, GOGC = %d, want %d", got, tc.building)
			}
			restore()
			if got := gcPercent(); got != 100 {
				t.Errorf("after the load, GOGC = %d, want 100", got)
			}
			if got := debug.SetMemoryLimit(-1); got != 1<<40 {
				t.Errorf("after the load, the memory limit is %d, want %d", got, int64(1<<40))
			}
		})
	}
}

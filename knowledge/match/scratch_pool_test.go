package match

import (
	"runtime"
	"testing"
)

// TestScratchKeptAcrossCollections gives a search's scratch back and
// collects twice, which empties a sync.Pool: the next search still gets
// the same scratch, and the pool keeps no more than can search at once.
func TestScratchKeptAcrossCollections(t *testing.T) {
	x := loadTestBase(t, "../testdata/palestine.yaml").idx
	x.search("where is the office")
	s := x.scratch.get()
	x.scratch.put(s)
	runtime.GC()
	runtime.GC()
	if got := x.scratch.get(); got != s {
		t.Error("after two collections a search got a new scratch, not the one given back")
	}

	n := runtime.GOMAXPROCS(0) + 2
	held := make([]*scratch, n)
	for i := range held {
		held[i] = x.scratch.get()
	}
	for _, s := range held {
		x.scratch.put(s)
	}
	if kept := len(x.scratch.free); kept != runtime.GOMAXPROCS(0) {
		t.Errorf("the pool keeps %d scratches, want GOMAXPROCS = %d", kept, runtime.GOMAXPROCS(0))
	}
}

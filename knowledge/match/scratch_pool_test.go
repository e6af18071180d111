package match

import (
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
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

// TestHandOver hands an index's scratch to the index of a file with a
// question changed, and to others: one that fits takes the scratch kept
// and one still in use when it is given back, and answers every phrasing
// as with scratch of its own; one of a file much smaller or larger takes
// none. An index shared with the serving one keeps its scratch, and two
// indexes are never handed over to each other.
func TestHandOver(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(f *knowledge.File)
		taken  bool
	}{
		{"a question", func(f *knowledge.File) { f.Entries[0].Question += " then" }, true},
		{"an entry fewer", func(f *knowledge.File) { f.Entries = f.Entries[1:] }, true},
		{"a file of two entries", func(f *knowledge.File) { f.Entries = f.Entries[:2] }, false},
		{"an entry more", func(f *knowledge.File) {
			f.Entries = append(f.Entries, knowledge.Entry{ID: "extra", Question: "Where do I park?", Answer: "Behind the hall."})
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old := loadIndex(t)
			old.Search("where is the office")
			kept := old.idx.scratch.get()
			inUse := old.idx.scratch.get()
			old.idx.scratch.put(kept)
			old.Search("how do I get a refund") // kept is back in the pool

			f := cloneFile(old.file)
			tc.change(f)
			next, err := NewWith(f, Options{Serving: old})
			if err != nil {
				t.Fatal(err)
			}
			old.HandOver(next)
			if n := len(old.idx.scratch.free); n != 0 {
				t.Errorf("the old index keeps %d scratches after the handover", n)
			}
			old.idx.scratch.put(inUse) // a search of the old index ends
			got := next.idx.scratch.free
			if want := 0; !tc.taken {
				if len(got) != want {
					t.Fatalf("the new index took %d scratches that do not fit it, want none", len(got))
				}
				return
			}
			if len(got) != 2 || !slices.Contains(got, kept) || !slices.Contains(got, inUse) {
				t.Fatalf("the new index holds %d scratches, not the old index's two", len(got))
			}
			fresh, err := New(f)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 { // each of the two scratch, taken in turn
				for _, e := range f.Entries {
					for _, q := range e.Phrasings() {
						if g, w := next.Search(q), fresh.Search(q); !reflect.DeepEqual(g, w) {
							t.Fatalf("%q found %+v with the old index's scratch, want %+v", q, g, w)
						}
					}
				}
				next.idx.scratch.put(next.idx.scratch.get())
			}
		})
	}

	serving := loadIndex(t)
	serving.Search("where is the office")
	shared, err := NewWith(cloneFile(serving.file), Options{Serving: serving})
	if err != nil {
		t.Fatal(err)
	}
	serving.HandOver(shared)
	if n := len(shared.idx.scratch.free); n != 1 {
		t.Errorf("an index sharing the serving one's holds %d scratches after the handover, want its 1", n)
	}
	shared.Search("where is the office")

	// Handed back, as a rollback would: the second handover is refused,
	// and a search of either index still gives its scratch back.
	a := loadIndex(t)
	f := cloneFile(a.file)
	f.Entries[0].Question += " then"
	b, err := NewWith(f, Options{Serving: a})
	if err != nil {
		t.Fatal(err)
	}
	a.HandOver(b)
	b.HandOver(a)
	a.Search("where is the office")
	b.Search("where is the office")
	if a.idx.scratch.handedTo() != b.idx.scratch || b.idx.scratch.handedTo() != nil {
		t.Error("two indexes handed over to each other")
	}
}

package knowledge

import (
	"hash/maphash"
	"testing"
)

// TestPhrasingSet checks that phrasings are found by their key with where
// they were found, across entries and files, and that two keys of one hash
// are told apart.
func TestPhrasingSet(t *testing.T) {
	s := newPhrasingSet()
	s.add(PhrasingKey("Why?"), "Why?", "a", "x.yaml", 3)
	s.add(PhrasingKey("How come"), "How come", "a", "x.yaml", 5)
	// "Where?" is given the hash of "When?", added after it, as if the two
	// keys collided.
	s.add(PhrasingKey("When?"), "When?", "b", "x.yaml", 9)
	s.byHash[maphash.String(s.seed, PhrasingKey("Where?"))] = s.byHash[maphash.String(s.seed, PhrasingKey("When?"))]
	s.add(PhrasingKey("Where?"), "Where?", "c", "y.yaml", 2)
	for _, tc := range []struct {
		phrasing string
		want     entryRef
		found    bool
	}{
		{"why", entryRef{"a", "x.yaml", 3}, true},
		{"How come?", entryRef{"a", "x.yaml", 5}, true},
		{"when", entryRef{"b", "x.yaml", 9}, true},
		{"WHERE", entryRef{"c", "y.yaml", 2}, true},
		{"Who?", entryRef{}, false},
	} {
		got, found := s.find(PhrasingKey(tc.phrasing))
		if got != tc.want || found != tc.found {
			t.Errorf("find(%q) = %v, %v; want %v, %v", tc.phrasing, got, found, tc.want, tc.found)
		}
	}
	if len(s.owners) != 3 {
		t.Errorf("%d owners, want 3: %v", len(s.owners), s.owners)
	}
}

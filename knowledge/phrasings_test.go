package knowledge

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// TestPhrasingSet checks that phrasings are found by their key with where
// they were found, across entries and files, and that two keys of one hash
// are told apart.
func TestPhrasingSet(t *testing.T) {
	s := newPhrasingSet()
	s.add(PhrasingKey("Why?"), "Why?", "a", "x.yaml", 3)
	s.add(PhrasingKey("How come"), "How come", "a", "x.yaml", 5)
	// A slot of the hash of "Where?" holds "When?", added before it, as
	// if the two keys' hashes had the same top bits.
	s.add(PhrasingKey("When?"), "When?", "b", "x.yaml", 9)
	s.put(uint64(s.hashOf(PhrasingKey("Where?")))<<32 | uint64(len(s.refs)))
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

// TestPhrasingSetRetext gives an entry's phrasings, one of them not
// added (as one that failed its checks), the text of another copy: each
// added phrasing then holds the copy's string of its own value, and the
// phrasings of the entry before keep theirs.
func TestPhrasingSetRetext(t *testing.T) {
	s := newPhrasingSet()
	s.add(PhrasingKey("Why?"), "Why?", "a", "x.yaml", 3)
	from := len(s.refs)
	s.add(PhrasingKey("Where?"), "Where?", "b", "x.yaml", 5)
	s.add(PhrasingKey("Over there?"), "Over there?", "b", "x.yaml", 7)
	// Copies of the same values, in other memory.
	question := strings.Clone("Where?")
	alternates := []string{strings.Clone("Where?!"), strings.Clone("Over there?")}
	s.retext(from, question, alternates)
	for i, want := range []string{"", question, alternates[1]} {
		r := s.refs[i]
		if shared := unsafe.StringData(r.text) == unsafe.StringData(want); shared != (want != "") {
			t.Errorf("phrasing %d (%q) holds the copy: %v, want %v", i, r.text, shared, want != "")
		}
	}
	if ref, ok := s.find(PhrasingKey("over there")); !ok || ref.line != 7 {
		t.Errorf("find after retext = %v, %v", ref, ok)
	}
}

// TestPhrasingSetGrows adds more phrasings than a table made for a few
// holds, and to one reserved for them all: each is found where it was
// added, and the reserved table does not grow.
func TestPhrasingSetGrows(t *testing.T) {
	for _, reserved := range []bool{false, true} {
		s := newPhrasingSet()
		if reserved {
			s.reserve(1000, 5000)
		}
		size := len(s.slots)
		for i := range 5000 {
			s.add(PhrasingKey(fmt.Sprintf("question %d?", i)), fmt.Sprintf("Question %d?", i), fmt.Sprintf("e%d", i/5), "x.yaml", i+1)
		}
		for i := range 5000 {
			if ref, ok := s.find(PhrasingKey(fmt.Sprintf("QUESTION %d", i))); !ok || ref.line != i+1 || ref.label != fmt.Sprintf("e%d", i/5) {
				t.Fatalf("reserved %v: find(question %d) = %v, %v", reserved, i, ref, ok)
			}
		}
		if _, ok := s.find(PhrasingKey("question 5000")); ok {
			t.Errorf("reserved %v: found a phrasing never added", reserved)
		}
		if used := len(s.refs) * 4; used > len(s.slots)*3 || reserved && len(s.slots) != size {
			t.Errorf("reserved %v: %d phrasings in %d slots, reserved %d", reserved, len(s.refs), len(s.slots), size)
		}
	}
}

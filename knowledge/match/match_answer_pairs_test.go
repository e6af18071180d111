package match

import (
	"math"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// TestAnswerPairs asks questions whose neighbouring content words one
// answer says together and another says apart: the first comes first,
// with the confidence the best would have had without the pairs.
func TestAnswerPairs(t *testing.T) {
	f, err := knowledge.Load("testdata/pairs/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	without := defaultWeights()
	without.answerPairs = 0
	plain, err := newIndexWeights(f, without)
	if err != nil {
		t.Fatal(err)
	}
	x, err := newIndexWeights(f, defaultWeights())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		question, want, wantWithout string
	}{
		{"travel office", "travel", "tax"}, // a tie without: the first in the file
		{"the travel office", "travel", "tax"},
		{"office for travel", "travel", "tax"},
		{"tax office", "tax", "tax"},
	}
	for _, tt := range tests {
		got, _ := x.search(tt.question).Best()
		was, _ := plain.search(tt.question).Best()
		if got.Entry == nil || got.Entry.ID != tt.want || was.Entry == nil || was.Entry.ID != tt.wantWithout {
			t.Errorf("%q: best %v (without pairs %v), want %s (%s)", tt.question, got.Entry, was.Entry, tt.want, tt.wantWithout)
			continue
		}
		if math.Abs(got.Confidence-was.Confidence) > 1e-9 {
			t.Errorf("%q: confidence %.4f, without pairs %.4f: want the same", tt.question, got.Confidence, was.Confidence)
		}
	}
	for _, tt := range []struct {
		entry, a, b string
		want        bool
	}{
		{"travel", "travel", "office", true},
		{"travel", "office", "travel", true}, // either order
		{"travel", "office", "listed", true}, // one content word between
		{"travel", "office", "costs", true},
		{"travel", "office", "tax", false}, // two between
		{"tax", "travel", "office", false},
		{"leave", "staff", "portal", true},
		{"leave", "form", "12", false}, // a number is no content word
	} {
		e := entryIndex(t, x, tt.entry)
		a, b := x.text.lookup(tt.a), x.text.lookup(tt.b)
		if got := x.ansPairs.has(e, a, b); got != tt.want {
			t.Errorf("%s: answer pairs %s with %s = %v, want %v", tt.entry, tt.a, tt.b, got, tt.want)
		}
	}
}

// entryIndex returns the number of the entry id in x.
func entryIndex(t *testing.T, x *index, id string) int32 {
	t.Helper()
	for i, e := range x.entries {
		if e.ID == id {
			return int32(i)
		}
	}
	t.Fatalf("no entry %s", id)
	return -1
}

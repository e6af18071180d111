package knowledge

import (
	"fmt"
	"testing"
)

// TestClassifier checks when a classifier is trained, and that it is what
// ranks the right entry first on testdata/classify, where the words of
// the question alone point at a near neighbour.
func TestClassifier(t *testing.T) {
	f := loadBenchFile(t, "testdata/classify/kb.yaml")
	best := func(w weights, question string) (string, float64) {
		t.Helper()
		x, err := newIndexWeights(f, w)
		if err != nil {
			t.Fatal(err)
		}
		r := x.search(question)
		for _, c := range r.Candidates {
			if c.Confidence <= 0 {
				t.Errorf("%q: candidate %s at confidence %v", question, c.Entry.ID, c.Confidence)
			}
		}
		if len(r.Candidates) == 0 {
			return "", 0
		}
		return r.Candidates[0].Entry.ID, r.Candidates[0].Confidence
	}
	const question = "my card won't work"
	off := defaultWeights()
	off.classifier = 0
	if id, conf := best(off, question); id != "virtual-card-not-working" {
		t.Errorf("%q without the classifier: %s (%.3f); want virtual-card-not-working, or the test proves nothing", question, id, conf)
	}
	if id, conf := best(defaultWeights(), question); id != "card-not-working" {
		t.Errorf("%q: %s (%.3f), want card-not-working", question, id, conf)
	}

	// Trained only where it can help and costs little.
	// 1,100 entries of two phrasings: 2,420,000 phrasings times entries.
	wide := &File{Version: 1}
	for i := range 1100 {
		wide.Entries = append(wide.Entries, Entry{ID: fmt.Sprint("e", i), Question: fmt.Sprint("question ", i), Alternates: []string{fmt.Sprint("another ", i)}, Answer: "a"})
	}
	tests := []struct {
		name string
		file *File
		want bool
	}{
		{"five phrasings an entry", f, true},
		{"one phrasing an entry", loadBenchFile(t, "testdata/team/kb.yaml"), false},
		{"more work than maxClassifierWork", wide, false},
	}
	for _, tt := range tests {
		x, err := newIndexWeights(tt.file, defaultWeights())
		if err != nil {
			t.Fatal(err)
		}
		if got := x.classifier != nil; got != tt.want {
			t.Errorf("%s: classifier trained %v, want %v", tt.name, got, tt.want)
		}
	}
}

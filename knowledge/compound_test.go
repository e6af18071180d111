package knowledge

import "testing"

// TestSplit reads words the file lacks as two of its words written
// together, only where one of its phrasings has the two side by side.
func TestSplit(t *testing.T) {
	x := loadTestBase(t, "testdata/match/kb.yaml").idx
	tests := []struct {
		word string
		want []string // the two words, or none
	}{
		{"carpark", []string{"car", "park"}},         // "Do we have a car park?"
		{"travelcosts", []string{"travel", "costs"}}, // "reimbursed for travel costs"
		{"thecanteen", []string{"the", "canteen"}},   // "Where is the canteen?"
		{"parkcar", nil},      // both words, never in this order
		{"printerqueue", nil}, // side by side in an answer only
		{"forgot", nil},       // "for" and "got" are never side by side
		{"cap", nil},          // too short
	}
	for _, tt := range tests {
		a, b, ok := x.split(tt.word)
		if !ok {
			if tt.want != nil {
				t.Errorf("split(%q) = none, want %q", tt.word, tt.want)
			}
			continue
		}
		if tt.want == nil || a != x.text.surface[tt.want[0]] || b != x.text.surface[tt.want[1]] {
			t.Errorf("split(%q) = terms %d %d, want %q", tt.word, a, b, tt.want)
		}
	}
}

package match

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

// TestJoined asks questions that write one of the file's words as two:
// they match it as closely as if written as one, and only two words the
// file lacks are joined.
func TestJoined(t *testing.T) {
	b, err := parse("joined.yaml", []byte(`version: 1
entries:
  - id: wifi
    question: What is the wifi password?
    answer: It is on the board by reception.
  - id: topup
    question: How do I topup my card?
    answer: In the app, under Cards.
  - id: virus
    question: How does the virus spread?
    answer: Mostly between people in close contact.
  - id: novel
    question: What is a novel coronavirus?
    answer: A coronavirus not seen in people before.
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		question, want string
	}{
		{"wi-fi password", "wifi"},
		{"what's the wi fi password", "wifi"},
		{"how do I top up my card", "topup"},
		// "virus" is the file's word: "corona" stays unknown, not "coronavirus".
		{"how does corona virus spread", "virus"},
	}
	for _, tt := range tests {
		best, _ := b.Search(tt.question).Best()
		if best.Entry == nil || best.Entry.ID != tt.want || best.Confidence < 0.8 {
			t.Errorf("%q: best %v, want %s at 0.8 or more", tt.question, best, tt.want)
		}
	}
	x := b.idx
	s := x.scratch.get()
	defer x.scratch.put(s)
	for _, pair := range [][2]string{{"u", "s"}, {"wi", "f"}} {
		if _, ok := x.joined(s, pair[0], pair[1]); ok {
			t.Errorf("joined(%q, %q): want no word", pair[0], pair[1])
		}
	}
}

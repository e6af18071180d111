package match

import (
	"slices"
	"testing"
)

// TestDerivations links the words of a file that an English ending makes
// one of the other, and no word to a short one that merely starts it.
func TestDerivations(t *testing.T) {
	b, err := parse("derived.yaml", []byte(`version: 1
entries:
  - id: iran
    question: Can Iranian users pay for services?
    answer: Payments from Iran are not processed.
  - id: cuba
    question: Is the site open to developers in Cuba?
    answer: Cuban developers can use free accounts.
  - id: library
    question: When is the library open?
    answer: Ask a librarian; humans answer, not bots.
  - id: hum
    question: Why does the server hum?
    answer: Its fans; the human ear hears them at night.
`))
	if err != nil {
		t.Fatal(err)
	}
	x := b.idx
	links := x.derivations()
	tests := []struct {
		a, b string
		want bool
	}{
		{"iran", "iranian", true},
		{"cuba", "cuban", true},
		{"library", "librarian", true},
		{"hum", "human", false}, // "hum" is too short to be a base
		{"iran", "cuba", false},
	}
	for _, tt := range tests {
		ta, tb := x.text.lookup(tt.a), x.text.lookup(tt.b)
		if got := slices.Contains(links[ta], tb) && slices.Contains(links[tb], ta); got != tt.want {
			t.Errorf("%q and %q linked: %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	// The file says "Iran" and "Cuba" in one answer, and asks with
	// "Iranian" and "Cuban".
	b, err = parse("derived.yaml", []byte(`version: 1
entries:
  - id: countries
    question: Which countries are sanctioned?
    answer: Iran, Cuba, Syria and North Korea.
  - id: iran
    question: Can Iranian users pay for services?
    answer: Not yet; payments are not processed there.
  - id: syria
    question: Can users in Syria pay for services?
    answer: Yes, by card.
  - id: cuba
    question: Is the site open to Cuban developers?
    answer: Yes, with free accounts.
`))
	if err != nil {
		t.Fatal(err)
	}
	wantFirst(t, b, "can users in iran pay for services", "iran")
	wantFirst(t, b, "is the site open to developers in cuba", "cuba")
}

package match

import (
	"slices"
	"testing"
)

// TestOneEditFrom looks misspellings up in the English dictionary (the
// words of its vectors): each kind of edit is found, and nothing for a
// word too short or too long to correct.
func TestOneEditFrom(t *testing.T) {
	v := englishVectors()
	tests := []struct {
		word string
		want []string // among the words found
		none bool     // no word at all
	}{
		{word: "cancellattion", want: []string{"cancellation"}}, // a letter added
		{word: "adress", want: []string{"address"}},             // a letter dropped
		{word: "recieve", want: []string{"receive"}},            // two swapped
		{word: "garoge", want: []string{"garage"}},              // a letter changed
		{word: "garrage", want: []string{"garage", "garbage", "barrage"}},
		{word: "xqzt", none: true},
		{word: "ned", none: true},                          // too short
		{word: "abcdefghijklmnopqrstuvwxyzab", none: true}, // too long
	}
	for _, tt := range tests {
		got := v.oneEditFrom(tt.word, nil)
		if tt.none && len(got) > 0 {
			t.Errorf("oneEditFrom(%q) = %q, want none", tt.word, got)
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("oneEditFrom(%q) = %q, want %q among them", tt.word, got, w)
			}
		}
		if slices.Contains(got, tt.word) {
			t.Errorf("oneEditFrom(%q) = %q: the word itself is no edit", tt.word, got)
		}
		for i, w := range got {
			if slices.Contains(got[:i], w) {
				t.Errorf("oneEditFrom(%q) = %q: %q twice", tt.word, got, w)
			}
		}
	}
	// The words found are appended after those already there.
	if got := v.oneEditFrom("adress", []string{"x"}); len(got) < 2 || got[0] != "x" {
		t.Errorf("oneEditFrom appended to [x]: %q", got)
	}
}

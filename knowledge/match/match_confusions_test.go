package match

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestConfusions asks every phrasing of a file as a question: only the one
// that another entry answers, word for word almost its own, is reported,
// and the shipped knowledge files have none.
func TestConfusions(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"testdata/confusions/kb.yaml", []string{`oil-when "Do I need to change my oil?" -> oil-how "What do I need to change my oil?" tied=false`}},
		{"../testdata/palestine.yaml", nil},
		{filepath.Join("testdata", "team", "kb.yaml"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b := loadTestBase(t, tt.file)
			var got []string
			for _, c := range b.Confusions(DefaultThreshold) {
				got = append(got, fmt.Sprintf("%s %q -> %s %q tied=%v", c.Entry.ID, c.Phrasing, c.Other.ID, c.OtherPhrasing, c.Tied))
				if c.Confidence <= 0 || c.Confidence > 1 {
					t.Errorf("confidence %v", c.Confidence)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("confusions:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestConfusionsTied reports two entries that the bot cannot tell apart,
// the same words in either, as a tie rather than a miss.
func TestConfusionsTied(t *testing.T) {
	b, err := parse("tied.yaml", []byte(`version: 1
entries:
  - id: a
    question: parking garage
    answer: A.
  - id: b
    question: garage parking
    answer: B.
`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range b.Confusions(DefaultThreshold) {
		got = append(got, fmt.Sprintf("%s -> %s tied=%v", c.Entry.ID, c.Other.ID, c.Tied))
	}
	if want := []string{"a -> b tied=true", "b -> a tied=true"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("confusions %q, want %q", got, want)
	}
}

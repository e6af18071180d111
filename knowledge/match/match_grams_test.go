package match

import (
	"fmt"
	"slices"
	"testing"
)

// TestSplitPhrasingsInParts checks that phrasings split in parts on several
// cores number their words as splitting them in one go does: in the order
// each word first comes, over all the phrasings.
func TestSplitPhrasingsInParts(t *testing.T) {
	a := newAnalyzer(mustLanguage(t, "en"))
	var texts []string
	for i := range 20_000 {
		// Words shared by every part, words of one part only, and a word
		// first met in a later part than the one that repeats it most.
		texts = append(texts, fmt.Sprintf("How do I reset card %d, word%d and Word%d?", i%97, i/3000, (20_000-i)/5000))
	}
	whole := splitTexts(a, texts, 0)
	for _, parts := range []int{2, 3, 7} {
		got := splitParts(a, texts, 0, parts)
		if !slices.Equal(got.list, whole.list) {
			t.Errorf("%d parts: words %q, want %q", parts, got.list[:min(20, len(got.list))], whole.list[:min(20, len(whole.list))])
		}
		if !slices.Equal(got.rows.start, whole.rows.start) || !slices.Equal(got.rows.ids, whole.rows.ids) {
			t.Errorf("%d parts: the phrasings' words differ from splitting them in one go", parts)
		}
	}
}

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
	text := func(p int) string { return texts[p] }
	whole := splitTexts(a, 0, len(texts), text, 0)
	for _, parts := range []int{2, 3, 7} {
		got := splitParts(a, len(texts), text, 0, parts)
		if !slices.Equal(got.list, whole.list) {
			t.Errorf("%d parts: words %q, want %q", parts, got.list[:min(20, len(got.list))], whole.list[:min(20, len(whole.list))])
		}
		if !slices.Equal(got.rows.start, whole.rows.start) {
			t.Fatalf("%d parts: the phrasings' rows differ from splitting them in one go", parts)
		}
		for p := range len(texts) {
			if g, w := got.appendWords(nil, p), whole.appendWords(nil, p); !slices.Equal(g, w) {
				t.Fatalf("%d parts: phrasing %d has words %v, want %v", parts, p, g, w)
			}
		}
		if got.narrow == nil {
			t.Errorf("%d parts: %d words numbered in four bytes", parts, len(got.list))
		}
	}
}

// TestSplitManyWords checks that phrasings of more than 1<<16 distinct
// words, split in one go or in parts, keep their words' numbers in four
// bytes, the same in both.
func TestSplitManyWords(t *testing.T) {
	a := newAnalyzer(mustLanguage(t, "en"))
	var texts []string
	for i := range 1<<16 + 100 {
		texts = append(texts, fmt.Sprintf("what is word%d", i))
	}
	text := func(p int) string { return texts[p] }
	whole := splitTexts(a, 0, len(texts), text, 0)
	if whole.narrow != nil || len(whole.rows.ids) != 3*len(texts) {
		t.Fatalf("split in one go: %d words numbered in four bytes, want %d", len(whole.rows.ids), 3*len(texts))
	}
	got := splitParts(a, len(texts), text, 0, 2)
	if got.narrow != nil || len(got.list) != len(whole.list) {
		t.Fatalf("%d words, numbered in two bytes: %v", len(got.list), got.narrow != nil)
	}
	for p := range len(texts) {
		if g, w := got.appendWords(nil, p), whole.appendWords(nil, p); !slices.Equal(g, w) {
			t.Fatalf("phrasing %d has words %v, want %v", p, g, w)
		}
	}
}

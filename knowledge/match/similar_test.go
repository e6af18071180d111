package match

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestSimilarWords checks the English table of similar words built into
// the binary: it reads, every word it lists is found, its neighbours are
// stems with similarities in (0.5, 1], and a few words have the neighbours
// a reader would expect.
func TestSimilarWords(t *testing.T) {
	r, err := readSimilar(englishSimilarTable)
	if err != nil {
		t.Fatalf("reading similar/en.txt.gz: %v", err)
	}
	if len(r.lines) < 30_000 {
		t.Fatalf("similar/en.txt.gz lists %d words; want 30,000 or more", len(r.lines))
	}
	for i := range r.lines {
		w, n := r.word(i), 0
		r.each(w, func(stem string, sim float32) {
			n++
			if stem == "" || strings.ContainsAny(stem, " :\n") || sim <= 0.5 || sim > 1 {
				t.Fatalf("line %d (%q): neighbour %q at %v", i, w, stem, sim)
			}
		})
		if n == 0 {
			t.Fatalf("line %d: %q is listed without neighbours, or not found: the lines must be sorted", i, w)
		}
	}
	tests := []struct{ word, want string }{
		{"children", "child"},
		{"garage", "park"},
		{"cafeteria", "canteen"},
		{"automobile", "car"},
	}
	for _, tt := range tests {
		var got []string
		r.each(tt.word, func(stem string, _ float32) { got = append(got, stem) })
		if !strings.Contains(" "+strings.Join(got, " ")+" ", " "+tt.want+" ") {
			t.Errorf("similar words of %q: got %v, want %q among them", tt.word, got, tt.want)
		}
	}
	for _, word := range []string{"", "zzzz", "the", "aa0"} {
		r.each(word, func(stem string, _ float32) { t.Errorf("similar words of %q: got %q, want none", word, stem) })
	}
}

func BenchmarkReadSimilar(b *testing.B) {
	for b.Loop() {
		if _, err := readSimilar(englishSimilarTable); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSimilarWordsOfQuestion checks which of the base's words stand in for
// a question word the base lacks: its similar words, but not a word the
// question has itself, which would count twice, and never for a name.
func TestSimilarWordsOfQuestion(t *testing.T) {
	b := loadTestBase(t, "../testdata/palestine.yaml") // Russia and Palestine
	x := b.idx
	tests := []struct {
		question, word, as string
		want               bool // whether as stands in for word
	}{
		{"does russia give money to palestine", "money", "fund", true},
		{"does russia fund palestine or give it money", "money", "fund", false},
		// Names are not in the table: vectors put Ukraine near Russia.
		{"does russia support ukraine", "ukraine", "russia", false},
		{"does moscow support palestine", "moscow", "russia", false},
	}
	for _, tt := range tests {
		as := x.text.lookup(tt.as)
		if as < 0 {
			t.Fatalf("faq.yaml has no %q", tt.as)
		}
		s := newScratch(len(x.phrEntry), len(x.entries), x.text.terms())
		x.analyse(tt.question, s)
		var got bool
		for _, sl := range s.slots {
			for _, al := range s.alts[sl.lo:sl.hi] {
				if al.term == as && al.similar {
					got = true
					if sl.word != tt.word || al.factor <= 0.5 || al.factor > 1 {
						t.Errorf("%q: %q stands in for %q at %v; want for %q, at its similarity", tt.question, tt.as, sl.word, al.factor, tt.word)
					}
				}
			}
		}
		if got != tt.want {
			t.Errorf("%q: %q stands in for %q: %v, want %v", tt.question, tt.as, tt.word, got, tt.want)
		}
	}
}

// TestReadSimilar reads a small table: comments and blank lines are left
// out, and each word's neighbours come in the order written.
func TestReadSimilar(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("# a comment\n\napple fruit:71\n\ncar vehicl:86 truck:79\n"))
	zw.Close()
	r, err := readSimilar(gz.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.lines) != 2 {
		t.Errorf("%d lines, want 2", len(r.lines))
	}
	var got []string
	r.each("car", func(stem string, sim float32) { got = append(got, fmt.Sprintf("%s:%.2f", stem, sim)) })
	if want := []string{"vehicl:0.86", "truck:0.79"}; !slices.Equal(got, want) {
		t.Errorf("car: %v, want %v", got, want)
	}
	if _, err := readSimilar([]byte("not gzip")); err == nil {
		t.Error("a table that is not gzip: no error")
	}
}

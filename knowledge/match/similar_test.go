package match

import (
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
		t.Fatalf("reading similar/en.txt: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(r.text, "\n"), "\n")
	if len(lines) < 30_000 {
		t.Fatalf("similar/en.txt lists %d words; want 30,000 or more", len(lines))
	}
	for i, line := range lines {
		w, n := lineWord(line), 0
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

// TestReadSimilar reads small tables: the comments are left out, each
// word's neighbours come in the order written, and every word is found
// wherever its line is, the first, the last or one between.
func TestReadSimilar(t *testing.T) {
	r, err := readSimilar("# a comment\n# another\napple fruit:71\nbus coach:70\ncar vehicl:86 truck:79\ncars car:90\nd e:60\n")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		word string
		want []string
	}{
		{"apple", []string{"fruit:0.71"}},
		{"bus", []string{"coach:0.70"}},
		{"car", []string{"vehicl:0.86", "truck:0.79"}},
		{"cars", []string{"car:0.90"}},
		{"d", []string{"e:0.60"}},
		{"", nil},
		{"#", nil},
		{"a", nil},
		{"ca", nil},
		{"carsa", nil},
		{"zebra", nil},
	}
	for _, tt := range tests {
		var got []string
		r.each(tt.word, func(stem string, sim float32) { got = append(got, fmt.Sprintf("%s:%.2f", stem, sim)) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: %v, want %v", tt.word, got, tt.want)
		}
	}
	for _, text := range []string{"", "# only a comment\n"} {
		r, err := readSimilar(text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		r.each("apple", func(stem string, _ float32) { t.Errorf("%q: apple has %q", text, stem) })
	}
	for _, tt := range []struct{ text, want string }{
		{"# a comment", "the comment does not end"},
		{"# a comment\napple fruit:71", "the last line is cut short"},
	} {
		if _, err := readSimilar(tt.text); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want one saying %q", tt.text, err, tt.want)
		}
	}
}

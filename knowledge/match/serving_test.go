package match

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// TestServingIndexShared checks that a file whose indexed text is the
// serving index's shares its search structures and answers as an index
// built anew does, with its own entries, and that a file whose indexed
// text differs in any part an index reads builds its own.
func TestServingIndexShared(t *testing.T) {
	serving := loadIndex(t)
	for _, tc := range []struct {
		name   string
		change func(f *knowledge.File)
		shared bool
	}{
		{"unchanged", func(*knowledge.File) {}, true},
		{"tags, owner and date", func(f *knowledge.File) {
			f.Entries[0].Tags = []string{"new"}
			f.Entries[1].Owner = "@someone"
			f.Entries[2].Updated = "2030-01-01"
		}, true},
		{"a question", func(f *knowledge.File) { f.Entries[0].Question += " then" }, false},
		{"an alternate", func(f *knowledge.File) { f.Entries[1].Alternates = append(f.Entries[1].Alternates, "and how") }, false},
		{"an answer", func(f *knowledge.File) { f.Entries[2].Answer += " Also this." }, false},
		{"a section", func(f *knowledge.File) { f.Entries[2].Section = "Elsewhere" }, false},
		{"an id", func(f *knowledge.File) { f.Entries[3].ID += "-2" }, false},
		{"the order", func(f *knowledge.File) { f.Entries[0], f.Entries[1] = f.Entries[1], f.Entries[0] }, false},
		{"an entry fewer", func(f *knowledge.File) { f.Entries = f.Entries[1:] }, false},
		{"the synonyms", func(f *knowledge.File) { f.Synonyms = append(f.Synonyms, []string{"ticket", "voucher"}) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cloneFile(serving.file)
			tc.change(f)
			got, err := NewWith(f, Options{Serving: serving})
			if err != nil {
				t.Fatal(err)
			}
			if shared := got.idx.phrScale != nil && &got.idx.phrScale[0] == &serving.idx.phrScale[0]; shared != tc.shared {
				t.Fatalf("shares the serving index's structures: %v, want %v", shared, tc.shared)
			}
			want, err := New(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range f.Entries {
				for _, q := range e.Phrasings() {
					g, w := got.Search(q), want.Search(q)
					if !reflect.DeepEqual(g, w) {
						t.Fatalf("%q found %+v, want %+v", q, g, w)
					}
					if best, ok := g.Best(); ok && best.Entry != entry(got, best.Entry.ID) {
						t.Fatalf("%q found entry %q of another file", q, best.Entry.ID)
					}
				}
			}
		})
	}
}

// loadIndex returns the index of the matcher's test file.
func loadIndex(t *testing.T) *Index {
	t.Helper()
	f, err := knowledge.Load("testdata/match/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	x, err := New(f)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// cloneFile returns a copy of f that shares no entry or list with it.
func cloneFile(f *knowledge.File) *knowledge.File {
	g := *f
	g.Synonyms = slices.Clone(f.Synonyms)
	g.Entries = slices.Clone(f.Entries)
	for i := range g.Entries {
		e := &g.Entries[i]
		e.Alternates, e.Tags, e.Related = slices.Clone(e.Alternates), slices.Clone(e.Tags), slices.Clone(e.Related)
	}
	return &g
}

// wordyFile returns a file of n entries whose questions are six words of
// a vocabulary of two hundred, drawn at random but the same each time:
// its words' rows are long, as in a file of tens of thousands of entries.
func wordyFile(n int) *knowledge.File {
	rng := rand.New(rand.NewPCG(1, 2))
	f := &knowledge.File{Version: 1, Language: "en", Entries: make([]knowledge.Entry, n)}
	for i := range f.Entries {
		w := make([]string, 6)
		for k := range w {
			w[k] = fmt.Sprintf("word%c%c", 'a'+rng.IntN(20), 'a'+rng.IntN(10))
		}
		f.Entries[i] = knowledge.Entry{ID: fmt.Sprintf("e%d", i), Question: strings.Join(w, " "), Answer: "See the manual."}
	}
	return f
}

// TestPostingsShared reloads a file of long rows again and again, each
// time with another question changed, as a series of reloads does: each
// index shares with the one it replaces the rows of its postings that
// did not change, answers as an index built anew does, and keeps no more
// than an eighth more than its rows in the arrays it shares. The
// matcher's test file, whose rows are a few bytes long, shares none:
// sharing would hold more (see sharedRowCost).
func TestPostingsShared(t *testing.T) {
	small := loadIndex(t)
	f := cloneFile(small.file)
	f.Entries[0].Question = "Please tell me " + f.Entries[0].Question
	got, err := NewWith(f, Options{Serving: small})
	if err != nil {
		t.Fatal(err)
	}
	if got.idx.phrPost.shared != nil || got.idx.grams.post.shared != nil {
		t.Error("the test file's postings share rows of a few bytes")
	}
	serving, err := New(wordyFile(2000))
	if err != nil {
		t.Fatal(err)
	}
	base := serving.file
	for i := range 12 {
		f := cloneFile(base)
		e := &f.Entries[i%len(f.Entries)]
		e.Question = "Please tell me " + e.Question
		got, err := NewWith(f, Options{Serving: serving})
		if err != nil {
			t.Fatal(err)
		}
		want, err := New(f)
		if err != nil {
			t.Fatal(err)
		}
		for name, p := range map[string]*packedPostings{"phrasings": &got.idx.phrPost, "n-grams": &got.idx.grams.post} {
			s := p.shared
			if s == nil {
				t.Fatalf("reload %d: the %s' postings share no row with the index replaced", i, name)
			}
			rows, held := 0, 0
			for _, r := range s.rows {
				rows += len(r)
			}
			for _, a := range s.arrays {
				held += len(a)
			}
			if (held-rows)*8 > rows || len(s.arrays) > maxSharedArrays {
				t.Fatalf("reload %d: the %s' rows, %d bytes, keep %d arrays of %d bytes", i, name, rows, len(s.arrays), held)
			}
		}
		for k := i % 7; k < len(f.Entries); k += 7 { // the changed entries among them
			for _, q := range f.Entries[k].Phrasings() {
				if g, w := got.Search(q), want.Search(q); !reflect.DeepEqual(g, w) {
					t.Fatalf("reload %d: %q found %+v, want %+v", i, q, g, w)
				}
			}
		}
		serving = got
	}
}

package match

import (
	"fmt"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// TestStatedMovesConfidence asks a small file of one phrasing an entry
// questions whose best entry states most of their content words, in its
// heading or its answer, and questions whose best entry states few: the
// first rise above what they get with the rule left out, the others fall,
// and the best entry is the same either way.
func TestStatedMovesConfidence(t *testing.T) {
	f, err := knowledge.Load("testdata/stated/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	without := defaultWeights()
	without.stated = 0
	b0, err := NewWithWeights(f, without)
	if err != nil {
		t.Fatal(err)
	}
	b := loadTestBase(t, "testdata/stated/kb.yaml")
	for _, c := range []struct {
		question string
		rises    bool
		why      string
	}{
		{"a damaged tile stops the whole export, why", true, "the answer's words"},
		{"tiler quits on a broken tile, can it skip it", true, "the heading's words"},
		{"can the release downloads get a decoder for my format", true, "the heading's and the answer's"},
		{"any plans for a freebsd version", false, "a thing the file does not cover"},
		{"How do I install Tiler on Windows?", false, "the product's name and little else"},
		{"what is the meaning of life", false, "nothing of the file's"},
		{"what is tiler", false, "the product's name alone"},
		{"is tiler free", false, "the product's name and a word of no entry"},
		{"tiler pricing", false, "the product's name and a word of no entry, again"},
	} {
		t.Run(c.why, func(t *testing.T) {
			before, _ := b0.Search(c.question).Best()
			after, _ := b.Search(c.question).Best()
			if after.Entry.ID != before.Entry.ID {
				t.Fatalf("%q: best %s, was %s", c.question, after.Entry.ID, before.Entry.ID)
			}
			if rose := after.Confidence > before.Confidence; rose != c.rises {
				t.Errorf("%q: confidence %.3f -> %.3f, want it to rise: %v", c.question, before.Confidence, after.Confidence, c.rises)
			}
		})
	}
}

// TestStatedScale gives the stated share its weight only in a file of one
// phrasing an entry and of fewer than statedUntil entries, the less the
// more entries it has, and none in a file of one entry.
func TestStatedScale(t *testing.T) {
	w := defaultWeights()
	file := func(entries, alternates int) string {
		var sb strings.Builder
		sb.WriteString("version: 1\nentries:\n")
		for i := range entries {
			fmt.Fprintf(&sb, "  - id: e%d\n    question: How do I set up widget number %d?\n    answer: Like this, %d.\n", i, i, i)
			if alternates > 0 {
				sb.WriteString("    alternates: [")
				for j := range alternates {
					if j > 0 {
						sb.WriteString(", ")
					}
					fmt.Fprintf(&sb, "widget %d setup way %d", i, j)
				}
				sb.WriteString("]\n")
			}
		}
		return sb.String()
	}
	for _, c := range []struct {
		name                string
		entries, alternates int
		want                float64
	}{
		{"one entry", 1, 0, 0},
		{"three entries", 3, 0, w.stated * (1 - 3/w.statedUntil)},
		{"twelve entries", 12, 0, w.stated * (1 - 12/w.statedUntil)},
		{"statedUntil entries", int(w.statedUntil), 0, 0},
		{"two phrasings an entry", 3, 1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, err := parse("scale.yaml", []byte(file(c.entries, c.alternates)))
			if err != nil {
				t.Fatal(err)
			}
			if got := b.idx.statedScale(); got != c.want {
				t.Errorf("statedScale = %v, want %v", got, c.want)
			}
		})
	}
}

package match

import (
	"fmt"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
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

// TestFirstConfusions checks that the first n confusions are those of
// Confusions, in order, and that there are more only when Confusions has
// more, on a file of two and on a synthetic file of 2,000 entries, asked in
// several batches.
func TestFirstConfusions(t *testing.T) {
	bases := map[string]*Index{"testdata/confusions/tied.yaml": loadTestBase(t, "testdata/confusions/tied.yaml")}
	if !testing.Short() {
		f, _ := syntheticFile(t, 2000)
		b, err := New(f)
		if err != nil {
			t.Fatal(err)
		}
		bases["synthetic 2000"] = b
	}
	for name, b := range bases {
		all := b.Confusions(DefaultThreshold)
		for _, n := range []int{1, 2, len(all) / 2, len(all)} {
			first, more := b.FirstConfusions(DefaultThreshold, n)
			if want := all[:min(n, len(all))]; !reflect.DeepEqual(first, want) || more != (len(all) > n) {
				t.Errorf("%s: first %d: %d confusions, more %v; want %d, more %v", name, n, len(first), more, len(want), len(all) > n)
			}
		}
	}
}

// TestConfusionsThroughNearEntries checks that asking only the phrasings
// that have a near entry, found through the postings of their rare words,
// finds every confusion with a near entry that asking every phrasing
// finds, on the test files, the public benchmark data's knowledge files and
// a synthetic file of 2,000 entries.
func TestConfusionsThroughNearEntries(t *testing.T) {
	for _, name := range []string{"testdata/confusions/kb.yaml", "../testdata/palestine.yaml", filepath.Join("testdata", "team", "kb.yaml")} {
		t.Run(name, func(t *testing.T) { sameConfusions(t, loadTestBase(t, name).file) })
	}
	for _, d := range benchDatasets {
		t.Run(d, func(t *testing.T) { sameConfusions(t, loadBenchFile(t, filepath.Join(benchDir(t), d, "kb.yaml"))) })
	}
	t.Run("synthetic 2000", func(t *testing.T) {
		if testing.Short() {
			t.Skip("asks 10,000 phrasings")
		}
		f, _ := syntheticFile(t, 2000)
		sameConfusions(t, f)
	})
}

// sameConfusions checks that f's confusions through near entries are those
// of asking every phrasing and keeping the confusions whose other entry,
// its deficit counted term by term over all its phrasings, is near.
func sameConfusions(t *testing.T, f *knowledge.File) {
	t.Helper()
	b, err := New(f)
	if err != nil {
		t.Fatal(err)
	}
	x := b.idx
	var asked atomic.Int64
	everyEntry := func(p int32, _ *nearScratch) []int32 {
		var all []int32
		for e := range int32(len(x.entries)) {
			if e != x.phrEntry[p] {
				all = append(all, e)
			}
		}
		return all
	}
	all, _ := b.confusions(DefaultThreshold, everyEntry, 0)
	var want []Confusion
	for _, c := range all {
		if deficitOf(x, c) <= nearDeficit {
			want = append(want, c)
		}
	}
	fast, _ := b.confusions(DefaultThreshold, func(p int32, sc *nearScratch) []int32 {
		near := x.nearEntries(p, sc)
		if len(near) > 0 {
			asked.Add(1)
		}
		return near
	}, 0)
	if !reflect.DeepEqual(fast, want) {
		t.Errorf("%d confusions through near entries, %d asking every phrasing", len(fast), len(want))
		for i := range min(len(fast), len(want)) {
			if fast[i] != want[i] {
				t.Errorf("first difference: %s %q / %s %q", fast[i].Entry.ID, fast[i].Phrasing, want[i].Entry.ID, want[i].Phrasing)
				break
			}
		}
	}
	t.Logf("%d confusions with a near entry of %d; %d of %d phrasings asked", len(want), len(all), asked.Load(), len(x.phrEntry))
}

// deficitOf is the share of the weight of c's phrasing that the other
// entry's phrasings lack, a stop word's times nearStop, found term by term.
func deficitOf(x *index, c Confusion) float64 {
	var p, other int32 = -1, -1
	for q := range int32(len(x.phrEntry)) {
		if e := x.entries[x.phrEntry[q]]; e == c.Entry && x.phrasingText(q) == c.Phrasing {
			p = q
		}
	}
	for e := range int32(len(x.entries)) {
		if x.entries[e] == c.Other {
			other = e
		}
	}
	var q2, lack float64
	for t := range x.phrTerms.row(int(p)) {
		w2 := float64(x.weight[t]) * float64(x.weight[t])
		q2 += w2
		held := false
		for q := x.entPhr[other]; q < x.entPhr[other+1]; q++ {
			held = held || x.phrTerms.has(int(q), t)
		}
		switch {
		case held:
		case x.text.isStop(t):
			lack += nearStop * w2
		default:
			lack += w2
		}
	}
	return lack / q2
}

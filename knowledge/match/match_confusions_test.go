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

// TestConfusionsThroughRareTerms checks that asking only the phrasings
// whose two rarest words another entry holds finds every confusion that
// asking every phrasing finds, on the test files, the public benchmark
// data's knowledge files and a synthetic file of 2,000 entries.
func TestConfusionsThroughRareTerms(t *testing.T) {
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

// sameConfusions checks that f's confusions through rare terms are those
// of asking every phrasing.
func sameConfusions(t *testing.T, f *knowledge.File) {
	t.Helper()
	b, err := New(f)
	if err != nil {
		t.Fatal(err)
	}
	var asked atomic.Int64
	all := b.confusions(DefaultThreshold, func(int32, []int32) bool { return true })
	fast := b.confusions(DefaultThreshold, func(p int32, seen []int32) bool {
		ok := b.idx.confusable(p, seen)
		if ok {
			asked.Add(1)
		}
		return ok
	})
	if !reflect.DeepEqual(fast, all) {
		t.Errorf("%d confusions through rare terms, %d asking every phrasing", len(fast), len(all))
		for i := range min(len(fast), len(all)) {
			if fast[i] != all[i] {
				t.Errorf("first difference: %s %q / %s %q", fast[i].Entry.ID, fast[i].Phrasing, all[i].Entry.ID, all[i].Phrasing)
				break
			}
		}
	}
	t.Logf("%d confusions; %d of %d phrasings asked", len(all), asked.Load(), len(b.idx.phrEntry))
}

package match

import (
	"slices"
	"testing"
)

// TestAnswerTerms checks that rows of terms read back as they were added,
// and sorted after sortRows, in two bytes a term and after a term of 1<<16
// or more has made them four.
func TestAnswerTerms(t *testing.T) {
	for _, c := range []struct {
		name string
		rows [][]int32
		wide bool
	}{
		{"narrow", [][]int32{{3, 1, 2}, {}, {1<<16 - 1, 0}}, false},
		{"widened", [][]int32{{3, 1, 2}, {}, {1 << 16, 7, 1<<16 - 1}, {9, 4}}, true},
		{"wide from the first", [][]int32{{1 << 20, 5}, {2}}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newAnswerTerms(len(c.rows), 2)
			for _, row := range c.rows {
				r.add(row)
			}
			if got := r.wide != nil; got != c.wide {
				t.Errorf("wide: %v, want %v", got, c.wide)
			}
			check := func(sorted bool) {
				t.Helper()
				if r.rows() != len(c.rows) {
					t.Fatalf("%d rows, want %d", r.rows(), len(c.rows))
				}
				for i, want := range c.rows {
					if sorted {
						want = slices.Sorted(slices.Values(want))
					}
					if got := r.appendIDs([]int32{-1}, i); !slices.Equal(got[1:], want) || got[0] != -1 {
						t.Errorf("row %d: %v, want %v after -1", i, got, want)
					}
				}
			}
			check(false)
			r.sortRows()
			check(true)
		})
	}
}

package match

import (
	"math"
	"testing"
)

// TestPivotAnswers divides each answer's values by its norm pivoted at the
// median answer's: the median one by its own norm, as a cosine, a longer
// one by less and a shorter one by more; an answer without terms is
// skipped.
func TestPivotAnswers(t *testing.T) {
	// Four answers: norms 1, 4 and 16 (each one value of that size), and
	// one without terms between them.
	rows := postings{start: []int32{0, 1, 1, 2, 3}}
	vals := []float32{1, 4, 16}
	pivotAnswers(rows, vals, []float64{1, 4, 16}, 0.5)
	want := []float64{
		1 / math.Sqrt(1*4),   // shorter than the median: divided by more than its norm
		4 / 4,                // the median: a cosine
		16 / math.Sqrt(16*4), // longer: divided by less than its norm
	}
	for i, w := range want {
		if math.Abs(float64(vals[i])-w) > 1e-6 {
			t.Errorf("value %d = %v, want %v", i, vals[i], w)
		}
	}
	// At slope 1 every answer is divided by its own norm.
	vals = []float32{1, 4, 16}
	pivotAnswers(rows, vals, []float64{1, 4, 16}, 1)
	for i, v := range vals {
		if math.Abs(float64(v)-1) > 1e-6 {
			t.Errorf("slope 1: value %d = %v, want 1", i, v)
		}
	}
}

package match

import (
	"math"
	"testing"
)

// TestPivotDivisors divides each answer's values by its norm pivoted at
// the median answer's: the median one by its own norm, as a cosine, a
// longer one by less and a shorter one by more; an answer without terms
// is skipped.
func TestPivotDivisors(t *testing.T) {
	// Four answers: norms 1, 4 and 16, and one without terms between them.
	norms := []float64{1, 0, 4, 16}
	want := []float64{
		math.Sqrt(1 * 4),  // shorter than the median: divided by more than its norm
		0,                 // no terms
		4,                 // the median: a cosine
		math.Sqrt(16 * 4), // longer: divided by less than its norm
	}
	for i, d := range pivotDivisors(norms, 0.5) {
		if math.Abs(float64(d)-want[i]) > 1e-6 {
			t.Errorf("divisor %d = %v, want %v", i, d, want[i])
		}
	}
	// At slope 1 every answer is divided by its own norm.
	for i, d := range pivotDivisors(norms, 1) {
		if math.Abs(float64(d)-norms[i]) > 1e-6 {
			t.Errorf("slope 1: divisor %d = %v, want %v", i, d, norms[i])
		}
	}
	if d := pivotDivisors([]float64{0, 0}, 0.5); d[0] != 0 || d[1] != 0 {
		t.Errorf("no answer with terms: divisors %v, want 0", d)
	}
}

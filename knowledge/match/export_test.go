package match

import (
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// This file opens to the external tests of package match, which measure the
// matcher with package eval (that imports match), what they share with the
// internal tests.

// Weights are the matcher's tuned constants.
type Weights = weights

// DefaultWeights returns the matcher's tuned constants as shipped.
func DefaultWeights() Weights { return defaultWeights() }

// NewWithWeights builds the index of f as New does, with the constants w.
func NewWithWeights(f *knowledge.File, w Weights) (*Index, error) {
	x, err := newIndexWeights(f, w)
	if err != nil {
		return nil, err
	}
	return &Index{file: f, byID: byID(f.Entries), idx: x}, nil
}

// BenchDatasets are the folders of the public benchmark data.
var BenchDatasets = benchDatasets

// BenchDir returns the public benchmark data beside the repository.
func BenchDir(tb testing.TB) string { tb.Helper(); return benchDir(tb) }

// LoadBenchFile loads and checks the knowledge file at path.
func LoadBenchFile(tb testing.TB, path string) *knowledge.File {
	tb.Helper()
	return loadBenchFile(tb, path)
}

// LoadTestBase loads and indexes the knowledge file at path.
func LoadTestBase(tb testing.TB, path string) *Index { tb.Helper(); return loadTestBase(tb, path) }

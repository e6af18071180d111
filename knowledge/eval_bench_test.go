package knowledge

import (
	"os"
	"path/filepath"
	"testing"
)

// benchDir returns the public benchmark data beside the repository
// (../shared/bench), skipping the test when it is absent.
func benchDir(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join("..", "..", "shared", "bench")
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		tb.Skipf("benchmark data not found at %s (a checkout of shared/ beside the repository): %v", dir, err)
	}
	return dir
}

// benchDatasets are the folders of the public benchmark data.
var benchDatasets = []string{"banking77", "chitchat-professional", "clinc150", "covid-cdc-faq"}

// benchScores is one dataset's figures on its test split.
type benchScores struct {
	tuned, typoTuned, untuned, typoUntuned float64
	threshold, typoThreshold               float64
	dev, typoDev                           float64 // accuracy on dev at its own tuned threshold
}

// scoreDataset tunes the threshold on dev and reports accuracy on test, for
// clean and typo queries, and at DefaultThreshold.
func scoreDataset(tb testing.TB, dir string, w weights) benchScores {
	tb.Helper()
	f := loadBenchFile(tb, filepath.Join(dir, "kb.yaml"))
	x, err := newIndexWeights(f, w)
	if err != nil {
		tb.Fatal(err)
	}
	b := &Base{Path: dir, file: *f, byID: map[string]*Entry{}, idx: x}
	for i := range b.file.Entries {
		b.byID[b.file.Entries[i].ID] = &b.file.Entries[i]
	}
	b.idx.entries = make([]*Entry, len(b.file.Entries))
	for i := range b.file.Entries {
		b.idx.entries[i] = &b.file.Entries[i]
	}
	eval := func(name string) *Evaluation {
		cases, err := LoadCases(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		ev, err := Evaluate(b, cases)
		if err != nil {
			tb.Fatal(err)
		}
		return ev
	}
	var s benchScores
	dev, test := eval("dev.jsonl"), eval("test.jsonl")
	s.threshold = dev.Tune()
	s.dev = dev.At(s.threshold, 0).Accuracy
	s.tuned = test.At(s.threshold, 0).Accuracy
	s.untuned = test.At(DefaultThreshold, 0).Accuracy
	dev, test = eval("dev-typos.jsonl"), eval("test-typos.jsonl")
	s.typoThreshold = dev.Tune()
	s.typoDev = dev.At(s.typoThreshold, 0).Accuracy
	s.typoTuned = test.At(s.typoThreshold, 0).Accuracy
	s.typoUntuned = test.At(DefaultThreshold, 0).Accuracy
	return s
}

func loadBenchFile(tb testing.TB, path string) *File {
	tb.Helper()
	b, err := Load(path)
	if err != nil {
		tb.Fatal(err)
	}
	f := b.file
	return &f
}

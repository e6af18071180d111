package main

import (
	"strings"
	"testing"
)

// TestReportTargets checks the targets table: issue 3's own margins over
// the bleve figures of its table, and the same margins over this run's
// best bleve, each marked met or not.
func TestReportTargets(t *testing.T) {
	var b strings.Builder
	writeReport(&b, report{results: []datasetResult{{
		name: "banking77",
		methods: []methodResult{
			{name: "bleve BM25", clean: 0.497, typo: 0.408},
			{name: "bleve BM25, an entry a document, fuzzy 1", clean: 0.535, typo: 0.501},
		},
		faqbot: faqbotResult{clean: 0.593, typo: 0.593, cleanDefault: 0.594, typoDefault: 0.579},
	}}})
	want := "| banking77 | yes (0.593 vs 0.587) | yes (0.593 vs 0.590) | yes (0.593 vs 0.585) | **no** (0.593 vs 0.601) | yes (0.000) | yes (-0.001 / 0.014) |"
	if !strings.Contains(b.String(), want) {
		t.Errorf("the targets table lacks\n%s\nin\n%s", want, b.String())
	}
}

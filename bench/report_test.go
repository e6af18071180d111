package main

import (
	"strings"
	"testing"
	"time"
)

// TestReportIntents checks the summary row: the best bleve configuration,
// faqbot's margin over it, and faqbot's default.
func TestReportIntents(t *testing.T) {
	var b strings.Builder
	writeReport(&b, report{results: []datasetResult{{
		name: "banking77",
		methods: []methodResult{
			{name: "sahilm/fuzzy", clean: 0.203, typo: 0.195},
			{name: "bleve BM25", clean: 0.497, typo: 0.408},
			{name: "bleve BM25, an entry a document, fuzziness 1", clean: 0.535, typo: 0.501},
		},
		faqbot: faqbotResult{clean: 0.593, typo: 0.593, cleanDefault: 0.594, typoDefault: 0.579, top1: 0.72, typoTop1: 0.715},
	}}})
	want := "| banking77 | 0.203 | 0.535 / 0.501 | **0.593 / 0.593** | +0.058 / +0.092 | 0.594 / 0.579 | 0.720 / 0.715 |"
	if !strings.Contains(b.String(), want) {
		t.Errorf("the summary lacks\n%s\nin\n%s", want, b.String())
	}
}

func TestReportSpeed(t *testing.T) {
	var b strings.Builder
	writeReport(&b, report{speeds: []speedResult{{entries: 1000, phrasings: 5486, queries: 6617, methods: []speedMethod{
		{name: "faqbot, the file loaded", err: "file is too big", noSearch: true},
		{name: "faqbot", build: 45 * time.Millisecond, heapMB: 3.7, lat: latency{82 * time.Microsecond, 185 * time.Microsecond, 90 * time.Microsecond}},
		{name: "bleve BM25", build: 1500 * time.Millisecond, heapMB: 20, lat: latency{60 * time.Microsecond, 300 * time.Microsecond, 80 * time.Microsecond}},
	}}}})
	for _, want := range []string{
		"| 1000 | 5486 | 6617 | faqbot, the file loaded | refused: file is too big | | | | |",
		"|  |  |  | faqbot | 45 ms | 4 MB | 82 µs | 185 µs | 90 µs |",
		"|  |  |  | bleve BM25 | 1.50 s | 20 MB | 60 µs | 300 µs | 80 µs |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the speed table lacks\n%s\nin\n%s", want, b.String())
		}
	}
}

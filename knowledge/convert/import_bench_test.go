package convert

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkImportLabelLines imports a Markdown document of n "Q:" lines
// with no answers, at three sizes: the time per byte should not grow with
// the size.
func BenchmarkImportLabelLines(b *testing.B) {
	for _, kb := range []int{35, 70, 140} {
		line := "Q: what is x?\n"
		doc := []byte(strings.Repeat(line, kb<<10/len(line)))
		b.Run(fmt.Sprintf("%dKB", kb), func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				Import("faq.md", doc, FormatAuto)
			}
		})
	}
}

// BenchmarkImportMarkdownNesting imports Markdown that CommonMark parsers
// find hard, at three sizes each: unclosed link openings ("[a]("
// repeated), a block quote nested once a ">", and list items nested once
// a "- ".
func BenchmarkImportMarkdownNesting(b *testing.B) {
	for _, tc := range []struct {
		name, head, unit string
		kbs              []int
	}{
		{"links", "## What is x?\n\n", "[a](", []int{20, 40, 80}},
		{"quotes", "## What is x?\n\n", ">", []int{25, 50, 100}},
		{"items", "## What is x?\n\n", "- ", []int{25, 50, 100}},
	} {
		for _, kb := range tc.kbs {
			doc := []byte(tc.head + strings.Repeat(tc.unit, kb<<10/len(tc.unit)) + " a\n")
			b.Run(fmt.Sprintf("%s/%dKB", tc.name, kb), func(b *testing.B) {
				b.SetBytes(int64(len(doc)))
				for b.Loop() {
					Import("faq.md", doc, FormatAuto)
				}
			})
		}
	}
}

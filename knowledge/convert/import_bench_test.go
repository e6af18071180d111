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

package convert

import (
	"fmt"
	"strings"

	"github.com/faqbot/faqbot/knowledge"
)

// ImportReport says what an import found: how many question blocks, how
// many it left out, and every warning.
type ImportReport struct {
	// Blocks counts the questions and headings found that could be entries.
	Blocks int
	// Skipped counts the blocks left out.
	Skipped int
	// Warnings say what was left out or changed, with lines.
	Warnings knowledge.Errors
}

// Summary is the one line an import ends with: "42 entries from 44
// question blocks; 2 skipped: ...".
func (r ImportReport) Summary(entries int) string {
	s := counted(entries, "entry", "entries") + " from " + counted(max(r.Blocks, entries), "question block", "question blocks")
	if r.Skipped == 0 {
		return s
	}
	var why []string
	for _, w := range r.Warnings {
		if strings.Contains(w.Message, "left out") && len(why) < 3 {
			why = append(why, fmt.Sprintf("line %d: %s", w.Line, w.Message))
		}
	}
	s += fmt.Sprintf("; %d skipped: %s", r.Skipped, strings.Join(why, "; "))
	if r.Skipped > len(why) {
		s += "; ..."
	}
	return s
}

// counted says n with its noun: one or many.
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// countLeftOut counts the warnings that say a block was left out.
func countLeftOut(ws knowledge.Errors) int {
	n := 0
	for _, w := range ws {
		if strings.HasSuffix(w.Message, "left out") || strings.Contains(w.Message, "left out (") {
			n++
		}
	}
	return n
}

package convert

import (
	"testing"
)

// TestImportSummary drives imports through ImportWith and checks the line
// faqbot import ends with: each block left out counted once, and nouns
// that agree with their numbers.
func TestImportSummary(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"a heading with no words is one block skipped",
			"## Where can I park?\n\nBehind the shop.\n\n## ???\n\nNothing.\n",
			`1 entry from 2 question blocks; 1 skipped: line 5: heading "???" has no words to ask by; left out`},
		{"nothing skipped",
			"## Where can I park?\n\nBehind the shop.\n\n## When do you open?\n\nAt nine.\n",
			"2 entries from 2 question blocks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, rep, err := ImportWith("faq.md", []byte(tc.doc), ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := rep.Summary(len(f.Entries)); got != tc.want {
				t.Errorf("summary\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/eval"
)

func TestRealdocRule(t *testing.T) {
	answerable := eval.Case{Query: "q", Want: []string{"reset  link", "Forgot password"}}
	offTopic := eval.Case{Query: "q"}
	entry := func(answer string) *knowledge.Entry { return &knowledge.Entry{ID: "e", Answer: answer} }
	tests := []struct {
		name string
		c    eval.Case
		r    reply
		want bool
	}{
		{"answered with a want phrase", answerable, reply{true, entry("A Reset\nlink arrives.")}, true},
		{"answered with the other phrase", answerable, reply{true, entry("choose forgot   PASSWORD")}, true},
		{"answered with another answer", answerable, reply{true, entry("Visitors park on the street.")}, false},
		{"refused", answerable, reply{false, entry("A reset link arrives.")}, false},
		{"off-topic refused", offTopic, reply{false, nil}, true},
		{"off-topic answered", offTopic, reply{true, entry("anything")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := right(tt.c, tt.r); got != tt.want {
				t.Errorf("right = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRunRealdocs imports a small FAQ with faqbot's importer and asks it
// questions through the bot, as faqbot ask does.
func TestRunRealdocs(t *testing.T) {
	rep, err := runRealdocs(context.Background(), filepath.Join("testdata", "realdocs"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.docs) != 1 {
		t.Fatalf("%d documents, want 1", len(rep.docs))
	}
	d := rep.docs[0]
	if d.name != "office" || d.entries != 3 || d.real != 3 || d.importErr != "" {
		t.Errorf("document %q: %d entries imported, %d real, import error %q; want office, 3, 3, none", d.name, d.entries, d.real, d.importErr)
	}
	if got := tally(d.cases, d.faqbot); got != (tallies{answerable: 3, answeredRight: 3, offTopic: 1, refusedRight: 1}) {
		t.Errorf("faqbot: %+v, want every case right", got)
	}
	b := tally(d.cases, d.bleveReplies(rep.bleveThreshold))
	if b.answerable != 3 || b.offTopic != 1 || b.right() < 3 {
		t.Errorf("bleve at its fitted threshold %v: %+v, want at least 3 of 4 right", rep.bleveThreshold, b)
	}
	var out strings.Builder
	writeRealdocs(func(f string, a ...any) { fmt.Fprintf(&out, f, a...) }, rep)
	if want := "| office | 3 / 3 | 4 | 1.000 | 1.000 | 1.000 |"; !strings.Contains(out.String(), want) {
		t.Errorf("the table lacks %q:\n%s", want, out.String())
	}
}

// TestRunRealdocImportFails scores a document that does not import as the
// realdocs rule does: every question unanswered.
func TestRunRealdocImportFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.md")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []eval.Case{{Query: "how do i reset my password", Want: []string{"reset"}}, {Query: "what is the capital of peru"}}
	d, err := runRealdoc(context.Background(), path, cases)
	if err != nil {
		t.Fatal(err)
	}
	if d.importErr == "" {
		t.Fatal("an empty document imported")
	}
	if got := tally(d.cases, d.faqbot); got != (tallies{answerable: 1, answeredRight: 0, offTopic: 1, refusedRight: 1}) {
		t.Errorf("faqbot: %+v, want the off-topic case right only", got)
	}
	if got := tally(d.cases, d.bleveReplies(math.Inf(-1))); got.answeredRight != 0 {
		t.Errorf("bleve answered from a document that did not import: %+v", got)
	}
}

func TestFitThreshold(t *testing.T) {
	cases := []eval.Case{{Query: "a", Want: []string{"yes"}}, {Query: "b", Want: []string{"yes"}}, {Query: "c"}}
	yes, no := &knowledge.Entry{ID: "y", Answer: "yes"}, &knowledge.Entry{ID: "n", Answer: "no"}
	docs := []realdocResult{{cases: cases, bleve: []scored{{yes, 3}, {no, 5}, {yes, 1}}}}
	// At 3 the first is answered right, the second wrongly, the third refused.
	if got := fitThreshold(docs); got != 3 {
		t.Errorf("fitThreshold = %v, want 3", got)
	}
}

func TestRealCounts(t *testing.T) {
	got, err := realCounts(filepath.Join("testdata", "realdocs", "SOURCE.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got["docs/office.md"] != 3 {
		t.Errorf("realCounts = %v, want docs/office.md: 3", got)
	}
	if _, err := realCounts(filepath.Join("testdata", "realdocs", "cases", "office.jsonl")); err == nil {
		t.Error("a file with no table gave no error")
	}
}

func TestRealdocFile(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string // "" when an error is wanted
	}{
		{"with an extension", []string{"faq.md", "other.md"}, "faq.md"},
		{"without an extension", []string{"faq", "faqs.txt"}, "faq"},
		{"none", []string{"other.md"}, ""},
		{"two", []string{"faq", "faq.md"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, f), []byte("Q: a?\nA: b.\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, err := realdocFile(dir, "faq")
			switch {
			case tt.want == "" && err == nil:
				t.Errorf("realdocFile = %q, want an error", got)
			case tt.want != "" && err != nil:
				t.Errorf("realdocFile: %v", err)
			case tt.want != "" && got != filepath.Join(dir, tt.want):
				t.Errorf("realdocFile = %q, want %q", got, filepath.Join(dir, tt.want))
			}
		})
	}
}

// TestRunRealdocsPartAlone runs the realdocs part on a folder that holds
// realdocs/ and no intent set.
func TestRunRealdocsPartAlone(t *testing.T) {
	var out, errs strings.Builder
	if err := run(context.Background(), []string{"-data", "testdata", "-parts", "realdocs"}, &out, &errs); err != nil {
		t.Fatalf("run: %v\n%s", err, errs.String())
	}
	if want := "| office | 3 / 3 |"; !strings.Contains(out.String(), want) {
		t.Errorf("the report lacks %q:\n%s", want, out.String())
	}
}

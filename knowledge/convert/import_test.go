package convert

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/match"
)

// update rewrites the importers' golden files instead of comparing.
var update = flag.Bool("update", false, "rewrite the expected-output files in testdata")

// seedPath is the article that the shipped knowledge file is made from.
var seedPath = filepath.Join("..", "..", "..", "shared", "seeds", "000_d617c1b7bc304e8e.txt")

// importGolden imports the document at path as the import command does
// (the format found by its extension) and compares the output with the
// golden file, or rewrites it under -update. The output must load.
func importGolden(t *testing.T, path, golden string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(path)
	f, warnings, err := Import(name, data, FormatAuto)
	if err != nil {
		t.Fatalf("Import(%s): %v", name, err)
	}
	var out bytes.Buffer
	if err := knowledge.WriteYAML(&out, f, ImportHeader(name, warnings)); err != nil {
		t.Fatal(err)
	}
	if err := loads(name+".yaml", out.Bytes()); err != nil {
		t.Fatalf("the import of %s does not load:\n%v\n%s", name, err, out.Bytes())
	}
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestImport -update to write it)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("import of %s differs from %s:\n%s", name, golden, out.Bytes())
	}
	// The same input gives the same output.
	f2, _, _ := Import(name, data, FormatAuto)
	var again bytes.Buffer
	knowledge.WriteYAML(&again, f2, ImportHeader(name, warnings))
	if !bytes.Equal(out.Bytes(), again.Bytes()) {
		t.Errorf("import of %s is not deterministic", name)
	}
}

// TestImportGolden imports every document in testdata/import: each good
// one must give its .golden.yaml, each bad-* one exactly the errors in its
// .err file.
func TestImportGolden(t *testing.T) {
	docs, _ := filepath.Glob(filepath.Join("testdata", "import", "*"))
	n := 0
	for _, doc := range docs {
		if strings.HasSuffix(doc, ".golden.yaml") || strings.HasSuffix(doc, ".err") {
			continue
		}
		n++
		if !strings.HasPrefix(filepath.Base(doc), "bad-") {
			t.Run(filepath.Base(doc), func(t *testing.T) { importGolden(t, doc, doc+".golden.yaml") })
			continue
		}
		t.Run(filepath.Base(doc), func(t *testing.T) {
			data, err := os.ReadFile(doc)
			if err != nil {
				t.Fatal(err)
			}
			_, warnings, err := Import(filepath.Base(doc), data, FormatAuto)
			var errs knowledge.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Import(%s) = %v; want knowledge.Errors", doc, err)
			}
			got := err.Error() + "\n"
			if len(warnings) > 0 {
				got += "warnings:\n" + warnings.Error() + "\n"
			}
			if *update {
				if err := os.WriteFile(doc+".err", []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(doc + ".err")
			if err != nil {
				t.Fatalf("%v (run go test -run TestImportGolden -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("Import(%s):\n%s\nwant:\n%s", doc, got, want)
			}
		})
	}
	if n < 10 {
		t.Errorf("found %d documents in testdata/import", n)
	}
}

// TestImportSeed imports the seed article with no hand edits.
func TestImportSeed(t *testing.T) {
	if _, err := os.Stat(seedPath); err != nil {
		t.Skip("../shared/seeds is absent")
	}
	importGolden(t, seedPath, filepath.Join("testdata", "import", "seed.golden.yaml"))
}

func TestImportMarkdownErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"empty.txt", "", "empty.txt: found no questions, headings or Q:/A: pairs to make entries from"},
		{"words.txt", "just words.\nmore words.\n", "words.txt: found no questions, headings or Q:/A: pairs to make entries from"},
		{"bad.txt", "Q: Why?\nA: \xff\n", "bad.txt:2:4: the file is not valid UTF-8; save it as UTF-8"},
	} {
		_, _, err := ImportMarkdown(tc.name, []byte(tc.data))
		if err == nil || err.Error() != tc.want {
			t.Errorf("ImportMarkdown(%s) = %v; want %s", tc.name, err, tc.want)
		}
	}
}

func TestFindDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Wed. Dec 6th, 2023", "2023-12-06"},
		{"Published on 6 December 2023 by A.", "2023-12-06"},
		{"the 1st of March, 2021 and 2020-01-02", "2021-03-01"},
		{"Updated 2020-01-02; first written Jan 5, 2019", "2020-01-02"},
		{"September 31, 2023", ""},
		{"no date here, 2023", ""},
	} {
		if got, _ := findDate(tc.in); got != tc.want {
			t.Errorf("findDate(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"Wed. Dec 6th, 2023", true},
		{"Posted on Tuesday, 6th of June 2023", true},
		{"Last updated: 2024-03-01", true},
		{"On 6 Dec 2023 Russia said", false},
	} {
		if got := isDateLine(tc.in); got != tc.want {
			t.Errorf("isDateLine(%q) = %v; want %v", tc.in, got, tc.want)
		}
	}
}

// loads checks an importer's output as the bot loads a knowledge file: the
// checks of knowledge.Parse, then the search index.
func loads(name string, data []byte) error {
	f, err := knowledge.Parse(name, data)
	if err != nil {
		return err
	}
	_, err = match.New(f)
	return err
}

// TestImportLongAnswers checks that no reader drops an entry for its
// length: an answer within the loader's limit is kept whole, a longer one is
// cut at a paragraph with a warning, and a question that is too long is cut
// and given whole at the top of its answer.
func TestImportLongAnswers(t *testing.T) {
	para := strings.Repeat("word ", 199) + "end." // 999 characters
	long := strings.Repeat(para+"\n\n", 30)       // within the limit
	tooLong := strings.Repeat(para+"\n\n", 45)    // past it
	longQ := strings.Repeat("very ", 110) + "long question?"
	for _, tc := range []struct {
		name, doc string
		question  string
		answerLen int // in characters, after trimming
		warn      string
	}{
		{"kept.md", "## How long?\n\n" + long, "How long?", len(strings.TrimSpace(long)), ""},
		{"kept.txt", "How long can it be?\n\n" + long, "How long can it be?", len(strings.TrimSpace(long)), ""},
		// 39 paragraphs and their breaks: the last break within the limit.
		{"cut.md", "## How long?\n\n" + tooLong, "How long?", 39*1001 - 2, "cut to 39037"},
		{"cut.txt", "How long can it be?\n\n" + tooLong, "How long can it be?", 39*1001 - 2, "cut to 39037"},
		{"question.md", "## " + longQ + "\n\nShort.\n", strings.TrimSpace(longQ[:knowledge.MaxPhrasingLen]), len(longQ) + len("\n\nShort."), "given whole at the top of its answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, warnings, err := Import(tc.name, []byte(tc.doc), FormatAuto)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Entries) != 1 {
				t.Fatalf("%d entries; want 1 (warnings: %v)", len(f.Entries), warnings)
			}
			e := f.Entries[0]
			if e.Question != tc.question {
				t.Errorf("question = %q; want %q", e.Question, tc.question)
			}
			if n := len(e.Answer); n != tc.answerLen {
				t.Errorf("answer is %d characters; want %d", n, tc.answerLen)
			}
			if tc.warn == "" && len(warnings) > 0 {
				t.Errorf("warnings: %v", warnings)
			}
			if tc.warn != "" && !strings.Contains(warnings.Error(), tc.warn) {
				t.Errorf("warnings %v; want one saying %q", warnings, tc.warn)
			}
			if err := loads(tc.name+".yaml", mustYAML(t, f)); err != nil {
				t.Errorf("the import does not load: %v", err)
			}
		})
	}
}

// mustYAML writes f as the import command does.
func mustYAML(t *testing.T, f *knowledge.File) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := knowledge.WriteYAML(&out, f, ""); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestDetectFormatByContent checks that each fixture's format is found
// from its content alone, as for a document read from standard input.
func TestDetectFormatByContent(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"data-grouped.yml", FormatYAML},
		{"data-flat.yaml", FormatYAML},
		{"data-keys.json", FormatJSON},
		{"faqpage.json", FormatJSON},
		{"qnabot.json", FormatQnABot},
		{"handbook.wiki", FormatMediaWiki},
		{"dokuwiki-faq.txt", FormatMediaWiki},
		{"faq.org", FormatOrg},
		{"jsonld-page.html", FormatHTML},
		{"headings.md", FormatMarkdown},
		{"handbook.adoc", FormatAsciiDoc},
		{"guide.rst", FormatRST},
		{"club.textile", FormatTextile},
		// A title underlined alone does not make reStructuredText.
		{"numbered-labels.txt", FormatText},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", "import", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if got := DetectFormat("stdin", data); got != tc.want {
			t.Errorf("DetectFormat(%s by content) = %s; want %s", tc.file, got, tc.want)
		}
		if got := DetectFormat(tc.file, data); got != tc.want {
			t.Errorf("DetectFormat(%s) = %s; want %s", tc.file, got, tc.want)
		}
	}
}

// TestImportKnowledgeFile checks that only a file of faqbot's own shape
// is refused as a knowledge file, whatever its extension.
func TestImportKnowledgeFile(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		refused    bool
	}{
		{"kb.yaml", "version: 1\nentries:\n  - id: a\n    question: Why?\n    answer: Because.\n", true},
		{"kb.json", `{"version": 1, "entries": [{"id": "a", "question": "Why?", "answer": "Because."}]}`, true},
		{"kb.yml", "entries:\n  - id: a\n    question: Why?\n    answer: Because.\n", true},
		{"faq.yml", "entries:\n  - question: Why?\n    answer: Because.\n", false},
		{"faq.yaml", "- question: Why?\n  answer: Because.\n", false},
	} {
		_, _, err := Import(tc.name, []byte(tc.data), FormatAuto)
		refused := err != nil && strings.Contains(err.Error(), "knowledge file already")
		if refused != tc.refused {
			t.Errorf("Import(%s) = %v; refused %v, want %v", tc.name, err, refused, tc.refused)
		}
	}
}

// TestImportPageFurniture checks that a page's furniture (its <nav>, its
// <footer>, an <address> with the page's contact details) is left out of
// the answers with a warning, in an HTML page and in HTML inside
// Markdown, while an <address> that answers a question is kept.
func TestImportPageFurniture(t *testing.T) {
	const footer = "<address>Kept by the web team.</address>\n\n<footer>(c) 2024 The Library</footer>\n"
	for _, tc := range []struct {
		name, doc string
		answers   []string // of the entries, in order
		warn      string
	}{
		{"footer.html", "<h2>When do you open?</h2>\n<p>At nine.</p>\n" + footer, []string{"At nine."}, "<address> left out"},
		{"footer.md", "## When do you open?\n\nAt nine.\n\n" + footer, []string{"At nine."}, "<address> left out"},
		{"nav.html", "<nav><a href=\"/\">Home</a></nav>\n<h2>When do you open?</h2>\n<p>At nine.</p>\n", []string{"At nine."}, "<nav> left out"},
		{"answer.html", "<h2>Where are you?</h2>\n<address>1 Main Street</address>\n<h2>When do you open?</h2>\n<p>At nine.</p>\n",
			[]string{"1 Main Street", "At nine."}, ""},
		{"in-answer.html", "<h2>How do I write to you?</h2>\n<div><p>Write to:</p><address>1 Main Street</address></div>\n",
			[]string{"Write to:\n\n1 Main Street"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, warnings, err := Import(tc.name, []byte(tc.doc), FormatAuto)
			if err != nil {
				t.Fatal(err)
			}
			var answers []string
			for _, e := range f.Entries {
				answers = append(answers, strings.TrimSpace(e.Answer))
			}
			if !slices.Equal(answers, tc.answers) {
				t.Errorf("answers = %q; want %q", answers, tc.answers)
			}
			if tc.warn == "" && len(warnings) > 0 {
				t.Errorf("warnings: %v", warnings)
			}
			if tc.warn != "" && !strings.Contains(warnings.Error(), tc.warn) {
				t.Errorf("warnings %v; want one saying %q", warnings, tc.warn)
			}
		})
	}
}

// TestImportMDXLabels checks that the label or title of an MDX component
// that does not ask (a tab's, a box's) is kept as a bold line before its
// content, never taken for a question, while one that asks is a question.
func TestImportMDXLabels(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		questions []string
		answer    string // of the first entry
	}{
		{"tabs.mdx", "## How do I install it?\n\n<Tabs>\n  <TabItem value=\"win\" label=\"Windows\">\n    Run setup.exe.\n  </TabItem>\n  <TabItem value=\"mac\" label=\"macOS\" default>\n    Open the package.\n  </TabItem>\n</Tabs>\n",
			[]string{"How do I install it?"}, "**Windows**\n\nRun setup.exe.\n\n**macOS**\n\nOpen the package."},
		// Bold lines ask here, and the labels still do not.
		{"bold.mdx", "**How do I install it?**\n\n<Tabs>\n<TabItem label=\"Windows\">\nRun setup.exe.\n</TabItem>\n</Tabs>\n\n**Why is it slow?**\n\nIt indexes at first.\n",
			[]string{"How do I install it?", "Why is it slow?"}, "**Windows**\n\nRun setup.exe."},
		{"box.mdx", "## Can I pay later?\n\n<Admonition type=\"note\" title=\"Invoices\">\nWe send one each month.\n</Admonition>\n",
			[]string{"Can I pay later?"}, "**Invoices**\n\nWe send one each month."},
		{"asks.mdx", "# FAQ\n\n<Accordion title=\"Can I pay later?\">\nYes, within 30 days.\n</Accordion>\n",
			[]string{"Can I pay later?"}, "Yes, within 30 days."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, warnings, err := Import(tc.name, []byte(tc.doc), FormatAuto)
			if err != nil {
				t.Fatalf("%v (warnings: %v)", err, warnings)
			}
			var questions []string
			for _, e := range f.Entries {
				questions = append(questions, e.Question)
			}
			if !slices.Equal(questions, tc.questions) {
				t.Fatalf("questions = %q; want %q", questions, tc.questions)
			}
			if got := strings.TrimSpace(f.Entries[0].Answer); got != tc.answer {
				t.Errorf("answer = %q; want %q", got, tc.answer)
			}
		})
	}
}

func TestFAQSectionNames(t *testing.T) {
	tests := []struct {
		name string
		is   func(string) bool
		arg  string
		want bool
	}{
		{"faqHeading", faqHeading, "FAQ", true},
		{"faqHeading", faqHeading, "Frequently asked questions", true},
		{"faqHeading", faqHeading, "🙋 Häufig gestellte Fragen (FAQ)", true},
		{"faqHeading", faqHeading, "Common questions", true},
		{"faqHeading", faqHeading, "Questions about billing", false},
		{"faqHeading", faqHeading, "Frequently used commands", false},
		{"faqHeading", faqHeading, "Installation", false},
		{"readmeName", readmeName, "README.md", true},
		{"readmeName", readmeName, "docs/readme.rst", true},
		{"readmeName", readmeName, "tool-README.md", true},
		{"readmeName", readmeName, "README", true},
		{"readmeName", readmeName, "readmes.md", false},
		{"readmeName", readmeName, "faq.md", false},
	}
	for _, tt := range tests {
		if got := tt.is(tt.arg); got != tt.want {
			t.Errorf("%s(%q) = %v, want %v", tt.name, tt.arg, got, tt.want)
		}
	}
}

// TestImportTightPairs checks that question labels with no blank line
// before them start a new entry in every format, as in plain text: a
// "Q:"/"A:" pair, or a "Q:" line over an unlabelled answer, is one entry,
// never the tail of the answer above it.
func TestImportTightPairs(t *testing.T) {
	labelled := "Q: What is 0?\nA: It is 0.\nQ: What is 1?\nA: It is 1.\nQ: What is 2?\nA: It is 2.\n"
	unlabelled := "Q: What is 0?\nIt is 0.\nQ: What is 1?\nIt is 1.\nQ: What is 2?\nIt is 2.\n"
	want := []string{"What is 0?", "It is 0.", "What is 1?", "It is 1.", "What is 2?", "It is 2."}
	for _, tc := range []struct{ name, doc string }{
		{"labelled.md", "# FAQ\n\n" + labelled},
		{"labelled.txt", labelled},
		{"labelled-bold.md", strings.NewReplacer("Q:", "**Q:**", "A:", "**A:**").Replace(labelled)},
		{"unlabelled.md", unlabelled},
		{"unlabelled.txt", unlabelled},
		{"labelled.html", "<h1>FAQ</h1>\n<p>" + strings.ReplaceAll(strings.TrimSpace(labelled), "\n", "<br>\n") + "</p>"},
		{"labelled.adoc", "= FAQ\n\n" + labelled},
		{"labelled.rst", "FAQ\n===\n\n" + labelled},
		{"labelled.org", "#+TITLE: FAQ\n\n" + labelled},
		{"quoted.md", "# FAQ\n\n> " + strings.ReplaceAll(strings.TrimSpace(labelled), "\n", "\n> ") + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, warnings, err := Import(tc.name, []byte(tc.doc), FormatAuto)
			if err != nil {
				t.Fatalf("%v (warnings: %v)", err, warnings)
			}
			var got []string
			for _, e := range f.Entries {
				got = append(got, e.Question, strings.TrimSpace(e.Answer))
			}
			if !slices.Equal(got, want) {
				t.Errorf("entries (question, answer) = %q; want %q", got, want)
			}
		})
	}
}

// TestImportHeadingAnswerIsWhole imports answers under headings that ask,
// whose lines may start with what reads as a question label: prose that
// wraps at "question:", a quoted transcript, a ticket template. Each is
// its heading's answer whole, not cut there into a made-up entry.
func TestImportHeadingAnswerIsWhole(t *testing.T) {
	for _, tc := range []struct{ name, answer string }{
		{"prose", "Please search the forum before you post a new\nquestion: most problems have been solved before."},
		{"transcript", "The chat went like this:\nQ: is it free?\nA: for teams of five or fewer."},
		{"template", "Write it like this.\nQuestion: what you asked\nAnswer: what you were told"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := "# FAQ\n\n## Where should I ask for help?\n\n" + tc.answer + "\n\n## Where is the office?\n\nOn the high street.\n"
			f, warnings, err := Import(tc.name+".md", []byte(doc), FormatAuto)
			if err != nil {
				t.Fatalf("%v (warnings: %v)", err, warnings)
			}
			var got []string
			for _, e := range f.Entries {
				got = append(got, e.Question, strings.TrimSpace(e.Answer))
			}
			want := []string{"Where should I ask for help?", tc.answer, "Where is the office?", "On the high street."}
			if !slices.Equal(got, want) {
				t.Errorf("entries (question, answer) = %q; want %q (warnings: %v)", got, want, warnings)
			}
		})
	}
}

// TestImportDropsControlCharacters checks that no control character but
// newline and tab reaches an imported file, written as bytes or as the
// escapes of each format, and that the text around them is kept.
func TestImportDropsControlCharacters(t *testing.T) {
	const esc, bel, del, csi = "\x1b", "\x07", "\x7f", "\u009b"
	for _, tc := range []struct {
		name, doc        string
		question, answer string
	}{
		{"entities.html", "<h2>What is x&#27;[2J?</h2><p>Answer &#27;]0;pwned&#7; &#x1b;[31mred&#127;</p>", "What is x[2J?", "Answer ]0;pwned [31mred"},
		{"bytes.html", "<h2>What is x" + esc + "[2J?</h2><p>Answer" + bel + " red" + csi + "1m</p>", "What is x[2J?", "Answer red1m"},
		{"bytes.md", "## What is x" + esc + "[2J?\n\nAnswer " + esc + "]0;pwned" + bel + " " + csi + "31mred" + del + "\n", "What is x[2J?", "Answer ]0;pwned 31mred"},
		{"html-block.md", "## What is x?\n\n<p>Answer &#27;[31mred</p>\n", "What is x?", "Answer [31mred"},
		{"bytes.txt", "Q: What is x" + esc + "[2J?\nA: Answer " + esc + "[31mred\tand more.\n", "What is x[2J?", "Answer [31mred\tand more."},
		// The warning quotes the line it leaves out.
		{"include.adoc", "== What is x" + esc + "[2J?\n\nAnswer " + esc + "[31mred.\n\ninclude::x" + esc + "[2J.adoc[]\n", "What is x[2J?", "Answer [31mred."},
		{"bytes.rst", "What is x" + esc + "[2J?\n==============\n\nAnswer " + esc + "[31mred.\n", "What is x[2J?", "Answer [31mred."},
		{"escapes.json", `[{"question": "What is x\u001b[2J?", "answer": "Answer \u001b]0;pwned\u0007 \u009b31mred"}]`, "What is x[2J?", "Answer ]0;pwned 31mred"},
		{"escapes.yaml", "- question: \"What is x\\e[2J?\"\n  answer: \"Answer \\e]0;pwned\\a \\x9b31mred\"\n", "What is x[2J?", "Answer ]0;pwned 31mred"},
		{"bytes.csv", "question,answer\n\"What is x" + esc + "[2J?\",\"Answer " + esc + "[31mred" + bel + "\"\n", "What is x[2J?", "Answer [31mred"},
		{"bytes.tsv", "Question\tAnswer\tSource\nWhat is x" + esc + "[2J?\tAnswer " + esc + "[31mred" + bel + "\tEditorial\n", "What is x[2J?", "Answer [31mred"},
		{"qnabot.json", "{\"qna\": [\n" + `{"qid": "x", "q": ["What is x\u001b[2J?"], "a": "Answer \u001b[31mred\u0007", "type": "qna"}]}`, "What is x[2J?", "Answer [31mred"},
		// Line breaks the loader refuses become newlines; noncharacters go.
		{"separators.md", "## What is x?\n\nOne\u2028two\u2029three\u0085four\uFFFF.\n", "What is x?", "One\ntwo\nthree\nfour."},
		{"separators.html", "<h2>What is x?</h2><p>One&#8232;two&#x2029;three&#xFFFE;.</p>", "What is x?", "One\ntwo\nthree."},
		{"separators.json", `[{"question": "What is x?", "answer": "One\u2028two\u0085three"}]`, "What is x?", "One\ntwo\nthree"},
		{"separators.csv", "question,answer\n\"What is x?\",\"One\u2028two\"\n", "What is x?", "One\ntwo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, warnings, err := Import(tc.name, []byte(tc.doc), FormatAuto)
			if err != nil {
				t.Fatalf("%v (warnings: %v)", err, warnings)
			}
			var out bytes.Buffer
			if err := knowledge.WriteYAML(&out, f, ImportHeader(tc.name, warnings)); err != nil {
				t.Fatal(err)
			}
			if i := bytes.IndexFunc(out.Bytes(), knowledge.Refused); i >= 0 {
				t.Errorf("control character %q in the file written:\n%s", out.Bytes()[i], out.Bytes())
			}
			for _, e := range f.Entries {
				for _, s := range append(e.Phrasings(), e.Answer, e.Section, e.Source, f.Title) {
					if strings.ContainsFunc(s, knowledge.Refused) {
						t.Errorf("control character in %q", s)
					}
				}
			}
			if len(f.Entries) != 1 {
				t.Fatalf("%d entries; want 1", len(f.Entries))
			}
			if e := f.Entries[0]; e.Question != tc.question || strings.TrimSpace(e.Answer) != tc.answer {
				t.Errorf("question, answer = %q, %q; want %q, %q", e.Question, strings.TrimSpace(e.Answer), tc.question, tc.answer)
			}
		})
	}
}

// TestImportUTF16 checks that a document in UTF-16 with a byte order
// mark, either byte first, imports as the same document in UTF-8 does.
func TestImportUTF16(t *testing.T) {
	for _, tc := range []struct{ name, doc string }{
		{"faq.txt", "Q: Where do I park?\r\nA: Behind Zoë's library, for free 🚲.\r\n"},
		{"faq.md", "# Parking\n\n## Where do I park?\n\nBehind Zoë's library, for free 🚲.\n"},
		{"faq.csv", "question,answer\r\nWhere do I park?,\"Behind Zoë's library, for free 🚲.\"\r\n"},
		{"faq.tsv", "Question\tAnswer\tSource\r\nWhere do I park?\tBehind Zoë's library, for free 🚲.\tEditorial\r\n"},
		{"faq.yaml", "- question: Where do I park?\n  answer: Behind Zoë's library, for free 🚲.\n"},
		{"faq.json", `[{"question": "Where do I park?", "answer": "Behind Zoë's library, for free 🚲."}]`},
	} {
		want, _, err := Import(tc.name, []byte(tc.doc), FormatAuto)
		if err != nil {
			t.Fatalf("Import(%s in UTF-8): %v", tc.name, err)
		}
		for _, order := range []struct {
			name string
			enc  binary.AppendByteOrder
			bom  []byte
		}{{"little-endian", binary.LittleEndian, []byte{0xff, 0xfe}}, {"big-endian", binary.BigEndian, []byte{0xfe, 0xff}}} {
			t.Run(tc.name+"/"+order.name, func(t *testing.T) {
				data := order.bom
				for _, u := range utf16.Encode([]rune(tc.doc + "Zoë 🚲")[:len([]rune(tc.doc))]) {
					data = order.enc.AppendUint16(data, u)
				}
				got, warnings, err := Import(tc.name, data, FormatAuto)
				if err != nil {
					t.Fatalf("%v (warnings: %v)", err, warnings)
				}
				if !bytes.Equal(mustYAML(t, got), mustYAML(t, want)) {
					t.Errorf("imported as\n%s\nwant, as from UTF-8:\n%s", mustYAML(t, got), mustYAML(t, want))
				}
			})
		}
	}
}

// TestImportDeepNesting checks that a line opening block quotes and list
// items deeper than maxNesting is read that deep, its text kept, and that
// a line of ">" in fenced code is left as written.
func TestImportDeepNesting(t *testing.T) {
	deep := strings.Repeat("> ", maxNesting)
	for _, tc := range []struct{ name, doc, answer string }{
		{"quotes.md", "## What did they write?\n\n" + strings.Repeat("> ", 12) + "The first mail.\n", strings.TrimSpace(deep) + " The first mail."},
		{"tight-quotes.md", "## What did they write?\n\n" + strings.Repeat(">", 40) + " The first mail.\n", strings.Repeat(">", maxNesting) + " The first mail."},
		{"shallow.md", "## What did they write?\n\n> > The first mail.\n", "> > The first mail."},
		{"items.md", "## What is in the box?\n\n" + strings.Repeat("- ", 12) + "A cable.\n", strings.Repeat("- ", maxNesting) + "A cable."},
		{"numbered.md", "## What is in the box?\n\n" + strings.Repeat("1. ", 12) + "A cable.\n", strings.Repeat("1. ", maxNesting) + "A cable."},
		{"mixed.md", "## What did they write?\n\n" + strings.Repeat("> - ", 6) + "The first mail.\n", strings.Repeat("> - ", maxNesting/2) + "The first mail."},
		{"code.md", "## What does the log show?\n\n```\n" + strings.Repeat(">", 12) + " start\n```\n", "```\n" + strings.Repeat(">", 12) + " start\n```"},
		{"indented-code.md", "## What does the log show?\n\nThe log:\n\n    " + strings.Repeat("> ", 10) + "deep mail quote\n", "The log:\n\n" + strings.Repeat("> ", 10) + "deep mail quote"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, warnings, err := Import(tc.name, []byte(tc.doc), FormatAuto)
			if err != nil {
				t.Fatalf("%v (warnings: %v)", err, warnings)
			}
			if got := strings.TrimSpace(f.Entries[0].Answer); got != tc.answer {
				t.Errorf("answer = %q; want %q", got, tc.answer)
			}
		})
	}
}

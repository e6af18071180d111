package match

import "testing"

// TestForeignWords asks a file of one phrasing an entry questions that
// match one entry's words but for one: a term neither the file nor the
// language has lowers the confidence under the threshold, and a word that
// the language has in another form does not.
func TestForeignWords(t *testing.T) {
	b := loadTestBase(t, "testdata/foreign/kb.yaml")
	checkAnswers(t, b, []answerCase{
		{"Does the engine support GPUs?", "", "a term of art the file never names"},
		{"does the engine support fifo queues", "", "a term of art in lower case"},
		{"Which languages does the engine support?", "languages", "the file's own question"},
		{"does the engine suport scala", "languages", "a misspelling of six letters is no foreign word"},
		{"can i see the interface in spanish", "locale", "a common name the dictionary leaves out"},
		{"tunnel csum zero, why", "checksums", "a shortening of the file's word"},
		{"can i export reports as PDFs", "pdf", "the plural of an acronym is the acronym"},
		{"does my data need to fit in memory lol", "memory", "chat's short words are not foreign"},
	})
}

// TestForeignOnlyInFilesOfFewPhrasings leaves the confidence of a file
// asked many ways an entry alone, for foreign words and named things
// alike: its phrasings name things (cities, banks) that its entries are
// for and that it cannot list.
func TestForeignOnlyInFilesOfFewPhrasings(t *testing.T) {
	one := loadTestBase(t, "testdata/foreign/kb.yaml")
	if one.idx.foreignScale != 1 {
		t.Errorf("a file of one phrasing an entry: foreignScale = %v, want 1", one.idx.foreignScale)
	}
	b, err := parse("many.yaml", []byte(`version: 1
entries:
  - id: flight
    question: Book a flight
    alternates: [I need a plane ticket, get me a flight, reserve a seat on a plane, book me on a flight]
    answer: Say where to and when.
  - id: weather
    question: What is the weather like?
    alternates: [will it rain, is it sunny, weather forecast please, how hot is it]
    answer: Sunny, 20 degrees.
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := b.idx.foreignScale; got != 0 {
		t.Errorf("a file of five phrasings an entry: foreignScale = %v, want 0", got)
	}
	for _, q := range []string{"book a flight to kathmandu", "Can you book a flight to Kathmandu?"} {
		if r := b.Search(q); r.Decide(DefaultThreshold) != Answered {
			best, _ := r.Best()
			t.Errorf("%q: a name the file lacks refused in an intent file: best %s at %.3f", q, best.Entry.ID, best.Confidence)
		}
	}
}

// TestForeignWord tells foreign words from the language's.
func TestForeignWord(t *testing.T) {
	b := loadTestBase(t, "testdata/foreign/kb.yaml")
	x := b.idx
	s := x.scratch.get()
	defer x.scratch.put(s)
	tests := []struct {
		word string
		want bool
	}{
		{"gpus", true},
		{"docstrings", true},
		{"postgresql", true},
		{"garage", false},    // in the dictionary
		{"london", false},    // a common name
		{"internaly", false}, // one edit from "internally"
		{"csum", false},      // "checksums" holds its letters in order
		{"lol", false},       // three letters
		{"k8s", false},       // not letters only
		{"tholepins", true},  // rare, and nine letters from any word
	}
	for _, tt := range tests {
		if got := x.foreign(tt.word, s); got != tt.want {
			t.Errorf("foreign(%q) = %v, want %v", tt.word, got, tt.want)
		}
	}
}

// TestSingular reads a plural that the stemmer keeps as the file's
// singular, and nothing else.
func TestSingular(t *testing.T) {
	b, err := parse("plural.yaml", []byte(`version: 1
entries:
  - id: export
    question: Can I export a PDF through the API?
    answer: Yes, ask Jane Doe at the BU office.
`))
	if err != nil {
		t.Fatal(err)
	}
	a := b.idx.text
	tests := []struct {
		word, want string
	}{
		{"pdfs", "pdf"},
		{"apis", "api"},
		{"does", ""}, // a stop word, not "doe"
		{"buss", ""}, // a double letter
		{"bus", ""},  // too short
		{"cats", ""}, // no "cat" in the file
	}
	for _, tt := range tests {
		got, term := a.singular(tt.word)
		if term < 0 {
			got = ""
		}
		if got != tt.want {
			t.Errorf("singular(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// answerCase is a question, the entry it should be answered with ("" for
// none), and why.
type answerCase struct {
	question string
	want     string
	why      string
}

// checkAnswers asks b each case's question at the default threshold.
func checkAnswers(t *testing.T, b *Index, cases []answerCase) {
	t.Helper()
	for _, tt := range cases {
		r := b.Search(tt.question)
		got := ""
		if r.Decide(DefaultThreshold) == Answered {
			got = r.Candidates[0].Entry.ID
		}
		if got != tt.want {
			best, _ := r.Best()
			t.Errorf("%s: Search(%q) answered %q (best %s at %.3f), want %q", tt.why, tt.question, got, best.Entry.ID, best.Confidence, tt.want)
		}
	}
}

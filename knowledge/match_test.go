package knowledge

import (
	"bufio"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
)

// matchCase is one line of a testdata/*/cases.txt file.
type matchCase struct {
	line     int
	outcome  string
	id       string
	question string
}

func readMatchCases(t *testing.T, path string) []matchCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []matchCase
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		head, question, ok := strings.Cut(text, "|")
		fields := strings.Fields(head)
		if !ok || len(fields) != 2 {
			t.Fatalf("%s:%d: want OUTCOME ID | QUESTION, got %q", path, line, text)
		}
		cases = append(cases, matchCase{line, fields[0], fields[1], strings.TrimSpace(question)})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func loadTestBase(t testing.TB, path string) *Base {
	t.Helper()
	b, err := Load(path)
	if err != nil {
		t.Fatalf("loading %s: %v", path, err)
	}
	return b
}

// TestMatch checks the matcher against the expectations in the cases files,
// each on its knowledge base: a small English one with synonyms, the shipped
// faq.yaml, a small team FAQ asked off-topic questions, and a small Russian
// one.
func TestMatch(t *testing.T) {
	suites := []struct{ kb, cases string }{
		{"testdata/match/kb.yaml", "testdata/match/cases.txt"},
		{"faq.yaml", "testdata/match/faq-cases.txt"},
		{"testdata/team/kb.yaml", "testdata/team/cases.txt"},
		{"testdata/ru/kb.yaml", "testdata/ru/cases.txt"},
	}
	for _, suite := range suites {
		b := loadTestBase(t, suite.kb)
		for _, c := range readMatchCases(t, suite.cases) {
			t.Run(suite.cases+"/"+c.question, func(t *testing.T) {
				r := b.Search(c.question)
				got := r.Decide(DefaultThreshold).String()
				best, _ := r.Best()
				id := "-"
				if best.Entry != nil {
					id = best.Entry.ID
				}
				if got != c.outcome || (c.id != "-" && id != c.id) {
					t.Errorf("%s:%d: %q: got %s %s (confidence %.3f, phrasing %q), want %s %s",
						suite.cases, c.line, c.question, got, id, best.Confidence, best.Phrasing, c.outcome, c.id)
				}
			})
		}
	}
}

// TestSearchCandidates checks the shape of every result: at most four
// candidates, distinct entries, confidences in [0,1] and in order, each with
// the phrasing that matched.
func TestSearchCandidates(t *testing.T) {
	b := loadTestBase(t, "testdata/match/kb.yaml")
	for _, q := range []string{"password", "where is the office printer", "how do I get a new laptop for travel", "a", "", "?!", "office office office"} {
		t.Run(q, func(t *testing.T) {
			r := b.Search(q)
			if len(r.Candidates) > maxCandidates {
				t.Fatalf("%d candidates, want at most %d", len(r.Candidates), maxCandidates)
			}
			seen := map[string]bool{}
			for i, c := range r.Candidates {
				if seen[c.Entry.ID] {
					t.Errorf("entry %s offered twice", c.Entry.ID)
				}
				seen[c.Entry.ID] = true
				if c.Confidence < 0 || c.Confidence > 1 || math.IsNaN(c.Confidence) {
					t.Errorf("candidate %d: confidence %v outside [0,1]", i, c.Confidence)
				}
				if i > 0 && c.Confidence > r.Candidates[i-1].Confidence {
					t.Errorf("candidate %d: confidence %v above the one before, %v", i, c.Confidence, r.Candidates[i-1].Confidence)
				}
				if !containsString(c.Entry.Phrasings(), c.Phrasing) {
					t.Errorf("candidate %d: phrasing %q is not one of entry %s's", i, c.Phrasing, c.Entry.ID)
				}
			}
		})
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestSearchEmpty(t *testing.T) {
	b := loadTestBase(t, "testdata/match/kb.yaml")
	for _, q := range []string{"", "   ", "?!...", "🙂"} {
		if r := b.Search(q); len(r.Candidates) != 0 {
			t.Errorf("Search(%q) = %d candidates, want none", q, len(r.Candidates))
		}
	}
}

func TestDecide(t *testing.T) {
	e1, e2 := &Entry{ID: "one"}, &Entry{ID: "two"}
	tests := []struct {
		name  string
		confs []float64
		want  Outcome
	}{
		{"no candidates", nil, Unknown},
		{"below threshold", []float64{0.4, 0.1}, Unknown},
		{"alone above", []float64{0.8}, Answered},
		{"clear winner", []float64{0.8, 0.5}, Answered},
		{"at threshold", []float64{0.5}, Answered},
		{"runner-up below threshold", []float64{0.52, 0.49}, Answered},
		{"two near-equal above", []float64{0.702, 0.700}, Ambiguous},
		{"two apart above", []float64{0.72, 0.70}, Answered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Result
			for i, c := range tt.confs {
				e := e1
				if i == 1 {
					e = e2
				}
				r.Candidates = append(r.Candidates, Candidate{Entry: e, Confidence: c})
			}
			if got := r.Decide(0.5); got != tt.want {
				t.Errorf("Decide(0.5) = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestUnknownLanguage(t *testing.T) {
	_, err := newIndex(&File{Version: 1, Language: "xx", Entries: []Entry{{ID: "a", Question: "q?", Answer: "a"}}})
	want := `language "xx" is not supported: use one of en, es, fr, hu, no, ru, sv`
	if err == nil || err.Error() != want {
		t.Errorf("newIndex with language xx: got error %v, want %q", err, want)
	}
}

// TestConcurrentSearch runs searches from many goroutines at once; run it
// with -race.
func TestConcurrentSearch(t *testing.T) {
	b := loadTestBase(t, "testdata/match/kb.yaml")
	questions := []string{"what is the wifi pasword", "where do i park", "free lunch?", "weather tomorrow", "labtop broken"}
	want := make([]Result, len(questions))
	for i, q := range questions {
		want[i] = b.Search(q)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; n < 200; n++ {
				i := (g + n) % len(questions)
				got := b.Search(questions[i])
				if !sameResult(got, want[i]) {
					t.Errorf("Search(%q) differs under concurrency", questions[i])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func sameResult(a, b Result) bool {
	if len(a.Candidates) != len(b.Candidates) {
		return false
	}
	for i := range a.Candidates {
		if a.Candidates[i] != b.Candidates[i] {
			return false
		}
	}
	return true
}

func FuzzSearch(f *testing.F) {
	for _, s := range []string{"What is the wifi password?", "wi-fi", "paid time off", "ПАРОЛЬ", "don't", "’’’", "a\u0301", "ﬁ ligature", "x\x00y", "\xff\xfe"} {
		f.Add(s)
	}
	b, err := Parse("fuzz.yaml", mustRead(f, "testdata/match/kb.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		r := b.Search(q)
		if len(r.Candidates) > maxCandidates {
			t.Fatalf("%d candidates", len(r.Candidates))
		}
		for i, c := range r.Candidates {
			if c.Entry == nil || c.Confidence < 0 || c.Confidence > 1 || math.IsNaN(c.Confidence) {
				t.Fatalf("candidate %d: %+v", i, c)
			}
		}
		r.Decide(DefaultThreshold)
		b.Complete(q, 5)
	})
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// TestIndexPostings checks that every inverted list of the index is the
// exact inverse of the rows it was built from: term lists sorted without
// repeats, postings in row order, and values following their ids.
func TestIndexPostings(t *testing.T) {
	b := loadTestBase(t, "faq.yaml")
	x := b.idx
	inverse := func(name string, rows, post postings, rowVals, postVals []float32) {
		t.Helper()
		type pair struct{ term, row int32 }
		want := make(map[pair]float32)
		for r := 0; r+1 < len(rows.start); r++ {
			row := rows.row(r)
			for i, term := range row {
				if i > 0 && row[i-1] >= term {
					t.Fatalf("%s: row %d not sorted without repeats: %v", name, r, row)
				}
				var v float32
				if rowVals != nil {
					v = rowVals[int(rows.start[r])+i]
				}
				want[pair{term, int32(r)}] = v
			}
		}
		n := 0
		for term := int32(0); int(term)+1 < len(post.start); term++ {
			lo, hi := post.of(term)
			for i := lo; i < hi; i++ {
				r := post.ids[i]
				if i > lo && post.ids[i-1] >= r {
					t.Fatalf("%s: postings of term %d out of row order", name, term)
				}
				v, ok := want[pair{term, r}]
				if !ok {
					t.Fatalf("%s: term %d lists row %d, which lacks it", name, term, r)
				}
				if postVals != nil && postVals[i] != v {
					t.Fatalf("%s: term %d row %d: value %v, want %v", name, term, r, postVals[i], v)
				}
				n++
			}
		}
		if n != len(want) {
			t.Fatalf("%s: %d postings for %d row terms", name, n, len(want))
		}
	}
	inverse("phrasings", x.phrTerms, x.phrPost, nil, nil)
	inverse("pooled", x.entTerms, x.poolPost, x.entFrac, x.poolFrac)
	if len(x.phrTerms.start) != len(x.phrText)+1 || len(x.entTerms.start) != len(x.entries)+1 {
		t.Fatalf("%d phrasing rows for %d phrasings, %d entry rows for %d entries",
			len(x.phrTerms.start)-1, len(x.phrText), len(x.entTerms.start)-1, len(x.entries))
	}
	for e := range x.entries {
		if got, want := x.entPhr[e+1]-x.entPhr[e], int32(len(x.entries[e].Phrasings())); got != want {
			t.Errorf("entry %d: %d phrasings indexed, has %d", e, got, want)
		}
	}
}

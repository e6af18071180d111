package match

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
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

// load reads, checks and indexes the knowledge file at path, as the bot does.
func load(path string) (*Index, error) {
	f, err := knowledge.Load(path)
	if err != nil {
		return nil, err
	}
	return New(f)
}

// parse checks and indexes a knowledge file's content, as the bot does.
func parse(name string, data []byte) (*Index, error) {
	f, err := knowledge.Parse(name, data)
	if err != nil {
		return nil, err
	}
	b, err := New(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

func loadTestBase(t testing.TB, path string) *Index {
	t.Helper()
	b, err := load(path)
	if err != nil {
		t.Fatalf("loading %s: %v", path, err)
	}
	return b
}

// TestMatch checks the matcher against the expectations in the cases files,
// each on its knowledge base: a small English one with synonyms, a copy of
// the shipped faq.yaml, a small team FAQ asked off-topic questions, and a small Russian
// one.
func TestMatch(t *testing.T) {
	suites := []struct{ kb, cases string }{
		{"testdata/match/kb.yaml", "testdata/match/cases.txt"},
		{"../testdata/palestine.yaml", "testdata/match/faq-cases.txt"},
		{"testdata/team/kb.yaml", "testdata/team/cases.txt"},
		{"testdata/classify/kb.yaml", "testdata/classify/cases.txt"},
		{"testdata/ru/kb.yaml", "testdata/ru/cases.txt"},
		{"testdata/de/kb.yaml", "testdata/de/cases.txt"},
		{"testdata/it/kb.yaml", "testdata/it/cases.txt"},
		{"testdata/pt/kb.yaml", "testdata/pt/cases.txt"},
		{"testdata/nl/kb.yaml", "testdata/nl/cases.txt"},
		{"testdata/tr/kb.yaml", "testdata/tr/cases.txt"},
		{"testdata/ar/kb.yaml", "testdata/ar/cases.txt"},
		{"testdata/da/kb.yaml", "testdata/da/cases.txt"},
		{"testdata/fi/kb.yaml", "testdata/fi/cases.txt"},
		{"testdata/ro/kb.yaml", "testdata/ro/cases.txt"},
		{"testdata/ja/kb.yaml", "testdata/ja/cases.txt"},
		{"testdata/zh/kb.yaml", "testdata/zh/cases.txt"},
		{"testdata/ko/kb.yaml", "testdata/ko/cases.txt"},
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
	e1, e2 := &knowledge.Entry{ID: "one"}, &knowledge.Entry{ID: "two"}
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
	_, err := newIndex(&knowledge.File{Version: 1, Language: "xx", Entries: []knowledge.Entry{{ID: "a", Question: "q?", Answer: "a"}}})
	want := `language "xx" is not supported: use one of ar, da, de, en, es, fi, fr, ga, hu, it, nl, no, pt, ro, ru, sv, ta, tr`
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
	for _, s := range []string{"What is the wifi password?", "is there a garage", "wi-fi", "paid time off", "ПАРОЛЬ", "don't", "’’’", "a\u0301", "ﬁ ligature", "x\x00y", "\xff\xfe"} {
		f.Add(s)
	}
	b, err := parse("fuzz.yaml", mustRead(f, "testdata/match/kb.yaml"))
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
	b := loadTestBase(t, "../testdata/palestine.yaml")
	x := b.idx
	inverse := func(name string, rows postings, post shortPostings, rowVals, postVals []float32) {
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
		for term := int32(0); int(term+1)*post.blocks < len(post.start); term++ {
			last := int32(-1)
			for b := range post.blocks {
				high, lo, hi := post.span(term, b)
				for i := lo; i < hi; i++ {
					r := high | int32(post.low[i])
					if r <= last {
						t.Fatalf("%s: postings of term %d out of row order", name, term)
					}
					last = r
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
		}
		if n != len(want) {
			t.Fatalf("%s: %d postings for %d row terms", name, n, len(want))
		}
	}
	inverse("phrasings", unpacked(&x.phrTerms), shortOf(&x.phrPost, len(x.phrEntry)), nil, nil)
	// Each entry's terms, with the share of its phrasings that hold each.
	entTerms := postings{start: []int32{0}}
	var entFrac []float32
	for e := range x.entries {
		np := int(x.entPhr[e+1] - x.entPhr[e])
		held := make(map[int32]int)
		for p := x.entPhr[e]; p < x.entPhr[e+1]; p++ {
			for _, term := range x.phrTerms.appendIDs(nil, int(p)) {
				held[term]++
			}
		}
		for _, term := range sortedKeys(held) {
			entTerms.ids = append(entTerms.ids, term)
			entFrac = append(entFrac, pooledShare(held[term], np, x.w))
		}
		entTerms.appendRow()
	}
	pooled := make([]float32, len(x.poolPost.low))
	for i := range pooled {
		pooled[i] = x.pooled(int32(i))
	}
	inverse("pooled", entTerms, x.poolPost, entFrac, pooled)
	if x.phrTerms.rows() != len(x.phrEntry) {
		t.Fatalf("%d phrasing rows for %d phrasings", x.phrTerms.rows(), len(x.phrEntry))
	}
	for e := range x.entries {
		if got, want := x.entPhr[e+1]-x.entPhr[e], int32(len(x.entries[e].Phrasings())); got != want {
			t.Errorf("entry %d: %d phrasings indexed, has %d", e, got, want)
		}
	}
}

// TestSearchLeavesScratchClear checks that a search leaves the parts of its
// scratch that are kept at zero between searches (the phrasings hit and
// their sums) at zero, and that a scratch used before gives the same
// results as a new one, on a base small enough to search whole and on one
// large enough that a search leaves its commonest words for later.
func TestSearchLeavesScratchClear(t *testing.T) {
	largeBase := largeTestBase(t)
	bases := []struct {
		name string
		base *Index
		// defers says whether some of the questions leave words for later.
		defers bool
	}{
		{"../testdata/palestine.yaml", loadTestBase(t, "../testdata/palestine.yaml"), false},
		{"3000 entries", largeBase, true},
	}
	questions := []string{"how do I get my laptop back", "where is my pasword for the wifi", "lunch", "how do I my and the", "zzz", ""}
	for _, tc := range bases {
		x := tc.base.idx
		used := newScratch(len(x.phrEntry), len(x.entries), len(x.weight))
		deferring := 0
		for _, q := range questions {
			t.Run(tc.name+"/"+q, func(t *testing.T) {
				got := x.searchWith(used, q)
				if len(used.later) > 0 {
					deferring++
				}
				if want := x.searchWith(newScratch(len(x.phrEntry), len(x.entries), len(x.weight)), q); !sameResult(got, want) {
					t.Errorf("with a used scratch: %+v, with a new one: %+v", got, want)
				}
				for name, bitmap := range map[string][]uint64{"hit": used.hit, "worded": used.worded, "touched": used.touched} {
					for i, w := range bitmap {
						if w != 0 {
							t.Fatalf("%s[%d] = %#x after the search, want 0", name, i, w)
						}
					}
				}
				for p, pa := range used.phr {
					if pa != (acc{}) || used.grams[p] != 0 {
						t.Fatalf("phrasing %d: %+v and n-grams %v after the search, want zeros", p, pa, used.grams[p])
					}
				}
			})
		}
		if got := deferring > 0; got != tc.defers {
			t.Errorf("%s: %d of %d questions left words for later", tc.name, deferring, len(questions))
		}
	}
}

// TestWordlessEntriesRank checks that an entry only the question's
// n-grams hit, which a search lists apart rather than touching, still
// ranks: first, when the common words of the question are left for later
// (rerank) and when nothing is.
func TestWordlessEntriesRank(t *testing.T) {
	f := largeTestBase(t).file
	f.Entries = append(f.Entries, knowledge.Entry{ID: "xylophone", Question: "Where is the xylophone room?", Answer: "Upstairs."})
	b, err := New(f)
	if err != nil {
		t.Fatal(err)
	}
	x := b.idx
	for _, tc := range []struct {
		question string
		defers   bool
	}{
		{"where is my xylofon", true},
		{"xylofoon", false},
	} {
		t.Run(tc.question, func(t *testing.T) {
			s := newScratch(len(x.phrEntry), len(x.entries), len(x.weight))
			r := x.searchWith(s, tc.question)
			if got := len(s.later) > 0; got != tc.defers {
				t.Errorf("words left for later: %v, want %v", got, tc.defers)
			}
			if !slices.ContainsFunc(s.wordless, func(w wordless) bool { return x.entries[w.entry].ID == "xylophone" }) {
				t.Fatalf("the xylophone entry was not among the entries n-grams alone hit")
			}
			if len(r.Candidates) == 0 || r.Candidates[0].Entry.ID != "xylophone" {
				t.Fatalf("candidates %+v, want the xylophone entry first", r.Candidates)
			}
		})
	}
}

// largeTestBase builds a base of 3,000 entries whose common words hold
// more postings than a search reads before it leaves them for later.
func largeTestBase(t *testing.T) *Index {
	t.Helper()
	large := &knowledge.File{Version: 1, Language: "en"}
	topics := []string{"password", "laptop", "printer", "parking", "lunch", "holiday", "salary", "badge", "wifi", "desk", "phone", "mail"}
	for i := range 3000 {
		a, b := topics[i%len(topics)], topics[i/len(topics)%len(topics)]
		large.Entries = append(large.Entries, knowledge.Entry{
			ID:         fmt.Sprintf("e%d", i),
			Question:   fmt.Sprintf("how do I get my %s and %s back number %d", a, b, i),
			Alternates: []string{fmt.Sprintf("where is my %s for the %s %d", b, a, i)},
			Answer:     fmt.Sprintf("Ask about %s %d.", a, i),
		})
	}
	b, err := New(large)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestApplyDeferred checks that the deferred words added to an entry and
// its phrasings, however many (they are matched 64 at a time), add what a
// plain scan of the entry's and each phrasing's terms finds, in the same
// order.
func TestApplyDeferred(t *testing.T) {
	x := largeTestBase(t).idx
	const e = 7
	var terms []int32 // the entry's terms, then some it lacks
	for p := x.entPhr[e]; p < x.entPhr[e+1]; p++ {
		terms = append(terms, x.phrTerms.appendIDs(nil, int(p))...)
	}
	terms = append(terms, x.phrTerms.appendIDs(nil, int(x.entPhr[e+2]))...)
	for _, n := range []int{1, 5, 64, 65, 130} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s := newScratch(len(x.phrEntry), len(x.entries), len(x.weight))
			s.gen++
			for i := range n {
				s.later = append(s.later, feature{term: terms[i*7%len(terms)], factor: 1 - float32(i%3)/4, tag: uint32(i/2 + 1)})
			}
			x.touch(s, e)
			x.applyDeferred(s, e, &scoring{q2: 1, qScale: 1})
			for p := x.entPhr[e]; p < x.entPhr[e+1]; p++ {
				var want acc
				for _, f := range s.later {
					if slices.Contains(x.phrTerms.appendIDs(nil, int(p)), f.term) {
						w := x.weight[f.term]
						want.add(f.tag, f.factor*w*w)
					}
				}
				if got := s.phr[p]; got != want {
					t.Errorf("phrasing %d: %+v, want %+v", p, got, want)
				}
			}
			var want acc
			np := int(x.entPhr[e+1] - x.entPhr[e])
			for _, f := range s.later {
				held := 0
				for p := x.entPhr[e]; p < x.entPhr[e+1]; p++ {
					if slices.Contains(x.phrTerms.appendIDs(nil, int(p)), f.term) {
						held++
					}
				}
				if held > 0 {
					w := x.weight[f.term]
					want.add(f.tag, f.factor*w*w*pooledShare(held, np, x.w))
				}
			}
			if got := s.ent[e].pool; got != want {
				t.Errorf("entry %d pooled: %+v, want %+v", e, got, want)
			}
			for i, m := range s.laterMask {
				if m != 0 {
					t.Fatalf("laterMask[%d] = %#x after applyDeferred, want 0", i, m)
				}
			}
		})
	}
}

// TestShortPostings checks that short postings give back each term's ids,
// in the order they were added, whether the ids fit in one block of 1<<16
// or span several.
func TestShortPostings(t *testing.T) {
	tests := []struct {
		name  string
		ids   int       // ids are below this
		terms [][]int32 // each term's ids, ascending
	}{
		{"empty", 0, nil},
		{"one block", 10, [][]int32{{0, 3, 9}, {}, {4}}},
		{"three blocks", 3 << 16, [][]int32{{1, 1 << 16, 1<<16 + 7, 3<<16 - 1}, {2 << 16}, {}, {5, 6, 2<<16 + 5}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newShortPostings(len(tc.terms), tc.ids)
			// Both passes go through the ids in the same order, here id
			// by id as an index builds them, not term by term.
			each := func(f func(t, id int32)) {
				for id := range int32(tc.ids) {
					for term, ids := range tc.terms {
						if slices.Contains(ids, id) {
							f(int32(term), id)
						}
					}
				}
			}
			each(p.count)
			p.allocate()
			each(func(t, id int32) { p.add(t, id) })
			p.done()
			for term, want := range tc.terms {
				var got []int32
				for b := range p.blocks {
					high, low := p.block(int32(term), b)
					for _, l := range low {
						got = append(got, high|int32(l))
					}
				}
				if !slices.Equal(got, want) || p.size(int32(term)) != int32(len(want)) {
					t.Errorf("term %d: %v (size %d), want %v", term, got, p.size(int32(term)), want)
				}
			}
		})
	}
}

// TestShare checks that the pooled shares an index keeps are those
// pooledShare computes, and that share computes those it does not keep.
func TestShare(t *testing.T) {
	x := loadTestBase(t, "../testdata/palestine.yaml").idx
	for _, np := range []int{1, 2, 5, maxShared, maxShared + 1, 300} {
		for _, count := range []int{1, np / 2, np} {
			if count == 0 {
				continue
			}
			if got, want := x.share(count, np), pooledShare(count, np, x.w); got != want {
				t.Errorf("share(%d, %d) = %v, want %v", count, np, got, want)
			}
		}
	}
}

// TestPooledShares checks each entry's pooled share of its terms, kept as
// a byte standing for one of the index's shares when no entry is asked more
// than maxShared ways and the shares are 256 or fewer, and as the share
// itself when not: entries asked 1 to 40 ways, each word held by one more
// of its phrasings than the next, have 490 shares.
func TestPooledShares(t *testing.T) {
	same := func(asked int) [][]string {
		var entries [][]string
		for e := range 3 {
			phr := []string{fmt.Sprintf("how do I renew card %d", e)}
			for i := range asked - 1 {
				phr = append(phr, fmt.Sprintf("renew card %d way %d", e, i))
			}
			entries = append(entries, phr)
		}
		return entries
	}
	var nested [][]string
	for np := 1; np <= 40; np++ {
		var phr []string
		for p := range np {
			words := []string{fmt.Sprint("entry", np)}
			for k := p; k < np; k++ {
				words = append(words, fmt.Sprint("word", k))
			}
			phr = append(phr, strings.Join(words, " "))
		}
		nested = append(nested, phr)
	}
	for _, c := range []struct {
		name    string
		entries [][]string
		frac    bool
	}{
		{"3", same(3), false},
		{"maxShared", same(maxShared), false},
		{"maxShared+1", same(maxShared + 1), true},
		{"many shares", nested, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &knowledge.File{Version: 1, Language: "en"}
			for e, phr := range c.entries {
				f.Entries = append(f.Entries, knowledge.Entry{ID: fmt.Sprint("e", e), Question: phr[0], Alternates: phr[1:], Answer: "Ask us."})
			}
			x, err := newIndex(f)
			if err != nil {
				t.Fatal(err)
			}
			if got := x.poolFrac != nil; got != c.frac {
				t.Errorf("shares kept as such: %v", got)
			}
			for e := range int32(len(x.entries)) {
				for term := range int32(len(x.weight)) {
					held := 0
					for p := x.entPhr[e]; p < x.entPhr[e+1]; p++ {
						if x.phrTerms.has(int(p), term) {
							held++
						}
					}
					i, ok := x.poolPost.find(term, e)
					if ok != (held > 0) {
						t.Fatalf("entry %d term %d: pooled %v, held by %d phrasings", e, term, ok, held)
					}
					if want := pooledShare(held, int(x.asked(e)), x.w); ok && x.pooled(i) != want {
						t.Errorf("entry %d term %d: share %v, want %v", e, term, x.pooled(i), want)
					}
				}
			}
		})
	}
}

// TestAnswerWeights checks each answer's weight of its terms, kept as the
// number of times the answer says the term when no answer says one more
// than maxAnswerCount times and as the weight itself when one does.
func TestAnswerWeights(t *testing.T) {
	for _, times := range []int{1, maxAnswerCount, maxAnswerCount + 1} {
		t.Run(fmt.Sprint(times), func(t *testing.T) {
			f := &knowledge.File{Version: 1, Language: "en", Entries: []knowledge.Entry{
				{ID: "renew", Question: "How do I renew my card?", Answer: "Renew it online." + strings.Repeat(" Online", times-1)},
				{ID: "lost", Question: "I lost my card", Answer: "Call us, online or by phone."},
				{ID: "fees", Question: "What are the fees?", Answer: "None."},
			}}
			x, err := newIndex(f)
			if err != nil {
				t.Fatal(err)
			}
			if got := x.ansWeight != nil; got != (times > maxAnswerCount) {
				t.Errorf("weights kept as such: %v", got)
			}
			online := x.text.lookup("online")
			for e := range int32(len(x.entries)) {
				var terms []int32
				terms = x.text.index(f.Entries[e].Answer, terms)
				counts := make(map[int32]int)
				for _, term := range terms {
					counts[term]++
				}
				for term, count := range counts {
					i, ok := x.ansPost.find(term, e)
					if !ok {
						t.Fatalf("entry %d lacks term %d of its answer", e, term)
					}
					want := float32(x.answerValue(term, count)) / x.ansDiv[e]
					if got := x.answerWeight(i, term, e); got != want {
						t.Errorf("entry %d term %d: weight %v, want %v", e, term, got, want)
					}
					if e == 0 && term == online && count != times {
						t.Errorf("answer says %q %d times, counted %d", "online", times, count)
					}
				}
			}
		})
	}
}

package eval

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/match"
)

func TestReadCases(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []Case
		err   string
	}{
		{"in and out of scope", "{\"query\": \"q1\", \"expect\": \"a\"}\n\n{\"expect\": null, \"query\": \"q2\"}\n", []Case{{Query: "q1", Expect: "a"}, {Query: "q2"}}, ""},
		{"phrases of the answer", "{\"query\": \"q1\", \"want\": [\"free lunch\", \"canteen\"]}\n{\"query\": \"q2\", \"want\": null}\n",
			[]Case{{Query: "q1", Want: []string{"free lunch", "canteen"}}, {Query: "q2"}}, ""},
		{"expect and want", `{"query": "q", "expect": "a", "want": ["b"]}`, nil, `cases.jsonl:1: "expect" and "want" both name the answer: give one`},
		{"empty want", `{"query": "q", "want": []}`, nil, `cases.jsonl:1: "want" is an empty list: give phrases of the right answer, or null if no entry should answer`},
		{"blank phrase", `{"query": "q", "want": ["a", " "]}`, nil, `cases.jsonl:1: "want" phrase 2 is blank: give words of the right answer`},
		{"string want", `{"query": "q", "want": "a"}`, nil, `cases.jsonl:1: "want" must be a list of phrases of the right answer or null, not "a"`},
		{"missing expect", `{"query": "q"}`, nil, `cases.jsonl:1: "expect" is missing: give the id of the entry that should answer, or null if none should (or "want": phrases of the right answer)`},
		{"empty expect", `{"query": "q", "expect": ""}`, nil, `cases.jsonl:1: "expect" is empty: give an entry id, or null if no entry should answer`},
		{"number expect", `{"query": "q", "expect": 3}`, nil, `cases.jsonl:1: "expect" must be an entry id or null, not 3`},
		{"unknown key", `{"query": "q", "expect": null, "id": 1}`, nil, `cases.jsonl:1: unknown key "id": a case has only "query" and "expect" or "want"`},
		{"blank query", `{"query": " ", "expect": null}`, nil, `cases.jsonl:1: "query" is missing or not a non-empty string: give the question to ask`},
		{"every problem", "{\"query\": \"q\"}\n[]\n", nil, "cases.jsonl:1: \"expect\" is missing: give the id of the entry that should answer, or null if none should (or \"want\": phrases of the right answer)\n" +
			"cases.jsonl:2: not a case: json: cannot unmarshal array into Go value of type map[string]json.RawMessage; want {\"query\": \"...\", \"expect\": \"<id>\" or null}"},
		{"empty", "\n", nil, `cases.jsonl: no cases: give one JSON object a line, {"query": "...", "expect": "<id>" or null} or {"query": "...", "want": ["phrase of the answer", ...] or null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCases("cases.jsonl", strings.NewReader(tt.input))
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v\nwant %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i].Query != tt.want[i].Query || got[i].Expect != tt.want[i].Expect || !slices.Equal(got[i].Want, tt.want[i].Want) {
					t.Errorf("case %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// fakeEvaluation makes an evaluation from fixed results: each run answers
// with entry id at confidence conf.
func fakeEvaluation(runs []struct {
	expect, id string
	conf       float64
}) *Evaluation {
	ev := &Evaluation{}
	for i, r := range runs {
		var res match.Result
		if r.id != "" {
			res.Candidates = []match.Candidate{{Entry: &knowledge.Entry{ID: r.id}, Confidence: r.conf}}
		}
		ev.runs = append(ev.runs, run{c: Case{Query: string(rune('a' + i)), Expect: r.expect}, result: res, latency: time.Duration(i+1) * time.Microsecond})
	}
	return ev
}

func TestEvaluationAtAndTune(t *testing.T) {
	ev := fakeEvaluation([]struct {
		expect, id string
		conf       float64
	}{
		{"x", "x", 0.9},  // right at any threshold up to 0.9
		{"x", "x", 0.6},  // right up to 0.6
		{"y", "x", 0.7},  // wrong entry: answered wrong up to 0.7
		{"", "x", 0.3},   // off-topic: refused above 0.3
		{"", "x", 0.55},  // off-topic: refused above 0.55
		{"", "", 0},      // off-topic with no candidate: always refused
		{"z", "", 0},     // in scope with no candidate: always wrong
		{"x", "x", 0.95}, // right up to 0.95
	})
	r := ev.At(0.5, 10)
	if r.Cases != 8 || r.InScope != 5 || r.OutOfScope != 3 {
		t.Errorf("counts %d/%d/%d", r.Cases, r.InScope, r.OutOfScope)
	}
	if r.Top1 != 3.0/5 || r.AnsweredRight != 3.0/5 || r.RefusedRight != 2.0/3 || r.AnsweredWrong != 2.0/8 || r.Accuracy != 5.0/8 {
		t.Errorf("at 0.5: %+v", r)
	}
	if r.LatencyMeanUS != 4.5 || r.LatencyP99US != 8 {
		t.Errorf("latency mean %v p99 %v, want 4.5 and 8", r.LatencyMeanUS, r.LatencyP99US)
	}
	wantMisses := []string{"c", "e", "g"} // answered wrong most confident first, then refused
	if len(r.Misses) != len(wantMisses) {
		t.Fatalf("misses %+v", r.Misses)
	}
	for i, q := range wantMisses {
		if r.Misses[i].Query != q {
			t.Errorf("miss %d is %q, want %q", i, r.Misses[i].Query, q)
		}
	}
	if want := []ConfusedPair{{Expect: "y", Got: "x", Cases: 1}}; !slices.Equal(r.Confused, want) {
		t.Errorf("confused %+v, want %+v", r.Confused, want)
	}
	if got := ev.At(0.5, 1).Misses; len(got) != 1 {
		t.Errorf("At(0.5, 1) lists %d misses, want 1", len(got))
	}
	// Accuracy is best, 6 of 8, for thresholds in (0.55, 0.6]: the middle
	// of that range on the grid is 0.58.
	if got := ev.Tune(); got != 0.58 {
		t.Errorf("Tune() = %v, want 0.58", got)
	}
	if got := ev.At(ev.Tune(), 0).Accuracy; got != 6.0/8 {
		t.Errorf("accuracy at the tuned threshold = %v, want 0.75", got)
	}
}

// TestEvaluationConfused counts the entries mistaken for others, most
// often first, ties in id order, at most maxConfused pairs.
func TestEvaluationConfused(t *testing.T) {
	var runs []struct {
		expect, id string
		conf       float64
	}
	add := func(expect, got string, n int) {
		for range n {
			runs = append(runs, struct {
				expect, id string
				conf       float64
			}{expect, got, 0.9})
		}
	}
	add("a", "b", 3)
	add("c", "d", 1)
	add("b", "a", 3)
	add("e", "f", 2)
	add("g", "h", 1)
	add("i", "j", 1)
	add("x", "x", 4) // right
	add("", "x", 2)  // out of scope: not a confusion
	add("y", "", 1)  // no candidate: not a confusion
	got := fakeEvaluation(runs).At(0.5, 0).Confused
	want := []ConfusedPair{{"a", "b", 3}, {"b", "a", 3}, {"e", "f", 2}, {"c", "d", 1}, {"g", "h", 1}}
	if !slices.Equal(got, want) {
		t.Errorf("confused %+v\nwant %+v", got, want)
	}
}

func TestCaseAccepts(t *testing.T) {
	e := &knowledge.Entry{ID: "lunch", Answer: "The canteen on the ground floor serves **free\n  lunch** from noon."}
	tests := []struct {
		name string
		c    Case
		want bool
	}{
		{"expected id", Case{Expect: "lunch"}, true},
		{"another id", Case{Expect: "parking"}, false},
		{"phrase", Case{Want: []string{"ground floor"}}, true},
		{"phrase in another case and spacing", Case{Want: []string{"basement", "THE  Canteen\non"}}, true},
		{"phrase across markup", Case{Want: []string{"free lunch from"}}, false},
		{"phrase across a line break", Case{Want: []string{"free lunch** from"}}, true},
		{"no phrase held", Case{Want: []string{"basement"}}, false},
		{"out of scope", Case{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Accepts(e); got != tt.want {
				t.Errorf("Accepts = %v, want %v", got, tt.want)
			}
		})
	}
	if (Case{Want: []string{"canteen"}}).Accepts(nil) {
		t.Error("a case accepts no entry at all")
	}
}

// TestEvaluateWant scores cases that name their answers by phrases as the
// same cases named by ids are scored: eval-want.jsonl is eval.jsonl with
// phrases of the expected answers, and one more case whose phrase no
// answer holds.
func TestEvaluateWant(t *testing.T) {
	dir := filepath.Join("..", "match", "testdata", "match")
	f, err := knowledge.Load(filepath.Join(dir, "kb.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := match.New(f)
	if err != nil {
		t.Fatal(err)
	}
	evaluate := func(name string) Report {
		cases, err := LoadCases(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		ev, err := Evaluate("kb.yaml", b, cases)
		if err != nil {
			t.Fatal(err)
		}
		return ev.At(match.DefaultThreshold, 10)
	}
	ids, phrases := evaluate("eval.jsonl"), evaluate("eval-want.jsonl")
	if phrases.Unheld != 1 || ids.Unheld != 0 {
		t.Errorf("unheld %d with phrases, %d with ids; want 1 and 0", phrases.Unheld, ids.Unheld)
	}
	if phrases.InScope != ids.InScope+1 || phrases.OutOfScope != ids.OutOfScope {
		t.Errorf("in/out of scope %d/%d with phrases, %d/%d with ids", phrases.InScope, phrases.OutOfScope, ids.InScope, ids.OutOfScope)
	}
	right := func(r Report) int { return int(math.Round(r.AnsweredRight * float64(r.InScope))) }
	if right(phrases) != right(ids) || right(ids) == 0 {
		t.Errorf("%d answered right with phrases, %d with ids", right(phrases), right(ids))
	}
	if !slices.Equal(phrases.Confused, ids.Confused) {
		t.Errorf("confused %+v with phrases, %+v with ids", phrases.Confused, ids.Confused)
	}
	var unheld *Miss
	for i, m := range phrases.Misses {
		if m.Query == "can i bring my dog to work" {
			unheld = &phrases.Misses[i]
		}
	}
	if unheld == nil || !slices.Equal(unheld.Want, []string{"dogs are welcome"}) || unheld.Expect != "" {
		t.Errorf("the unheld case's miss is %+v", unheld)
	}
}

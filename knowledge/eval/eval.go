// Package eval measures how a knowledge file answers labelled questions: the
// share answered right, refused right and answered wrong at a threshold, the
// threshold that does best on a development set, and the entries most often
// taken for one another.
package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/match"
)

// Case is one evaluation question: the query and what should answer it,
// named either by the id of the entry (Expect) or by phrases of its answer
// (Want), any one of which the right answer holds; with neither (null in
// JSON) it should get no answer. Phrases suit a knowledge file imported
// from a document, whose ids the import makes up.
type Case struct {
	Query  string
	Expect string
	Want   []string
}

// InScope reports whether some entry should answer the case.
func (c Case) InScope() bool { return c.Expect != "" || len(c.Want) > 0 }

// Accepts reports whether e is a right answer to the in-scope case c: the
// entry it expects, or an entry whose answer holds one of its phrases,
// ignoring case and runs of white space.
func (c Case) Accepts(e *knowledge.Entry) bool {
	if e == nil {
		return false
	}
	if c.Expect != "" {
		return e.ID == c.Expect
	}
	answer := normalizeSpace(e.Answer)
	for _, w := range c.Want {
		if strings.Contains(answer, normalizeSpace(w)) {
			return true
		}
	}
	return false
}

// normalizeSpace lowers s and turns each run of white space into one space.
func normalizeSpace(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// LoadCases reads evaluation cases from a JSON lines file.
func LoadCases(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadCases(path, f)
}

// ReadCases reads evaluation cases, one JSON object a line:
// {"query": "...", "expect": "<id>"} or {"query": "...", "want": ["phrase",
// ...]}, and "expect": null or "want": null for a question that should get
// no answer. Blank lines are skipped; name is used in messages.
func ReadCases(name string, r io.Reader) ([]Case, error) {
	var cases []Case
	var problems []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		c, err := parseCase(text)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s:%d: %v", name, line, err))
			continue
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf(`%s: no cases: give one JSON object a line, {"query": "...", "expect": "<id>" or null} or {"query": "...", "want": ["phrase of the answer", ...] or null}`, name)
	}
	return cases, nil
}

func parseCase(line []byte) (Case, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return Case{}, fmt.Errorf(`not a case: %v; want {"query": "...", "expect": "<id>" or null}`, err)
	}
	for k := range raw {
		if k != "query" && k != "expect" && k != "want" {
			return Case{}, fmt.Errorf(`unknown key %q: a case has only "query" and "expect" or "want"`, k)
		}
	}
	var c Case
	if err := json.Unmarshal(raw["query"], &c.Query); err != nil || strings.TrimSpace(c.Query) == "" {
		return Case{}, fmt.Errorf(`"query" is missing or not a non-empty string: give the question to ask`)
	}
	e, hasExpect := raw["expect"]
	w, hasWant := raw["want"]
	switch {
	case hasExpect && hasWant:
		return Case{}, fmt.Errorf(`"expect" and "want" both name the answer: give one`)
	case hasWant:
		return c, parseWant(w, &c)
	case !hasExpect:
		return Case{}, fmt.Errorf(`"expect" is missing: give the id of the entry that should answer, or null if none should (or "want": phrases of the right answer)`)
	}
	var expect *string
	if err := json.Unmarshal(e, &expect); err != nil {
		return Case{}, fmt.Errorf(`"expect" must be an entry id or null, not %s`, e)
	}
	if expect != nil {
		if *expect == "" {
			return Case{}, fmt.Errorf(`"expect" is empty: give an entry id, or null if no entry should answer`)
		}
		c.Expect = *expect
	}
	return c, nil
}

// parseWant reads a case's "want", raw: a list of phrases of the right
// answer, or null.
func parseWant(raw json.RawMessage, c *Case) error {
	if err := json.Unmarshal(raw, &c.Want); err != nil {
		return fmt.Errorf(`"want" must be a list of phrases of the right answer or null, not %s`, raw)
	}
	if c.Want != nil && len(c.Want) == 0 {
		return fmt.Errorf(`"want" is an empty list: give phrases of the right answer, or null if no entry should answer`)
	}
	for i, w := range c.Want {
		if strings.TrimSpace(w) == "" {
			return fmt.Errorf(`"want" phrase %d is blank: give words of the right answer`, i+1)
		}
	}
	return nil
}

// Evaluation is a knowledge base's results on a set of cases, ready to be
// scored at any threshold.
type Evaluation struct {
	runs []run
}

// run is one case with what the matcher made of it. holder is, for a case
// that names its answer by phrases, the id of the first entry whose
// answer holds one of them, "" when none does.
type run struct {
	c       Case
	holder  string
	result  match.Result
	latency time.Duration
}

// Evaluate asks b, the index of the knowledge file name, every case's
// question and records the results and the time each took. It fails when a
// case expects an entry that b lacks.
func Evaluate(name string, b *match.Index, cases []Case) (*Evaluation, error) {
	var missing []string
	for _, c := range cases {
		if c.Expect != "" {
			if _, ok := b.Entry(c.Expect); !ok {
				missing = append(missing, c.Expect)
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("cases expect entries that %s does not have: %s; fix the ids or use null for questions that should get no answer",
			name, strings.Join(uniqueStrings(missing), ", "))
	}
	ev := &Evaluation{runs: make([]run, len(cases))}
	for i, c := range cases {
		start := time.Now()
		r := b.Search(c.Query)
		ev.runs[i] = run{c: c, holder: holder(b, c.Want), result: r, latency: time.Since(start)}
	}
	return ev, nil
}

// holder returns the id of the first entry of b whose answer holds one of
// the phrases want, "" when none does.
func holder(b *match.Index, want []string) string {
	if len(want) == 0 {
		return ""
	}
	c := Case{Want: want}
	entries := b.Entries()
	for i := range entries {
		if c.Accepts(&entries[i]) {
			return entries[i].ID
		}
	}
	return ""
}

func uniqueStrings(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// Report is an evaluation scored at one threshold. Rates are fractions in
// [0,1].
type Report struct {
	Cases      int `json:"cases"`
	InScope    int `json:"in_scope"`
	OutOfScope int `json:"out_of_scope"`
	// Unheld is the number of in-scope cases named by phrases that no
	// answer of the file holds: no search can get them right, and an
	// import that lost their answers is the likelier cause.
	Unheld    int     `json:"unheld"`
	Threshold float64 `json:"threshold"`
	// Top1 is the share of in-scope cases whose best candidate is right,
	// whatever its confidence.
	Top1 float64 `json:"top1"`
	// Accuracy is the share of all cases handled right: in-scope ones
	// answered with the expected entry, out-of-scope ones not answered.
	Accuracy float64 `json:"accuracy"`
	// AnsweredRight is the share of in-scope cases answered with the
	// expected entry.
	AnsweredRight float64 `json:"answered_right"`
	// RefusedRight is the share of out-of-scope cases not answered.
	RefusedRight float64 `json:"refused_right"`
	// AnsweredWrong is the share of all cases answered with an entry that
	// was not expected.
	AnsweredWrong float64 `json:"answered_wrong"`
	LatencyMeanUS float64 `json:"latency_mean_us"`
	LatencyP99US  float64 `json:"latency_p99_us"`
	// Misses are the worst cases handled wrong: wrong answers, the most
	// confident first, then refused in-scope questions, the least
	// confident first.
	Misses []Miss `json:"misses"`
	// Confused are the pairs of entries most often mistaken for one
	// another: in-scope cases whose best candidate is another entry,
	// whatever the threshold, by how many, at most maxConfused pairs. A
	// pair that comes up often wants alternates that tell the two apart.
	Confused []ConfusedPair `json:"confused"`
}

// ConfusedPair counts the in-scope cases expecting entry Expect whose best
// candidate was entry Got.
type ConfusedPair struct {
	Expect string `json:"expect"`
	Got    string `json:"got"`
	Cases  int    `json:"cases"`
}

// maxConfused is the most pairs a Report lists in Confused.
const maxConfused = 5

// Miss is a case handled wrong.
type Miss struct {
	Query string `json:"query"`
	// Expect is the expected entry id, or "" when none should answer or
	// the case names its answer by phrases.
	Expect string `json:"expect"`
	// Want are the phrases of the right answer, for a case that names it
	// so.
	Want []string `json:"want,omitempty"`
	// Got is the best candidate's id, or "" when there was none.
	Got        string  `json:"got"`
	Confidence float64 `json:"confidence"`
	// Outcome is what the bot did: answered, ambiguous or unknown.
	Outcome string `json:"outcome"`
}

// At scores the evaluation at threshold, listing at most misses misses.
func (ev *Evaluation) At(threshold float64, misses int) Report {
	rep := Report{Cases: len(ev.runs), Threshold: threshold}
	var top1, answeredRight, refusedRight, answeredWrong int
	var wrong []Miss
	confused := make(map[[2]string]int)
	lat := make([]float64, len(ev.runs))
	var total float64
	for i, r := range ev.runs {
		us := float64(r.latency) / float64(time.Microsecond)
		lat[i] = us
		total += us
		best, _ := r.result.Best()
		got := ""
		if best.Entry != nil {
			got = best.Entry.ID
		}
		out := r.result.Decide(threshold)
		ok := false
		if r.c.InScope() {
			rep.InScope++
			expect := r.c.Expect
			if len(r.c.Want) > 0 {
				expect = r.holder
				if expect == "" {
					rep.Unheld++
				}
			}
			right := r.c.Accepts(best.Entry)
			if right {
				top1++
			} else if got != "" && expect != "" {
				confused[[2]string{expect, got}]++
			}
			if out == match.Answered && right {
				answeredRight++
				ok = true
			}
		} else {
			rep.OutOfScope++
			if out != match.Answered {
				refusedRight++
				ok = true
			}
		}
		if out == match.Answered && !ok {
			answeredWrong++
		}
		if !ok {
			wrong = append(wrong, Miss{Query: r.c.Query, Expect: r.c.Expect, Want: r.c.Want, Got: got, Confidence: best.Confidence, Outcome: out.String()})
		}
	}
	rep.Top1 = ratio(top1, rep.InScope)
	rep.AnsweredRight = ratio(answeredRight, rep.InScope)
	rep.RefusedRight = ratio(refusedRight, rep.OutOfScope)
	rep.AnsweredWrong = ratio(answeredWrong, rep.Cases)
	rep.Accuracy = ratio(answeredRight+refusedRight, rep.Cases)
	if len(lat) > 0 {
		rep.LatencyMeanUS = total / float64(len(lat))
		rep.LatencyP99US = percentile(lat, 0.99)
	}
	sort.SliceStable(wrong, func(i, j int) bool {
		ai, aj := wrong[i].Outcome == match.Answered.String(), wrong[j].Outcome == match.Answered.String()
		if ai != aj {
			return ai
		}
		if ai {
			return wrong[i].Confidence > wrong[j].Confidence
		}
		return wrong[i].Confidence < wrong[j].Confidence
	})
	if len(wrong) > misses {
		wrong = wrong[:max(misses, 0)]
	}
	rep.Misses = wrong
	for pair, n := range confused {
		rep.Confused = append(rep.Confused, ConfusedPair{Expect: pair[0], Got: pair[1], Cases: n})
	}
	slices.SortFunc(rep.Confused, func(a, b ConfusedPair) int {
		if a.Cases != b.Cases {
			return b.Cases - a.Cases
		}
		return strings.Compare(a.Expect+"\x00"+a.Got, b.Expect+"\x00"+b.Got)
	})
	rep.Confused = rep.Confused[:min(len(rep.Confused), maxConfused)]
	return rep
}

// Tune returns the threshold that maximises overall accuracy on the
// evaluation's cases: the middle of the widest range of best thresholds,
// on a grid of 0.005.
func (ev *Evaluation) Tune() float64 {
	const steps = 200
	acc := make([]int, steps+1)
	for _, r := range ev.runs {
		for k := 0; k <= steps; k++ {
			if r.right(float64(k) / steps) {
				acc[k]++
			}
		}
	}
	best := 0
	for k := range acc {
		if acc[k] > acc[best] {
			best = k
		}
	}
	// The widest run of thresholds reaching the best accuracy.
	lo, hi, runLo := best, best, -1
	for k := 0; k <= steps+1; k++ {
		if k <= steps && acc[k] == acc[best] {
			if runLo < 0 {
				runLo = k
			}
			continue
		}
		if runLo >= 0 && k-1-runLo > hi-lo {
			lo, hi = runLo, k-1
		}
		runLo = -1
	}
	return math.Round(float64(lo+hi)/2) / steps
}

// right reports whether the run is handled right at threshold.
func (r run) right(threshold float64) bool {
	out := r.result.Decide(threshold)
	if !r.c.InScope() {
		return out != match.Answered
	}
	best, _ := r.result.Best()
	return out == match.Answered && r.c.Accepts(best.Entry)
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// percentile returns the p-th quantile of v, which it sorts.
func percentile(v []float64, p float64) float64 {
	sort.Float64s(v)
	i := int(math.Ceil(p*float64(len(v)))) - 1
	return v[min(max(i, 0), len(v)-1)]
}

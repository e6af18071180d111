package match_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/eval"
	"github.com/faqbot/faqbot/knowledge/match"
)

// benchScores is one dataset's figures on its test split.
type benchScores struct {
	tuned, typoTuned, untuned, typoUntuned float64
	threshold, typoThreshold               float64
	dev, typoDev                           float64 // accuracy on dev at its own tuned threshold
	devTop1                                float64
}

// scoreDataset tunes the threshold on dev and reports accuracy on test, for
// clean and typo queries, and at DefaultThreshold.
func scoreDataset(tb testing.TB, dir string, w match.Weights) benchScores {
	tb.Helper()
	f := match.LoadBenchFile(tb, filepath.Join(dir, "kb.yaml"))
	b, err := match.NewWithWeights(f, w)
	if err != nil {
		tb.Fatal(err)
	}
	evaluate := func(name string) *eval.Evaluation {
		cases, err := eval.LoadCases(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		ev, err := eval.Evaluate(dir, b, cases)
		if err != nil {
			tb.Fatal(err)
		}
		return ev
	}
	var s benchScores
	dev, test := evaluate("dev.jsonl"), evaluate("test.jsonl")
	s.threshold = dev.Tune()
	s.dev = dev.At(s.threshold, 0).Accuracy
	s.devTop1 = dev.At(s.threshold, 0).Top1
	s.tuned = test.At(s.threshold, 0).Accuracy
	s.untuned = test.At(match.DefaultThreshold, 0).Accuracy
	dev, test = evaluate("dev-typos.jsonl"), evaluate("test-typos.jsonl")
	s.typoThreshold = dev.Tune()
	s.typoDev = dev.At(s.typoThreshold, 0).Accuracy
	s.typoTuned = test.At(s.typoThreshold, 0).Accuracy
	s.typoUntuned = test.At(match.DefaultThreshold, 0).Accuracy
	return s
}

// TestBenchAccuracy guards the matcher's accuracy on the public benchmark
// data: the test split at the threshold tuned on dev must not fall below
// bleve's best figures plus 0.05 clean and 0.10 on typos (where bleve sets
// them: banking77 and covid-cdc-faq) nor far below what the matcher reached when these floors were set
// (docs/benchmarks.md), and the untuned default threshold must stay within
// 0.03 of the tuned one.
func TestBenchAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs every benchmark dataset")
	}
	dir := match.BenchDir(t)
	floors := map[string][2]float64{ // clean, typo
		"banking77":             {0.587, 0.590}, // bleve's plus 0.05 and 0.10; 0.593 both (a question is 0.00065)
		"chitchat-professional": {0.72, 0.70},
		"clinc150":              {0.62, 0.61},
		"covid-cdc-faq":         {0.767, 0.768}, // bleve's plus 0.05 and 0.10; 0.772 both (a question is 0.0054)
	}
	for _, d := range match.BenchDatasets {
		t.Run(d, func(t *testing.T) {
			s := scoreDataset(t, filepath.Join(dir, d), match.DefaultWeights())
			f := floors[d]
			if s.tuned < f[0] || s.typoTuned < f[1] {
				t.Errorf("accuracy %.3f clean, %.3f typo; want at least %.3f and %.3f", s.tuned, s.typoTuned, f[0], f[1])
			}
			if s.tuned-s.untuned > 0.03 || s.typoTuned-s.typoUntuned > 0.03 {
				t.Errorf("default threshold %.2f: %.3f clean, %.3f typo; tuned (%.3f, %.3f): %.3f and %.3f",
					match.DefaultThreshold, s.untuned, s.typoUntuned, s.threshold, s.typoThreshold, s.tuned, s.typoTuned)
			}
		})
	}
}

// smallScores is the mean, over several random draws, of small knowledge
// files cut from one dataset, asked at DefaultThreshold with no tuning.
type smallScores struct {
	accuracy, answeredRight, refusedRight float64
}

// cutFile returns size entries of f drawn at random by rng, with their ids.
func cutFile(f *knowledge.File, size int, rng *rand.Rand) (knowledge.File, map[string]bool) {
	cut := knowledge.File{Version: 1, Language: f.Language}
	ids := make(map[string]bool)
	for _, i := range rng.Perm(len(f.Entries))[:size] {
		cut.Entries = append(cut.Entries, f.Entries[i])
		ids[f.Entries[i].ID] = true
	}
	return cut, ids
}

// scoreSmall cuts knowledge files of size entries from dataset d (draws
// times, at random), asks each the test questions of its own entries and,
// as many again as half of those, test questions of the other datasets,
// which it should not answer, and scores them at DefaultThreshold. A team's
// own FAQ is often this small, has no dev set to tune on, and is asked
// anything.
func scoreSmall(tb testing.TB, dir, d string, size, draws int) smallScores {
	tb.Helper()
	full := match.LoadBenchFile(tb, filepath.Join(dir, d, "kb.yaml"))
	own, err := eval.LoadCases(filepath.Join(dir, d, "test.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	var others []eval.Case
	for _, o := range match.BenchDatasets {
		if o == d {
			continue
		}
		cases, err := eval.LoadCases(filepath.Join(dir, o, "test.jsonl"))
		if err != nil {
			tb.Fatal(err)
		}
		for _, c := range cases {
			others = append(others, eval.Case{Query: c.Query})
		}
	}
	var s smallScores
	for draw := range draws {
		rng := rand.New(rand.NewPCG(uint64(draw), 5))
		f, keep := cutFile(full, size, rng)
		var cases []eval.Case
		for _, c := range own {
			if keep[c.Expect] {
				cases = append(cases, c)
			}
		}
		off := slices.Clone(others)
		rng.Shuffle(len(off), func(i, j int) { off[i], off[j] = off[j], off[i] })
		cases = append(cases, off[:len(cases)/2]...)
		b, err := match.New(&f)
		if err != nil {
			tb.Fatal(err)
		}
		ev, err := eval.Evaluate(d, b, cases)
		if err != nil {
			tb.Fatal(err)
		}
		r := ev.At(match.DefaultThreshold, 0)
		s.accuracy += r.Accuracy / float64(draws)
		s.answeredRight += r.AnsweredRight / float64(draws)
		s.refusedRight += r.RefusedRight / float64(draws)
	}
	return s
}

// TestBenchSmallFiles guards the shipped threshold on small knowledge
// files asked off-topic questions: cut to 10 and 30 entries, every dataset
// must still refuse most questions from elsewhere and answer most of its
// own, at DefaultThreshold with no tuning. The floors sit a little below
// what the matcher reached when they were set (docs/benchmarks.md).
func TestBenchSmallFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds forty small knowledge bases")
	}
	dir := match.BenchDir(t)
	for _, d := range match.BenchDatasets {
		for _, size := range []int{10, 30} {
			t.Run(fmt.Sprintf("%s/%d", d, size), func(t *testing.T) {
				s := scoreSmall(t, dir, d, size, 5)
				t.Logf("accuracy %.3f, answered right %.3f, refused right %.3f", s.accuracy, s.answeredRight, s.refusedRight)
				if s.accuracy < 0.65 || s.refusedRight < 0.78 {
					t.Errorf("accuracy %.3f, off-topic refused %.3f; want at least 0.65 and 0.78", s.accuracy, s.refusedRight)
				}
			})
		}
	}
}

// TestBenchOffTopic asks everyday questions that no FAQ answers
// (testdata/offtopic.txt) of small knowledge files cut from banking77 and
// covid-cdc-faq and of the small team FAQ in testdata: at the shipped
// threshold, at most one in twenty may be answered (16 of 520 when this
// limit was set). (clinc150 and chitchat-professional are
// left out: a voice assistant answers the weather and recipes, and
// chit-chat jokes.) Small files are where stop words weigh most, so an
// off-topic question shaped like one of their questions ("what is the
// ...") comes closest to an answer there.
func TestBenchOffTopic(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds many small knowledge bases")
	}
	dir := match.BenchDir(t)
	lines, err := os.ReadFile(filepath.Join("testdata", "offtopic.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var questions []string
	for _, l := range strings.Split(string(lines), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			questions = append(questions, l)
		}
	}
	team := filepath.Join("testdata", "team", "kb.yaml")
	files := []*match.Index{match.LoadTestBase(t, team)}
	names := []string{team}
	for _, d := range []string{"banking77", "covid-cdc-faq"} {
		full := match.LoadBenchFile(t, filepath.Join(dir, d, "kb.yaml"))
		for _, size := range []int{10, 30} {
			for draw := range 3 {
				f, _ := cutFile(full, size, rand.New(rand.NewPCG(uint64(draw), 9)))
				b, err := match.New(&f)
				if err != nil {
					t.Fatal(err)
				}
				files = append(files, b)
				names = append(names, d)
			}
		}
	}
	asked, answered := 0, 0
	for i, b := range files {
		for _, q := range questions {
			asked++
			if r := b.Search(q); r.Decide(match.DefaultThreshold) == match.Answered {
				answered++
				best, _ := r.Best()
				t.Logf("%s: %q answered with %s (%.2f)", names[i], q, best.Entry.ID, best.Confidence)
			}
		}
	}
	t.Logf("%d of %d off-topic questions answered", answered, asked)
	if rate := float64(answered) / float64(asked); rate > 0.05 {
		t.Errorf("%d of %d off-topic questions answered (%.3f); want at most 0.05", answered, asked, rate)
	}
}

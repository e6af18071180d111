package main

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge/eval"
	"github.com/faqbot/faqbot/knowledge/match"
	"gopkg.in/yaml.v3"
)

// methodResult is one ranking method's figures on one dataset's test split.
type methodResult struct {
	name        string
	clean, typo float64 // overall accuracy at the threshold tuned on dev
	usClean     float64 // mean time per clean query, in microseconds
	usTypo      float64
}

// faqbotResult is faqbot's figures on one dataset's test split.
type faqbotResult struct {
	clean, typo               float64 // tuned on dev
	cleanDefault, typoDefault float64 // at match.DefaultThreshold
	threshold, typoThreshold  float64
	top1, typoTop1            float64
	usClean, usTypo           float64
}

type datasetResult struct {
	name      string
	entries   int
	phrasings int
	methods   []methodResult
	faqbot    faqbotResult
}

// bestOther returns the best accuracy among the methods whose name starts
// with prefix, on clean and on typo queries.
func (d datasetResult) bestOther(prefix string) (clean, typo float64) {
	for _, m := range d.methods {
		if strings.HasPrefix(m.name, prefix) {
			clean = max(clean, m.clean)
			typo = max(typo, m.typo)
		}
	}
	return clean, typo
}

type split struct{ dev, test []eval.Case }

func loadSplits(dir string) (clean, typo split, err error) {
	load := func(name string) []eval.Case {
		if err != nil {
			return nil
		}
		var cs []eval.Case
		cs, err = eval.LoadCases(filepath.Join(dir, name))
		return cs
	}
	clean = split{load("dev.jsonl"), load("test.jsonl")}
	typo = split{load("dev-typos.jsonl"), load("test-typos.jsonl")}
	return clean, typo, err
}

func runDataset(dir string) (datasetResult, error) {
	b, err := bot.LoadBase(filepath.Join(dir, "kb.yaml"))
	if err != nil {
		return datasetResult{}, err
	}
	clean, typo, err := loadSplits(dir)
	if err != nil {
		return datasetResult{}, err
	}
	r := datasetResult{name: filepath.Base(dir), entries: b.Len(), phrasings: b.Phrasings()}

	fb := &r.faqbot
	fb.clean, fb.cleanDefault, fb.threshold, fb.top1, fb.usClean, err = runFaqbot(b, clean)
	if err != nil {
		return r, err
	}
	fb.typo, fb.typoDefault, fb.typoThreshold, fb.typoTop1, fb.usTypo, err = runFaqbot(b, typo)
	if err != nil {
		return r, err
	}

	ps := phrasingsOf(b)
	tfidf, err := newBleveIndex(ps, bleveindex.TFIDFScoring)
	if err != nil {
		return r, err
	}
	defer tfidf.Close()
	bm25, err := newBleveIndex(ps, bleveindex.BM25Scoring)
	if err != nil {
		return r, err
	}
	defer bm25.Close()
	bm25Entries, err := newBleveIndex(pooled(ps), bleveindex.BM25Scoring)
	if err != nil {
		return r, err
	}
	defer bm25Entries.Close()
	methods := []struct {
		name string
		m    method
	}{
		{"sahilm/fuzzy", newFuzzy(ps)},
		{"bleve TF-IDF", &bleveMethod{idx: tfidf}},
		{"bleve TF-IDF fuzzy 1", &bleveMethod{idx: tfidf, fuzziness: 1}},
		{"bleve TF-IDF fuzzy 2", &bleveMethod{idx: tfidf, fuzziness: 2}},
		{"bleve BM25", &bleveMethod{idx: bm25}},
		{"bleve BM25 fuzzy 1", &bleveMethod{idx: bm25, fuzziness: 1}},
		{"bleve BM25 fuzzy 2", &bleveMethod{idx: bm25, fuzziness: 2}},
		{"bleve BM25, an entry a document", &bleveMethod{idx: bm25Entries}},
		{"bleve BM25, an entry a document, fuzzy 1", &bleveMethod{idx: bm25Entries, fuzziness: 1}},
	}
	for _, m := range methods {
		mr := methodResult{name: m.name}
		mr.clean, mr.usClean = runMethod(m.m, clean)
		mr.typo, mr.usTypo = runMethod(m.m, typo)
		r.methods = append(r.methods, mr)
	}
	return r, nil
}

// runFaqbot tunes faqbot's threshold on dev as `faqbot eval --tune` does and
// scores test at it and at the default.
func runFaqbot(b *bot.Base, s split) (tuned, untuned, threshold, top1, us float64, err error) {
	dev, err := eval.Evaluate(b.Path, b.Index, s.dev)
	if err != nil {
		return
	}
	test, err := eval.Evaluate(b.Path, b.Index, s.test)
	if err != nil {
		return
	}
	threshold = dev.Tune()
	rep := test.At(threshold, 0)
	return rep.Accuracy, test.At(match.DefaultThreshold, 0).Accuracy, threshold, rep.Top1, rep.LatencyMeanUS, nil
}

// runMethod tunes m's threshold on dev and returns its accuracy on test and
// the mean time per test query.
func runMethod(m method, s split) (acc, us float64) {
	dev := make([]guess, len(s.dev))
	for i, c := range s.dev {
		dev[i] = m.ask(c.Query)
	}
	t := tuneThreshold(s.dev, dev)
	test := make([]guess, len(s.test))
	start := time.Now()
	for i, c := range s.test {
		test[i] = m.ask(c.Query)
	}
	took := time.Since(start)
	return accuracy(s.test, test, t), float64(took.Microseconds()) / float64(len(s.test))
}

// speedResult times faqbot and bleve BM25 on one synthetic knowledge base.
type speedResult struct {
	entries, phrasings, queries int
	faqbotBuild, bleveBuild     time.Duration
	faqbot, bleve               latency
}

// latency summarises per-query times.
type latency struct{ median, p99, mean time.Duration }

func summarise(d []time.Duration) latency {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	var total time.Duration
	for _, v := range d {
		total += v
	}
	return latency{median: d[len(d)/2], p99: d[min(len(d)-1, len(d)*99/100)], mean: total / time.Duration(len(d))}
}

// runSpeed builds a synthetic knowledge base of n entries from the bench
// phrasings and times both matchers on every test query of every dataset.
func runSpeed(data string, names []string, n int) (speedResult, error) {
	var src [][]string
	var queries []string
	for _, name := range names {
		b, err := bot.LoadBase(filepath.Join(data, name, "kb.yaml"))
		if err != nil {
			return speedResult{}, err
		}
		for _, e := range b.Entries() {
			src = append(src, e.Phrasings())
		}
		cases, err := eval.LoadCases(filepath.Join(data, name, "test.jsonl"))
		if err != nil {
			return speedResult{}, err
		}
		for _, c := range cases {
			queries = append(queries, c.Query)
		}
	}
	yml, err := synthetic(src, n)
	if err != nil {
		return speedResult{}, err
	}
	s := speedResult{entries: n, queries: len(queries)}
	start := time.Now()
	b, err := bot.ParseBase("synthetic.yaml", yml)
	if err != nil {
		return s, err
	}
	s.faqbotBuild = time.Since(start)
	s.phrasings = b.Phrasings()
	ps := phrasingsOf(b)
	start = time.Now()
	idx, err := newBleveIndex(ps, bleveindex.BM25Scoring)
	if err != nil {
		return s, err
	}
	defer idx.Close()
	s.bleveBuild = time.Since(start)
	bm := &bleveMethod{idx: idx}
	fd := make([]time.Duration, len(queries))
	bd := make([]time.Duration, len(queries))
	for i, q := range queries {
		t0 := time.Now()
		b.Search(q)
		t1 := time.Now()
		bm.ask(q)
		fd[i], bd[i] = t1.Sub(t0), time.Since(t1)
	}
	s.faqbot, s.bleve = summarise(fd), summarise(bd)
	return s, nil
}

// synthetic returns a knowledge file of n entries whose phrasings are the
// source phrasings with variations: entry i takes source entry i mod
// len(src), then drops a word from some phrasings, swaps in a word from
// another entry in others, and tags a phrasing that would repeat another.
func synthetic(src [][]string, n int) ([]byte, error) {
	rng := rand.New(rand.NewPCG(1, 2))
	var vocab []string
	for _, ps := range src {
		for _, p := range ps {
			vocab = append(vocab, strings.Fields(p)...)
		}
	}
	type entry struct {
		ID         string   `yaml:"id"`
		Question   string   `yaml:"question"`
		Alternates []string `yaml:"alternates,omitempty"`
		Answer     string   `yaml:"answer"`
	}
	file := struct {
		Version int     `yaml:"version"`
		Entries []entry `yaml:"entries"`
	}{Version: 1}
	seen := make(map[string]bool)
	for i := 0; i < n; i++ {
		var phr []string
		for k, p := range src[i%len(src)] {
			w := strings.Fields(p)
			switch rng.IntN(3) {
			case 0:
				if len(w) > 2 {
					j := rng.IntN(len(w))
					w = append(w[:j:j], w[j+1:]...)
				}
			case 1:
				w = append(w[:len(w):len(w)], vocab[rng.IntN(len(vocab))])
			}
			text := strings.Join(w, " ")
			if seen[phrasingKey(text)] {
				text = fmt.Sprintf("%s (variant %d.%d)", text, i, k)
			}
			seen[phrasingKey(text)] = true
			phr = append(phr, text)
		}
		file.Entries = append(file.Entries, entry{
			ID:         fmt.Sprintf("e%d", i),
			Question:   phr[0],
			Alternates: phr[1:],
			Answer:     fmt.Sprintf("Answer %d.", i),
		})
	}
	return yaml.Marshal(file)
}

// phrasingKey is what two phrasings share when the loader takes them for
// one: their letters and digits, case folded.
func phrasingKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

package main

import (
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge/eval"
	"github.com/faqbot/faqbot/knowledge/match"
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

	ms, closeAll, err := intentMethods(phrasingsOf(b))
	if err != nil {
		return r, err
	}
	defer closeAll()
	for _, m := range ms {
		mr := methodResult{name: m.name}
		mr.clean, mr.usClean = runMethod(m.m, clean)
		mr.typo, mr.usTypo = runMethod(m.m, typo)
		r.methods = append(r.methods, mr)
	}
	return r, nil
}

// namedMethod is a ranking method with the name the report gives it.
type namedMethod struct {
	name string
	m    method
}

// intentMethods returns the peers faqbot is compared with on an intent
// set: sahilm/fuzzy alone, and bleve on its default scorch index with its
// default TF-IDF scoring and with BM25, a phrasing a document or an entry a
// document, with no fuzziness, bleve's automatic fuzziness and fixed edit
// distances of 1 and 2. closeAll closes the bleve indexes.
func intentMethods(ps []phrasing) (ms []namedMethod, closeAll func(), err error) {
	var open []io.Closer
	closeAll = func() {
		for _, c := range open {
			c.Close()
		}
	}
	index := func(docs []bleveDoc, model string) *bleveMethod {
		if err != nil {
			return nil
		}
		var idx bleve.Index
		idx, err = newBleveIndex(docs, model)
		if err != nil {
			return nil
		}
		open = append(open, idx)
		return &bleveMethod{idx: idx, fields: []string{"text"}}
	}
	tfidf := index(textDocs(ps), bleveindex.TFIDFScoring)
	bm25 := index(textDocs(ps), bleveindex.BM25Scoring)
	entries := index(textDocs(pooled(ps)), bleveindex.BM25Scoring)
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	ms = []namedMethod{
		{"sahilm/fuzzy", newFuzzy(ps)},
		{"bleve TF-IDF", tfidf},
	}
	for _, v := range []struct {
		name string
		m    *bleveMethod
	}{{"bleve BM25", bm25}, {"bleve BM25, an entry a document", entries}} {
		for _, f := range []fuzziness{{}, {auto: true}, {edits: 1}, {edits: 2}} {
			name := v.name
			if f != (fuzziness{}) {
				name += ", " + f.String()
			}
			ms = append(ms, namedMethod{name, &bleveMethod{idx: v.m.idx, fields: v.m.fields, fuzzy: f}})
		}
	}
	return ms, closeAll, nil
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

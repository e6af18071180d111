package main

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge/eval"
	"github.com/sahilm/fuzzy"
)

// guess is a method's answer to one query: the entry it ranks first (""
// for none) and the score a threshold is compared with.
type guess struct {
	id    string
	score float64
}

// method is a matcher that only ranks: it answers when its score reaches a
// threshold tuned on dev.
type method interface {
	ask(q string) guess
}

// phrasing is one question or alternate of a knowledge base.
type phrasing struct {
	entry string
	text  string
}

func phrasingsOf(b *bot.Base) []phrasing {
	var out []phrasing
	for _, e := range b.Entries() {
		for _, p := range e.Phrasings() {
			out = append(out, phrasing{entry: e.ID, text: p})
		}
	}
	return out
}

// fuzzyMethod ranks phrasings with sahilm/fuzzy alone.
type fuzzyMethod struct {
	texts []string
	entry []string
}

func newFuzzy(ps []phrasing) *fuzzyMethod {
	m := &fuzzyMethod{}
	for _, p := range ps {
		m.texts = append(m.texts, p.text)
		m.entry = append(m.entry, p.entry)
	}
	return m
}

func (m *fuzzyMethod) ask(q string) guess {
	found := fuzzy.Find(q, m.texts)
	if len(found) == 0 {
		return guess{score: math.Inf(-1)}
	}
	return guess{id: m.entry[found[0].Index], score: float64(found[0].Score)}
}

// bleveMethod searches an in-memory bleve index of the phrasings, one
// document a phrasing, with bleve's English analyzer.
type bleveMethod struct {
	idx       bleve.Index
	fuzziness int
}

// pooled joins each entry's phrasings into one, for indexing an entry as
// one document.
func pooled(ps []phrasing) []phrasing {
	var out []phrasing
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].entry == p.entry {
			out[n-1].text += "\n" + p.text
			continue
		}
		out = append(out, p)
	}
	return out
}

// newBleveIndex indexes the phrasings with scoring model "tf-idf" or "bm25".
func newBleveIndex(ps []phrasing, model string) (bleve.Index, error) {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = en.AnalyzerName
	m.ScoringModel = model
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		return nil, err
	}
	batch := idx.NewBatch()
	for i, p := range ps {
		if err := batch.Index(fmt.Sprintf("%s\x00%d", p.entry, i), map[string]any{"text": p.text}); err != nil {
			return nil, err
		}
		if batch.Size() >= 1000 {
			if err := idx.Batch(batch); err != nil {
				return nil, err
			}
			batch = idx.NewBatch()
		}
	}
	if err := idx.Batch(batch); err != nil {
		return nil, err
	}
	return idx, nil
}

func (m *bleveMethod) ask(q string) guess {
	mq := bleve.NewMatchQuery(q)
	mq.SetField("text")
	mq.Analyzer = en.AnalyzerName
	mq.SetFuzziness(m.fuzziness)
	res, err := m.idx.Search(bleve.NewSearchRequestOptions(mq, 1, 0, false))
	if err != nil || len(res.Hits) == 0 {
		return guess{score: math.Inf(-1)}
	}
	id, _, _ := strings.Cut(res.Hits[0].ID, "\x00")
	return guess{id: id, score: res.Hits[0].Score}
}

// tuneThreshold returns the score threshold that maximises overall accuracy
// on the dev guesses: an in-scope case is right when answered with the
// expected entry, an out-of-scope one when not answered.
func tuneThreshold(cases []eval.Case, gs []guess) float64 {
	cands := make([]float64, 0, len(gs)+1)
	for _, g := range gs {
		if !math.IsInf(g.score, -1) {
			cands = append(cands, g.score)
		}
	}
	cands = append(cands, math.Inf(1))
	sort.Float64s(cands)
	best, bestAcc := cands[0], -1.0
	for i, t := range cands {
		if i > 0 && t == cands[i-1] {
			continue
		}
		if a := accuracy(cases, gs, t); a > bestAcc {
			best, bestAcc = t, a
		}
	}
	return best
}

// accuracy is the overall accuracy of guesses at threshold t.
func accuracy(cases []eval.Case, gs []guess, t float64) float64 {
	right := 0
	for i, c := range cases {
		answered := gs[i].score >= t
		if c.InScope() && answered && gs[i].id == c.Expect || !c.InScope() && !answered {
			right++
		}
	}
	return float64(right) / float64(len(cases))
}

package main

import (
	"math"
	"sort"

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

// tuneThreshold returns the score threshold that maximises overall accuracy
// on the dev guesses: an in-scope case is right when answered with the
// expected entry, an out-of-scope one when not answered.
func tuneThreshold(cases []eval.Case, gs []guess) float64 {
	scores := make([]float64, len(gs))
	for i, g := range gs {
		scores[i] = g.score
	}
	return bestThreshold(scores, func(t float64) float64 { return accuracy(cases, gs, t) })
}

// bestThreshold returns the threshold, among the scores and +Inf (answer
// nothing), at which right is the highest; the lowest of equals.
func bestThreshold(scores []float64, right func(t float64) float64) float64 {
	cands := make([]float64, 0, len(scores)+1)
	for _, s := range scores {
		if !math.IsInf(s, -1) {
			cands = append(cands, s)
		}
	}
	cands = append(cands, math.Inf(1))
	sort.Float64s(cands)
	best, bestRight := cands[0], math.Inf(-1)
	for i, t := range cands {
		if i > 0 && t == cands[i-1] {
			continue
		}
		if r := right(t); r > bestRight {
			best, bestRight = t, r
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

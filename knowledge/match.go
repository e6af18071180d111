package knowledge

import (
	"math"
	"slices"
	"sync"
)

// weights are the matcher's tunable constants. They were chosen on the dev
// splits of the public benchmark data (see docs/benchmarks.md) and hold for
// any knowledge base; nothing in them is specific to one file.
type weights struct {
	// stop scales the weight of stop words: they still count ("who are
	// you" and "how are you" differ only in them) but little.
	stop float64
	// unknown is the weight of a query word the base has never seen, as a
	// share of the highest word weight: it lowers the share of the question
	// that any entry covers, which is how off-topic questions are refused.
	unknown float64
	// typo discounts a word matched through a one-letter correction.
	typo float64
	// query is the exponent of the share of the question's weight that a
	// phrasing covers; 1-query goes to the share of the phrasing covered.
	query float64
	// pooled is the share of an entry's score that comes from all of its
	// phrasings together rather than from its best one.
	pooled float64
	// spread is the exponent of the share of an entry's phrasings that hold
	// a word, in the pooled score.
	spread float64
	// answer is the weight of the answer text, on top of the phrasings,
	// for an entry with a single phrasing.
	answer float64
	// answerDecay is the exponent of the number of an entry's phrasings
	// that its answer weight is divided by: the fewer ways an entry is
	// asked, the more its answer must describe it.
	answerDecay float64
	// grams is the share of a phrasing's score that comes from the
	// character n-grams it shares with the question.
	grams float64
	// rarity is the exponent of a term's inverse entry frequency in its
	// weight.
	rarity float64
}

func defaultWeights() weights {
	return weights{
		stop:    0.8,
		unknown: 1.0,
		typo:    0.6,
		query:   0.6,
		pooled:  0.5,
		spread:  0.5,
		answer:  0.3,
		// 0.3 for one phrasing, 0.13 for five, 0.095 for ten.
		answerDecay: 0.5,
		rarity:      0.35,
		grams:       0.7,
	}
}

// maxCandidates is the number of candidates a search returns: the best and
// up to three runners-up.
const maxCandidates = 4

// index is the search index of a knowledge base. It is built once and never
// changed, so it is safe for concurrent use; per-search scratch space comes
// from a pool.
type index struct {
	text *analyzer
	w    weights

	entries []*Entry
	// weight is each term's weight: its inverse entry frequency, scaled
	// down for stop words.
	weight    []float32
	maxWeight float64

	// Phrasings: the entry of each, its norm (the sum of its squared term
	// weights) to the power query-1, its text, and the postings from term
	// to phrasing.
	phrEntry []int32
	phrScale []float32
	phrText  []string
	phrPost  postings
	// phrTerms lists each phrasing's terms, sorted, and entPhr each entry's
	// phrasings, entPhr[e]:entPhr[e+1], for searches that add common words
	// to a few entries only.
	phrTerms postings
	entPhr   []int32

	// Pooled: term to the entries whose phrasings hold it, each with the
	// share of the entry's phrasings that do, raised to weights.spread.
	poolPost postings
	poolFrac []float32
	// entTerms lists each entry's terms, sorted, with entFrac alongside.
	entTerms postings
	entFrac  []float32

	// Answers: term to the entries whose answer holds it, with the term's
	// weight in that answer already divided by the answer's norm.
	ansPost   postings
	ansWeight []float32
	ansIDF    []float32
	// entAns is each entry's answer weight: weights.answer divided by its
	// number of phrasings to the power weights.answerDecay.
	entAns []float32

	grams grams

	scratch sync.Pool
	titles  titles
}

// postings maps a term to a list of ids, stored flat: the ids of term t are
// ids[start[t]:start[t+1]].
type postings struct {
	start []int32
	ids   []int32
}

func (p *postings) of(t int32) (lo, hi int32) {
	if int(t)+1 >= len(p.start) {
		return 0, 0
	}
	return p.start[t], p.start[t+1]
}

// postingsBuilder collects (term, id, value) triples and packs them.
type postingsBuilder struct {
	term []int32
	id   []int32
	val  []float32
}

func (b *postingsBuilder) add(t, id int32, v float32) {
	b.term = append(b.term, t)
	b.id = append(b.id, id)
	b.val = append(b.val, v)
}

// build packs the triples into postings over terms 0..nterms-1, keeping the
// order in which each term's ids were added; vals are returned alongside.
func (b *postingsBuilder) build(nterms int) (postings, []float32) {
	p := postings{start: make([]int32, nterms+1), ids: make([]int32, len(b.id))}
	for _, t := range b.term {
		p.start[t+1]++
	}
	for t := 1; t <= nterms; t++ {
		p.start[t] += p.start[t-1]
	}
	fill := make([]int32, nterms)
	copy(fill, p.start[:nterms])
	vals := make([]float32, len(b.id))
	for i, t := range b.term {
		at := fill[t]
		fill[t]++
		p.ids[at] = b.id[i]
		vals[at] = b.val[i]
	}
	return p, vals
}

func newIndex(f *File) (*index, error) {
	return newIndexWeights(f, defaultWeights())
}

func newIndexWeights(f *File, w weights) (*index, error) {
	lang, err := lookupLanguage(f.Language)
	if err != nil {
		return nil, err
	}
	text := newAnalyzer(lang)
	if err := text.addSynonyms(f.Synonyms); err != nil {
		return nil, err
	}
	x := &index{text: text, w: w}
	n := len(f.Entries)
	x.entries = make([]*Entry, n)

	for i := range f.Entries {
		e := &f.Entries[i]
		x.entries[i] = e
		for _, p := range e.Phrasings() {
			x.phrEntry = append(x.phrEntry, int32(i))
			x.phrText = append(x.phrText, p)
		}
	}

	// The character n-grams need only the phrasings' text: build them on
	// another core meanwhile.
	gramsDone := make(chan struct{})
	go func() {
		defer close(gramsDone)
		if w.grams > 0 {
			x.grams = buildGrams(text, x.phrText, x.phrEntry, n, w)
		}
	}()

	// Analyse every phrasing and answer, growing the vocabulary.
	phrSeqs := make([][]int32, len(x.phrText))
	for p, t := range x.phrText {
		phrSeqs[p] = text.index(t, nil)
	}
	ansTerms := make([][]int32, n)
	for i := range f.Entries {
		ansTerms[i] = text.index(f.Entries[i].Answer, nil)
	}
	phrTerms := make([][]int32, len(phrSeqs))
	x.phrTerms.start = make([]int32, len(phrSeqs)+1)
	for p, seq := range phrSeqs {
		phrTerms[p] = uniqueTerms(seq)
		x.phrTerms.ids = append(x.phrTerms.ids, phrTerms[p]...)
		x.phrTerms.start[p+1] = int32(len(x.phrTerms.ids))
	}
	nterms := text.terms()

	// Entry frequency of each term over phrasings, and answer frequency.
	entryDF := entryFrequency(phrTerms, x.phrEntry, nterms)
	ansDF := entryFrequency(ansTerms, nil, nterms)
	x.weight = make([]float32, nterms)
	x.ansIDF = make([]float32, nterms)
	for t := 0; t < nterms; t++ {
		wt := math.Pow(idf(n, int(entryDF[t])), w.rarity)
		if text.isStop(int32(t)) {
			wt *= w.stop
		}
		x.weight[t] = float32(wt)
		x.maxWeight = math.Pow(idf(n, 0), w.rarity)
		a := idf(n, int(ansDF[t]))
		if text.isStop(int32(t)) {
			a *= w.stop
		}
		x.ansIDF[t] = float32(a)
	}
	if x.maxWeight == 0 {
		x.maxWeight = 1
	}

	// Phrasing postings and norms.
	var norms []float32
	x.phrPost, norms = phrasingPostings(phrTerms, x.weight, nterms)
	// A phrasing's score is dot / (q2^query * norm^(1-query)); the
	// phrasing's part is computed once here.
	x.phrScale = make([]float32, len(norms))
	for p, n := range norms {
		if n > 0 {
			x.phrScale[p] = float32(math.Pow(float64(n), w.query-1))
		}
	}
	// Pooled postings: for each entry, the share of its phrasings holding
	// each term.
	var eb postingsBuilder
	count := make(map[int32]int)
	p := 0
	x.entPhr = make([]int32, n+1)
	x.entTerms.start = make([]int32, n+1)
	for e := range f.Entries {
		clear(count)
		np := 1 + len(f.Entries[e].Alternates)
		x.entPhr[e+1] = x.entPhr[e] + int32(np)
		for k := 0; k < np; k, p = k+1, p+1 {
			for _, t := range phrTerms[p] {
				count[t]++
			}
		}
		for _, t := range sortedKeys(count) {
			frac := float64(count[t]) / float64(np)
			v := float32(math.Pow(frac, w.spread))
			eb.add(t, int32(e), v)
			x.entTerms.ids = append(x.entTerms.ids, t)
			x.entFrac = append(x.entFrac, v)
		}
		x.entTerms.start[e+1] = int32(len(x.entTerms.ids))
	}
	x.poolPost, x.poolFrac = eb.build(nterms)

	// Answer postings: log-scaled term frequency times answer idf, divided
	// by the answer's norm, so that a dot product with the query is a cosine.
	var ab postingsBuilder
	for e, terms := range ansTerms {
		clear(count)
		for _, t := range terms {
			count[t]++
		}
		var norm float64
		keys := sortedKeys(count)
		vals := make([]float64, len(keys))
		for k, t := range keys {
			v := (1 + math.Log(float64(count[t]))) * float64(x.ansIDF[t])
			vals[k] = v
			norm += v * v
		}
		if norm == 0 {
			continue
		}
		norm = math.Sqrt(norm)
		for k, t := range keys {
			ab.add(t, int32(e), float32(vals[k]/norm))
		}
	}
	x.ansPost, x.ansWeight = ab.build(nterms)
	x.entAns = make([]float32, n)
	for e := range x.entAns {
		np := float64(x.entPhr[e+1] - x.entPhr[e])
		x.entAns[e] = float32(w.answer * math.Pow(np, -w.answerDecay))
	}

	np, ne := len(x.phrEntry), n
	x.scratch.New = func() any { return newScratch(np, ne) }
	x.titles = newTitles(f.Entries)
	<-gramsDone
	return x, nil
}

// entryFrequency returns, for each of nterms terms, the number of entries
// whose sets hold it; sets[i] belongs to entry owner[i], or to entry i when
// owner is nil.
func entryFrequency(sets [][]int32, owner []int32, nterms int) []int32 {
	df := make([]int32, nterms)
	last := make([]int32, nterms)
	for t := range last {
		last[t] = -1
	}
	for i, set := range sets {
		e := int32(i)
		if owner != nil {
			e = owner[i]
		}
		for _, t := range set {
			if last[t] != e {
				last[t] = e
				df[t]++
			}
		}
	}
	return df
}

// phrasingPostings returns the postings from term to phrasing and each
// phrasing's norm, the sum of its terms' squared weights.
func phrasingPostings(sets [][]int32, weight []float32, nterms int) (postings, []float32) {
	p := postings{start: make([]int32, nterms+1)}
	norms := make([]float32, len(sets))
	total := 0
	for i, set := range sets {
		var norm float64
		for _, t := range set {
			p.start[t+1]++
			wt := float64(weight[t])
			norm += wt * wt
		}
		norms[i] = float32(norm)
		total += len(set)
	}
	for t := 1; t <= nterms; t++ {
		p.start[t] += p.start[t-1]
	}
	p.ids = make([]int32, total)
	fill := append([]int32(nil), p.start[:nterms]...)
	for i, set := range sets {
		for _, t := range set {
			p.ids[fill[t]] = int32(i)
			fill[t]++
		}
	}
	return p, norms
}

// idf is the BM25 inverse document frequency of a term found in df of n
// documents.
func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// uniqueTerms returns a sorted copy of terms without repeats.
func uniqueTerms(terms []int32) []int32 {
	out := slices.Clone(terms)
	slices.Sort(out)
	return slices.Clip(slices.Compact(out))
}

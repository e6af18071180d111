package match

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
)

// classifier is a multinomial logistic regression over the words of the
// phrasings, trained at build on the knowledge file's own phrasings, each
// labelled with its entry. It learns which words tell an entry from the
// entries it is confused with, and which speak against it ("virtual"
// against "my card is not working", since another entry is asked with
// it), which a match of words alone cannot: it reranks the candidates of
// a search (see rerank).
//
// Where the language has word vectors and the file is small enough, it
// also learns from what the words mean: each phrasing and question has,
// besides its words, the average of its words' vectors, so that what it
// learns of "lost" says something of "missing" too. And it learns from
// their spelling: their character n-grams, the matcher's grams, are
// features as well, so that it tells "withdraw" from "withdrawal" and
// reads a misspelt word by the letters it has right.
type classifier struct {
	entries int
	// w holds the weight of each feature for each entry, feature by
	// feature: w[f*entries+e]; b the bias of each entry. The features are
	// the terms, then, with vectors, one a dimension of meaning, then,
	// from firstGram on, one a character n-gram, when letters is above 0.
	w, b []float32
	// share is how much the classifier moves a candidate's score:
	// weights.classifier, less for a file asked few ways per entry.
	share float32
	// words is the language's word vectors, or nil when the classifier
	// has no features of meaning; vecs holds each
	// term's vector, scaled to unit length, nil for a term the table
	// lacks. Dimension k of meaning is feature firstMeaning+k, and the
	// features of meaning together are meaning long.
	words        *wordVectors
	vecs         [][]float32
	firstMeaning int32
	meaning      float32
	firstGram    int32
	letters      float32
	// opinionWeight is weights.opinion (see opinion).
	opinionWeight float64
}

const (
	// A classifier is trained when its training takes at most
	// maxClassifierWork phrasings times entries (about 0.5 s: 0.38-0.45 s for
	// 500 entries of 2,658 phrasings) and its weights, 4 bytes a term and
	// an entry, at most maxClassifierWeights (16 MB).
	maxClassifierWork    = 2 << 20
	maxClassifierWeights = 4 << 20
	// The features of meaning are added when the training takes at most
	// maxMeaningWork phrasings times entries times features of meaning
	// (about 0.3 s: 0.27-0.33 s for 140 entries of 1,090 phrasings). A
	// phrasing has a few word features, and as many of meaning as the
	// vectors have dimensions, 100 in English.
	maxMeaningWork = 16 << 20
	// The features of spelling are added when the phrasings' n-grams,
	// counted once a phrasing, times the entries are at most maxGramWork
	// (the same time again: some thirty n-grams a phrasing).
	maxGramWork = 16 << 20
	// classifierEpochs and classifierRate set the training: passes over
	// the phrasings, in an order shuffled with a fixed seed, and the step
	// of each update.
	classifierEpochs = 20
	classifierRate   = 0.5
)

// newClassifier trains a classifier on the phrasings of x, or returns nil
// when the file is too large (see maxClassifierWork) or asked too few ways
// per entry for one to help: with one phrasing an entry it only restates
// the match. A classifier trained before on the same examples is read from
// cache instead, when cache is not nil and holds it; one trained is put
// there.
func newClassifier(x *index, w weights, cache Cache) *classifier {
	n, nterms := len(x.entries), len(x.weight)
	perEntry := float64(x.askedN) / float64(max(n, 1))
	share := w.classifier * min(1, (perEntry-1)/(w.classifierFrom-1))
	if n < 2 || share <= 0 || len(x.phrEntry)*n > maxClassifierWork || nterms*n > maxClassifierWeights {
		return nil
	}
	c := &classifier{entries: n, b: make([]float32, n), share: float32(share), firstMeaning: int32(nterms), opinionWeight: w.opinion}
	nfeatures := nterms
	if lang := x.text.lang; lang.vectors != nil && w.meaning > 0 {
		if vt := lang.vectors(); vt.dims > 0 && len(x.phrEntry)*n*vt.dims <= maxMeaningWork && (nterms+vt.dims)*n <= maxClassifierWeights {
			c.words, c.vecs = vt, termVectors(x, vt)
			c.meaning = float32(w.meaning)
			nfeatures += vt.dims
		}
	}
	var phrGrams postings
	// The grams' postings hold each phrasing's n-grams once: their length
	// is the phrasings' n-grams counted once a phrasing.
	if w.letters > 0 && x.w.grams > 0 && x.grams.post.ids*n <= maxGramWork && (nfeatures+len(x.grams.weight))*n <= maxClassifierWeights {
		phrGrams = gramRows(&x.grams, len(x.phrEntry))
		c.firstGram, c.letters = int32(nfeatures), float32(w.letters)
		nfeatures += len(x.grams.weight)
	}
	c.w = make([]float32, nfeatures*n)
	// Each phrasing's features: its terms, at their weights, scaled to
	// unit length, its meaning and its spelling.
	examples := make([]example, len(x.phrEntry))
	var meaning []float32
	for p := range examples {
		terms := x.phrTerms.appendIDs(nil, p)
		vals := unitWeights(x, terms)
		if c.words != nil {
			meaning = c.zeroMeaning(meaning)
			for i, t := range terms {
				c.addTerm(t, vals[i], meaning)
			}
			terms, vals = c.appendMeaning(slices.Clip(terms), vals, meaning)
		}
		if c.letters > 0 {
			terms, vals = c.appendGrams(x, slices.Clip(terms), vals, phrGrams.row(p))
		}
		examples[p] = example{terms: terms, vals: vals, entry: x.phrEntry[p]}
	}
	var key string
	if cache != nil {
		key = trainingKey(n, nfeatures, examples)
		if c.readCache(cache, key) {
			return c
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	probs := make([]float32, n)
	for range classifierEpochs {
		rng.Shuffle(len(examples), func(i, j int) { examples[i], examples[j] = examples[j], examples[i] })
		for _, ex := range examples {
			c.probabilities(ex.terms, ex.vals, probs)
			probs[ex.entry]--
			for e, g := range probs { // the gradient of the log loss
				c.b[e] -= classifierRate * g
			}
			for i, t := range ex.terms {
				step := classifierRate * ex.vals[i]
				row := c.w[int(t)*n : int(t+1)*n]
				for e, g := range probs {
					row[e] -= step * g
				}
			}
		}
	}
	if cache != nil {
		cache.Put(key, c.encode(key))
	}
	return c
}

// example is a phrasing as the classifier learns from it: its features
// and their values, and its entry.
type example struct {
	terms []int32
	vals  []float32
	entry int32
}

// termVectors returns the vector of each term of x: the average of the
// vectors of its words (a stem's forms, such as "card" and "cards"),
// scaled to unit length, or nil where the table has none of them. The
// words are added in alphabetical order, not the vocabulary map's, so that
// every build of a file trains the same classifier. A CJK term has none:
// it is a pair of letters, not a word of the table (see cjkTerms).
func termVectors(x *index, vt *wordVectors) [][]float32 {
	vecs := make([][]float32, len(x.weight))
	for _, word := range slices.Sorted(maps.Keys(x.text.surface)) {
		t := x.text.surface[word]
		if int(t) >= len(vecs) || x.text.cjk[t] {
			continue
		}
		if vecs[t] == nil {
			vecs[t] = make([]float32, vt.dims)
		}
		vt.add(word, vecs[t])
	}
	for t, v := range vecs {
		if v != nil && !toUnit(v) {
			vecs[t] = nil
		}
	}
	return vecs
}

// zeroMeaning returns buf as a vector of meaning, all zeros.
func (c *classifier) zeroMeaning(buf []float32) []float32 {
	dims := c.words.dims
	buf = slices.Grow(buf[:0], dims)[:dims]
	clear(buf)
	return buf
}

// addTerm adds the vector of term t, at length v, to meaning.
func (c *classifier) addTerm(t int32, v float32, meaning []float32) {
	if int(t) >= len(c.vecs) || c.vecs[t] == nil {
		return
	}
	for k, x := range c.vecs[t] {
		meaning[k] += v * x
	}
}

// appendMeaning appends to terms and vals, a phrasing's or a question's
// features scaled to unit length, the features of meaning: the direction
// of meaning, the sum of its words' vectors, at length weights.meaning.
func (c *classifier) appendMeaning(terms []int32, vals, meaning []float32) ([]int32, []float32) {
	if !toUnit(meaning) {
		return terms, vals
	}
	for k, x := range meaning {
		terms, vals = append(terms, c.firstMeaning+int32(k)), append(vals, c.meaning*x)
	}
	return terms, vals
}

// gramRows returns the n-grams of each of the phrasings, from g's
// postings: counted a phrasing, then filled in.
func gramRows(g *grams, phrasings int) postings {
	each := func(yield func(p, id int32)) {
		for id := range g.weight {
			for p := range g.post.row(id) {
				yield(p, int32(id))
			}
		}
	}
	counts := make([]int32, phrasings+1)
	each(func(p, _ int32) { counts[p+1]++ })
	for p := range phrasings {
		counts[p+1] += counts[p]
	}
	rows := postings{start: counts, ids: make([]int32, counts[phrasings])}
	fill := slices.Clone(counts[:phrasings])
	each(func(p, id int32) {
		rows.ids[fill[p]] = id
		fill[p]++
	})
	return rows
}

// appendGrams appends to terms and vals the features of spelling of the
// n-grams grams: each at its weight, together of length c.letters.
func (c *classifier) appendGrams(x *index, terms []int32, vals []float32, grams []int32) ([]int32, []float32) {
	from := len(vals)
	for _, g := range grams {
		terms, vals = append(terms, c.firstGram+g), append(vals, x.grams.weight[g])
	}
	if !toUnit(vals[from:]) {
		return terms[:from], vals[:from]
	}
	for i := from; i < len(vals); i++ {
		vals[i] *= c.letters
	}
	return terms, vals
}

// classifierFactor is what alternative al of a question word counts for in
// the classifier's features: a correction counts as the word it corrects,
// since the classifier ranks and the typo discount is for the confidence
// (weights.typo), and a similar word at its factor, its similarity.
func classifierFactor(al alt) float32 {
	if al.similar {
		return al.factor
	}
	return 1
}

// unitWeights returns the weights of terms scaled to unit length.
func unitWeights(x *index, terms []int32) []float32 {
	vals := make([]float32, len(terms))
	for i, t := range terms {
		vals[i] = x.weight[t]
	}
	toUnit(vals)
	return vals
}

// toUnit scales vals to unit length, and reports false when they are all
// zero and stay so.
func toUnit(vals []float32) bool {
	var norm float64
	for _, v := range vals {
		norm += float64(v) * float64(v)
	}
	if norm == 0 {
		return false
	}
	scale := float32(1 / math.Sqrt(norm))
	for i := range vals {
		vals[i] *= scale
	}
	return true
}

// probabilities sets probs to the classifier's probability of each entry
// for the features terms, vals.
func (c *classifier) probabilities(terms []int32, vals []float32, probs []float32) {
	copy(probs, c.b)
	for i, t := range terms {
		v := vals[i]
		row := c.w[int(t)*c.entries : int(t+1)*c.entries]
		for e, w := range row {
			probs[e] += v * w
		}
	}
	top := slices.Max(probs)
	var sum float32
	for e, l := range probs {
		p := float32(math.Exp(float64(l - top)))
		probs[e] = p
		sum += p
	}
	for e := range probs {
		probs[e] /= sum
	}
}

// classifierFeatures sets s.qTerms and s.qVals to the classifier's
// features of the question analysed in s, its n-grams listed (see
// gramsOf), and reports false when it has none: its words and their
// corrections and similar words, each term at its weight times its
// classifierFactor, scaled to unit length, their meaning and their
// n-grams.
func (x *index) classifierFeatures(s *scratch) bool {
	c := x.classifier
	// Each term once, at the most any of its spellings gives it.
	s.qTerms, s.qVals = s.qTerms[:0], s.qVals[:0]
	for _, sl := range s.slots {
		for _, al := range s.alts[sl.lo:sl.hi] {
			v := x.weight[al.term] * classifierFactor(al)
			if i := slices.Index(s.qTerms, al.term); i >= 0 {
				s.qVals[i] = max(s.qVals[i], v)
				continue
			}
			s.qTerms, s.qVals = append(s.qTerms, al.term), append(s.qVals, v)
		}
	}
	if !toUnit(s.qVals) {
		return false
	}
	if c.words != nil {
		// The meaning of the question's own words: a word the file lacks
		// may still have a vector, at an unknown word's weight; one that
		// has none (a misspelling) means what its corrections and similar
		// words mean, at their weight in the question's features.
		s.meaning = c.zeroMeaning(s.meaning)
		for _, sl := range s.slots {
			if sl.meant != "" && c.words.addScaled(sl.meant, float32(sl.weight), s.meaning) {
				continue
			}
			for _, al := range s.alts[sl.lo:sl.hi] {
				c.addTerm(al.term, x.weight[al.term]*classifierFactor(al), s.meaning)
			}
		}
		s.qTerms, s.qVals = c.appendMeaning(s.qTerms, s.qVals, s.meaning)
	}
	if c.letters > 0 {
		// The question's n-grams that the file has; a misspelt word's
		// are those of its first correction (see gramsOf).
		s.qTerms, s.qVals = c.appendGrams(x, s.qTerms, s.qVals, s.gramIDs)
	}
	return true
}

// rerank moves each candidate in s.top by the classifier's share times
// how much less probable the classifier finds it than the candidate it
// finds most probable, relative to that one's probability (1 - p/most,
// so that a classifier unsure among many entries moves them as much as a
// sure one), and ranks them again: the candidate it prefers keeps its
// score, the others lose some, and those left with none drop out. The
// question's features are its classifierFeatures. It reports whether the
// classifier judged the question, which it cannot without features:
// s.probs then holds its probability of each entry, for opinion.
func (x *index) rerank(s *scratch) bool {
	c := x.classifier
	if c == nil || len(s.top) == 0 || !x.classifierFeatures(s) {
		return false
	}
	if len(s.probs) < c.entries {
		s.probs = make([]float32, c.entries)
	}
	probs := s.probs[:c.entries]
	c.probabilities(s.qTerms, s.qVals, probs)
	var most float32
	for _, t := range s.top {
		most = max(most, probs[t.entry])
	}
	if most == 0 {
		return false // the classifier finds them all too improbable to tell apart
	}
	kept := s.top[:0]
	for _, t := range s.top {
		// A candidate the classifier rules out drops out.
		if t.score -= float64(c.share * (1 - probs[t.entry]/most)); t.score > 0 {
			kept = append(kept, t)
		}
	}
	s.top = kept
	sortTop(s.top)
	return true
}

// The classifier's opinion of a search moves the confidence of every
// candidate by weights.opinion times min(p, opinionSure) - opinionEven,
// where p is the classifier's probability, among all entries, of the best
// candidate's entry: when it finds that entry likely, the candidates gain
// a little (0.0075); when improbable, as for a question on another topic
// asked in the file's words, they lose up to weights.opinion times
// opinionEven (0.0375). All move alike, so that their order and the gaps
// between them stay as the ranking left them.
const (
	opinionSure = 0.3
	opinionEven = 0.25
)

// opinion returns how much the classifier's opinion moves the confidence
// of the candidates when it finds the best of them probable p.
func (c *classifier) opinion(p float32) float64 {
	return c.opinionWeight * (min(float64(p), opinionSure) - opinionEven)
}

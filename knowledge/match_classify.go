package knowledge

import (
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
type classifier struct {
	entries int
	// w holds the weight of each term for each entry, term by term:
	// w[t*entries+e]; b the bias of each entry.
	w, b []float32
	// share is how much the classifier moves a candidate's score:
	// weights.classifier, less for a file asked few ways per entry.
	share float32
}

const (
	// A classifier is trained when its training takes at most
	// maxClassifierWork phrasings times entries (about 0.5 s: 0.38-0.45 s for
	// 500 entries of 2,658 phrasings) and its weights, 4 bytes a term and
	// an entry, at most maxClassifierWeights (16 MB).
	maxClassifierWork    = 2 << 20
	maxClassifierWeights = 4 << 20
	// classifierEpochs and classifierRate set the training: passes over
	// the phrasings, in an order shuffled with a fixed seed, and the step
	// of each update.
	classifierEpochs = 20
	classifierRate   = 0.5
)

// newClassifier trains a classifier on the phrasings of x, or returns nil
// when the file is too large (see maxClassifierWork) or asked too few ways
// per entry for one to help: with one phrasing an entry it only restates
// the match.
func newClassifier(x *index, w weights) *classifier {
	n, nterms := len(x.entries), len(x.weight)
	perEntry := float64(len(x.phrEntry)) / float64(max(n, 1))
	share := w.classifier * min(1, (perEntry-1)/(w.classifierFrom-1))
	if n < 2 || share <= 0 || len(x.phrEntry)*n > maxClassifierWork || nterms*n > maxClassifierWeights {
		return nil
	}
	c := &classifier{entries: n, w: make([]float32, nterms*n), b: make([]float32, n), share: float32(share)}
	// Each phrasing's features: its terms, at their weights, scaled to
	// unit length.
	type example struct {
		terms []int32
		vals  []float32
		entry int32
	}
	examples := make([]example, len(x.phrEntry))
	for p := range examples {
		terms := x.phrTerms.row(p)
		examples[p] = example{terms: terms, vals: unitWeights(x, terms), entry: x.phrEntry[p]}
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
	return c
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

// rerank moves each candidate in s.top by the classifier's share times
// how much less probable the classifier finds it than the candidate it
// finds most probable, and ranks them again: the candidate it prefers
// keeps its score, the others lose some, and those left with none drop
// out. The question's features are its words and their corrections and
// similar words, each term at its weight times its factor.
func (x *index) rerank(s *scratch) {
	c := x.classifier
	if c == nil || len(s.top) < 2 {
		return
	}
	// Each term once, at the most any of its spellings gives it.
	s.qTerms, s.qVals = s.qTerms[:0], s.qVals[:0]
	for _, sl := range s.slots {
		for _, al := range s.alts[sl.lo:sl.hi] {
			v := x.weight[al.term] * al.factor
			if i := slices.Index(s.qTerms, al.term); i >= 0 {
				s.qVals[i] = max(s.qVals[i], v)
				continue
			}
			s.qTerms, s.qVals = append(s.qTerms, al.term), append(s.qVals, v)
		}
	}
	if !toUnit(s.qVals) {
		return
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
	kept := s.top[:0]
	for _, t := range s.top {
		// A candidate the classifier rules out drops out.
		if t.score -= float64(c.share * (most - probs[t.entry])); t.score > 0 {
			kept = append(kept, t)
		}
	}
	s.top = kept
	slices.SortStableFunc(s.top, func(a, b scored) int {
		switch {
		case better(a, b):
			return -1
		case better(b, a):
			return 1
		}
		return 0
	})
}

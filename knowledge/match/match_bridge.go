package match

// bridge finds, for a question's word, the words of the knowledge file
// nearest it in meaning by the language's word vectors: "aerial" in a
// question finds "satellite" in an answer, "overseas" finds
// "international", though both are words the file has and neither is
// among the other's nearest words of the whole language. It holds the
// vectors of the file's content words only, so that a search compares a
// word with a few thousand vectors at most.
type bridge struct {
	dims int
	// weight is weights.bridge, less for a file that asks its entries
	// several ways (see newBridge).
	weight float64
	// vecs holds each term's vector, scaled to unit length, nil for a term
	// the table lacks; terms lists the content words that have one, and
	// flat their vectors one after the other, in that order.
	vecs  [][]float32
	terms []int32
	flat  []float32
}

// maxBridgeTerms is the most content words a file may have for its words
// to be bridged: past it, comparing a question's words with them all
// would cost a search more than the rest of it.
const maxBridgeTerms = 6000

// newBridge returns the bridge of x's vocabulary, or nil when its
// language has no word vectors, the file has more than maxBridgeTerms
// content words, or asks its entries weights.bridgeUntil ways each or
// more on average. A file that asks each entry many ways has the words of
// its questions in its phrasings already, and words of similar meaning
// blur the lines between its entries ("card" and "transfer" are near in
// meaning, not the same question): its words are bridged the less, the
// more phrasings it has an entry, from fully at one.
func newBridge(x *index) *bridge {
	lang := x.text.lang
	perEntry := float64(len(x.phrEntry)) / float64(max(len(x.entries), 1))
	weight := x.w.bridge * min(1, (x.w.bridgeUntil-perEntry)/(x.w.bridgeUntil-1))
	if lang.vectors == nil || weight <= 0 {
		return nil
	}
	content := 0
	for t := range x.weight {
		if !x.text.isStop(int32(t)) {
			content++
		}
	}
	if content > maxBridgeTerms {
		return nil
	}
	vt := lang.vectors()
	if vt.dims == 0 {
		return nil
	}
	br := &bridge{dims: vt.dims, weight: weight, vecs: termVectors(x, vt)}
	for t, v := range br.vecs {
		if v != nil && !x.text.isStop(int32(t)) {
			br.terms = append(br.terms, int32(t))
			br.flat = append(br.flat, v...)
		}
	}
	return br
}

// near calls yield with up to weights.bridgeNeighbours content words of
// the file nearest the unit vector q, each with its cosine similarity to
// q, those at weights.bridgeMin or more only, nearest first, leaving out
// the terms in skip.
func (br *bridge) near(q []float32, w weights, skip []int32, found []scored, yield func(t int32, sim float32)) []scored {
	found = found[:0]
	k := int(w.bridgeNeighbours)
	for i, t := range br.terms {
		v := br.flat[i*br.dims : (i+1)*br.dims]
		var dot float32
		for d, x := range v {
			dot += x * q[d]
		}
		if float64(dot) < w.bridgeMin || seen(skip, t) {
			continue
		}
		found = pushTop(found, k, scored{entry: t, score: float64(dot)})
	}
	for _, f := range found {
		yield(f.entry, float32(f.score))
	}
	return found
}

// addBridged adds to s.alts, as similar words, the file's words nearest in
// meaning to the question's word of vector q, whose own term, if it has
// one, weighs own: each at its similarity times weights.bridge times
// factor, and no more than own, so that a word stands in for a rarer one
// at the weight of its own. The word's terms so far are s.alts[lo:]; a
// term among them is not added again.
func (x *index) addBridged(q []float32, own float64, factor float32, lo int, s *scratch) {
	s.nearest = x.bridge.near(q, x.w, s.seq, s.nearest, func(t int32, sim float32) {
		for _, al := range s.alts[lo:] {
			if al.term == t {
				return
			}
		}
		f := float64(factor) * x.bridge.weight * float64(sim)
		if wt := float64(x.weight[t]); own > 0 && wt > own {
			f *= (own / wt) * (own / wt)
		}
		s.alts = append(s.alts, alt{term: t, factor: float32(f), similar: true})
	})
}

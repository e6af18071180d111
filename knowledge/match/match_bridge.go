package match

import "sync/atomic"

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
	// known holds, for each term, once a question has asked it, the
	// content words nearest it (see nearTerm): a file's words are asked
	// again and again, and their neighbours never change.
	known []atomic.Pointer[[]neighbour]
	// words does the same for the words of the language's dictionary
	// that the file lacks, by their number in table.
	words []atomic.Pointer[[]neighbour]
	table *wordVectors
}

// neighbour is a word of the file near another in meaning, with their
// cosine similarity.
type neighbour struct {
	term int32
	sim  float32
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
	perEntry := float64(x.askedN) / float64(max(len(x.entries), 1))
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
	br.known = make([]atomic.Pointer[[]neighbour], len(br.vecs))
	br.words = make([]atomic.Pointer[[]neighbour], len(vt.recs))
	br.table = vt
	for t, v := range br.vecs {
		if v != nil && !x.text.isStop(int32(t)) {
			br.terms = append(br.terms, int32(t))
			br.flat = append(br.flat, v...)
		}
	}
	return br
}

// near appends to found up to k content words of the file nearest the
// unit vector q, other than own, each with its cosine similarity to q,
// those at min or more only, nearest first.
func (br *bridge) near(q []float32, own int32, k int, min float64, found []neighbour) []neighbour {
	from := len(found)
	for i, t := range br.terms {
		v := br.flat[i*br.dims : (i+1)*br.dims]
		var dot float32
		for d, x := range v {
			dot += x * q[d]
		}
		if float64(dot) < min || t == own {
			continue
		}
		// Insert in order, keeping the k nearest.
		if len(found)-from == k {
			if dot <= found[len(found)-1].sim {
				continue
			}
			found = found[:len(found)-1]
		}
		found = append(found, neighbour{t, dot})
		for j := len(found) - 1; j > from && found[j].sim > found[j-1].sim; j-- {
			found[j], found[j-1] = found[j-1], found[j]
		}
	}
	return found
}

// nearWord returns the content words of the file nearest word, a word it
// lacks, from words once found; none for a word the dictionary lacks.
func (br *bridge) nearWord(word string, w weights) []neighbour {
	i, ok := br.table.find([]byte(word))
	if !ok {
		return nil
	}
	if p := br.words[i].Load(); p != nil {
		return *p
	}
	q := make([]float32, br.dims)
	var found []neighbour
	if br.table.add(word, q) {
		found = br.near(q, -1, int(w.bridgeNeighbours), w.bridgeMin, nil)
	}
	br.words[i].Store(&found)
	return found
}

// nearTerm returns the content words of the file nearest term t, from
// known once found.
func (br *bridge) nearTerm(t int32, w weights) []neighbour {
	if p := br.known[t].Load(); p != nil {
		return *p
	}
	found := br.near(br.vecs[t], t, int(w.bridgeNeighbours), w.bridgeMin, nil)
	br.known[t].Store(&found)
	return found
}

// addBridged adds to s.alts, as similar words, near, the file's words
// nearest in meaning to a question's word whose own term, if it has
// one, weighs own: each at its similarity times weights.bridge times
// factor, and no more than own, so that a word stands in for a rarer one
// at the weight of its own. The word's terms so far are s.alts[lo:]; a
// term among them is not added again.
func (x *index) addBridged(near []neighbour, own float64, factor float32, lo int, s *scratch) {
next:
	for _, n := range near {
		if seen(s.seq, n.term) {
			continue // a word of the question's own stands for no other
		}
		for _, al := range s.alts[lo:] {
			if al.term == n.term {
				continue next
			}
		}
		f := float64(factor) * x.bridge.weight * float64(n.sim)
		if wt := float64(x.weight[n.term]); own > 0 && wt > own {
			f *= (own / wt) * (own / wt)
		}
		s.alts = append(s.alts, alt{term: n.term, factor: float32(f), similar: true, sim: n.sim})
	}
}

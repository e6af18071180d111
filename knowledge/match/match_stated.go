package match

// In a small imported FAQ (one phrasing an entry, a few dozen entries at
// most), how much of the question the best entry states in its own words
// tells a paraphrase from a question on another thing better than the score
// does. Its heading and answer state a paraphrase's content words that are
// not the heading's ("wrong password" for "Why does verify() raise an
// exception?"), while a question on a thing the file does not cover states
// the product's name and little else. The score cannot see it: in a file of
// few entries every word is rare, so a word the question shares with the
// product's name weighs as much as one it shares with a single answer, and
// words of similar meaning, read for every question word the file lacks,
// find something in a small file by chance ("snow" for "date"). A file
// asked one way an entry has no classifier to give an opinion (see
// classifier.opinion): the stated share gives one, and, fading out as the
// phrasings reach two an entry, gives it beside the classifier's.

// statedScale returns how much the stated share moves the confidences in
// x: weights.stated in a file of one phrasing an entry, less the more
// phrasings it has (none from two an entry on), and less the more entries
// it has (none from weights.statedUntil on). A file of one entry is left
// alone: every question is about its one entry or none.
func (x *index) statedScale() float64 {
	n := float64(len(x.entries))
	if n < 2 || x.w.stated <= 0 {
		return 0
	}
	perEntry := float64(x.askedN) / n
	return x.w.stated * max(0, 2-perEntry) * max(0, 1-n/x.w.statedUntil)
}

// liftStated moves the confidences of cands, in the order of s.top, toward
// 1, or toward 0, by statedScale times how far the share of the question's
// content words' weight that the best entry states (see stated) lies
// above, or below, weights.statedFrom. Every candidate moves by that much
// of what it lacks of 1, up or down, so their order is kept.
func (x *index) liftStated(s *scratch, cands []Candidate) {
	k := x.statedScale()
	if k == 0 || len(cands) == 0 || len(s.top) == 0 {
		return
	}
	e := s.top[0].entry
	// A word most entries hold (the product's name) counts only beside
	// another that e states: "what is Tiler" and "Tiler pricing" state the
	// name and nothing else of e's.
	other := false
	for i := range s.slots {
		sl := &s.slots[i]
		alts := s.alts[sl.lo:sl.hi]
		if sl.content && !x.readsShared(alts) && x.stated(e, alts) > 0 {
			other = true
			break
		}
	}
	share := contentShare(s, func(sl *slot) float64 {
		alts := s.alts[sl.lo:sl.hi]
		if !other && x.readsShared(alts) {
			return 0
		}
		return x.stated(e, alts)
	})
	a := k * (share - x.w.statedFrom)
	for i := range cands {
		cands[i].Confidence = min(1, max(0, cands[i].Confidence+a*(1-cands[i].Confidence)))
	}
}

// stated is how much entry e states one of the terms of alts: the factor
// of the best of them that it holds (1 for the word itself, less for a
// correction or a short form), in a phrasing or its heading, or
// weights.statedAnswer of that in its answer alone, which has many more
// words to hold one by chance; words similar in meaning are left out. It
// is 0 when e holds none.
func (x *index) stated(e int32, alts []alt) float64 {
	best := 0.0
	for _, a := range alts {
		v := float64(a.factor)
		if a.similar || v <= best {
			continue
		}
		if x.phrasingsHold(e, a.term) {
			best = v
		} else if _, ok := x.ansPost.find(a.term, e); ok {
			best = max(best, v*x.w.statedAnswer)
		}
	}
	return best
}

// phrasingsHold reports whether a phrasing of entry e, or its heading,
// holds term t.
func (x *index) phrasingsHold(e, t int32) bool {
	for p := x.entPhr[e]; p < x.entPhr[e+1]; p++ {
		if x.phrTerms.has(int(p), t) {
			return true
		}
	}
	return false
}

// readsShared reports whether a question word, read as alts, is a word
// that more than half of the file's entries hold, in their phrasings or in
// their answers: the product's name, which tells no entry from another.
func (x *index) readsShared(alts []alt) bool {
	half := int32(len(x.entries) / 2)
	for _, a := range alts {
		if !a.similar && (x.poolPost.size(a.term) > half || x.ansPost.size(a.term) > half) {
			return true
		}
	}
	return false
}

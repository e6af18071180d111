package match

// minSplitLen is the length, in bytes, below which an unknown word is not
// read as two words written together; each of the two has two or more.
const minSplitLen = 4

// split reads w, a word the base lacks, as two words written together
// ("topup" for "top up", "carpark" for "car park", "wifi" for "wi-fi"):
// two words the base has, as written, side by side in one of its
// phrasings, which is what keeps "forgot" from reading as "for got". It
// returns their terms.
func (x *index) split(w string) (t, u int32, ok bool) {
	if len(w) < minSplitLen || len(x.pairIDs) == 0 {
		return 0, 0, false
	}
	for i := 2; i <= len(w)-2; i++ {
		t, okT := x.text.surface[w[:i]]
		if !okT {
			continue
		}
		u, okU := x.text.surface[w[i:]]
		if !okU {
			continue
		}
		if _, ok := x.pairIDs[pairKey(t, u)]; ok {
			return t, u, true
		}
	}
	return 0, 0, false
}

// joined reads two neighbouring words of a question that the base both
// lacks as the base's word they make written together ("wi fi" or "wi-fi"
// for "wifi", "top up" for "topup"), and returns its term. Only two unknown
// words of two letters or more are joined: "corona virus" stays an unknown
// word and "virus" where the base has "virus" but writes "coronavirus" in
// one entry alone, and "u s" (U.S.) is not "us".
func (x *index) joined(s *scratch, first, second string) (int32, bool) {
	if len(first) < 2 || len(second) < 2 {
		return 0, false
	}
	s.joinBuf = append(append(s.joinBuf[:0], first...), second...)
	t, ok := x.text.surface[string(s.joinBuf)]
	return t, ok
}

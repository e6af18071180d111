package match

// A question word can be foreign to both the knowledge file and its
// language: neither the file's, nor read as any of its words (no typo, no
// short form, nothing similar in meaning), nor a word of the language's
// dictionary, nor one of the names among its commonest words. Such a word
// is a name or a term of art the file never mentions ("GPUs", "FIFO",
// "PostgreSQL", "docstrings"): the question asks about a thing the file
// does not cover, however well its other words match one of its entries
// ("Does Spark support GPUs?" and "Which languages does Spark support?").
// A paraphrase says the file's things in other words of the language, which
// the dictionary has; chat's words of three letters or fewer ("lol") are
// left out.

// foreignFrom is the fewest letters a foreign word has.
const foreignFrom = 4

// misspeltFrom is the fewest letters of a word that is taken for a
// misspelling when it is one edit from a word of the dictionary: shorter
// words are one edit from several by chance ("gpus" from "cpus" and
// "opus", "fifo" from "fife").
const misspeltFrom = 6

// foreignScale returns how much a foreign question word lowers the
// confidences in x: weights.foreign in a file of one phrasing an entry,
// less the more phrasings it has, as its words are bridged (see
// newBridge), and none where they are not. The phrasings of a file asked
// many ways an entry name many things that its answers are for (the
// cities, banks and dishes of an intent set) and that no file lists; a
// large file is not searched for the words a foreign one could shorten.
// A language with no list of names has no foreign words.
func foreignScale(x *index) float64 {
	if x.bridge == nil || x.text.lang.names == nil || x.w.bridge <= 0 {
		return 0
	}
	return x.w.foreign * x.bridge.weight / x.w.bridge
}

// foreign reports whether w, a question word that the file lacks and that
// was read as none of its words, is foreign to the language too: not a
// word of its dictionary, nor, of misspeltFrom letters or more, one edit
// from one (a misspelling, "suport", or another form, "aborts"), nor one
// of its common names, nor a shortening of one of the file's words by
// leaving letters out ("csum" of "checksum", "ctrl" of "control").
func (x *index) foreign(w string, s *scratch) bool {
	lang := x.text.lang
	if x.foreignScale == 0 || len(w) < foreignFrom || !isLetters(w) {
		return false
	}
	dict := lang.vectors()
	if dict.has(w) || lang.names().has(w) {
		return false
	}
	if len(w) >= misspeltFrom {
		if s.spelt = dict.oneEditFrom(w, s.spelt[:0]); len(s.spelt) > 0 {
			return false
		}
	}
	for v := range x.text.surface {
		if len(v) > len(w) && v[0] == w[0] && holdsInOrder(v, w) {
			return false
		}
	}
	return true
}

// holdsInOrder reports whether v has the letters of w in w's order, with
// others between them or not.
func holdsInOrder(v, w string) bool {
	i := 0
	for j := 0; j < len(v) && i < len(w); j++ {
		if v[j] == w[i] {
			i++
		}
	}
	return i == len(w)
}

// lowerForeign lowers the confidence of each of cands by the share of the
// question's content weight in words foreign to the file and its language
// (see foreignShare), times foreignScale: a question about a thing the
// file never names is about none of its entries, whichever matches its
// other words.
func (x *index) lowerForeign(s *scratch, cands []Candidate) {
	if f := x.foreignScale * foreignShare(s); f > 0 {
		for i := range cands {
			cands[i].Confidence *= max(0, 1-f)
		}
	}
}

// foreignShare is the share of the question's content words' squared
// weight that its foreign words hold, in s.slots.
func foreignShare(s *scratch) float64 {
	return contentShare(s, func(sl *slot) float64 {
		if sl.foreign {
			return 1
		}
		return 0
	})
}

// contentShare is the share of the question's content words' squared
// weight in s.slots that part gives of each, from 0 to 1.
func contentShare(s *scratch, part func(sl *slot) float64) float64 {
	var all, some float64
	for i := range s.slots {
		sl := &s.slots[i]
		if !sl.content {
			continue
		}
		w2 := sl.weight * sl.weight
		all += w2
		some += w2 * part(sl)
	}
	if all == 0 {
		return 0
	}
	return some / all
}

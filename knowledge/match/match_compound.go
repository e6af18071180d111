package match

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// minSplitLen is the length, in bytes, below which an unknown word is not
// read as two words written together; each of the two has two or more.
const minSplitLen = 4

// split reads w, a word the base lacks, as two words written together
// ("topup" for "top up", "carpark" for "car park", "wifi" for "wi-fi"):
// two words the base has, as written, side by side in one of its
// phrasings, which is what keeps "forgot" from reading as "for got". It
// returns their terms.
func (x *index) split(w string) (t, u int32, ok bool) {
	if len(w) < minSplitLen || len(x.pairs.keys) == 0 {
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
		if _, ok := x.pairs.id(t, u); ok {
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

// Languages that write compounds as one word (German "Mailadresse",
// Dutch "wachtwoord", Swedish "lösenord") name a thing by its last part,
// the head: a "Mailadresse" is an "Adresse". In them, a question word
// matches the file's compounds that end with it, and a compound of the
// question the file's word that is its head, at weights.compound (see
// compoundHeads).

// Limits of the compounds read.
const (
	// minHead is the fewest letters of a head's stem: "adress" of
	// "mailadress", not "e" of "seite".
	minHead = 4
	// minModifier is the fewest letters before the head: "mail" of
	// "mailadress".
	minModifier = 3
	// maxCompounds is the most compounds of the file one head stands for.
	maxCompounds = 8
)

// compoundHeads finds compounds by their heads: the file's stems, each
// spelt backwards, sorted, so that the stems ending with a head are a run
// of them. It is built at the first question that needs it.
type compoundHeads struct {
	reversed []string
	terms    []int32
	// stems is each term's stem, spelt forwards.
	stems []string
}

// compoundHeads returns the file's compounds by head, built at the first
// call.
func (x *index) compoundHeads() *compoundHeads {
	x.lazy.headsOnce.Do(func() {
		h := &compoundHeads{reversed: make([]string, 0, len(x.text.ids)), stems: make([]string, x.text.terms())}
		byStem := make(map[string]int32, len(x.text.ids))
		for stem, t := range x.text.ids {
			h.stems[t] = stem
			if !x.text.isStop(t) && !x.text.groups[t] {
				r := reverse(stem)
				h.reversed = append(h.reversed, r)
				byStem[r] = t
			}
		}
		slices.Sort(h.reversed)
		h.terms = make([]int32, len(h.reversed))
		for i, r := range h.reversed {
			h.terms[i] = byStem[r]
		}
		x.lazy.heads = h
	})
	return x.lazy.heads
}

// compounds calls found with the terms of the file's compounds whose head
// is the stem head, unless there are more than maxCompounds of them.
func (h *compoundHeads) compounds(head string, found func(t int32)) {
	if utf8.RuneCountInString(head) < minHead {
		return
	}
	r := reverse(head)
	i, _ := slices.BinarySearch(h.reversed, r)
	j := i
	for ; j < len(h.reversed) && strings.HasPrefix(h.reversed[j], r); j++ {
	}
	if j-i > maxCompounds {
		return
	}
	for ; i < j; i++ {
		if utf8.RuneCountInString(h.reversed[i])-utf8.RuneCountInString(r) >= minModifier {
			found(h.terms[i])
		}
	}
}

// head returns the term of the file's longest stem that the stem
// compound ends with, past a modifier of minModifier letters or more.
func (h *compoundHeads) head(compound string) (int32, bool) {
	r := []rune(reverse(compound))
	for n := len(r) - minModifier; n >= minHead; n-- {
		if i, ok := slices.BinarySearch(h.reversed, string(r[:n])); ok {
			return h.terms[i], true
		}
	}
	return 0, false
}

// reverse returns s spelt backwards.
func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

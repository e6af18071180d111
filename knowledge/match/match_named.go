package match

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A question names what it is about in the way it writes a word: an
// acronym ("CQS", "PDFs"), a word in camel case ("CubeCraft"), or one
// capitalised in the middle of a sentence ("Education Edition"). An entry
// that answers it holds that name, or a reading of it, in its phrasings,
// heading or answer. When the best entry holds every other content word of
// the question but not its names, the question asks about another thing
// of the entry's kind: each candidate's confidence loses the share of the
// question's weight in the names it lacks. Casual chat in lower case says
// nothing this way, and a question in title case or in capitals says
// nothing by them.

// namedWords appends to dst the parts of question that it writes as
// names: acronyms, camel case, and words capitalised other than at a
// sentence's start, unless it writes no word in small letters.
// It allocates nothing but dst's growth: it runs on every question.
func namedWords(question string, dst []string) []string {
	small := false // whether a word starts with a small letter
	for f := range strings.FieldsSeq(question) {
		if r, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(f, notLetterOrDigit)); unicode.IsLower(r) {
			small = true
			break
		}
	}
	if !small {
		// Title case or capitals throughout: the capitals say nothing.
		return dst
	}
	start := true // whether the next word starts a sentence
	for f := range strings.FieldsSeq(question) {
		word := strings.TrimFunc(f, notLetterOrDigit)
		first := true // whether part is the word's first
		for part := range strings.FieldsFuncSeq(word, isNamePartSeparator) {
			part = strings.TrimFunc(part, notLetterOrDigit)
			atStart := start && first
			first = false
			if part == "" {
				continue
			}
			switch writtenAs(part) {
			case nameAcronym, nameCamel:
				dst = append(dst, part)
			case nameCapital:
				if !atStart && !isPronounI(part) {
					dst = append(dst, part)
				}
			}
		}
		if word != "" {
			start = false
		}
		if last, _ := utf8.DecodeLastRuneInString(f); last == '.' || last == '?' || last == '!' || last == ':' {
			start = true
		}
	}
	return dst
}

// isNamePartSeparator reports whether r parts the names written as one
// word ("ITAR-controlled", "Windows/Linux").
func isNamePartSeparator(r rune) bool { return r == '-' || r == '/' }

// notLetterOrDigit reports whether r is neither a letter nor a digit.
func notLetterOrDigit(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// isPronounI reports whether w is the pronoun I, alone or contracted
// ("I'm", "I'll").
func isPronounI(w string) bool {
	return w == "I" || strings.HasPrefix(w, "I'") || strings.HasPrefix(w, "I’")
}

// The ways a word is written that name a thing.
const (
	nameNone = iota
	nameAcronym
	nameCamel
	nameCapital
)

// writtenAs tells how w is written: an acronym has two capitals or more
// and no small letters but a plural's s; camel case has a capital after a
// small letter; a capitalised word has its first letter alone capital.
func writtenAs(w string) int {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "’s"), "'s")
	var upper, lower int
	camel, prevLower := false, false
	for _, r := range w {
		switch {
		case unicode.IsUpper(r):
			upper++
			camel = camel || prevLower
			prevLower = false
		case unicode.IsLower(r):
			lower++
			prevLower = true
		default:
			prevLower = false
		}
	}
	first, _ := utf8.DecodeRuneInString(w)
	switch {
	case upper >= 2 && (lower == 0 || lower == 1 && strings.HasSuffix(w, "s")):
		return nameAcronym
	case camel:
		return nameCamel
	case upper == 1 && unicode.IsUpper(first) && lower > 0:
		return nameCapital
	}
	return nameNone
}

// markNamed sets the named flag of the slots in s that read the words
// question writes as names (see namedWords).
func (x *index) markNamed(question string, s *scratch) {
	s.named = namedWords(question, s.named[:0])
	for _, n := range s.named {
		s.buf = x.text.words(n, s.buf, func(w string) {
			t := x.text.lookup(w)
			if t < 0 {
				if _, u := x.text.singular(w); u >= 0 {
					t = u
				}
			}
			for i := range s.slots {
				sl := &s.slots[i]
				if !sl.content {
					continue
				}
				if t >= 0 && sl.hi > sl.lo && s.alts[sl.lo].term == t || t < 0 && sl.word == w {
					sl.named, sl.name = true, w
				}
			}
		})
	}
}

// lowerUnnamed lowers the confidence of each of cands, the candidates of
// s.top in order, by the share of the question's content weight in the
// names it writes that the candidate lacks (see namedMissing), times
// weights.named and foreignScale, and sorts them again by confidence; it
// does so only when the best candidate holds all the question's other
// content words (see coveredBesidesNames). A candidate that never names
// what the question names is about another thing of its kind.
func (x *index) lowerUnnamed(s *scratch, cands []Candidate) {
	if x.w.named <= 0 || len(s.top) == 0 || !x.coveredBesidesNames(s, s.top[0].entry) {
		return
	}
	for i := range cands {
		if f := x.w.named * x.foreignScale * x.namedMissing(s, s.top[i].entry); f > 0 {
			cands[i].Confidence *= max(0, 1-f)
		}
	}
	slices.SortStableFunc(cands, func(a, b Candidate) int { return cmp.Compare(b.Confidence, a.Confidence) })
}

// namedMissing is the share of the question's content words' squared
// weight in s.slots that its named words hold and entry e lacks, each at
// 1 less how much e holds it (see held).
func (x *index) namedMissing(s *scratch, e int32) float64 {
	return contentShare(s, func(sl *slot) float64 {
		if !sl.named {
			return 0
		}
		held := x.held(e, s.alts[sl.lo:sl.hi])
		if held < 1 && x.shortens(e, sl.name, s) {
			return 0
		}
		return 1 - held
	})
}

// shortens reports whether name, as the question writes it and read as
// no word of entry e, shortens words of e's question, alternates or
// answer: the initials of a run of them ("PRs" of "pull request", a
// plural's s left out) or letters of one, in order and from its first
// ("csum" of "checksum").
func (x *index) shortens(e int32, name string, s *scratch) bool {
	if len(name) < 2 || !isLetters(name) {
		return false
	}
	one := strings.TrimSuffix(name, "s")
	en := x.entries[e]
	found := false
	look := func(text string) {
		run := 0 // how many of one's letters the last words' initials spell
		s.buf = x.text.words(text, s.buf, func(w string) {
			if found || w == "" {
				return
			}
			if len(w) > len(name) && w[0] == name[0] && holdsInOrder(w, name) {
				found = true
			}
			switch {
			case len(one) < 2:
			case w[0] == one[run]:
				run++
			case w[0] == one[0]:
				run = 1
			default:
				run = 0
			}
			if run == len(one) {
				found = true
			}
		})
	}
	look(en.Question)
	for _, a := range en.Alternates {
		look(a)
	}
	look(en.Answer)
	return found
}

// coveredBesidesNames reports whether entry e holds each of the question's
// content words that are not names itself, or in another form or
// spelling. A question in the entry's words but for a name asks about
// another thing of the entry's kind; one that an entry answers in words of
// its own has no such evidence against it.
func (x *index) coveredBesidesNames(s *scratch, e int32) bool {
	named := false
	for _, sl := range s.slots {
		switch {
		case !sl.content:
		case sl.named:
			named = true
		case x.held(e, s.alts[sl.lo:sl.hi]) < 1:
			return false
		}
	}
	return named
}

// held is how much entry e has one of the terms of alts in a phrasing,
// its heading or its answer: 1 for the word itself or another form or
// spelling of it, a word similar in meaning at its similarity, since the
// names of two things of one kind are near in meaning ("cloud" and
// "server"); 0 when it has none.
func (x *index) held(e int32, alts []alt) float64 {
	best := 0.0
	for _, a := range alts {
		v := 1.0
		if a.similar {
			v = float64(a.sim)
		}
		if v <= best {
			continue
		}
		if _, ok := x.ansPost.find(a.term, e); ok || x.phrasingsHold(e, a.term) {
			best = v
		}
	}
	return best
}

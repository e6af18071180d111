package match

import (
	"iter"
	"slices"
)

// An answer that says two of the question's words together ("an Iranian
// university may set up an organization account" for "can an iranian uni
// make an org account") is likelier the one meant than one that says them
// apart, or one whose question holds them. The index keeps, for each
// answer, its pairs of content words near each other (see
// maxAnswerPairGap), and a search lifts each candidate by the share of the
// question's pairs of neighbouring content words that its answer holds.

// maxAnswerPairGap is the most content words between two of an answer's
// that make a pair: "ties to a sanctioned territory or country" pairs
// "sanctioned" with "country".
const maxAnswerPairGap = 1

// maxAnswerPairs is the most pairs the answers of a file may have for the
// index to keep them: eight bytes each, a large file would spend most of
// its memory on them.
const maxAnswerPairs = 1 << 20

// answerPairs holds each entry's answer pairs, sorted: entry e's are
// keys[start[e]:start[e+1]], each the pairKey of its two terms, the
// lower first.
type answerPairs struct {
	start []int32
	keys  []uint64
}

// newAnswerPairs returns the pairs of the answers whose terms, in order,
// are rows' rows, of the terms content says are content words, the
// question's words that make pairs (see liftAnswerPairs); none when they
// may be more than maxAnswerPairs.
func newAnswerPairs(rows *answerTerms, content func(t int32) bool) *answerPairs {
	most := 0
	var words []int32
	for e := range rows.rows() {
		words = rows.appendIDs(words[:0], e)
		for _, t := range words {
			if content(t) {
				most += 1 + maxAnswerPairGap
			}
		}
	}
	if most > maxAnswerPairs {
		return nil
	}
	p := &answerPairs{start: make([]int32, 1, rows.rows()+1), keys: make([]uint64, 0, most)}
	for e := range rows.rows() {
		words = rows.appendIDs(words[:0], e)
		words = slices.DeleteFunc(words, func(t int32) bool { return !content(t) })
		from := len(p.keys)
		for i, t := range words {
			for _, u := range words[i+1 : min(len(words), i+2+maxAnswerPairGap)] {
				if t != u {
					p.keys = append(p.keys, unorderedPair(t, u))
				}
			}
		}
		slices.Sort(p.keys[from:])
		p.keys = append(p.keys[:from], slices.Compact(p.keys[from:])...)
		p.start = append(p.start, int32(len(p.keys)))
	}
	p.keys = shrink(p.keys)
	return p
}

// unorderedPair is the pairKey of terms t and u, the lower first.
func unorderedPair(t, u int32) uint64 {
	return pairKey(min(t, u), max(t, u))
}

// has reports whether entry e's answer pairs terms t and u.
func (p *answerPairs) has(e, t, u int32) bool {
	_, ok := slices.BinarySearch(p.keys[p.start[e]:p.start[e+1]], unorderedPair(t, u))
	return ok
}

// liftAnswerPairs adds to each candidate's score weights.answerPairs
// times the share of the question's pairs of neighbouring content words
// that its answer holds, each pair weighing the product of its words'
// weights, and a word that stands for another counting at its factor;
// then it ranks the candidates again. Like the answer words that the
// phrasings lack, it ranks entries only (see keepScale).
func (x *index) liftAnswerPairs(s *scratch) {
	if x.ansPairs == nil || x.w.answerPairs == 0 || len(s.top) < 2 {
		return
	}
	total := 0.0
	for a, b := range neighbourWords(s.slots) {
		total += a.weight * b.weight
	}
	if total == 0 {
		return
	}
	for i := range s.top {
		e := s.top[i].entry
		held := 0.0
		for a, b := range neighbourWords(s.slots) {
			var best float32
			for _, u := range s.alts[a.lo:a.hi] {
				for _, v := range s.alts[b.lo:b.hi] {
					if u.factor*v.factor > best && x.ansPairs.has(e, u.term, v.term) {
						best = u.factor * v.factor
					}
				}
			}
			held += float64(best) * a.weight * b.weight
		}
		s.top[i].score += x.w.answerPairs * held / total
	}
	sortTop(s.top)
}

// neighbourWords yields each pair of the question's neighbouring content
// words in slots that read as terms of the file, in order: the pairs
// liftAnswerPairs looks for in answers.
func neighbourWords(slots []slot) iter.Seq2[*slot, *slot] {
	return func(yield func(a, b *slot) bool) {
		var prev *slot
		for i := range slots {
			sl := &slots[i]
			if !sl.content || sl.hi == sl.lo {
				continue
			}
			if prev != nil && !yield(prev, sl) {
				return
			}
			prev = sl
		}
	}
}

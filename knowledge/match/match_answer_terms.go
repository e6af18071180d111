package match

import "slices"

// answerTerms are the answers' terms in order while an index is built, a
// row an entry: in two bytes each while every term is below 1<<16, as in
// any file of fewer terms than that, and in four from the first that is
// not. Row i is narrow[start[i]:start[i+1]], or wide's.
type answerTerms struct {
	start  []int32
	narrow []uint16
	wide   []int32
}

// newAnswerTerms returns empty rows that will hold about size terms.
func newAnswerTerms(rows, size int) answerTerms {
	return answerTerms{start: make([]int32, 1, rows+1), narrow: make([]uint16, 0, size)}
}

// rows returns the number of rows.
func (r *answerTerms) rows() int { return len(r.start) - 1 }

// add adds a row holding terms.
func (r *answerTerms) add(terms []int32) {
	if r.wide == nil && slices.ContainsFunc(terms, func(t int32) bool { return t >= 1<<16 }) {
		r.wide = make([]int32, len(r.narrow), cap(r.narrow)+len(terms))
		for i, t := range r.narrow {
			r.wide[i] = int32(t)
		}
		r.narrow = nil
	}
	if r.wide != nil {
		r.wide = append(r.wide, terms...)
		r.start = append(r.start, int32(len(r.wide)))
		return
	}
	for _, t := range terms {
		r.narrow = append(r.narrow, uint16(t))
	}
	r.start = append(r.start, int32(len(r.narrow)))
}

// appendIDs appends the terms of row i to dst and returns it.
func (r *answerTerms) appendIDs(dst []int32, i int) []int32 {
	lo, hi := r.start[i], r.start[i+1]
	if r.wide != nil {
		return append(dst, r.wide[lo:hi]...)
	}
	for _, t := range r.narrow[lo:hi] {
		dst = append(dst, int32(t))
	}
	return dst
}

// sortRows sorts each row's terms.
func (r *answerTerms) sortRows() {
	for i := range r.rows() {
		lo, hi := r.start[i], r.start[i+1]
		if r.wide != nil {
			slices.Sort(r.wide[lo:hi])
		} else {
			slices.Sort(r.narrow[lo:hi])
		}
	}
}

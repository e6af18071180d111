package match

import (
	"iter"
	"math/bits"
	"slices"
)

// packedRows is a list of rows of ascending ids, each id stored as its gap
// from the one before it in the row, in a varint of seven bits a byte: the
// id minus the one before, minus one, the first id as it is. Ids close
// together, such as the phrasings of a common n-gram or the sorted terms
// of a phrasing, take a byte each instead of the four of postings or the
// two of shortPostings. Row i is data[start[i]:start[i+1]].
type packedRows struct {
	start []int32
	data  []byte
}

// newPackedRows returns an empty list of rows that will hold about size
// bytes.
func newPackedRows(rows, size int) packedRows {
	return packedRows{start: make([]int32, 1, rows+1), data: make([]byte, 0, size)}
}

// rows returns the number of rows.
func (r *packedRows) rows() int { return len(r.start) - 1 }

// bytes returns row i as stored, to be read with nextID; none for a row r
// does not have.
func (r *packedRows) bytes(i int) []byte {
	if i+1 >= len(r.start) {
		return nil
	}
	return r.data[r.start[i]:r.start[i+1]]
}

// nextID reads the id after prev from b at j, and returns it and where the
// one after it starts.
func nextID(b []byte, j int, prev int32) (int32, int) {
	c := b[j]
	gap := uint32(c & 0x7f)
	for shift := 7; c >= 0x80; shift += 7 {
		j++
		c = b[j]
		gap |= uint32(c&0x7f) << shift
	}
	return prev + int32(gap) + 1, j + 1
}

// row returns row i's ids in order.
func (r *packedRows) row(i int) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		b := r.bytes(i)
		id := int32(-1)
		for j := 0; j < len(b); {
			id, j = nextID(b, j, id)
			if !yield(id) {
				return
			}
		}
	}
}

// appendIDs appends row i's ids to dst and returns it.
func (r *packedRows) appendIDs(dst []int32, i int) []int32 {
	b := r.bytes(i)
	id := int32(-1)
	for j := 0; j < len(b); {
		id, j = nextID(b, j, id)
		dst = append(dst, id)
	}
	return dst
}

// has reports whether row i holds id.
func (r *packedRows) has(i int, id int32) bool {
	for t := range r.row(i) {
		if t >= id {
			return t == id
		}
	}
	return false
}

// add adds a row holding ids, which must be ascending.
func (r *packedRows) add(ids []int32) {
	prev := int32(-1)
	for _, id := range ids {
		r.data = appendGap(r.data, uint32(id-prev-1))
		prev = id
	}
	r.start = append(r.start, int32(len(r.data)))
}

// gapLen returns the number of bytes gap takes.
func gapLen(gap uint32) int32 { return int32(bits.Len32(gap|1)+6) / 7 }

// appendGap appends gap to b as a varint.
func appendGap(b []byte, gap uint32) []byte {
	for ; gap >= 0x80; gap >>= 7 {
		b = append(b, byte(gap)|0x80)
	}
	return append(b, byte(gap))
}

// putGap writes gap to b at i as a varint, and returns where it ends.
func putGap(b []byte, i int32, gap uint32) int32 {
	for ; gap >= 0x80; gap >>= 7 {
		b[i] = byte(gap) | 0x80
		i++
	}
	b[i] = byte(gap)
	return i + 1
}

// packedPostings maps each of a set of terms to the ids that hold it, as
// packedRows, a row a term, and keeps each term's number of ids. It is
// built as shortPostings is, in two passes over the same ids in the same
// order, ascending for each term: count each, allocate, then add each.
type packedPostings struct {
	packedRows
	sizes []int32
	// ids is the number of ids of all the terms.
	ids int
	// last and fill are, while it is built, each term's id added last and
	// where its next goes.
	last, fill []int32
}

// newPackedPostings returns empty postings for terms 0..terms-1.
func newPackedPostings(terms int) packedPostings {
	p := packedPostings{
		packedRows: packedRows{start: make([]int32, terms+1)},
		sizes:      make([]int32, terms),
		last:       make([]int32, terms),
	}
	for t := range p.last {
		p.last[t] = -1
	}
	return p
}

// count counts id among term t's, in the first pass.
func (p *packedPostings) count(t, id int32) {
	p.start[t+1] += gapLen(uint32(id - p.last[t] - 1))
	p.last[t] = id
	p.sizes[t]++
	p.ids++
}

// allocate makes room for the ids counted, between the passes.
func (p *packedPostings) allocate() {
	for i := 1; i < len(p.start); i++ {
		p.start[i] += p.start[i-1]
	}
	p.data = make([]byte, p.start[len(p.start)-1])
	p.fill = slices.Clone(p.start[:len(p.start)-1])
	for t := range p.last {
		p.last[t] = -1
	}
}

// add adds id to term t's, in the second pass.
func (p *packedPostings) add(t, id int32) {
	p.fill[t] = putGap(p.data, p.fill[t], uint32(id-p.last[t]-1))
	p.last[t] = id
}

// done ends the second pass.
func (p *packedPostings) done() { p.last, p.fill = nil, nil }

// size returns the number of term t's ids, 0 for a term it does not have.
func (p *packedPostings) size(t int32) int32 {
	if int(t) >= len(p.sizes) {
		return 0
	}
	return p.sizes[t]
}

package match

import (
	"bytes"
	"encoding/binary"
	"iter"
	"math/bits"
	"slices"
	"unsafe"
)

// packedRows is a list of rows of ascending ids, stored as runs of
// consecutive ids in varints of seven bits a byte. A run is its first id's
// gap from the id before it in the row (the id minus that one, minus one;
// the first id of a row as it is) shifted left a bit, the low bit set when
// the run has more than one id, and then, for such a run, its number of
// ids less two. Ids close together, such as the phrasings of a common
// n-gram or the sorted terms of a phrasing, take a byte each or less,
// instead of the four of postings or the two of shortPostings; the
// phrasings of an entry, numbered together, often make runs. Row i is
// data[start[i]:start[i+1]], once the rows are added (see done).
type packedRows struct {
	start []int32
	data  []byte
	// While rows are added: the bytes of those before data's, in arrays
	// of chunk bytes or so, and their number.
	full      [][]byte
	fullBytes int
	chunk     int
}

// newPackedRows returns an empty list of rows that will hold about size
// bytes.
func newPackedRows(rows, size int) packedRows {
	return packedRows{start: make([]int32, 1, rows+1), data: make([]byte, 0, size)}
}

// reserve makes room in data for need bytes more. Rows past the size
// reserved go to arrays of an eighth of it, not to an array grown again
// and again, each copy and the one before held at once: the index of a
// large file is built while the one it replaces serves, beside it.
func (r *packedRows) reserve(need int) {
	if len(r.data)+need <= cap(r.data) {
		return
	}
	if r.chunk == 0 {
		r.chunk = max(4<<10, cap(r.data)/8)
	}
	if len(r.data) > 0 {
		r.full = append(r.full, r.data)
		r.fullBytes += len(r.data)
	}
	r.data = make([]byte, 0, max(need, r.chunk))
}

// done ends the adding of rows: their bytes are joined in one array of
// their size.
func (r *packedRows) done() {
	if r.full == nil {
		r.data = shrink(r.data)
		return
	}
	data := make([]byte, 0, r.fullBytes+len(r.data))
	for _, b := range r.full {
		data = append(data, b...)
	}
	r.data = append(data, r.data...)
	r.full, r.fullBytes, r.chunk = nil, 0, 0
}

// rows returns the number of rows.
func (r *packedRows) rows() int { return len(r.start) - 1 }

// bytes returns row i as stored, to be read with nextRun; none for a row
// r does not have.
func (r *packedRows) bytes(i int) []byte {
	if i+1 >= len(r.start) {
		return nil
	}
	return r.data[r.start[i]:r.start[i+1]]
}

// readVarint reads the varint in b at j, and returns it and where the
// next starts.
func readVarint(b []byte, j int) (uint32, int) {
	c := b[j]
	v := uint32(c & 0x7f)
	for shift := 7; c >= 0x80; shift += 7 {
		j++
		c = b[j]
		v |= uint32(c&0x7f) << shift
	}
	return v, j + 1
}

// nextRun reads the run after the id last from b at j, and returns its
// ids, first to last, and where the next run starts.
func nextRun(b []byte, j int, last int32) (first, end int32, next int) {
	v, j := readVarint(b, j)
	first = last + int32(v>>1) + 1
	if v&1 == 0 {
		return first, first, j
	}
	n, j := readVarint(b, j)
	return first, first + int32(n) + 1, j
}

// row returns row i's ids in order.
func (r *packedRows) row(i int) iter.Seq[int32] { return runIDs(r.bytes(i)) }

// runIDs returns the ids of the row stored as b, in order.
func runIDs(b []byte) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		last := int32(-1)
		for j := 0; j < len(b); {
			var first int32
			first, last, j = nextRun(b, j, last)
			for id := first; ; id++ {
				if !yield(id) {
					return
				}
				if id == last {
					break // not id <= last, lest the last id be the largest int32
				}
			}
		}
	}
}

// appendIDs appends row i's ids to dst and returns it.
func (r *packedRows) appendIDs(dst []int32, i int) []int32 {
	b := r.bytes(i)
	last := int32(-1)
	for j := 0; j < len(b); {
		var first int32
		first, last, j = nextRun(b, j, last)
		for id := first; ; id++ {
			dst = append(dst, id)
			if id == last {
				break
			}
		}
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

// add adds a row holding ids, which must be ascending; done ends the
// adding.
func (r *packedRows) add(ids []int32) {
	r.reserve(len(ids) * 2 * binary.MaxVarintLen32) // runs of one id, of the largest gaps
	last := int32(-1)
	for k := 0; k < len(ids); {
		j := k + 1
		for j < len(ids) && ids[j] == ids[j-1]+1 {
			j++
		}
		r.data = appendRun(r.data, ids[k]-last-1, int32(j-k))
		last = ids[j-1]
		k = j
	}
	r.start = append(r.start, int32(r.fullBytes+len(r.data)))
}

// runHead is the first varint of a run of n ids after a gap.
func runHead(gap, n int32) uint32 {
	if n > 1 {
		return uint32(gap)<<1 | 1
	}
	return uint32(gap) << 1
}

// varintLen returns the number of bytes v takes as a varint.
func varintLen(v uint32) int32 { return int32(bits.Len32(v|1)+6) / 7 }

// runLen returns the number of bytes a run of n ids after a gap takes.
func runLen(gap, n int32) int32 {
	l := varintLen(runHead(gap, n))
	if n > 1 {
		l += varintLen(uint32(n - 2))
	}
	return l
}

// appendVarint appends v to b as a varint.
func appendVarint(b []byte, v uint32) []byte {
	for ; v >= 0x80; v >>= 7 {
		b = append(b, byte(v)|0x80)
	}
	return append(b, byte(v))
}

// appendRun appends a run of n ids after a gap to b.
func appendRun(b []byte, gap, n int32) []byte {
	b = appendVarint(b, runHead(gap, n))
	if n > 1 {
		b = appendVarint(b, uint32(n-2))
	}
	return b
}

// putVarint writes v to b at i as a varint, and returns where it ends.
func putVarint(b []byte, i int32, v uint32) int32 {
	for ; v >= 0x80; v >>= 7 {
		b[i] = byte(v) | 0x80
		i++
	}
	b[i] = byte(v)
	return i + 1
}

// packedPostings maps each of a set of terms to the ids that hold it, as
// packedRows, a row a term, and keeps each term's number of ids. It is
// built as shortPostings is, in two passes over the same ids in the same
// order, ascending for each term: count each, allocate, then add each, and
// done. Built beside the postings of the index it replaces, it may then
// share their rows (see share).
type packedPostings struct {
	flat packedRows
	// shared holds the rows in place of flat, once they are shared.
	shared *sharedRows
	sizes  []int32
	// ids is the number of ids of all the terms.
	ids int
	// While it is built: each term's run being added, ids first to last
	// (none while last < first), the last id of the run before it, and
	// where its next run goes.
	first, last, before, fill []int32
}

// sharedRows are rows of packedPostings stored as parts of arrays that
// other postings may hold too: row i is rows[i], a part of arrays[of[i]]
// (of no array when it is empty).
type sharedRows struct {
	rows   [][]byte
	arrays [][]byte
	of     []uint8
}

// newPackedPostings returns empty postings for terms 0..terms-1.
func newPackedPostings(terms int) packedPostings {
	p := packedPostings{
		flat:  packedRows{start: make([]int32, terms+1)},
		sizes: make([]int32, terms),
	}
	p.restart()
	return p
}

// restart empties the runs being added, for a pass.
func (p *packedPostings) restart() {
	terms := len(p.sizes)
	p.first, p.last, p.before = make([]int32, terms), make([]int32, terms), make([]int32, terms)
	for t := range terms {
		p.last[t], p.before[t] = -1, -1
	}
}

// extends adds id to term t's run being added if it is the run's next
// id, and reports whether it was.
func (p *packedPostings) extends(t, id int32) bool {
	if p.last[t] >= p.first[t] && id == p.last[t]+1 {
		p.last[t] = id
		return true
	}
	return false
}

// runOf returns term t's run being added: its gap and number of ids, or
// none.
func (p *packedPostings) runOf(t int32) (gap, n int32) {
	return p.first[t] - p.before[t] - 1, p.last[t] - p.first[t] + 1
}

// startRun ends term t's run being added and starts one of id.
func (p *packedPostings) startRun(t, id int32) {
	if p.last[t] >= p.first[t] {
		p.before[t] = p.last[t]
	}
	p.first[t], p.last[t] = id, id
}

// count counts id among term t's, in the first pass.
func (p *packedPostings) count(t, id int32) {
	p.sizes[t]++
	p.ids++
	if p.extends(t, id) {
		return
	}
	if gap, n := p.runOf(t); n > 0 {
		p.flat.start[t+1] += runLen(gap, n)
	}
	p.startRun(t, id)
}

// allocate makes room for the ids counted, between the passes.
func (p *packedPostings) allocate() {
	for t := range int32(len(p.sizes)) {
		if gap, n := p.runOf(t); n > 0 {
			p.flat.start[t+1] += runLen(gap, n)
		}
	}
	start := p.flat.start
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	p.flat.data = make([]byte, start[len(start)-1])
	p.fill = slices.Clone(start[:len(start)-1])
	p.restart()
}

// add adds id to term t's, in the second pass.
func (p *packedPostings) add(t, id int32) {
	if p.extends(t, id) {
		return
	}
	p.put(t)
	p.startRun(t, id)
}

// put writes term t's run being added, if it has one.
func (p *packedPostings) put(t int32) {
	gap, n := p.runOf(t)
	if n <= 0 {
		return
	}
	p.fill[t] = putVarint(p.flat.data, p.fill[t], runHead(gap, n))
	if n > 1 {
		p.fill[t] = putVarint(p.flat.data, p.fill[t], uint32(n-2))
	}
}

// done ends the second pass.
func (p *packedPostings) done() {
	for t := range int32(len(p.sizes)) {
		p.put(t)
	}
	p.first, p.last, p.before, p.fill = nil, nil, nil, nil
}

// size returns the number of term t's ids, 0 for a term it does not have.
func (p *packedPostings) size(t int32) int32 {
	if int(t) >= len(p.sizes) {
		return 0
	}
	return p.sizes[t]
}

// bytes returns term t's row as stored, to be read with nextRun; none
// for a term p does not have.
func (p *packedPostings) bytes(t int) []byte {
	if p.shared != nil {
		if t >= len(p.shared.rows) {
			return nil
		}
		return p.shared.rows[t]
	}
	return p.flat.bytes(t)
}

// row returns the ids of term t in order.
func (p *packedPostings) row(t int) iter.Seq[int32] { return runIDs(p.bytes(t)) }

// sharedRowCost is the bytes a row of shared postings takes beyond one
// of flat postings (its slice header and array number, less the flat
// row's start): postings share rows only when the bytes they share come
// to more than this a term. In files whose rows are a few bytes long,
// as in most FAQs of hundreds of entries, sharing would hold more.
const sharedRowCost = int(unsafe.Sizeof([]byte(nil))) + 1 - 4

// maxSharedArrays is the most arrays the rows of postings may be parts of.
const maxSharedArrays = 16

// share makes p, just built, hold each of its rows that is one of old's,
// the postings of the index p's replaces, as old holds it, and the
// others in an array of their own, instead of all in one: a reload that
// changed a few phrasings then holds the rows of the rest once, not
// twice. oldRow returns the row of old that stands for p's row t, or
// false. The rows of old that p does not share are kept with the arrays
// they are parts of: p shares none unless those come to an eighth or
// less of the rows it holds, so that a series of reloads keeps no more.
func (p *packedPostings) share(old *packedPostings, oldRow func(t int32) (int32, bool)) {
	oldArrays, oldOf := [][]byte{old.flat.data}, func(int32) uint8 { return 0 }
	if old.shared != nil {
		oldArrays, oldOf = old.shared.arrays, func(t int32) uint8 { return old.shared.of[t] }
	}
	terms := len(p.sizes)
	from := make([]int32, terms) // the row of old that p's row t is, or -1
	kept := make([]int, len(oldArrays))
	own, total, shared := 0, 0, 0
	for t := range int32(terms) {
		from[t] = -1
		b := p.flat.bytes(int(t))
		total += len(b)
		if len(b) == 0 {
			continue
		}
		if ot, ok := oldRow(t); ok && bytes.Equal(b, old.bytes(int(ot))) {
			from[t] = ot
			kept[oldOf(ot)] += len(b)
			shared += len(b)
			continue
		}
		own += len(b)
	}
	held, arrays := 0, 0
	for k, n := range kept {
		if n > 0 {
			held += len(oldArrays[k])
			arrays++
		}
	}
	if shared <= sharedRowCost*terms || (held-shared)*8 > total || arrays >= maxSharedArrays {
		return
	}
	s := &sharedRows{rows: make([][]byte, terms), of: make([]uint8, terms)}
	index := make([]uint8, len(oldArrays)) // old's array k is s.arrays[index[k]]
	for k, n := range kept {
		if n > 0 {
			index[k] = uint8(len(s.arrays))
			s.arrays = append(s.arrays, oldArrays[k])
		}
	}
	mine := make([]byte, 0, own)
	for t := range int32(terms) {
		if ot := from[t]; ot >= 0 {
			s.rows[t], s.of[t] = old.bytes(int(ot)), index[oldOf(ot)]
			continue
		}
		b := p.flat.bytes(int(t))
		if len(b) == 0 {
			continue
		}
		at := len(mine)
		mine = append(mine, b...)
		s.rows[t], s.of[t] = mine[at:len(mine):len(mine)], uint8(len(s.arrays))
	}
	if own > 0 {
		s.arrays = append(s.arrays, mine)
	}
	p.shared, p.flat = s, packedRows{}
}

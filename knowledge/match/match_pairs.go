package match

import (
	"maps"
	"math"
	"slices"
)

// wordPairs are the pairs of neighbouring terms in the phrasings, numbered
// in the order they first come.
type wordPairs struct {
	// keys are the pairs' pairKeys, sorted, and ids[i] is the number of
	// the pair keys[i].
	keys []uint64
	ids  []int32
	// rows lists each phrasing's pairs, and weight is each pair's inverse
	// entry frequency to the power weights.rarity. A phrasing's scale,
	// 1/sqrt of the sum of its pairs' squared weights, is found as its
	// pairs are read (see index.pairScore): only the few candidates' are
	// read, and for 4 bytes a phrasing, kept, they would be a large part
	// of the index.
	rows   packedRows
	weight []float32
}

// pairKey is the key of the pair of neighbouring terms a, b.
func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// id returns the number of the pair of neighbouring terms a, b, and
// whether the phrasings have it.
func (wp *wordPairs) id(a, b int32) (int32, bool) {
	i, ok := slices.BinarySearch(wp.keys, pairKey(a, b))
	if !ok {
		return -1, false
	}
	return wp.ids[i], true
}

// pairsBuilder builds wordPairs from the phrasings' terms in order, added
// a phrasing at a time.
type pairsBuilder struct {
	wp  wordPairs
	ids map[uint64]int32
	// df is the number of entries holding each pair, and lastEntry the
	// entry that held it last.
	df, lastEntry []int32
	row           []int32
}

// newPairsBuilder returns a builder for the pairs of a file of that many
// phrasings and distinct words.
func newPairsBuilder(phrasings, words int) *pairsBuilder {
	return &pairsBuilder{wp: wordPairs{rows: newPackedRows(phrasings, words)}, ids: make(map[uint64]int32)}
}

// add adds the next phrasing, of entry e, whose terms in order are seq.
func (b *pairsBuilder) add(seq []int32, e int32) {
	b.row = b.row[:0]
	for i := 1; i < len(seq); i++ {
		k := pairKey(seq[i-1], seq[i])
		id, ok := b.ids[k]
		if !ok {
			id = int32(len(b.ids))
			b.ids[k] = id
			b.df = append(b.df, 0)
			b.lastEntry = append(b.lastEntry, -1)
		}
		b.row = append(b.row, id)
	}
	b.row = sortUniqueTail(b.row, 0)
	for _, id := range b.row {
		if b.lastEntry[id] != e {
			b.lastEntry[id] = e
			b.df[id]++
		}
	}
	b.wp.rows.add(b.row)
}

// weigh returns the pairs of the phrasings added, of entries entries in
// all, weighed at w.
func (b *pairsBuilder) weigh(entries int, w weights) wordPairs {
	wp := b.wp
	wp.rows.done()
	wp.keys = slices.Sorted(maps.Keys(b.ids))
	wp.ids = make([]int32, len(wp.keys))
	for i, k := range wp.keys {
		wp.ids[i] = b.ids[k]
	}
	wp.weight = make([]float32, len(b.df))
	for id, df := range b.df {
		wp.weight[id] = float32(math.Pow(idf(entries, int(df)), w.rarity))
	}
	return wp
}

// pairScale returns a phrasing's pair scale from norm, the sum of its pairs'
// squared weights added in the order of its row: 1/sqrt(norm), or 0 for
// none.
func pairScale(norm float64) float32 {
	if n := float32(norm); n > 0 {
		return float32(1 / math.Sqrt(float64(n)))
	}
	return 0
}

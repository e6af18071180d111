package match

// typoIndex finds the vocabulary words within one edit (a dropped, added or
// changed letter, or two neighbours swapped) of a word the knowledge base
// does not know. It is a symmetric deletion index: every vocabulary word is
// stored under itself and each of its one-letter deletions, so a lookup costs
// a few map probes instead of a scan of the vocabulary.
type typoIndex struct {
	keys    []string
	term    []int32
	deletes map[string][]int32
}

// minTypoRunes is the length below which a word is too short to correct:
// one edit in a three-letter word makes a different word more often than not.
const minTypoRunes = 4

func newTypoIndex() *typoIndex {
	return &typoIndex{deletes: make(map[string][]int32)}
}

// add records that key, a word or stem of the vocabulary, stands for term.
func (x *typoIndex) add(key string, term int32) {
	r := []rune(key)
	if len(r) < minTypoRunes {
		return
	}
	if ids, ok := x.deletes[key]; ok {
		for _, id := range ids {
			if x.keys[id] == key {
				return
			}
		}
	}
	id := int32(len(x.keys))
	x.keys = append(x.keys, key)
	x.term = append(x.term, term)
	x.put(key, id)
	buf := make([]rune, 0, len(r))
	for i := range r {
		buf = append(append(buf[:0], r[:i]...), r[i+1:]...)
		x.put(string(buf), id)
	}
}

func (x *typoIndex) put(k string, id int32) {
	ids := x.deletes[k]
	if len(ids) > 0 && ids[len(ids)-1] == id {
		return
	}
	x.deletes[k] = append(ids, id)
}

// lookup calls found with every vocabulary key within one edit of word and
// its term, at most once per key. Words shorter than minTypoRunes-1 letters are
// not corrected.
func (x *typoIndex) lookup(word string, found func(term int32, key string)) {
	r := []rune(word)
	if len(r) < minTypoRunes-1 {
		return
	}
	var seen [16]int32
	n := 0
	try := func(k string) {
		for _, id := range x.deletes[k] {
			dup := false
			for _, s := range seen[:n] {
				if s == id {
					dup = true
					break
				}
			}
			if dup || !withinOneEdit(r, x.keys[id]) {
				continue
			}
			if n < len(seen) {
				seen[n] = id
				n++
			}
			found(x.term[id], x.keys[id])
		}
	}
	try(word)
	buf := make([]rune, 0, len(r))
	for i := range r {
		buf = append(append(buf[:0], r[:i]...), r[i+1:]...)
		try(string(buf))
	}
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or swap of adjacent letters.
func withinOneEdit(a []rune, bs string) bool {
	b := []rune(bs)
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i == len(a) {
			return true
		}
		if equalRunes(a[i+1:], b[i+1:]) {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && equalRunes(a[i+2:], b[i+2:])
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return equalRunes(a[i:], b[i+1:])
	default:
		return false
	}
}

func equalRunes(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

package knowledge

import (
	"hash/maphash"
	"math/bits"
)

// phrasingSet holds the phrasings checked so far, by PhrasingKey, with
// where each was found, for the check that a phrasing leads to one entry.
// A large file has hundreds of thousands of phrasings, checked while the
// bot may still serve the file before: a key is kept as 32 bits of its
// hash in a table of eight bytes a slot (see slots), and its phrasing as
// the text the entry holds anyway, which tells two keys of those bits
// apart.
type phrasingSet struct {
	seed maphash.Seed
	// slots is a hash table of the phrasings, with linear probing: an
	// empty slot is 0, and a phrasing's holds the top 32 bits of its
	// key's hash, which also say where its probing starts, above its
	// index in refs plus one. At most three slots in four are used.
	slots []uint64
	refs  []phrasingRef
	// owners are the entries the phrasings are of, in order.
	owners []entryRef
}

// phrasingRef is one phrasing of phrasingSet: its text, its line and
// its entry, an index in owners.
type phrasingRef struct {
	text  string
	line  int32
	owner int32
}

func newPhrasingSet() *phrasingSet {
	return &phrasingSet{seed: maphash.MakeSeed()}
}

// reserve makes room in an empty s for the phrasings of entries entries,
// phrasings of them together: 8 MB of table at 500,000 phrasings, where
// a map of their hashes took 20 MB.
func (s *phrasingSet) reserve(entries, phrasings int) {
	s.refs = make([]phrasingRef, 0, phrasings)
	s.owners = make([]entryRef, 0, entries)
	s.slots = make([]uint64, tableSize(phrasings))
}

// tableSize returns the slots of a table for n phrasings: a power of
// two, at least 8, with n in three in four of them or fewer.
func tableSize(n int) int {
	return max(8, 1<<bits.Len(uint(n+n/3)))
}

// hashOf returns the 32 bits of key's hash that the table keeps.
func (s *phrasingSet) hashOf(key string) uint32 {
	return uint32(maphash.String(s.seed, key) >> 32)
}

// find returns where the phrasing of key was found.
func (s *phrasingSet) find(key string) (entryRef, bool) {
	if len(s.slots) == 0 {
		return entryRef{}, false
	}
	h := s.hashOf(key)
	mask := uint32(len(s.slots) - 1)
	for at := h & mask; ; at = (at + 1) & mask {
		v := s.slots[at]
		if v == 0 {
			return entryRef{}, false
		}
		if uint32(v>>32) == h {
			if i := int32(uint32(v)) - 1; PhrasingKey(s.refs[i].text) == key {
				return s.at(i), true
			}
		}
	}
}

// insert puts the i-th phrasing, whose key's hash has the top bits h, in
// the table, growing it when it is three quarters full.
func (s *phrasingSet) insert(h uint32, i int32) {
	if (len(s.refs)+1)*4 > len(s.slots)*3 {
		old := s.slots
		s.slots = make([]uint64, tableSize(len(s.refs)+1))
		for _, v := range old {
			if v != 0 {
				s.put(v)
			}
		}
	}
	s.put(uint64(h)<<32 | uint64(i+1))
}

// put puts slot value v in the first empty slot from where its hash says.
func (s *phrasingSet) put(v uint64) {
	mask := uint32(len(s.slots) - 1)
	at := uint32(v>>32) & mask
	for s.slots[at] != 0 {
		at = (at + 1) & mask
	}
	s.slots[at] = v
}

// at returns where the i-th phrasing was found.
func (s *phrasingSet) at(i int32) entryRef {
	r := s.refs[i]
	ref := s.owners[r.owner]
	ref.line = int(r.line)
	return ref
}

// add adds text, whose key is key, found at line of the entry label of
// file.
func (s *phrasingSet) add(key, text, label, file string, line int) {
	if n := len(s.owners); n == 0 || s.owners[n-1].label != label || s.owners[n-1].file != file {
		s.owners = append(s.owners, entryRef{label: label, file: file})
	}
	i := int32(len(s.refs))
	s.insert(s.hashOf(key), i)
	s.refs = append(s.refs, phrasingRef{text: text, line: int32(line), owner: int32(len(s.owners) - 1)})
}

// retext gives the phrasings added from the from-th on, those of one
// entry in order, the text among question and alternates that is the
// same: the entry's own, once it holds another file's text of the same
// value (see checker.shareText), rather than the copy it was checked as.
func (s *phrasingSet) retext(from int, question string, alternates []string) {
	j := 0
	for i := from; i < len(s.refs); i++ {
		r := &s.refs[i]
		for ; j <= len(alternates); j++ {
			t := question
			if j > 0 {
				t = alternates[j-1]
			}
			if t == r.text {
				r.text = t
				j++
				break
			}
		}
	}
}

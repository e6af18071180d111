package knowledge

import "hash/maphash"

// phrasingSet holds the phrasings checked so far, by PhrasingKey, with
// where each was found, for the check that a phrasing leads to one entry.
// A large file has hundreds of thousands of phrasings, checked while the
// bot may still serve the file before: a key is kept as its 64-bit hash,
// and its phrasing as the text the entry holds anyway, which tells two
// keys of one hash apart.
type phrasingSet struct {
	seed   maphash.Seed
	byHash map[uint64]int32
	// other holds the keys whose hash a key before them has.
	other map[string]int32
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
	return &phrasingSet{seed: maphash.MakeSeed(), byHash: map[uint64]int32{}, other: map[string]int32{}}
}

// reserve makes room in an empty s for the phrasings of entries entries,
// phrasings of them together. The map of hashes is left to grow: made
// for them all at once, it takes half as much again as grown (33 MB
// against 23 MB with the lists, at 500,000 phrasings).
func (s *phrasingSet) reserve(entries, phrasings int) {
	s.refs = make([]phrasingRef, 0, phrasings)
	s.owners = make([]entryRef, 0, entries)
}

// find returns where the phrasing of key was found.
func (s *phrasingSet) find(key string) (entryRef, bool) {
	if i, ok := s.byHash[maphash.String(s.seed, key)]; ok && PhrasingKey(s.refs[i].text) == key {
		return s.at(i), true
	}
	if i, ok := s.other[key]; ok {
		return s.at(i), true
	}
	return entryRef{}, false
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
	s.refs = append(s.refs, phrasingRef{text: text, line: int32(line), owner: int32(len(s.owners) - 1)})
	h := maphash.String(s.seed, key)
	if _, taken := s.byHash[h]; taken {
		s.other[key] = i
	} else {
		s.byHash[h] = i
	}
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

package knowledge

import (
	"slices"
	"strings"
)

// compact moves the text of f's entries into a few strings and their
// lists (alternates, tags, related ids) into a few arrays, each entry's
// fields then being parts of them. A checked file is made of many small
// values allocated among the parser's, which die as soon as the file is
// checked: without this the memory they leave between the file's values
// stays taken for as long as the file is served, some 80% more than its
// text needs for a large file. The entries are taken in blocks of about
// compactBlock bytes of text, so that a piece of text kept after the file
// is replaced (the question of a suggestion shown, say) keeps its block
// alone. A list keeps its own capacity, so that appending to one never
// writes into the next.
func compact(f *File) {
	from := 0
	for _, b := range textBlocks(f.Entries) {
		compactEntries(f.Entries[from:b.end], b.size)
		from = b.end
	}
}

// compactReplacing compacts f, which replaces serving (nil for none),
// block by block (see textBlocks), except the blocks whose entries have
// the text of a block of serving's: those take serving's text (most have
// as the file was checked, see checker.shareText), kept once for both
// files. A block is shared whole or not at all, so that serving's text
// kept is all in use: an entry of a block alone would keep the whole
// block for as long as the file is served. The blocks are cut where the
// entries' ids say, so that a change to one entry changes the block it
// is in, and seldom the next.
func compactReplacing(f, serving *File) {
	if serving == nil {
		compact(f)
		return
	}
	type span struct{ from, to int }
	served := make(map[string]span)
	from := 0
	for _, b := range textBlocks(serving.Entries) {
		served[serving.Entries[from].ID] = span{from, b.end}
		from = b.end
	}
	from = 0
	for _, b := range textBlocks(f.Entries) {
		block := f.Entries[from:b.end]
		sp, ok := served[block[0].ID]
		if ok && slices.EqualFunc(block, serving.Entries[sp.from:sp.to], func(e, s Entry) bool {
			return e.sameOwnText(&s) && sameList(e.Related, s.Related)
		}) {
			for i := range block {
				block[i].takeText(&serving.Entries[sp.from+i])
			}
		} else {
			compactEntries(block, b.size)
		}
		from = b.end
	}
}

// takeText gives e the text and lists of o, which are the same.
func (e *Entry) takeText(o *Entry) {
	ot, ol := o.texts(), o.lists()
	for k, t := range e.texts() {
		*t = *ot[k]
	}
	for k, l := range e.lists() {
		*l = *ol[k]
	}
}

// shareText gives e, the entry at index at of the file checked, the text
// of the serving file's entry there when it is the same (see
// checker.serving), but its related ids, which are read once every entry
// is (see crossCheck.checkRelated). The phrasings checked from the
// phrasings-th on, e's, are then held by the serving text too (see
// phrasingSet.retext), so that none of the parser's copies outlives the
// check.
func (c *checker) shareText(e *Entry, at, phrasings int) {
	if c.serving == nil || at >= len(c.serving.Entries) {
		return
	}
	s := &c.serving.Entries[at]
	if !e.sameOwnText(s) {
		return
	}
	related := e.Related
	e.takeText(s)
	e.Related = related
	c.cross.phrasings.retext(phrasings, e.Question, e.Alternates)
}

// sameOwnText reports whether e and o have the same text, alternates and
// tags, a list nil in both or in neither.
func (e *Entry) sameOwnText(o *Entry) bool {
	ot := o.texts()
	for k, t := range e.texts() {
		if *t != *ot[k] {
			return false
		}
	}
	return sameList(e.Alternates, o.Alternates) && sameList(e.Tags, o.Tags)
}

// sameList reports whether lists a and b hold the same text, and are nil
// both or neither.
func sameList(a, b []string) bool {
	return (a == nil) == (b == nil) && slices.Equal(a, b)
}

// textBlock is a block of entries for compact: those up to end, after
// the block before, of size bytes of text together.
type textBlock struct{ end, size int }

// textBlocks cuts entries into blocks of about compactBlock bytes of
// text: a block ends at the first entry past half of compactBlock whose
// id's hash is a multiple of cutEvery, or at twice compactBlock. Where
// blocks end is the entries' to say, not their positions': in a file
// that replaces another with one entry changed, the blocks before it are
// the other file's, and those after it are too once an id ends one.
func textBlocks(entries []Entry) []textBlock {
	var blocks []textBlock
	size := 0
	for i := range entries {
		size += entries[i].textSize()
		if size >= compactBlock/2 && idHash(entries[i].ID)%cutEvery == 0 || size >= 2*compactBlock || i == len(entries)-1 {
			blocks = append(blocks, textBlock{i + 1, size})
			size = 0
		}
	}
	return blocks
}

// compactBlock is the bytes of text that compact puts in one string, about.
const compactBlock = 256 << 10

// cutEvery is one in how many ids may end a block (see textBlocks).
const cutEvery = 64

// idHash is the FNV-1a hash of id.
func idHash(id string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return h
}

// textSize returns the bytes of the entry's text, its lists' included.
func (e *Entry) textSize() int {
	size := 0
	for _, s := range e.texts() {
		size += len(*s)
	}
	for _, l := range e.lists() {
		for _, s := range *l {
			size += len(s)
		}
	}
	return size
}

// compactEntries moves the text of entries, size bytes, into one string,
// and their lists into one array.
func compactEntries(entries []Entry, size int) {
	items := 0
	var sb strings.Builder
	sb.Grow(size)
	for i := range entries {
		e := &entries[i]
		for _, s := range e.texts() {
			sb.WriteString(*s)
		}
		for _, l := range e.lists() {
			items += len(*l)
			for _, s := range *l {
				sb.WriteString(s)
			}
		}
	}
	text, list := sb.String(), make([]string, items)
	at := 0
	part := func(s string) string {
		s, at = text[at:at+len(s)], at+len(s)
		return s
	}
	for i := range entries {
		e := &entries[i]
		for _, s := range e.texts() {
			*s = part(*s)
		}
		for _, l := range e.lists() {
			if *l == nil {
				continue
			}
			n := len(*l)
			to := list[:n:n]
			list = list[n:]
			for k, s := range *l {
				to[k] = part(s)
			}
			*l = to
		}
	}
}

// texts returns the entry's fields of text, for compact.
func (e *Entry) texts() [7]*string {
	return [...]*string{&e.ID, &e.Question, &e.Answer, &e.Section, &e.Source, &e.Updated, &e.Owner}
}

// lists returns the entry's lists of text, for compact.
func (e *Entry) lists() [3]*[]string {
	return [...]*[]string{&e.Alternates, &e.Tags, &e.Related}
}

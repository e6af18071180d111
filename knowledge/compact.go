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
// unless every entry of f has the text of serving's at its place and has
// taken it (see checker.shareText): then the text is kept once, in
// serving's blocks. When any entry's differs, all are compacted, those
// that took serving's text too: an entry of serving's text alone would
// keep the whole block of it that it is in (see compact) for as long as
// the file is served.
func compactReplacing(f, serving *File) {
	if serving == nil || len(f.Entries) != len(serving.Entries) {
		compact(f)
		return
	}
	for i := range f.Entries {
		e, s := &f.Entries[i], &serving.Entries[i]
		if !e.sameOwnText(s) || !sameList(e.Related, s.Related) {
			compact(f)
			return
		}
	}
	for i := range f.Entries {
		f.Entries[i].Related = serving.Entries[i].Related
	}
}

// shareText gives e, the entry at index at of the file checked, the text
// of the serving file's entry there when it is the same (see
// checker.serving), but its related ids, which are read once every entry
// is (see crossCheck.checkRelated).
func (c *checker) shareText(e *Entry, at int) {
	if c.serving == nil || at >= len(c.serving.Entries) {
		return
	}
	s := &c.serving.Entries[at]
	if !e.sameOwnText(s) {
		return
	}
	st := s.texts()
	for k, t := range e.texts() {
		*t = *st[k]
	}
	e.Alternates, e.Tags = s.Alternates, s.Tags
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

// textBlocks cuts entries into blocks of compactBlock bytes of text or a
// little more, an entry with more a block of its own.
func textBlocks(entries []Entry) []textBlock {
	var blocks []textBlock
	size := 0
	for i := range entries {
		size += entries[i].textSize()
		if size >= compactBlock || i == len(entries)-1 {
			blocks = append(blocks, textBlock{i + 1, size})
			size = 0
		}
	}
	return blocks
}

// compactBlock is the bytes of text that compact puts in one string, about.
const compactBlock = 256 << 10

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

package knowledge

import "strings"

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

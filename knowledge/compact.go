package knowledge

import "strings"

// compact moves the text of f's entries into one string and their lists
// (alternates, tags, related ids) into one array, each entry's fields
// then being parts of them. A checked file is made of many small values
// allocated among the parser's, which die as soon as the file is checked:
// without this the memory they leave between the file's values stays
// taken for as long as the file is served, some 80% more than its text
// needs for a large file. A list keeps its own capacity, so that
// appending to one never writes into the next.
func compact(f *File) {
	size, items := 0, 0
	for i := range f.Entries {
		e := &f.Entries[i]
		for _, s := range e.texts() {
			size += len(*s)
		}
		for _, l := range e.lists() {
			items += len(*l)
			for _, s := range *l {
				size += len(s)
			}
		}
	}
	var sb strings.Builder
	sb.Grow(size)
	for i := range f.Entries {
		e := &f.Entries[i]
		for _, s := range e.texts() {
			sb.WriteString(*s)
		}
		for _, l := range e.lists() {
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
	for i := range f.Entries {
		e := &f.Entries[i]
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

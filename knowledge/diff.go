package knowledge

import (
	"slices"
	"sort"
)

// Diff says how one knowledge base differs from another, by entry id.
type Diff struct {
	Before, After           int
	Added, Removed, Changed []string
	// Unchanged is set when the new base is the old one, its file having
	// been read the same byte for byte: nothing was loaded anew.
	Unchanged bool
}

// Empty reports whether the two bases have the same entries.
func (d Diff) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0
}

// Compare returns what changed from old to new. An entry has changed when any
// of its fields differ.
func Compare(old, new *File) Diff {
	d := Diff{Before: len(old.Entries), After: len(new.Entries)}
	oldByID, newByID := byID(old), byID(new)
	for id, e := range newByID {
		o, ok := oldByID[id]
		switch {
		case !ok:
			d.Added = append(d.Added, id)
		case !sameEntry(o, e):
			d.Changed = append(d.Changed, id)
		}
	}
	for id := range oldByID {
		if _, ok := newByID[id]; !ok {
			d.Removed = append(d.Removed, id)
		}
	}
	sort.Strings(d.Added)
	sort.Strings(d.Removed)
	sort.Strings(d.Changed)
	return d
}

// byID indexes f's entries by id.
func byID(f *File) map[string]*Entry {
	m := make(map[string]*Entry, len(f.Entries))
	for i := range f.Entries {
		m[f.Entries[i].ID] = &f.Entries[i]
	}
	return m
}

func sameEntry(a, b *Entry) bool {
	return a.Question == b.Question && a.Answer == b.Answer && a.Section == b.Section && a.Owner == b.Owner && a.Source == b.Source &&
		a.Updated == b.Updated && slices.Equal(a.Alternates, b.Alternates) &&
		slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Related, b.Related)
}

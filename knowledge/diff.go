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

// Compare returns what changed from old to new, checked files (whose ids
// are unique). An entry has changed when any of its fields differ.
func Compare(old, new *File) Diff {
	d := Diff{Before: len(old.Entries), After: len(new.Entries)}
	// Entries at the same place with the same id, most of them in a
	// reload, are compared there: only the others are found by id, so
	// that a large file's reload makes no map of every id.
	var oldRest, newRest []*Entry
	for i := range max(len(old.Entries), len(new.Entries)) {
		var o, e *Entry
		if i < len(old.Entries) {
			o = &old.Entries[i]
		}
		if i < len(new.Entries) {
			e = &new.Entries[i]
		}
		if o != nil && e != nil && o.ID == e.ID {
			if !sameEntry(o, e) {
				d.Changed = append(d.Changed, e.ID)
			}
			continue
		}
		if o != nil {
			oldRest = append(oldRest, o)
		}
		if e != nil {
			newRest = append(newRest, e)
		}
	}
	oldByID, newByID := byID(oldRest), byID(newRest)
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

// byID indexes entries by id.
func byID(entries []*Entry) map[string]*Entry {
	m := make(map[string]*Entry, len(entries))
	for _, e := range entries {
		m[e.ID] = e
	}
	return m
}

func sameEntry(a, b *Entry) bool {
	return a.Question == b.Question && a.Answer == b.Answer && a.Section == b.Section && a.Owner == b.Owner && a.Source == b.Source &&
		a.Updated == b.Updated && slices.Equal(a.Alternates, b.Alternates) &&
		slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Related, b.Related)
}

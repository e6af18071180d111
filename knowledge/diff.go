package knowledge

import (
	"slices"
	"sort"
)

// Diff says how one knowledge base differs from another, by entry id.
type Diff struct {
	Before, After           int
	Added, Removed, Changed []string
}

// Empty reports whether the two bases have the same entries.
func (d Diff) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0
}

// Compare returns what changed from old to new. An entry has changed when any
// of its fields differ.
func Compare(old, new *Base) Diff {
	d := Diff{Before: old.Len(), After: new.Len()}
	for id, e := range new.byID {
		o, ok := old.byID[id]
		switch {
		case !ok:
			d.Added = append(d.Added, id)
		case !sameEntry(o, e):
			d.Changed = append(d.Changed, id)
		}
	}
	for id := range old.byID {
		if _, ok := new.byID[id]; !ok {
			d.Removed = append(d.Removed, id)
		}
	}
	sort.Strings(d.Added)
	sort.Strings(d.Removed)
	sort.Strings(d.Changed)
	return d
}

func sameEntry(a, b *Entry) bool {
	return a.Question == b.Question && a.Answer == b.Answer && a.Section == b.Section && a.Source == b.Source &&
		a.Updated == b.Updated && slices.Equal(a.Alternates, b.Alternates) &&
		slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Related, b.Related)
}

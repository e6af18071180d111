package knowledge

import (
	"reflect"
	"testing"
)

// TestCompact checks that compact keeps every field's value, and that an
// entry's lists stay its own: appending to one leaves the next entry's
// unchanged.
func TestCompact(t *testing.T) {
	f := &File{Entries: []Entry{{
		ID: "a", Question: "Why?", Alternates: []string{"How come?", "What for?"}, Answer: "Because.",
		Section: "S", Tags: []string{"t"}, Source: "src", Updated: "2024-01-02", Related: []string{"b"}, Owner: "@o",
	}, {
		ID: "b", Question: "Where?", Alternates: []string{"At what place?"}, Answer: "Here.", Tags: []string{}, File: "x.yaml", Line: 9,
	}, {
		ID: "c", Question: "When?", Answer: "Now.",
	}}}
	want := &File{Entries: make([]Entry, len(f.Entries))}
	for i, e := range f.Entries {
		e.Alternates = append([]string(nil), e.Alternates...)
		want.Entries[i] = e
	}
	want.Entries[1].Tags = []string{}
	compact(f)
	if !reflect.DeepEqual(f, want) {
		t.Fatalf("compacted\n%#v\nwant\n%#v", f, want)
	}
	_ = append(f.Entries[0].Alternates, "overwritten?")
	_ = append(f.Entries[0].Tags, "overwritten?")
	if got := f.Entries[0].Related[0]; got != "b" {
		t.Errorf("after appending to entry a's lists, its related id is %q", got)
	}
	if got := f.Entries[1].Alternates[0]; got != "At what place?" {
		t.Errorf("after appending to entry a's alternates, entry b's first is %q", got)
	}
}

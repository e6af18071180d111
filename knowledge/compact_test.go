package knowledge

import (
	"reflect"
	"strings"
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

// TestTextBlocks checks that compact cuts a large file's text into blocks
// of about compactBlock bytes, an entry never split.
func TestTextBlocks(t *testing.T) {
	answer := func(n int) Entry { return Entry{ID: "x", Answer: strings.Repeat("a", n-1)} }
	for _, tc := range []struct {
		name    string
		entries []Entry
		want    []textBlock
	}{
		{"none", nil, nil},
		{"one small", []Entry{answer(10)}, []textBlock{{1, 10}}},
		{"small ones", []Entry{answer(10), answer(20), answer(30)}, []textBlock{{3, 60}}},
		{"a block and a half", []Entry{answer(compactBlock / 2), answer(compactBlock / 2), answer(10)}, []textBlock{{2, compactBlock}, {3, 10}}},
		{"one past the block", []Entry{answer(compactBlock + 5), answer(10), answer(compactBlock - 10), answer(1)}, []textBlock{{1, compactBlock + 5}, {3, compactBlock}, {4, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := textBlocks(tc.entries); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("textBlocks = %v, want %v", got, tc.want)
			}
		})
	}
}

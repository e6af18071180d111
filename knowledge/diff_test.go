package knowledge

import (
	"reflect"
	"testing"
)

// TestCompare compares files of entries a, b, c, d and e with files that
// change them in place, add, remove, reorder and rename them.
func TestCompare(t *testing.T) {
	entry := func(id, answer string) Entry { return Entry{ID: id, Question: "What is " + id + "?", Answer: answer} }
	old := &File{Entries: []Entry{entry("a", "1"), entry("b", "2"), entry("c", "3"), entry("d", "4"), entry("e", "5")}}
	for _, tc := range []struct {
		name    string
		entries []Entry
		want    Diff
	}{
		{"the same", old.Entries, Diff{}},
		{"one changed in place", []Entry{entry("a", "1"), entry("b", "2"), entry("c", "changed"), entry("d", "4"), entry("e", "5")},
			Diff{Changed: []string{"c"}}},
		{"a tag added", []Entry{entry("a", "1"), {ID: "b", Question: "What is b?", Answer: "2", Tags: []string{"new"}}, entry("c", "3"), entry("d", "4"), entry("e", "5")},
			Diff{Changed: []string{"b"}}},
		{"one added at the end", append(append([]Entry(nil), old.Entries...), entry("f", "6")),
			Diff{Added: []string{"f"}}},
		{"one added first, one changed", []Entry{entry("z", "0"), entry("a", "1"), entry("b", "2"), entry("c", "3"), entry("d", "changed"), entry("e", "5")},
			Diff{Added: []string{"z"}, Changed: []string{"d"}}},
		{"one removed in the middle", []Entry{entry("a", "1"), entry("b", "2"), entry("d", "4"), entry("e", "5")},
			Diff{Removed: []string{"c"}}},
		{"the last two removed", []Entry{entry("a", "1"), entry("b", "2"), entry("c", "3")},
			Diff{Removed: []string{"d", "e"}}},
		{"reordered, one changed", []Entry{entry("e", "5"), entry("b", "2"), entry("a", "changed"), entry("d", "4"), entry("c", "3")},
			Diff{Changed: []string{"a"}}},
		{"renamed", []Entry{entry("a", "1"), entry("b", "2"), entry("x", "3"), entry("d", "4"), entry("e", "5")},
			Diff{Added: []string{"x"}, Removed: []string{"c"}}},
		{"none left", nil, Diff{Removed: []string{"a", "b", "c", "d", "e"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.want.Before, tc.want.After = len(old.Entries), len(tc.entries)
			if got := Compare(old, &File{Entries: tc.entries}); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Compare = %+v, want %+v", got, tc.want)
			}
		})
	}
}

package knowledge

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"
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
// of about compactBlock bytes, an entry never split, where the entries'
// ids allow.
func TestTextBlocks(t *testing.T) {
	cut, keep := idsCutting(t)
	entry := func(id string, n int) Entry { return Entry{ID: id, Answer: strings.Repeat("a", n-len(id))} }
	for _, tc := range []struct {
		name    string
		entries []Entry
		want    []textBlock
	}{
		{"none", nil, nil},
		{"one small", []Entry{entry(keep, 10)}, []textBlock{{1, 10}}},
		{"small ones", []Entry{entry(keep, 10), entry(keep, 20), entry(cut, 30)}, []textBlock{{3, 60}}},
		{"an id that cuts, past half a block", []Entry{entry(keep, compactBlock/2), entry(cut, 10), entry(keep, 10)}, []textBlock{{2, compactBlock/2 + 10}, {3, 10}}},
		{"an id that cuts, before half a block", []Entry{entry(cut, 10), entry(keep, 10)}, []textBlock{{2, 20}}},
		{"no id that cuts, to twice a block", []Entry{entry(keep, compactBlock), entry(keep, compactBlock), entry(keep, 10)}, []textBlock{{2, 2 * compactBlock}, {3, 10}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := textBlocks(tc.entries); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("textBlocks = %v, want %v", got, tc.want)
			}
		})
	}
}

// idsCutting returns an id that may end a block and one that may not.
func idsCutting(t *testing.T) (cut, keep string) {
	t.Helper()
	for i := 0; cut == "" || keep == ""; i++ {
		id := "id" + strconv.Itoa(i)
		if idHash(id)%cutEvery == 0 {
			cut = id
		} else {
			keep = id
		}
	}
	return cut, keep
}

// TestTextBlocksAfterAChange checks that changing one entry of a large
// file changes one or two of its blocks of text, not those after it.
func TestTextBlocksAfterAChange(t *testing.T) {
	entries := make([]Entry, 5000)
	for i := range entries {
		entries[i] = Entry{ID: "entry-" + strconv.Itoa(i), Answer: strings.Repeat("a", 200+i%300)}
	}
	spans := func() map[[2]int]bool {
		out := map[[2]int]bool{}
		from := 0
		for _, b := range textBlocks(entries) {
			out[[2]int{from, b.end}] = true
			from = b.end
		}
		return out
	}
	before := spans()
	entries[2500].Answer += strings.Repeat("b", 5000)
	after := spans()
	changed := 0
	for s := range after {
		if !before[s] {
			changed++
		}
	}
	if len(before) < 5 || changed > 2 {
		t.Errorf("%d of %d blocks changed, want 1 or 2", changed, len(after))
	}
}

// TestShareText checks that a file whose entries all have the text of the
// serving file's keeps serving's text, each entry its own place's, and
// that a file with any entry's text or list changed keeps its own, all of
// it, compacted.
func TestShareText(t *testing.T) {
	const file = `version: 1
entries:
  - id: a
    question: Why?
    alternates: ["How come?"]
    answer: Because.
    tags: []
  - id: b
    question: Where?
    answer: Here.
    related: [a]
`
	serving, err := Parse("kb.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		from   string
		to     string
		shared bool
	}{
		{"unchanged", "", "", true},
		{"moved down a line", "entries:", "\nentries:", true},
		{"the title", "version: 1", "version: 1\ntitle: FAQ", true},
		{"an answer", "Here.", "There.", false},
		{"an owner", "Here.", "Here.\n    owner: '@o'", false},
		{"an alternate more", `"How come?"]`, `"How come?", "What for?"]`, false},
		{"a tag", "tags: []", "tags: [x]", false},
		{"an id", "id: b", "id: c", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := strings.Replace(file, tc.from, tc.to, 1)
			want, err := Parse("kb.yaml", []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseLimit("kb.yaml", []byte(data), MaxFileSize, serving)
			if err != nil {
				t.Fatal(err)
			}
			if !sameFile(got, want) {
				t.Fatalf("loaded\n%#v\nwant\n%#v", got, want)
			}
			for i := range got.Entries {
				e, s := &got.Entries[i], &serving.Entries[i]
				if shared := unsafe.StringData(e.Question) == unsafe.StringData(s.Question); shared != tc.shared {
					t.Errorf("entry %d shares serving's text: %v, want %v", i, shared, tc.shared)
				}
				if e.Alternates != nil && s.Alternates != nil {
					if shared := &e.Alternates[0] == &s.Alternates[0]; shared != tc.shared {
						t.Errorf("entry %d shares serving's alternates: %v, want %v", i, shared, tc.shared)
					}
				}
			}
		})
	}
}

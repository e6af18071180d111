package knowledge

import (
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// checkBothWays checks data an entry at a time and whole, and fails unless
// both give the same file and the same problems. It returns whether the
// file was read an entry at a time.
func checkBothWays(t *testing.T, name string, data []byte) (chunked bool) {
	t.Helper()
	c1, f1 := checkOne(name, data, nil, false, nil)
	c2, f2 := checkOne(name, data, nil, true, nil)
	e1, e2 := fmt.Sprint(c1.errors()), fmt.Sprint(c2.errors())
	if e1 != e2 {
		t.Fatalf("an entry at a time:\n%s\nwhole:\n%s", e1, e2)
	}
	if c1.errors() == nil && !sameFile(f1, f2) {
		t.Fatalf("an entry at a time:\n%#v\nwhole:\n%#v", f1, f2)
	}
	// Replacing a file being served, the entries are parsed on the
	// checks' goroutine, not ahead on another; replacing the file read an
	// entry at a time, the entries it has unchanged are not parsed.
	for _, serving := range []*File{f2, f1} {
		if serving == nil {
			continue
		}
		c3, f3 := checkOne(name, data, nil, false, serving)
		if e3 := fmt.Sprint(c3.errors()); e3 != e2 || (c3.chunks != nil) != (c1.chunks != nil) {
			t.Fatalf("replacing a file, read an entry at a time (%v):\n%s\nwhole:\n%s", c3.chunks != nil, e3, e2)
		}
		if c3.errors() == nil && !sameFile(f3, f2) {
			t.Fatalf("replacing a file, an entry at a time:\n%#v\nwhole:\n%#v", f3, f2)
		}
	}
	return c1.chunks != nil
}

// sameFile reports whether a and b are the same file, whatever each was
// read from and keeps of it.
func sameFile(a, b *File) bool {
	if a == nil || b == nil {
		return a == b
	}
	ca, cb := *a, *b
	ca.source, cb.source = source{}, source{}
	ca.lines, cb.lines = nil, nil
	return reflect.DeepEqual(&ca, &cb)
}

// TestLoadChunked checks that files laid out in every way a list can be
// give the same file and problems read an entry at a time as whole, and
// which are read an entry at a time.
func TestLoadChunked(t *testing.T) {
	const head = "version: 1\n"
	for _, tc := range []struct {
		name    string
		text    string
		chunked bool
	}{
		{"indented items", head + "entries:\n  - id: a\n    question: Why?\n    answer: Because.\n  - id: b\n    question: How?\n    answer: So.\n", true},
		{"items at the key's indentation", head + "entries:\n- id: a\n  question: Why?\n  answer: Because.\n- id: b\n  question: How?\n  answer: So.\n", true},
		{"comments between items", head + "entries: # the list\n# first\n  - id: a # an id\n    question: Why?\n# between\n    answer: Because.\n\n\n  - id: b\n    question: How?\n    answer: So.\n# end\n", true},
		{"keys after the list", head + "entries:\n  - id: a\n    question: Why?\n    answer: Because.\n    related: [b]\n  - id: b\n    question: How?\n    answer: So.\nsynonyms:\n  - [why, how come]\ntitle: T\n", true},
		{"block answer with list lines", head + "entries:\n  - id: a\n    question: Why?\n    answer: |\n      - one\n      - two\n\n      - three\n  - id: b\n    question: How?\n    answer: >-\n      So\n       - and so.\n", true},
		{"no line break at the end", head + "entries:\n  - id: a\n    question: Why?\n    answer: Because.", true},
		{"CRLF", "version: 1\r\nentries:\r\n  - id: a\r\n    question: Why?\r\n    answer: Because.\r\n  - id: b\r\n    question: How?\r\n    answer: So.\r\n", true},
		{"quoted text across an item's start", head + "entries:\n  - id: a\n    question: \"Why\n  - id: b\"\n    answer: Because.\n", false},
		{"quoted text across the list's end", head + "entries:\n  - id: a\n    question: \"Why\ntitle: b\"\n    answer: Because.\n", false},
		{"entries in a quoted title", "version: 1\ntitle: \"T\nentries:\n  - id: x\n    question: Q\n    answer: A\n\"\nentries:\n  - id: a\n    question: Why?\n    answer: Because.\n", false},
		{"flow list", head + "entries: [{id: a, question: Why?, answer: Because.}]\n", false},
		{"flow list on the next line", head + "entries:\n  [{id: a, question: Why?, answer: Because.}]\n", false},
		{"anchor and alias", head + "entries:\n  - id: a\n    question: Why?\n    answer: &x Because.\n  - id: b\n    question: How?\n    answer: *x\n", false},
		{"tab", head + "entries:\n\t- id: a\n    question: Why?\n    answer: Because.\n", false},
		{"second document", head + "entries:\n  - id: a\n    question: Why?\n    answer: Because.\n---\nversion: 1\n", false},
		{"entries twice", head + "entries:\n  - id: a\n    question: Why?\n    answer: Because.\nentries:\n  - id: b\n    question: How?\n    answer: So.\n", false},
		{"duplicate id", head + "entries:\n  - id: a\n    question: Why?\n    answer: Because.\n  - id: a\n    question: How?\n    answer: So.\n", false},
		{"an item not a mapping", head + "entries:\n  - just text\n", false},
		{"empty list", head + "entries:\n", false},
		{"bad indentation", head + "entries:\n  - id: a\n   question: Why?\n    answer: Because.\n", false},
		{"tag", head + "entries:\n  - id: a\n    question: !!binary d2h5\n    answer: Because.\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkBothWays(t, "kb.yaml", []byte(tc.text)); got != tc.chunked {
				t.Errorf("read an entry at a time: %v, want %v", got, tc.chunked)
			}
		})
	}
}

// TestLoadChunkedBatches checks files of more entries than are parsed at
// once (see batchBytes) both ways, with what a file read whole reports
// in one batch and across batches.
func TestLoadChunkedBatches(t *testing.T) {
	const entries = 3000
	file := func(entry func(i int) string) []byte {
		var sb strings.Builder
		sb.WriteString("version: 1\nentries:\n")
		for i := range entries {
			sb.WriteString(entry(i))
		}
		return []byte(sb.String())
	}
	plain := func(i int) string {
		return fmt.Sprintf("  - id: e%d\n    question: Is %d a number?\n    answer: Yes, %d is one.\n# a comment\n\n", i, i, i)
	}
	for _, tc := range []struct {
		name    string
		change  map[int]string
		chunked bool
	}{
		{"plain", nil, true},
		{"anchor and alias in one batch", map[int]string{5: "  - id: a\n    question: Why?\n    answer: &x Because.\n", 6: "  - id: b\n    question: How?\n    answer: *x\n"}, false},
		{"anchor and alias in two batches", map[int]string{5: "  - id: a\n    question: Why?\n    answer: &x Because.\n", 2900: "  - id: b\n    question: How?\n    answer: *x\n"}, false},
		{"an id twice in two batches", map[int]string{2900: plain(3)}, false},
		{"a tag in the last", map[int]string{entries - 1: "  - id: z\n    question: !!binary d2h5\n    answer: Because.\n"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := file(func(i int) string {
				if e, ok := tc.change[i]; ok {
					return e
				}
				return plain(i)
			})
			if len(data) < 3*batchBytes {
				t.Fatalf("the file is %d bytes, fewer than three batches", len(data))
			}
			if got := checkBothWays(t, "kb.yaml", data); got != tc.chunked {
				t.Errorf("read an entry at a time: %v, want %v", got, tc.chunked)
			}
		})
	}
}

// TestLoadChunkedTestdata checks every YAML file of testdata both ways,
// and that the good files and the shipped one are read an entry at a time.
func TestLoadChunkedTestdata(t *testing.T) {
	names := []string{"faq.yaml"}
	for _, pattern := range []string{"testdata/*.yaml", "testdata/load/*.yaml", "testdata/folder/*/*.yaml", "testdata/folder/*/*/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m...)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			good := name == "faq.yaml" || name == filepath.Join("testdata", "palestine.yaml") || strings.HasPrefix(filepath.Base(name), "good-")
			if chunked := checkBothWays(t, name, data); good && !chunked {
				t.Errorf("%s was read whole", name)
			}
		})
	}
}

// TestLoadEntryByEntry loads files from disk an entry at a time, reading
// each entry's lines as it is checked: the file is the one Parse gives of
// the same bytes, lines longer than the reader's buffer and files of more
// entries than one read ahead holds included.
func TestLoadEntryByEntry(t *testing.T) {
	long := strings.Repeat("日本 ", 12_000) // 36,000 characters, 84,000 bytes on one line
	var many strings.Builder
	many.WriteString("version: 1\r\nentries:\r\n")
	for i := range 3000 {
		fmt.Fprintf(&many, "  - id: e%d\r\n    question: Is %d a number?\r\n    answer: |\r\n      Yes, %d is one.\r\n\r\n", i, i, i)
	}
	many.WriteString("title: Numbers\r\n")
	files := map[string]string{
		"long.yaml": "version: 1\nentries:\n  - id: a\n    question: Why?\n    answer: " + long + "\n  - id: b\n    question: How?\n    answer: So.",
		"many.yaml": many.String(),
	}
	dir := t.TempDir()
	var names []string
	for name, text := range files {
		names = append(names, filepath.Join(dir, name))
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	names = append(names, "faq.yaml", filepath.Join("testdata", "palestine.yaml"), filepath.Join("testdata", "load", "good-full.yaml"))
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Parse(name, data)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(name)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, ok := loadEntryByEntry(name, f, int64(len(data)), nil)
			if !ok {
				t.Fatal("read whole")
			}
			if got.source.path != name {
				t.Errorf("source %q, want %q", got.source.path, name)
			}
			if !sameFile(got, want) {
				t.Errorf("an entry at a time:\n%#v\nwhole:\n%#v", got, want)
			}
		})
	}
}

// TestLoadEntryByEntryWritten writes a file over between the cut and
// the check of its entries: the entries read are not those cut, and the
// file must be read again, whole.
func TestLoadEntryByEntryWritten(t *testing.T) {
	const before = "version: 1\nentries:\n  - id: a\n    question: Why?\n    answer: Because.\n"
	for _, tc := range []struct {
		name, after string
		same        bool
	}{
		{"not written", before, true},
		{"written the same", before, true},
		{"an answer changed", strings.Replace(before, "Because", "Since I", 1), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "kb.yaml")
			if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ch, ok := cutEntries(path, f, int64(len(before)), io.Discard, maphash.MakeSeed())
			if !ok {
				t.Fatal("not cut")
			}
			if err := os.WriteFile(path, []byte(tc.after), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, _, got := checkChunked(path, ch, nil, nil); got != tc.same {
				t.Errorf("checked an entry at a time, as cut: %v, want %v", got, tc.same)
			}
		})
	}
}

// TestReplacingWrittenWhileRead checks that a reload of a file written
// while it was being read, so that the entries cut first are the old
// file's and the later ones the new file's, is read whole: an entry
// taken unparsed from the file served, because its lines as cut were
// the served entry's, is read again and found changed.
func TestReplacingWrittenWhileRead(t *testing.T) {
	file := func(changed ...int) string {
		var sb strings.Builder
		sb.WriteString("version: 1\nentries:\n")
		for i := range 2000 {
			answer := "Yes"
			if slices.Contains(changed, i) {
				answer = "Yup"
			}
			fmt.Fprintf(&sb, "  - id: e%d\n    question: Is %d a number?\n    answer: %s, %d is one.\n", i, i, answer, i)
		}
		return sb.String()
	}
	old, torn, written := file(), file(1500), file(10, 1500)
	path := filepath.Join(t.TempDir(), "kb.yaml")
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	serving, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, after string
		same        bool
	}{
		{"written before the cut ended", torn, true},
		{"written after the cut ended", written, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// What the cut reads: the old first lines, the new last ones.
			if err := os.WriteFile(path, []byte(torn), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ch, ok := cutEntries(path, f, int64(len(torn)), io.Discard, linesSeed(serving))
			if !ok {
				t.Fatal("not cut")
			}
			if err := os.WriteFile(path, []byte(tc.after), 0o644); err != nil {
				t.Fatal(err)
			}
			_, got, ok := checkChunked(path, ch, nil, serving)
			if ok != tc.same {
				t.Fatalf("checked an entry at a time, as cut: %v, want %v", ok, tc.same)
			}
			if ok && got.Entries[10].Answer != serving.Entries[10].Answer {
				t.Errorf("entry 10: %q, want the served %q", got.Entries[10].Answer, serving.Entries[10].Answer)
			}
		})
	}
}

// TestReplacingUnchangedEntries checks files that replace one read an
// entry at a time, as a reload does, against the same files read whole:
// the same file and the same problems, with lines that follow the new
// file, whether a problem is in an entry changed or between one changed
// and one not. Each file is loaded from disk and from memory.
func TestReplacingUnchangedEntries(t *testing.T) {
	const entries = 3000
	// Every seventh entry relates to the one before it, unless plain.
	entry := func(i int, plain bool) string {
		related := ""
		if !plain && i%7 == 3 {
			related = fmt.Sprintf("    related: [e%d]\n", i-1)
		}
		return fmt.Sprintf("  - id: e%d\n    question: Is %d a number?\n    alternates: [\"Is %d odd?\"]\n    answer: Yes, %d is one.\n%s# a comment\n\n", i, i, i, i, related)
	}
	file := func(change map[int]string, plain bool) string {
		var sb strings.Builder
		sb.WriteString("version: 1\nentries:\n")
		for i := range entries {
			if e, ok := change[i]; ok {
				sb.WriteString(e)
			} else {
				sb.WriteString(entry(i, plain))
			}
		}
		sb.WriteString("title: Numbers\n")
		return sb.String()
	}
	edit := func(i int, from, to string) map[int]string {
		return map[int]string{i: strings.Replace(entry(i, false), from, to, 1)}
	}
	base := file(nil, false)
	for _, tc := range []struct {
		name  string
		text  string
		plain bool
	}{
		{"unchanged", base, false},
		{"a comment at the top", "# A comment.\n" + base, false},
		{"the title changed", strings.Replace(base, "title: Numbers", "title: Figures", 1), false},
		{"a question changed", file(edit(1500, "Is 1500", "Is 1,500"), false), false},
		{"an entry added", file(map[int]string{10: entry(10, false) + "  - id: new\n    question: Is it new?\n    answer: Yes.\n"}, false), false},
		{"an entry removed", file(map[int]string{2000: ""}, false), false},
		{"an entry on the line after its dash", file(edit(20, "- id", "-\n    id"), false), false},
		{"an id an unchanged entry has later", file(edit(100, "id: e100", "id: e2500"), false), false},
		{"an id an unchanged entry has before", file(edit(2500, "id: e2500", "id: e100"), false), false},
		{"an id an unchanged entry has before, no related ids", file(edit(2500, "id: e2500", "id: e100"), true), true},
		{"an id an unchanged entry has later, no related ids", file(edit(100, "id: e100", "id: e2500"), true), true},
		{"the entry an unchanged one relates to renamed", file(edit(2, "id: e2", "id: e2x"), false), false},
		{"a phrasing an unchanged entry has later", file(edit(100, "Is 100 odd?", "Is 2500 odd?"), false), false},
		{"a phrasing an unchanged entry has before", file(edit(2500, "Is 2500 odd?", "Is 100 odd?"), false), false},
		{"the entry an unchanged one relates to removed", file(map[int]string{2: ""}, false), false},
		{"an unchanged entry's related id made the entry's own", file(edit(3, "id: e3", "id: e2"), false), false},
		{"text across an unchanged entry's start", file(edit(30, "Yes, 30 is one.", "\"Yes"), false), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			served := base
			if tc.plain {
				served = file(nil, true)
			}
			serving, err := Parse("kb.yaml", []byte(served))
			if err != nil {
				t.Fatal(err)
			}
			if serving.lines == nil {
				t.Fatal("the file served keeps no lines")
			}
			path := filepath.Join(t.TempDir(), "kb.yaml")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			wc, want := checkOne(path, []byte(tc.text), nil, true, nil)
			wantErr := fmt.Sprint(wc.errors())
			fromDisk, err := LoadReplacing(path, MaxFileSize, serving)
			if e := fmt.Sprint(err); e != wantErr && (err != nil || wc.errors() != nil) {
				t.Fatalf("from disk:\n%s\nwhole:\n%s", e, wantErr)
			}
			fromMemory, err := parseLimit(path, []byte(tc.text), MaxFileSize, serving)
			if e := fmt.Sprint(err); e != wantErr && (err != nil || wc.errors() != nil) {
				t.Fatalf("from memory:\n%s\nwhole:\n%s", e, wantErr)
			}
			if wc.errors() != nil {
				return
			}
			for _, got := range []*File{fromDisk, fromMemory} {
				if !sameFile(got, want) {
					t.Fatalf("replacing:\n%#v\nwhole:\n%#v", got, want)
				}
			}
		})
	}
}

// TestReplacingSkipsUnchangedEntries checks that a file that replaces one
// read an entry at a time takes the entries whose lines are unchanged
// from it, as they are, without parsing them, and parses the others.
func TestReplacingSkipsUnchangedEntries(t *testing.T) {
	base := "version: 1\nentries:\n  - id: a\n    question: Why?\n    answer: Because.\n  - id: b\n    question: How?\n    answer: So.\n  -\n    id: c\n    question: What?\n    answer: That.\n"
	serving, err := Parse("kb.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	// What the file served holds of an entry, unlike its lines, is what
	// a file with those lines unchanged holds.
	for i := range serving.Entries {
		serving.Entries[i].Answer += " (served)"
	}
	text := "# A comment.\n" + strings.Replace(base, "How?", "How so?", 1)
	want, err := Parse("kb.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	want.Entries[0].Answer += " (served)"
	want.Entries[2].Answer += " (served)"
	got, err := parseLimit("kb.yaml", []byte(text), MaxFileSize, serving)
	if err != nil {
		t.Fatal(err)
	}
	if !sameFile(got, want) {
		t.Errorf("replacing:\n%#v\nwant a and c served, b parsed:\n%#v", got.Entries, want.Entries)
	}
}

package knowledge

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// update rewrites the loader's .err files instead of comparing.
var update = flag.Bool("update", false, "rewrite the expected-output files in testdata")

// TestLoadBad loads every file in testdata/load that is not named good-*
// and compares the error with the .err file beside it, exactly.
func TestLoadBad(t *testing.T) {
	t.Chdir(filepath.Join("testdata", "load"))
	names, err := filepath.Glob("*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range names {
		if strings.HasPrefix(name, "good-") || strings.HasSuffix(name, ".err") {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			_, err := Load(name)
			if err == nil {
				t.Fatalf("Load(%s) succeeded; want errors", name)
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("Load(%s) = %T %v; want Errors", name, err, err)
			}
			for _, p := range errs {
				if p.File != name {
					t.Errorf("problem %q names file %q; want %q", p.Message, p.File, name)
				}
			}
			got := err.Error() + "\n"
			want := strings.TrimSuffix(name, filepath.Ext(name)) + filepath.Ext(name) + ".err"
			if *update {
				if err := os.WriteFile(want, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			wantText, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run go test -run TestLoadBad -update to write it)", err)
			}
			if got != string(wantText) {
				t.Errorf("Load(%s) errors:\n%s\nwant (%s):\n%s", name, got, want, wantText)
			}
		})
	}
	if n < 20 {
		t.Errorf("found %d bad cases in testdata/load; expected many more", n)
	}
}

func TestLoadGood(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "load", "good-*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			b, err := Load(name)
			if err != nil {
				t.Fatalf("Load(%s): %v", name, err)
			}
			if len(b.Entries) == 0 {
				t.Errorf("Load(%s) = %d entries", name, len(b.Entries))
			}
		})
	}
}

// TestLoadFull checks every field of a full file, and that the YAML and the
// JSON spelling of the same file load alike.
func TestLoadFull(t *testing.T) {
	want := &File{
		Version:  1,
		Title:    "Shop FAQ",
		Language: "english",
		Fallback: "I don't know that one yet.",
		Synonyms: [][]string{{"refund", "money back"}, {"ussr", "soviet union"}},
		Entries: []Entry{{
			ID:         "refunds",
			Question:   "What is the refund policy?",
			Alternates: []string{"Can I get a refund?", "How do I return something?"},
			Answer:     "You can return anything within **thirty days**.\n\nKeep the receipt.",
			Section:    "Orders › Returns",
			Tags:       []string{"billing", "returns"},
			Source:     "Shop handbook (2023)",
			Updated:    "2023-12-06",
			Related:    []string{"hours"},
			Owner:      "@ann",
		}, {
			ID:       "hours",
			Question: "When are you open?",
			Answer:   "9 to 5, Monday to Friday.",
			Related:  []string{"refunds"},
		}, {
			ID:         "2024.faq_v2-x",
			Question:   "Yes",
			Alternates: []string{"42", "true"},
			Answer:     "3.14",
		}},
	}
	for _, name := range []string{"good-full.yaml", "good-full.json"} {
		t.Run(name, func(t *testing.T) {
			b, err := Load(filepath.Join("testdata", "load", name))
			if err != nil {
				t.Fatal(err)
			}
			got := *b
			got.source = source{} // what it was loaded from, tested in source_test.go
			got.lines = nil       // what it keeps of its lines, tested in load_chunks_test.go
			for i := range got.Entries {
				got.Entries[i].Line = 0
			}
			if !reflect.DeepEqual(&got, want) {
				t.Errorf("loaded\n%#v\nwant\n%#v", got, *want)
			}
			phrasings := 0
			for _, e := range b.Entries {
				phrasings += len(e.Phrasings())
			}
			if b.Title != "Shop FAQ" || b.Fallback != want.Fallback || phrasings != 7 {
				t.Errorf("Title %q, Fallback %q, Phrasings %d", b.Title, b.Fallback, phrasings)
			}
			if e, ok := entryByID(b, "hours"); !ok || e.Question != "When are you open?" {
				t.Errorf("Entry(hours) = %v, %v", e, ok)
			}
		})
	}
}

// entryByID returns f's entry with the id, and whether it has one.
func entryByID(f *File, id string) (*Entry, bool) {
	for i := range f.Entries {
		if f.Entries[i].ID == id {
			return &f.Entries[i], true
		}
	}
	return nil, false
}

func TestLoadDefaults(t *testing.T) {
	b, err := Parse("faq.yaml", []byte("version: 1\nentries:\n- {id: a, question: \"Why?\", answer: Because.}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Language != "en" {
		t.Errorf("Language = %q; want en", b.Language)
	}
	if e, _ := entryByID(b, "a"); e.Line != 3 {
		t.Errorf("entry line = %d; want 3", e.Line)
	}
}

func TestLoadNotFound(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) = %v; want fs.ErrNotExist", err)
	}
	dir := t.TempDir()
	_, err = Load(dir)
	if want := dir + ": the folder holds no knowledge file (.yaml, .yml or .json)"; err == nil || err.Error() != want {
		t.Errorf("Load(empty folder) = %v; want %s", err, want)
	}
}

// TestLoadFolder loads a folder of knowledge files as one: entries from
// every file and subfolder in order of their paths, each knowing its file,
// related ids across files, the settings of the file that gives them, and
// neither hidden files nor files of other kinds.
func TestLoadFolder(t *testing.T) {
	dir := filepath.Join("testdata", "folder", "good")
	f, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range f.Entries {
		got = append(got, e.ID+" "+e.File+":"+strconv.Itoa(e.Line)+" "+strings.Join(e.Related, ","))
	}
	want := []string{
		"wifi " + filepath.Join(dir, "general.yaml") + ":7 parking",
		"parking " + filepath.Join(dir, "topics", "parking.yaml") + ":5 wifi",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if f.Title != "Office FAQ" || f.Fallback != "Ask at the front desk." || f.Language != "en" || len(f.Synonyms) != 1 {
		t.Errorf("title %q, fallback %q, language %q, synonyms %v; want those of general.yaml", f.Title, f.Fallback, f.Language, f.Synonyms)
	}
}

// TestLoadFolderBad checks a folder's files against one another: every
// problem names its own file and line, and where the other half of a clash
// is in another file, names that file too.
func TestLoadFolderBad(t *testing.T) {
	t.Chdir(filepath.Join("testdata", "folder"))
	_, err := Load("bad")
	want := strings.Join([]string{
		`bad/a.yaml:8:24: entry "wifi": related id "lunch" does not exist`,
		`bad/b.yaml:2:1: "title" is already set at bad/a.yaml:2: set it in one file of the folder`,
		`bad/b.yaml:3:11: language "de" differs from "en", set at bad/a.yaml:3: the files of a folder are one knowledge base, in one language`,
		`bad/b.yaml:5:9: entry "wifi": duplicate id "wifi": the entry at bad/a.yaml:5 has it too`,
		`bad/b.yaml:9:15: entry "parking": question "what is the WiFi password" is also a phrasing of entry "wifi" (bad/a.yaml:6); a phrasing must lead to one entry`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("Load(bad) errors:\n%v\nwant:\n%s", err, want)
	}
}

// TestLoadLimits checks the limits too big to keep as testdata files.
func TestLoadLimits(t *testing.T) {
	t.Run("file size", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "big.yaml")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(MaxFileSize + 1); err != nil { // sparse: costs no disk
			t.Fatal(err)
		}
		f.Close()
		_, err = Load(path)
		want := path + ": file is 134217729 bytes; the limit is 134217728 bytes (128 MiB): split it, or raise limits.knowledge_mb in the config"
		if err == nil || err.Error() != want {
			t.Errorf("Load(big) = %v; want %s", err, want)
		}
		good := filepath.Join("testdata", "load", "good-full.yaml")
		st, err := os.Stat(good)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := LoadLimit(good, st.Size()); err != nil {
			t.Errorf("LoadLimit(%s, its size) = %v", good, err)
		}
		_, err = LoadLimit(good, st.Size()-1)
		want = fmt.Sprintf("%s: file is %d bytes; the limit is %d bytes (0 MiB): split it, or raise limits.knowledge_mb in the config", good, st.Size(), st.Size()-1)
		if err == nil || err.Error() != want {
			t.Errorf("LoadLimit(%s, one byte less) = %v; want %s", good, err, want)
		}
		dir := filepath.Join("testdata", "folder", "good")
		_, err = LoadLimit(dir, 100)
		if err == nil || !strings.HasPrefix(err.Error(), dir+": the folder's 2 knowledge files are ") || !strings.HasSuffix(err.Error(), "; the limit is 100 bytes (0 MiB): raise limits.knowledge_mb in the config") {
			t.Errorf("LoadLimit(folder, 100) = %v", err)
		}
	})
	t.Run("entries", func(t *testing.T) {
		if testing.Short() {
			t.Skip("builds a file of 100,001 entries")
		}
		var sb strings.Builder
		sb.WriteString("version: 1\nentries:\n")
		for i := range MaxEntries + 1 {
			sb.WriteString("- {id: e")
			sb.WriteString(strconv.Itoa(i))
			sb.WriteString(", question: q")
			sb.WriteString(strconv.Itoa(i))
			sb.WriteString(", answer: a}\n")
		}
		_, err := Parse("many.yaml", []byte(sb.String()))
		want := "many.yaml:100003:3: too many entries: 100001; the limit is 100000"
		if err == nil || err.Error() != want {
			t.Errorf("Parse(many) = %v; want %s", err, want)
		}
	})
	t.Run("problems", func(t *testing.T) {
		var sb strings.Builder
		sb.WriteString("version: 1\nentries:\n")
		for range MaxProblems + 10 {
			sb.WriteString("- {id: a}\n")
		}
		_, err := Parse("bad.yaml", []byte(sb.String()))
		var errs Errors
		if !errors.As(err, &errs) || len(errs) != MaxProblems+1 {
			t.Fatalf("got %d problems; want %d", len(errs), MaxProblems+1)
		}
		if last := errs[len(errs)-1].Error(); !strings.HasPrefix(last, "bad.yaml: ") || !strings.Contains(last, "more problems not shown") {
			t.Errorf("last problem = %q", last)
		}
	})
}

// TestLoadBench loads the benchmark knowledge bases in ../shared/bench as
// they are.
func TestLoadBench(t *testing.T) {
	kbs, _ := filepath.Glob(filepath.Join("..", "..", "shared", "bench", "*", "kb.yaml"))
	if len(kbs) == 0 {
		t.Skip("../shared/bench is absent")
	}
	for _, kb := range kbs {
		t.Run(filepath.Base(filepath.Dir(kb)), func(t *testing.T) {
			b, err := Load(kb)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Entries) < 50 {
				t.Errorf("%s: %d entries", kb, len(b.Entries))
			}
		})
	}
}

func TestProblemError(t *testing.T) {
	for _, tc := range []struct {
		p    Problem
		want string
	}{
		{Problem{File: "f.yaml", Line: 3, Col: 5, Entry: "a", Message: "m"}, `f.yaml:3:5: entry "a": m`},
		{Problem{File: "f.yaml", Line: 3, Entry: "entry 2", Message: "m"}, `f.yaml:3: entry 2: m`},
		{Problem{File: "f.yaml", Message: "m"}, `f.yaml: m`},
		{Problem{Message: "m"}, `m`},
	} {
		if got := tc.p.Error(); got != tc.want {
			t.Errorf("%#v.Error() = %q; want %q", tc.p, got, tc.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct{ w, want string }{
		{"alternatives", "alternates"},
		{"alternate", "alternates"},
		{"Question", "question"},
		{"answers", "answer"},
		{"tag", "tags"},
		{"relatedIds", "related"},
		{"colour", ""},
		{"x", ""},
	} {
		if got := Suggest(tc.w, entryKeys); got != tc.want {
			t.Errorf("Suggest(%q) = %q; want %q", tc.w, got, tc.want)
		}
	}
}

func TestPhrasingKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Does Russia endorse Hamas?", "does russia endorse hamas"},
		{"  does   RUSSIA endorse hamas ?!", "does russia endorse hamas"},
		{"Russia’s support", "russias support"},
		{"Russia's support", "russias support"},
		{"???", ""},
		{"Ｗｈａｔ ｉｓ ﬁｎｅ？", "what is fine"},
	} {
		if got := PhrasingKey(tc.in); got != tc.want {
			t.Errorf("PhrasingKey(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// TestLoadDeep checks that pathological nesting is refused quickly, in YAML
// and in JSON, without expanding or recursing without bound.
func TestLoadDeep(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"deep.yaml", "version: 1\nentries: " + strings.Repeat("[", 100_000), "deep.yaml:2:25: lists and mappings nest more than 16 deep; a knowledge file needs five levels at most"},
		{"deep.json", `{"version": 1, "entries": ` + strings.Repeat("[", 100_000), "deep.json:1:42: lists and mappings nest more than 16 deep; a knowledge file needs five levels at most"},
		{"indent.yaml", "version: 1\nentries:\n" + strings.Repeat("- ", 5000) + "x\n", "indent.yaml:3:31: lists and mappings nest more than 16 deep; a knowledge file needs five levels at most"},
	} {
		_, err := Parse(tc.name, []byte(tc.data))
		if err == nil || err.Error() != tc.want {
			t.Errorf("Parse(%s) = %v; want %s", tc.name, err, tc.want)
		}
	}
}

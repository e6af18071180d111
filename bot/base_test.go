package bot_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge/match"
)

// TestLoadBase loads a full knowledge file and reads it through the Base:
// its path, the file's settings, and the index's entries and phrasings.
func TestLoadBase(t *testing.T) {
	for _, name := range []string{"good-full.yaml", "good-full.json"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("..", "knowledge", "testdata", "load", name)
			b, err := bot.LoadBase(path)
			if err != nil {
				t.Fatal(err)
			}
			if b.Path != path || b.Len() != 3 {
				t.Errorf("LoadBase(%s) = %d entries, path %q", path, b.Len(), b.Path)
			}
			if b.Title() != "Shop FAQ" || b.Fallback() != "I don't know that one yet." || b.Language() != "english" || b.Phrasings() != 7 {
				t.Errorf("Title %q, Fallback %q, Language %q, Phrasings %d", b.Title(), b.Fallback(), b.Language(), b.Phrasings())
			}
			if e, ok := b.Entry("hours"); !ok || e.Question != "When are you open?" {
				t.Errorf("Entry(hours) = %v, %v", e, ok)
			}
		})
	}
}

// TestLoadReplacing checks that a base loaded to replace another is the
// other itself when its file has not changed, shares its entries' text
// when the text has not (the same file at another path), and holds its
// own when it has, answering from its own entries either way.
func TestLoadReplacing(t *testing.T) {
	path := filepath.Join("testdata", "kb.yaml")
	serving, err := bot.LoadBase(path)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(t.TempDir(), "kb.yaml")
	if err := os.WriteFile(copied, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path   string
		same, shared bool
	}{
		{"unchanged", path, true, true},
		{"copied", copied, false, true},
		{"changed", filepath.Join("testdata", "kb-changed.yaml"), false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next, err := bot.Loading{}.LoadReplacing(tc.path, serving)
			if err != nil {
				t.Fatal(err)
			}
			if same := next == serving; same != tc.same {
				t.Errorf("the serving base given back: %v, want %v", same, tc.same)
			}
			e, s := next.Entries()[0], serving.Entries()[0]
			if shared := unsafe.StringData(e.Answer) == unsafe.StringData(s.Answer); shared != tc.shared {
				t.Errorf("the first entry's answer is serving's: %v, want %v", shared, tc.shared)
			}
			best, ok := next.Search(e.Question).Best()
			if !ok || best.Entry != &next.Entries()[0] {
				t.Errorf("its own question found %+v, want its own first entry", best)
			}
			// It answers every phrasing, and a question that is none, as a
			// base loaded alone does.
			alone, err := bot.LoadBase(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			questions := []string{"is there anything to eat"}
			for _, e := range alone.Entries() {
				questions = append(questions, e.Phrasings()...)
			}
			for _, q := range questions {
				if got, want := candidates(next.Search(q)), candidates(alone.Search(q)); got != want {
					t.Errorf("%q found %s, alone %s", q, got, want)
				}
			}
		})
	}
}

// candidates describes a result's candidates by entry id, confidence and
// phrasing.
func candidates(r match.Result) string {
	var sb strings.Builder
	for _, c := range r.Candidates {
		fmt.Fprintf(&sb, "%s %v %q; ", c.Entry.ID, c.Confidence, c.Phrasing)
	}
	return sb.String()
}

package bot_test

import (
	"path/filepath"
	"testing"

	"github.com/faqbot/faqbot/bot"
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

package match

import (
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// entry returns base's entry of the given id, or nil.
func entry(base *Index, id string) *knowledge.Entry {
	e, _ := base.Entry(id)
	return e
}

// TestEntry finds every entry of a file by its id, as the file's own, and
// none by an id the file lacks.
func TestEntry(t *testing.T) {
	b := loadTestBase(t, "../testdata/palestine.yaml")
	for i := range b.Entries() {
		want := &b.Entries()[i]
		if got, ok := b.Entry(want.ID); !ok || got != want {
			t.Errorf("Entry(%q) = %p, %v; want %p, true", want.ID, got, ok, want)
		}
	}
	for _, id := range []string{"", "no-such-entry", "~"} {
		if got, ok := b.Entry(id); ok || got != nil {
			t.Errorf("Entry(%q) = %p, %v; want nil, false", id, got, ok)
		}
	}
}

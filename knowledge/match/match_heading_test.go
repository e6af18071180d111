package match

import (
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// TestOwnHeadings reads the last heading of an entry's section as a way
// it is asked when the entry is alone under that section and the heading
// says something its question does not.
func TestOwnHeadings(t *testing.T) {
	f, err := knowledge.Load("testdata/heading/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := ownHeadings(f.Entries)
	want := map[string]string{
		"large-messages": "Refuse large messages",
		"message-size":   "Size limits",
		"send-password":  "", // "Accounts" heads two entries
		"send-name":      "",
		"same-heading":   "", // says its question again
	}
	for i, e := range f.Entries {
		if got[i] != want[e.ID] {
			t.Errorf("%s: own heading %q, want %q", e.ID, got[i], want[e.ID])
		}
	}
	if h := ownHeadings([]knowledge.Entry{{ID: "a", Question: "Q?"}, {ID: "b", Question: "R?", Section: "S"}, {ID: "c", Question: "T?", Section: "S"}}); h != nil {
		t.Errorf("ownHeadings of entries without one = %q, want nil", h)
	}
}

// TestHeadingAsked asks questions in the words of an entry's own heading,
// not of its long question: the entry comes first, matched by its
// heading, which counts as no phrasing where their number matters.
func TestHeadingAsked(t *testing.T) {
	b := loadTestBase(t, "testdata/heading/kb.yaml")
	tests := []struct {
		question, want, phrasing string
	}{
		{"how do I refuse large messages", "large-messages", "Refuse large messages"},
		{"can I refuse messages over 15 MiB", "large-messages", "Refuse large messages"},
		{"what are the size limits", "message-size", "Size limits"},
		{"where do I change my password", "send-password", "Where do I change my password?"},
	}
	for _, tt := range tests {
		best, _ := b.Search(tt.question).Best()
		if best.Entry == nil || best.Entry.ID != tt.want || best.Phrasing != tt.phrasing {
			t.Errorf("%q: best %v, want %s matched by %q", tt.question, best, tt.want, tt.phrasing)
		}
	}
	x := b.idx
	for e := range x.entries {
		np := int32(1 + len(x.entries[e].Alternates))
		if got := x.asked(int32(e)); got != np {
			t.Errorf("%s: asked %d ways, want %d", x.entries[e].ID, got, np)
		}
	}
	if x.askedN != len(x.entries) {
		t.Errorf("askedN = %d, want %d", x.askedN, len(x.entries))
	}
}

// TestHeadingNotChecked: faqbot check asks an entry's phrasings, not its
// own heading, which the file's author did not write as a question.
func TestHeadingNotChecked(t *testing.T) {
	b, err := parse("check.yaml", []byte(`version: 1
entries:
  - id: reset
    section: Passwords › Change my password
    question: I forgot the password I use at work, and the reset link in the mail has expired. What now?
    answer: Ask the service desk for a new link.
  - id: change
    section: Passwords
    question: How do I change my password?
    answer: Change the password under Settings, then Security.
  - id: rules
    section: Passwords
    question: What makes a good password?
    answer: Twelve letters or more.
`))
	if err != nil {
		t.Fatal(err)
	}
	// Asked, the heading finds another entry first.
	if best, _ := b.Search("Change my password").Best(); best.Entry == nil || best.Entry.ID != "change" {
		t.Fatalf("Change my password: best %v, want change", best)
	}
	for _, c := range b.Confusions(0.5) {
		if c.Entry.ID == "reset" {
			t.Errorf("the heading is checked: %+v", c)
		}
	}
}

package bot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/bottest"
)

// TestStale lists the entries that are old, disliked or never asked,
// worst first, with their owners defused.
func TestStale(t *testing.T) {
	day := func(ago int) string { return time.Now().UTC().AddDate(0, 0, -ago).Format("2006-01-02") }
	kb := fmt.Sprintf(`version: 1
entries:
  - id: fresh
    question: What is the wifi password?
    answer: On the board.
    updated: %s
  - id: old
    question: Where can I park my car?
    answer: In the garage.
    updated: %s
    owner: "@ann"
  - id: disliked
    question: How do I connect to the printer?
    answer: Floor2.
    updated: %s
    owner: "#it-team"
  - id: quiet
    question: How many holiday days do I get per year?
    answer: 25.
`, day(3), day(400), day(200))
	path := filepath.Join(t.TempDir(), "faq.yaml")
	if err := os.WriteFile(path, []byte(kb), 0o644); err != nil {
		t.Fatal(err)
	}
	b0, err := bot.LoadBase(path)
	if err != nil {
		t.Fatal(err)
	}
	st := &memStore{}
	b := bot.New(b0, bot.Options{Threshold: adminThreshold, Store: st, Recorder: st})
	p := bottest.New(t, b)
	for _, q := range []string{"What is the wifi password?", "Where can I park my car?", "How do I connect to the printer?"} {
		p.Ask(q)
	}
	for i, up := range []bool{false, false, true} {
		b.Vote(context.Background(), bot.Vote{Platform: "test", Channel: "C1", User: fmt.Sprint("U", i), EntryID: "disliked", Up: up})
	}

	if r := p.Ask("/faq stale"); r.Kind != bot.Refusal {
		t.Errorf("a user saw the stale list: %s", r.Text)
	}
	r := p.Admin("/faq stale")
	want := "3 entries may want a look, worst first:\n" +
		"- `disliked` (owner #it-team): 👎 2 of 3 votes; updated " + day(200) + ", 200 days ago\n" +
		"- `old` (owner @\u2060ann): updated " + day(400) + ", 400 days ago\n" +
		"- `quiet`: never asked in the last 90 days"
	if r.Text != want {
		t.Errorf("/faq stale:\n%s\nwant:\n%s", r.Text, want)
	}
	r = p.Admin("/faq stale 365")
	if lines := strings.Split(r.Text, "\n"); len(lines) != 4 || lines[1] != "- `disliked` (owner #it-team): 👎 2 of 3 votes" {
		t.Errorf("/faq stale 365:\n%s", r.Text)
	}
	if r := p.Admin("/faq stale soon"); r.Kind != bot.Refusal || !strings.Contains(r.Text, "Write `/faq stale [days]`.") {
		t.Errorf("/faq stale soon: %s", r.Text)
	}
}

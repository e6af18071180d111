package bot_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/bottest"
	"github.com/faqbot/faqbot/store"
)

// replayBot returns a bot serving a copy of testdata/kb.yaml, reloading
// from it, with a SQLite state database of its own; and the copy's path.
func replayBot(t *testing.T, maxChanged int) (*bot.Bot, string) {
	t.Helper()
	data, err := os.ReadFile("testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "faq.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	kb, err := bot.LoadBase(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), store.Options{Path: filepath.Join(dir, "faqbot.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return bot.New(kb, bot.Options{
		Threshold: adminThreshold,
		Load:      func(context.Context, *bot.Base) (*bot.Base, error) { return bot.LoadBase(path) },
		Recorder:  st, Store: st, MaxChanged: maxChanged,
	}), path
}

// askForReplay asks the questions a replay then asks again: one the
// changed file answers alike, one it answers with another entry, one it
// no longer answers, one it newly answers (twice), and one nobody answers.
func askForReplay(p *bottest.Platform) {
	for _, q := range []string{
		"What is the wifi password?", "How do I connect to the printer?", "Where can I park my car?",
		"can I bring my dog to work", "can I bring my dog to work", "zzz qqq",
	} {
		p.Ask(q)
	}
}

// changeFile replaces the knowledge file at path by testdata/kb-changed.yaml.
func changeFile(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile("testdata/kb-changed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReloadReplaysQuestions(t *testing.T) {
	b, path := replayBot(t, 0)
	p := bottest.New(t, b)
	askForReplay(p)
	changeFile(t, path)
	r := p.Admin("/faq reload")
	lines := strings.Split(r.Text, "\n")
	want := []string{
		"1 answer changes, 1 newly answered, 1 now refused; answered 50.0% → 66.7% of 6 questions in the last 30 days.",
		"- “How do I connect to the printer?” ×1: `printer` (",
		"- “can I bring my dog to work” ×2: no answer (",
		"- “Where can I park my car?” ×1: `parking` (",
	}
	at := -1
	for i, l := range lines {
		if l == want[0] {
			at = i
		}
	}
	if r.Kind != bot.Info || at < 0 || len(lines) < at+len(want) {
		t.Fatalf("reload reply:\n%s", r.Text)
	}
	for i, w := range want[1:] {
		if !strings.HasPrefix(lines[at+1+i], w) {
			t.Errorf("reload reply line %d is %q, want it to start %q", at+1+i, lines[at+1+i], w)
		}
	}
	if r := p.Ask("can I bring my dog to work"); r.Kind != bot.Answer || r.Entry.ID != "pets" {
		t.Errorf("the new file does not serve: %+v", r)
	}
}

func TestMaxChangedRefusesReload(t *testing.T) {
	b, path := replayBot(t, 1)
	p := bottest.New(t, b)
	askForReplay(p)
	old := b.Base()
	changeFile(t, path)
	r := p.Admin("/faq reload")
	if r.Kind != bot.Refusal || !strings.Contains(r.Text, "reload.max_changed: 2 questions of the last 30 days would lose their answer or get another one, more than the 1 allowed") ||
		!strings.Contains(r.Text, "- “Where can I park my car?” ×1: `parking` (") {
		t.Errorf("reload reply:\n%s", r.Text)
	}
	if b.Base() != old {
		t.Error("a refused reload swapped the knowledge base")
	}

	// Two allowed: the same change goes through.
	b, path = replayBot(t, 2)
	p = bottest.New(t, b)
	askForReplay(p)
	changeFile(t, path)
	if r := p.Admin("/faq reload"); r.Kind != bot.Info {
		t.Errorf("reload within max_changed: %s", r.Text)
	}
}

// TestMaxChangedWithoutHistory refuses a reload when the limit is set and
// the state database cannot list the questions asked.
func TestMaxChangedWithoutHistory(t *testing.T) {
	st := &memStore{}
	data, _ := os.ReadFile("testdata/kb.yaml")
	path := filepath.Join(t.TempDir(), "faq.yaml")
	os.WriteFile(path, data, 0o644)
	kb, err := bot.LoadBase(path)
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(kb, bot.Options{Threshold: adminThreshold, Store: st, MaxChanged: 3,
		Load: func(context.Context, *bot.Base) (*bot.Base, error) { return bot.LoadBase(path) }})
	r := bottest.New(t, b).Admin("/faq reload")
	if r.Kind != bot.Refusal || !strings.Contains(r.Text, "reload.max_changed is set, but the bot keeps no history of questions to replay") {
		t.Errorf("reload reply:\n%s", r.Text)
	}
}

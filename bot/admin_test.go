package bot_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/bottest"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/knowledge/match"
)

// memStore is an in-memory state database: a fake of package store.
type memStore struct {
	mu      sync.Mutex
	failing bool
	asked   []bot.Asked
	votes   []bot.Vote
	edits   []bot.Edit
}

func (s *memStore) RecordQuestion(_ context.Context, q bot.Asked) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, q)
	return nil
}

func (s *memStore) RecordVote(_ context.Context, v bot.Vote) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.votes = append(s.votes, v)
	return nil
}

func (s *memStore) RecordReload(context.Context, bot.Reloaded) error { return nil }

func (s *memStore) RecordEdit(_ context.Context, e bot.Edit) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.edits = append(s.edits, e)
	return nil
}

func (s *memStore) Unanswered(_ context.Context, since time.Time, limit int) ([]bot.Unanswered, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing {
		return nil, errors.New("database is locked")
	}
	byText := map[string]*bot.Unanswered{}
	var out []*bot.Unanswered
	for _, q := range s.asked {
		if q.Time.Before(since) || q.Outcome == match.Answered || q.Origin == bot.Overheard {
			continue
		}
		u, ok := byText[q.Text]
		if !ok {
			u = &bot.Unanswered{Text: q.Text}
			byText[q.Text] = u
			out = append(out, u)
		}
		u.Count++
		u.Last, u.BestID = q.Time, q.BestID
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	var res []bot.Unanswered
	for i, u := range out {
		if i == limit {
			break
		}
		res = append(res, *u)
	}
	return res, nil
}

func (s *memStore) Stats(_ context.Context, since time.Time) (bot.Stats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var st bot.Stats
	entries := map[string]*bot.EntryStats{}
	entry := func(id string) *bot.EntryStats {
		if entries[id] == nil {
			entries[id] = &bot.EntryStats{ID: id}
		}
		return entries[id]
	}
	for _, q := range s.asked {
		if q.Time.Before(since) {
			continue
		}
		day := q.Time.UTC().Truncate(24 * time.Hour)
		if n := len(st.Days); n == 0 || !st.Days[n-1].Day.Equal(day) {
			st.Days = append(st.Days, bot.DayStats{Day: day})
		}
		d := &st.Days[len(st.Days)-1]
		d.Questions++
		if q.EntryID != "" {
			d.Answered++
			entry(q.EntryID).Answered++
		}
	}
	for _, v := range s.votes {
		if v.Up {
			entry(v.EntryID).Up++
		} else {
			entry(v.EntryID).Down++
		}
	}
	for _, e := range entries {
		st.Entries = append(st.Entries, *e)
	}
	sort.Slice(st.Entries, func(i, j int) bool { return st.Entries[i].ID < st.Entries[j].ID })
	return st, nil
}

// adminThreshold is the threshold of the bots in these tests.
const adminThreshold = 0.85

// guess is how /faq unanswered ends the line of text: with the best guess
// of the knowledge base being served.
func guess(b *bot.Bot, text string) string {
	best, ok := b.Base().Search(text).Best()
	if !ok || best.Confidence < 0.05 {
		return ". No close entry."
	}
	return fmt.Sprintf(". Best guess: `%s` (%.2f)", best.Entry.ID, float64(int(best.Confidence*1000+0.5))/1000)
}

// adminBot returns a bot serving a copy of testdata/kb.yaml, reloading from
// it, with st as its state database.
func adminBot(t *testing.T, st *memStore, gate bot.Gate) (*bot.Bot, string) {
	t.Helper()
	data, err := os.ReadFile("testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "faq.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	kb, err := bot.LoadBase(path)
	if err != nil {
		t.Fatal(err)
	}
	// A high threshold answers only the knowledge file's own phrasings, so
	// that what goes unanswered does not hang on the matcher's tuning.
	return bot.New(kb, bot.Options{
		Threshold: adminThreshold, QuestionWords: config.DefaultQuestionWords(),
		Load:     func(context.Context, *bot.Base) (*bot.Base, error) { return bot.LoadBase(path) },
		Recorder: st, Store: st, Gate: gate,
	}), path
}

func TestUnansweredAndPromote(t *testing.T) {
	st := &memStore{}
	b, path := adminBot(t, st, nil)
	p := bottest.New(t, b)
	for _, q := range []string{
		"canteen opening hours", "Canteen opening hours?", "the canteen's opening hours", "canteen openng hours",
		"can I bring my dog to work", "can I bring my dog to work",
		"What is the wifi password?", // answered
	} {
		p.Ask(q)
	}
	p.Send(bot.Message{Text: "does anyone know the canteen menu?", Origin: bot.Overheard})

	if r := p.Ask("/faq unanswered"); r.Kind != bot.Refusal {
		t.Errorf("a user saw the unanswered list: %q", r.Text)
	}
	r := p.Admin("/faq unanswered")
	lines := strings.Split(r.Text, "\n")
	if len(lines) != 4 ||
		lines[1] != "1. “canteen opening hours” ×4 (also “Canteen opening hours?”, “canteen openng hours”, “the canteen's opening hours”)"+guess(b, "canteen opening hours") ||
		lines[2] != "2. “can I bring my dog to work” ×2"+guess(b, "can I bring my dog to work") {
		t.Fatalf("unanswered list:\n%s", r.Text)
	}

	// Promote the dog question into an entry the admin names.
	before, _ := os.ReadFile(path)
	r = p.Admin("/faq promote 2 to parking")
	if r.Kind != bot.Info || !strings.Contains(r.Text, "Added “can I bring my dog to work” as a phrasing of `parking` in faq.yaml.") ||
		!strings.Contains(r.Text, "Changed: `parking`") {
		t.Fatalf("promote reply: %q", r.Text)
	}
	after, _ := os.ReadFile(path)
	if want := strings.Replace(string(before), "  - id: parking\n    question: Where can I park my car?\n",
		"  - id: parking\n    question: Where can I park my car?\n    alternates:\n      - can I bring my dog to work\n", 1); string(after) != want {
		t.Errorf("file after promote:\n%s", after)
	}
	if r := p.Ask("can I bring my dog to work"); r.Kind != bot.Answer || r.Entry.ID != "parking" {
		t.Errorf("the promoted question is not answered: %+v", r)
	}
	st.mu.Lock()
	if len(st.edits) != 1 || st.edits[0].EntryID != "parking" || st.edits[0].Phrasing != "can I bring my dog to work" || st.edits[0].By != "test:U1" {
		t.Errorf("edits recorded: %+v", st.edits)
	}
	st.mu.Unlock()

	r = p.Admin("/faq unanswered 30")
	if strings.Contains(r.Text, "dog") || !strings.Contains(r.Text, "(1 question that the knowledge base now answers not shown.)") {
		t.Errorf("list after promote:\n%s", r.Text)
	}
}

// TestPromoteButton runs the command a button carries on another bot (a
// replica, or the same one after a restart) with no list in memory.
func TestPromoteButton(t *testing.T) {
	st := &memStore{}
	b, path := adminBot(t, st, nil)
	p := bottest.New(t, b)
	p.Ask("can I bring my dog to work")
	r := p.Admin("/faq unanswered")
	if len(r.Actions) != 1 || !strings.HasPrefix(r.Actions[0].Label, "1: add as a phrasing of ") {
		t.Fatalf("actions: %+v\n%s", r.Actions, r.Text)
	}
	a := r.Actions[0]
	id := strings.TrimPrefix(a.Label, "1: add as a phrasing of ")
	if !strings.HasPrefix(a.Command, "/faq promote ") || !strings.HasSuffix(a.Command, " to "+id) || len(a.Command) > 100 {
		t.Fatalf("button command %q", a.Command)
	}

	other, _ := adminBot(t, st, nil)
	other = bot.New(b.Base(), bot.Options{Threshold: 0.5, Store: st, Recorder: st,
		Load: func(context.Context, *bot.Base) (*bot.Base, error) { return bot.LoadBase(path) }})
	q := bottest.New(t, other)
	r, _ = q.Send(bot.Message{Text: a.Command, Origin: bot.Command, Admin: true, User: "U7"})
	if r.Kind != bot.Info || !strings.Contains(r.Text, "as a phrasing of `"+id+"`") {
		t.Fatalf("button reply: %q", r.Text)
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), "- can I bring my dog to work") {
		t.Errorf("file after the button:\n%s", data)
	}
	r, _ = q.Send(bot.Message{Text: a.Command, Origin: bot.Command, Admin: true, User: "U7"})
	if r.Kind != bot.Refusal || !strings.Contains(r.Text, "already a phrasing") {
		t.Errorf("pressing the button twice: %q", r.Text)
	}
}

func TestPromoteRefusals(t *testing.T) {
	st := &memStore{}
	b, path := adminBot(t, st, nil)
	p := bottest.New(t, b)
	p.Ask("can I bring my dog to work")
	p.Ask("can I bring my dog to work")
	p.Ask("zzz qqq")
	original, _ := os.ReadFile(path)

	fresh := bottest.New(t, b)
	r, _ := fresh.Send(bot.Message{Text: "/faq promote 1", Admin: true, User: "U9", Origin: bot.Direct})
	for _, tc := range []struct {
		name string
		got  func() bot.Reply
		want string
	}{
		{"no list yet", func() bot.Reply { return r }, "run `/faq unanswered` first"},
		{"not an admin", func() bot.Reply { return p.Ask("/faq promote 1") }, "only admins"},
		{"no argument", func() bot.Reply { return p.Admin("/faq promote") }, "Write `/faq promote <n>`"},
		{"out of range", func() bot.Reply { p.Admin("/faq unanswered"); return p.Admin("/faq promote 9") }, "has 2 questions"},
		{"unknown entry", func() bot.Reply { return p.Admin("/faq promote 1 to nope") }, "There is no entry `nope`"},
		{"no close entry", func() bot.Reply { return p.Admin("/faq promote 2") }, "has no close entry: name one with `/faq promote 2 to <id>`"},
		{"unknown key", func() bot.Reply { return p.Admin("/faq promote 0123abcd to parking") }, "no longer among the unanswered"},
		{"bad days", func() bot.Reply { return p.Admin("/faq unanswered lots") }, "is not a number of days"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.got()
			if r.Kind != bot.Refusal || !strings.Contains(r.Text, tc.want) {
				t.Errorf("reply %q, want a refusal saying %q", r.Text, tc.want)
			}
		})
	}
	if now, _ := os.ReadFile(path); string(now) != string(original) {
		t.Errorf("a refused promote changed the file")
	}
}

// TestPromoteUndoneWhenGateFails: the edit is written, the gate refuses
// the reload, and the edit is undone.
func TestPromoteUndoneWhenGateFails(t *testing.T) {
	st := &memStore{}
	refuse := func(context.Context, *bot.Base, *bot.Base) error {
		return errors.New("reload gate: 2 cases broke")
	}
	b, path := adminBot(t, st, refuse)
	p := bottest.New(t, b)
	p.Ask("canteen opening hours")
	original, _ := os.ReadFile(path)
	before := b.Base()
	p.Admin("/faq unanswered")
	r := p.Admin("/faq promote 1 to parking")
	if r.Kind != bot.Refusal || !strings.Contains(r.Text, "The edit was undone because the reload failed") || !strings.Contains(r.Text, "2 cases broke") {
		t.Errorf("reply: %q", r.Text)
	}
	if now, _ := os.ReadFile(path); string(now) != string(original) {
		t.Errorf("the edit was not undone:\n%s", now)
	}
	if b.Base() != before || len(st.edits) != 0 {
		t.Errorf("the base changed or an edit was recorded")
	}
}

func TestAdminCommandsWithoutStore(t *testing.T) {
	path := "testdata/kb.yaml"
	p := bottest.New(t, newBot(t, &path, bot.Options{}))
	for _, cmd := range []string{"/faq unanswered", "/faq stats"} {
		if r := p.Admin(cmd); r.Kind != bot.Refusal || !strings.Contains(r.Text, "keeps no state database") {
			t.Errorf("%s: %q", cmd, r.Text)
		}
	}
	if r := p.Admin("/faq promote 1"); r.Kind != bot.Refusal || !strings.Contains(r.Text, "no state database") {
		t.Errorf("promote: %q", r.Text)
	}
}

func TestUnansweredWhenStoreFails(t *testing.T) {
	st := &memStore{failing: true}
	b, _ := adminBot(t, st, nil)
	p := bottest.New(t, b)
	if r := p.Ask("What is the wifi password?"); r.Kind != bot.Answer {
		t.Fatalf("no answer with a failing store")
	}
	if r := p.Admin("/faq unanswered"); r.Kind != bot.Refusal || !strings.Contains(r.Text, "database is locked") {
		t.Errorf("reply: %q", r.Text)
	}
}

func TestStats(t *testing.T) {
	st := &memStore{}
	b, _ := adminBot(t, st, nil)
	p := bottest.New(t, b)
	for _, q := range []string{"What is the wifi password?", "What is the wifi password?", "How do I connect to the printer?", "canteen opening hours"} {
		p.Ask(q)
	}
	b.Vote(context.Background(), bot.Vote{Platform: "test", User: "U1", EntryID: "wifi-password", Up: true})
	b.Vote(context.Background(), bot.Vote{Platform: "test", User: "U2", EntryID: "printer", Up: false})

	if r := p.Ask("/faq stats"); r.Kind != bot.Refusal {
		t.Errorf("a user saw the stats: %q", r.Text)
	}
	r := p.Admin("/faq stats 7")
	today := time.Now().UTC().Format(time.DateOnly)
	want := "**Last 7 days**: 4 questions, 3 answered (75%).\n\n" +
		"**Questions per day** (answered):\n- " + today + ": 4 (3)\n\n" +
		"**Top entries**: answers, 👍, 👎\n- `wifi-password`: 2, 👍 1, 👎 0\n- `printer`: 1, 👍 0, 👎 1\n\n" +
		"**Votes**, worst first: 👍, 👎\n- `printer`: 👍 0, 👎 1\n- `wifi-password`: 👍 1, 👎 0\n\n" +
		"**Never asked** (2): `holidays`, `parking`"
	if r.Text != want {
		t.Errorf("stats:\n%s\nwant:\n%s", r.Text, want)
	}
}

func TestReloadGate(t *testing.T) {
	dir := t.TempDir()
	kbData, _ := os.ReadFile("testdata/kb.yaml")
	cases := filepath.Join(dir, "cases.jsonl")
	os.WriteFile(cases, []byte(`{"query": "How do I get on the wireless network?", "expect": "wifi-password"}
{"query": "Where can I park my car?", "expect": "parking"}
{"query": "xylophone zebra quartz", "expect": null}
`), 0o644)
	next := filepath.Join(dir, "next.yaml")
	kb, _ := bot.LoadBase("testdata/kb.yaml")
	b := bot.New(kb, bot.Options{
		Threshold: 0.5,
		Load:      func(context.Context, *bot.Base) (*bot.Base, error) { return bot.LoadBase(next) },
		Gate:      bot.CasesGate(cases, 0.9, 0.5),
	})
	p := bottest.New(t, b)
	// The serving base must pass the cases, or the test proves nothing.
	if err := bot.CasesGate(cases, 1, 0.5)(context.Background(), nil, kb); err != nil {
		t.Fatalf("the serving base fails its own cases: %v", err)
	}

	for _, tc := range []struct {
		name    string
		content string
		want    []string // in the refusal; none for a reload that passes
	}{
		{"unchanged passes", string(kbData), nil},
		{"an alternate removed", strings.Replace(string(kbData), "      - How do I get on the wireless network?\n", "", 1),
			[]string{"handles 66.7% of the 3 cases in cases.jsonl right, below reload.min_accuracy 90.0% (the serving one: 100.0%)",
				"Cases that broke:\n- “How do I get on the wireless network?”: expected `wifi-password`, got"}},
		{"an entry the cases need removed", strings.Replace(string(kbData), "id: parking", "id: car-park", 1),
			[]string{"cases expect entries that", "parking"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(next, []byte(tc.content), 0o644)
			before := b.Base()
			r := p.Admin("/faq reload")
			if tc.want == nil {
				if r.Kind != bot.Info {
					t.Fatalf("refused: %q", r.Text)
				}
				return
			}
			if r.Kind != bot.Refusal || b.Base() != before {
				t.Fatalf("the gate let it through: %q", r.Text)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("refusal does not say %q:\n%s", w, r.Text)
				}
			}
		})
	}
	t.Run("cases named by phrases", func(t *testing.T) {
		byPhrase := filepath.Join(dir, "phrases.jsonl")
		os.WriteFile(byPhrase, []byte(`{"query": "How do I get on the wireless network?", "want": ["board by reception"]}
{"query": "xylophone zebra quartz", "want": null}
`), 0o644)
		g := bot.CasesGate(byPhrase, 0.9, 0.5)
		if err := g(context.Background(), nil, kb); err != nil {
			t.Fatalf("the serving base fails: %v", err)
		}
		without, _ := bot.ParseBase("without.yaml", []byte(strings.Replace(string(kbData), "      - How do I get on the wireless network?\n", "", 1)))
		err := g(context.Background(), kb, without)
		if want := "- “How do I get on the wireless network?”: expected an answer with “board by reception”, got"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the gate says %v; want %q", err, want)
		}
	})
	t.Run("unreadable cases", func(t *testing.T) {
		g := bot.CasesGate(filepath.Join(dir, "missing.jsonl"), 0.9, 0.5)
		if err := g(context.Background(), kb, kb); err == nil || !strings.Contains(err.Error(), "cannot read the cases") {
			t.Errorf("gate with no cases file: %v", err)
		}
	})
}

// TestPromoteInFolder adds a phrasing to an entry of a knowledge base kept
// as a folder of files: the entry's own file is edited, the other is not,
// and the reload after it sees the new phrasing.
func TestPromoteInFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../knowledge/testdata/folder/good")); err != nil {
		t.Fatal(err)
	}
	general, _ := os.ReadFile(filepath.Join(dir, "general.yaml"))
	kb, err := bot.LoadBase(dir)
	if err != nil {
		t.Fatal(err)
	}
	st := &memStore{}
	b := bot.New(kb, bot.Options{
		Threshold: adminThreshold, QuestionWords: config.DefaultQuestionWords(),
		Load:     func(context.Context, *bot.Base) (*bot.Base, error) { return bot.LoadBase(dir) },
		Recorder: st, Store: st,
	})
	p := bottest.New(t, b)
	p.Ask("can I leave my bike in the garage")
	p.Admin("/faq unanswered")
	if r := p.Admin("/faq promote 1 to parking"); r.Kind != bot.Info || !strings.Contains(r.Text, "in parking.yaml") {
		t.Fatalf("promote: %q", r.Text)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "topics", "parking.yaml")); !strings.Contains(string(data), "- can I leave my bike in the garage") {
		t.Errorf("parking.yaml after the promote:\n%s", data)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "general.yaml")); string(data) != string(general) {
		t.Errorf("general.yaml changed:\n%s", data)
	}
	if e, _ := b.Base().Entry("parking"); len(e.Alternates) != 2 {
		t.Errorf("after the reload, parking's alternates are %q", e.Alternates)
	}
}

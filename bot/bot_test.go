package bot_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/bottest"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/knowledge/match"
)

// newBot returns a bot serving testdata/kb.yaml that reloads from *path.
func newBot(t *testing.T, path *string, opts bot.Options) *bot.Bot {
	t.Helper()
	kb, err := bot.LoadBase("testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	opts.Threshold = 0.5
	opts.QuestionWords = config.DefaultQuestionWords()
	opts.Load = func(context.Context, *bot.Base) (*bot.Base, error) { return bot.LoadBase(*path) }
	return bot.New(kb, opts)
}

func TestQuestions(t *testing.T) {
	path := "testdata/kb.yaml"
	p := bottest.New(t, newBot(t, &path, bot.Options{}))
	tests := []struct {
		name  string
		msg   bot.Message
		reply bool
		kind  bot.Kind
		entry string
	}{
		{"direct question", bot.Message{Text: "What is the wifi password?", Origin: bot.Direct}, true, bot.Answer, "wifi-password"},
		{"mention, paraphrased", bot.Message{Text: "how do i connect to the printer", Origin: bot.Mention}, true, bot.Answer, "printer"},
		{"slash command question", bot.Message{Text: "how many holiday days do I get per year", Origin: bot.Command}, true, bot.Answer, "holidays"},
		{"typed with /faq in a DM", bot.Message{Text: "/faq where can I park my car?", Origin: bot.Direct}, true, bot.Answer, "parking"},
		{"off topic", bot.Message{Text: "Who won the football world cup in 1966?", Origin: bot.Direct}, true, bot.Unsure, ""},
		{"from a bot", bot.Message{Text: "What is the wifi password?", Origin: bot.Mention, FromBot: true}, false, 0, ""},
		{"overheard question", bot.Message{Text: "what is the wifi password?", Origin: bot.Overheard}, true, bot.Answer, "wifi-password"},
		{"overheard question word, no mark", bot.Message{Text: "where can I park my car", Origin: bot.Overheard}, true, bot.Answer, "parking"},
		{"overheard statement", bot.Message{Text: "the wifi password is on the board", Origin: bot.Overheard}, false, 0, ""},
		{"overheard question it cannot answer", bot.Message{Text: "Who won the football world cup in 1966?", Origin: bot.Overheard}, false, 0, ""},
		{"empty mention gets help", bot.Message{Text: "", Origin: bot.Mention}, true, bot.Info, ""},
		{"only invisible characters", bot.Message{Text: "\u200b\u200d\u202e", Origin: bot.Direct}, true, bot.Info, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := p.Send(tt.msg)
			if ok != tt.reply {
				t.Fatalf("replied = %v, want %v (reply %+v)", ok, tt.reply, r)
			}
			if !ok {
				return
			}
			if r.Kind != tt.kind {
				t.Fatalf("kind = %v, want %v (text %q)", r.Kind, tt.kind, r.Text)
			}
			if tt.entry != "" && (r.Entry == nil || r.Entry.ID != tt.entry) {
				t.Fatalf("entry = %v, want %s", r.Entry, tt.entry)
			}
		})
	}
}

func TestAnswerCarriesProvenanceAndRelated(t *testing.T) {
	path := "testdata/kb.yaml"
	p := bottest.New(t, newBot(t, &path, bot.Options{}))
	r := p.Ask("What is the wifi password?")
	if r.Entry.Source != "Office handbook" || r.Entry.Updated != "2026-01-15" {
		t.Errorf("provenance = %q, %q", r.Entry.Source, r.Entry.Updated)
	}
	if !strings.Contains(r.Text, "Office-Guest") {
		t.Errorf("answer is not the file's text: %q", r.Text)
	}
	if len(r.Related) != 1 || r.Related[0].ID != "printer" {
		t.Errorf("related = %+v, want printer", r.Related)
	}
	if r.Confidence < 0.5 || r.Confidence > 1 {
		t.Errorf("confidence = %v", r.Confidence)
	}
}

func TestFallbackOffersSuggestions(t *testing.T) {
	path := "testdata/kb.yaml"
	p := bottest.New(t, newBot(t, &path, bot.Options{}))
	r := p.Ask("is there a wireless printer guest thing")
	if r.Kind == bot.Answer {
		t.Skipf("the matcher answered confidently with %s; nothing to check", r.Entry.ID)
	}
	if len(r.Suggestions) == 0 || len(r.Suggestions) > 3 {
		t.Fatalf("suggestions = %+v, want 1 to 3", r.Suggestions)
	}
	r = p.Ask("Who won the football world cup in 1966?")
	if r.Text != "I don't know that one yet. An admin has been told." {
		t.Errorf("fallback = %q, want the file's", r.Text)
	}
}

// TestSuggestionsOnlyWhenPlausible asks a copy of the shipped knowledge file a
// plainly off-topic question and a near miss: the first gets the fallback
// alone, the second the fallback with its guesses. The floor follows the
// threshold: a lower threshold offers guesses for the off-topic question too.
func TestSuggestionsOnlyWhenPlausible(t *testing.T) {
	kb, err := bot.LoadBase("../knowledge/testdata/palestine.yaml") // a copy of the shipped file
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		threshold float64
		question  string
		want      string // an id among the suggestions, or "" for none at all
	}{
		{"off topic", 0.5, "what's the weather tomorrow?", ""},
		{"another off topic", 0.5, "how do I bake bread", ""},
		{"near miss", 0.5, "does russia sell weapons to palestine", "aid"},
		{"near miss, reworded", 0.5, "what is russia's view of the middle east", "history"},
		{"off topic, lower threshold", 0.3, "what's the weather tomorrow?", "history"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := bottest.New(t, bot.New(kb, bot.Options{Threshold: tt.threshold}))
			r := p.Ask(tt.question)
			if r.Kind != bot.Unsure || r.Text != kb.Fallback() {
				t.Fatalf("reply = %v %q, want the fallback %q", r.Kind, r.Text, kb.Fallback())
			}
			var ids []string
			for _, s := range r.Suggestions {
				ids = append(ids, s.ID)
			}
			if tt.want == "" && len(ids) > 0 {
				t.Errorf("suggestions = %v (confidence %v), want none", ids, r.Confidence)
			}
			if tt.want != "" && !slices.Contains(ids, tt.want) {
				t.Errorf("suggestions = %v (confidence %v), want %s among them", ids, r.Confidence, tt.want)
			}
		})
	}
}

func TestCommands(t *testing.T) {
	path := "testdata/kb.yaml"
	p := bottest.New(t, newBot(t, &path, bot.Options{}))
	tests := []struct {
		text    string
		admin   bool
		kind    bot.Kind
		entry   string
		contain []string
	}{
		{"/faq help", false, bot.Info, "", []string{"Office FAQ", "4 entries", "/faq list"}},
		{"/faq", false, bot.Info, "", []string{"/faq why"}},
		{"help", false, bot.Info, "", []string{"Office FAQ", "/faq list"}},
		{"Help?", false, bot.Info, "", []string{"Office FAQ", "/faq list"}},
		{"help, where do I park my car", false, bot.Answer, "parking", nil},
		{"/faq list", false, bot.Info, "", []string{"`wifi-password`: What is the wifi password?", "`parking`"}},
		{"/faq list printer", false, bot.Info, "", []string{"`printer`"}},
		{"/faq show holidays", false, bot.Answer, "holidays", []string{"25 days"}},
		{"/faq show nope", false, bot.Unsure, "", []string{"no entry with that id"}},
		{"/faq show", false, bot.Refusal, "", []string{"/faq show <id>"}},
		{"/faq why what is the wifi password", false, bot.Info, "", []string{"`wifi-password`", "matched “What is the wifi password?”"}},
		{"/faq why where do I leave my vehicle, and the wifi pasword", false, bot.Info, "", []string{"`parking`", "Words the knowledge file does not have:\n- “vehicle” read as “car”, “park” (similar in meaning)\n- “pasword” read as “password” (a typo)"}},
		{"/faq why where do I leave my vehicel", false, bot.Info, "", []string{"- “vehicel” read as “car”, “park” (similar in meaning to “vehicle”, which it misspells)"}},
		{"/faq why how many holi days", false, bot.Info, "", []string{"- “holi” read as “holiday” (a short form)"}},
		{"/faq why", false, bot.Refusal, "", []string{"/faq why <question>"}},
		{"/faq reload", false, bot.Refusal, "", []string{"only admins"}},
		{"/faq reload", true, bot.Info, "", []string{"Reloaded: 4 entries before, 4 now. Nothing changed."}},
		{"/faq frobnicate", false, bot.Answer, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r, ok := p.Send(bot.Message{Text: tt.text, Origin: bot.Direct, Admin: tt.admin})
			if !ok {
				t.Fatal("no reply")
			}
			if tt.text == "/faq frobnicate" {
				// Not a command: a (meaningless) question, never an error.
				if r.Kind == bot.Refusal {
					t.Fatalf("a question starting with an unknown word was refused: %q", r.Text)
				}
				return
			}
			if r.Kind != tt.kind {
				t.Fatalf("kind = %v, want %v: %q", r.Kind, tt.kind, r.Text)
			}
			if tt.entry != "" && r.Entry.ID != tt.entry {
				t.Fatalf("entry = %s, want %s", r.Entry.ID, tt.entry)
			}
			for _, c := range tt.contain {
				if !strings.Contains(r.Text, c) {
					t.Errorf("reply lacks %q:\n%s", c, r.Text)
				}
			}
		})
	}
}

func TestSlashCommandText(t *testing.T) {
	path := "testdata/kb.yaml"
	p := bottest.New(t, newBot(t, &path, bot.Options{}))
	r, _ := p.Send(bot.Message{Text: "list", Origin: bot.Command})
	if r.Kind != bot.Info || !strings.Contains(r.Text, "`holidays`") {
		t.Errorf("/faq list as a slash command: %v %q", r.Kind, r.Text)
	}
	r, _ = p.Send(bot.Message{Text: "", Origin: bot.Command})
	if r.Kind != bot.Info || !strings.Contains(r.Text, "/faq help") {
		t.Errorf("bare /faq: %v %q", r.Kind, r.Text)
	}
	// In a plain message, "list" is a question, not a command.
	r, _ = p.Send(bot.Message{Text: "list", Origin: bot.Direct})
	if r.Kind == bot.Info && strings.Contains(r.Text, "`holidays`") {
		t.Errorf("a plain message was taken as a command")
	}
	// Overheard, "help" is not a question: the bot stays out of it.
	if r, ok := p.Send(bot.Message{Text: "help", Origin: bot.Overheard, Channel: "general"}); ok {
		t.Errorf("an overheard \"help\" got a reply: %v %q", r.Kind, r.Text)
	}
}

// TestCourtesy sends greetings and thanks: the file's answer when it has
// one, a short courtesy reply otherwise, never the fallback, and never
// recorded as an unanswered question.
func TestCourtesy(t *testing.T) {
	path := "testdata/kb.yaml"
	rec := &recorder{}
	b := newBot(t, &path, bot.Options{Recorder: rec})
	p := bottest.New(t, b)
	tests := []struct {
		text  string
		kind  bot.Kind
		entry string
		want  string
	}{
		{"thanks!", bot.Info, "", "You're welcome!"},
		{"Thank you so much :)", bot.Info, "", "You're welcome!"},
		{"Hello", bot.Info, "", "`/faq help`"},
		{"good morning!!", bot.Info, "", "`/faq help`"},
		{"hi, where can I park my car?", bot.Answer, "parking", ""},
		{"thanks, and how do I connect to the printer", bot.Answer, "printer", ""},
	}
	for _, tt := range tests {
		r, ok := p.Send(bot.Message{Text: tt.text, Origin: bot.Mention})
		if !ok || r.Kind != tt.kind || (tt.entry != "" && r.Entry.ID != tt.entry) || !strings.Contains(r.Text, tt.want) {
			t.Errorf("%q: %v %v %q", tt.text, ok, r.Kind, r.Text)
		}
	}
	if r, ok := p.Send(bot.Message{Text: "thanks", Origin: bot.Overheard, Channel: "general"}); ok {
		t.Errorf("an overheard thanks got a reply: %v %q", r.Kind, r.Text)
	}
	rec.mu.Lock()
	if len(rec.questions) != 2 {
		t.Errorf("recorded %d questions, want the 2 real ones: %+v", len(rec.questions), rec.questions)
	}
	rec.mu.Unlock()

	// A file that answers a greeting itself is quoted instead.
	path = filepath.Join(t.TempDir(), "kb.yaml")
	kb := "version: 1\nentries:\n  - id: hello\n    question: Hello\n    alternates: [Hi, Hey there]\n    answer: Welcome to the team channel.\n  - id: parking\n    question: Where can I park my car?\n    answer: In the garage.\n"
	if err := os.WriteFile(path, []byte(kb), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Reload(context.Background(), "test"); err != nil {
		t.Fatal(err)
	}
	if r, _ := p.Send(bot.Message{Text: "hello!", Origin: bot.Mention}); r.Kind != bot.Answer || r.Entry.ID != "hello" {
		t.Errorf("hello with a greeting entry: %v %q", r.Kind, r.Text)
	}
}

func TestWhyDoesNotEchoMentions(t *testing.T) {
	path := "testdata/kb.yaml"
	p := bottest.New(t, newBot(t, &path, bot.Options{}))
	r := p.Ask("/faq why @everyone <!channel> wifi password")
	for _, bad := range []string{"@everyone", "<!channel>"} {
		if strings.Contains(r.Text, bad) {
			t.Errorf("reply repeats %q: %q", bad, r.Text)
		}
	}
}

func TestReload(t *testing.T) {
	path := "testdata/kb.yaml"
	rec := &recorder{}
	b := newBot(t, &path, bot.Options{Recorder: rec})
	p := bottest.New(t, b)

	before := b.Base()
	path = "testdata/kb-broken.yaml"
	r := p.Admin("/faq reload")
	if r.Kind != bot.Refusal || !strings.Contains(r.Text, "keeps serving") || !strings.Contains(r.Text, "kb-broken.yaml:3") {
		t.Errorf("broken reload reply: %q", r.Text)
	}
	if b.Base() != before {
		t.Fatal("a failed reload replaced the knowledge base")
	}
	if r := p.Ask("Where can I park my car?"); r.Kind != bot.Answer {
		t.Fatal("the old knowledge base stopped answering after a failed reload")
	}

	path = "testdata/kb-edited.yaml"
	r = p.Admin("/faq reload")
	want := "Reloaded: 4 entries before, 4 now.\nAdded: `lunch`\nRemoved: `parking`\nChanged: `wifi-password`"
	if r.Text != want {
		t.Errorf("reload reply:\n%s\nwant:\n%s", r.Text, want)
	}
	if b.Base() == before {
		t.Fatal("a good reload did not swap the knowledge base")
	}
	if r := p.Ask("What is the wifi password?"); !strings.Contains(r.Text, "Office-Visitors") {
		t.Errorf("answer after reload: %q", r.Text)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.reloads) != 2 || rec.reloads[0].Err == nil || rec.reloads[1].Err != nil {
		t.Errorf("recorded reloads = %+v", rec.reloads)
	}
}

// TestReloadUnchanged reloads through Loading.LoadReplacing, as faqbot
// does, a file that is the same byte for byte (written again, even): the
// reply says so, the base serving stays, the reload is recorded, and no
// collection is forced; once the file changes, it is reloaded, forcing
// one collection, the confusions' check included.
func TestReloadUnchanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.yaml")
	copyFile := func(from string) {
		t.Helper()
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("testdata/kb.yaml")
	l := bot.Loading{}.Reloading()
	kb, err := l.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	b := bot.New(kb, bot.Options{Recorder: rec, Load: func(_ context.Context, serving *bot.Base) (*bot.Base, error) {
		return l.LoadReplacing(path, serving)
	}})
	p := bottest.New(t, b)

	copyFile("testdata/kb.yaml")
	forced := forcedCollections()
	if r := p.Admin("/faq reload"); r.Kind != bot.Info || r.Text != "The knowledge file is unchanged: 4 entries." {
		t.Errorf("reload reply: %q", r.Text)
	}
	if b.Base() != kb {
		t.Error("a reload of the same file replaced the knowledge base")
	}
	if d, err := b.Reload(context.Background(), "SIGHUP"); err != nil || !d.Unchanged || d.After != 4 {
		t.Errorf("Reload = %+v, %v", d, err)
	}
	if n := forcedCollections() - forced; n != 0 {
		t.Errorf("unchanged reloads forced %d collections, want none", n)
	}

	copyFile("testdata/kb-edited.yaml")
	forced = forcedCollections()
	if r := p.Admin("/faq reload"); !strings.HasPrefix(r.Text, "Reloaded: 4 entries before, 4 now.") {
		t.Errorf("reload reply after a change: %q", r.Text)
	}
	if n := forcedCollections() - forced; n != 1 {
		t.Errorf("a reload forced %d collections, want 1", n)
	}
	if b.Base() == kb {
		t.Fatal("a reload of a changed file kept the knowledge base")
	}
	if r := p.Ask("What is the wifi password?"); !strings.Contains(r.Text, "Office-Visitors") {
		t.Errorf("answer after reload: %q", r.Text)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.reloads) != 3 || !rec.reloads[0].Diff.Unchanged || rec.reloads[2].Diff.Unchanged || rec.reloads[2].Err != nil {
		t.Errorf("recorded reloads = %+v", rec.reloads)
	}
}

// TestReloadRefusedFreesTheNewBase reloads a changed file that the gate
// refuses: the base serving stays, and the one built and refused is handed
// back with one forced collection; a reload whose load fails built nothing
// to hand back and forces none.
func TestReloadRefusedFreesTheNewBase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.yaml")
	data, err := os.ReadFile("testdata/kb-edited.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	l := bot.Loading{}.Reloading()
	kb, err := l.Load("testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(kb, bot.Options{
		Load: func(_ context.Context, serving *bot.Base) (*bot.Base, error) { return l.LoadReplacing(path, serving) },
		Gate: func(context.Context, *bot.Base, *bot.Base) error { return errors.New("refused") },
	})
	forced := forcedCollections()
	if _, err := b.Reload(context.Background(), "test"); err == nil {
		t.Fatal("the gate's refusal was not reported")
	}
	if n := forcedCollections() - forced; n != 1 || b.Base() != kb {
		t.Errorf("a refused reload forced %d collections, want 1; base kept: %v", n, b.Base() == kb)
	}

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	forced = forcedCollections()
	if _, err := b.Reload(context.Background(), "test"); err == nil {
		t.Fatal("a missing file was not reported")
	}
	if n := forcedCollections() - forced; n != 0 {
		t.Errorf("a failed load forced %d collections, want none", n)
	}
}

// TestReloadWarnsOfConfusions reloads a file two of whose entries are asked
// almost the same way: the reload succeeds, and the admin is told which
// phrasing another entry answers.
func TestReloadWarnsOfConfusions(t *testing.T) {
	path := "../knowledge/match/testdata/confusions/kb.yaml"
	p := bottest.New(t, newBot(t, &path, bot.Options{}))
	r := p.Admin("/faq reload")
	want := "Reloaded: 4 entries before, 5 now." // and the ids, then:
	warning := "\n\nWarning: 1 phrasing is answered with another entry, asked word for word:\n" +
		"- `oil-when` “Do I need to change my oil?” → `oil-how` “What do I need to change my oil?”\n" +
		"Reword one of each pair so that a word tells them apart, or merge them; `faqbot check --warnings 0` lists them all."
	if r.Kind != bot.Info || !strings.HasPrefix(r.Text, want) || !strings.HasSuffix(r.Text, warning) {
		t.Errorf("reload reply:\n%s", r.Text)
	}
}

// TestReloadSumsUpManyConfusions reloads a file with more confusions than
// the reply shows: it names the first five and says there are more.
func TestReloadSumsUpManyConfusions(t *testing.T) {
	path := "../knowledge/match/testdata/confusions/many.yaml"
	p := bottest.New(t, newBot(t, &path, bot.Options{}))
	r := p.Admin("/faq reload")
	warning := "\n\nWarning: more than 5 phrasings are answered with another entry, asked word for word; the first 5:\n" +
		"- `a` “parking garage” → `b` “garage parking”\n" +
		"- `b` “garage parking” → `a` “parking garage”\n" +
		"- `c` “printer toner” → `d` “toner printer”\n" +
		"- `d` “toner printer” → `c` “printer toner”\n" +
		"- `e` “laptop charger” → `f` “charger laptop”\n" +
		"Reword one of each pair so that a word tells them apart, or merge them; `faqbot check --warnings 0` lists them all."
	if r.Kind != bot.Info || !strings.HasSuffix(r.Text, warning) {
		t.Errorf("reload reply:\n%s", r.Text)
	}
}

// TestReloadUnderLoad reloads while other goroutines ask; run with -race.
func TestReloadUnderLoad(t *testing.T) {
	path := "testdata/kb.yaml"
	b := newBot(t, &path, bot.Options{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				r, ok := b.Handle(context.Background(), bot.Message{Text: "What is the wifi password?", Origin: bot.Direct})
				if !ok || r.Kind != bot.Answer || r.Entry.ID != "wifi-password" {
					t.Errorf("during reloads: %v %v %+v", ok, r.Kind, r.Entry)
					return
				}
			}
		})
	}
	for range 10 {
		if _, err := b.Reload(context.Background(), "test"); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

func TestReloadNotConfigured(t *testing.T) {
	kb, err := bot.LoadBase("testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(kb, bot.Options{Threshold: 0.5})
	if _, err := b.Reload(context.Background(), "test"); !errors.Is(err, bot.ErrNoReload) {
		t.Errorf("err = %v, want ErrNoReload", err)
	}
}

func TestRecordsQuestionsAndVotes(t *testing.T) {
	path := "testdata/kb.yaml"
	rec := &recorder{failing: true}
	b := newBot(t, &path, bot.Options{Recorder: rec})
	p := bottest.New(t, b)
	// The recorder fails every call: the bot must answer all the same.
	if r := p.Ask("What is the wifi password?"); r.Kind != bot.Answer {
		t.Fatalf("a failing recorder stopped the answer: %v", r.Kind)
	}
	p.Ask("Who won the football world cup in 1966?")
	if r := b.Vote(context.Background(), bot.Vote{Platform: "test", User: "U1", EntryID: "printer", Up: false}); r.Kind != bot.Info {
		t.Errorf("vote reply: %v %q", r.Kind, r.Text)
	}
	if r := b.Vote(context.Background(), bot.Vote{EntryID: "gone"}); r.Kind != bot.Refusal {
		t.Errorf("vote on a missing entry: %v", r.Kind)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.questions) != 2 {
		t.Fatalf("recorded %d questions, want 2", len(rec.questions))
	}
	if q := rec.questions[0]; q.EntryID != "wifi-password" || q.Outcome != match.Answered || q.Platform != "test" || q.Origin != bot.Direct {
		t.Errorf("first question recorded as %+v", q)
	}
	if q := rec.questions[1]; q.EntryID != "" || q.Outcome == match.Answered {
		t.Errorf("unanswered question recorded as %+v", q)
	}
	if len(rec.votes) != 1 || rec.votes[0].EntryID != "printer" {
		t.Errorf("votes = %+v", rec.votes)
	}
}

func TestShowAndComplete(t *testing.T) {
	path := "testdata/kb.yaml"
	b := newBot(t, &path, bot.Options{})
	r, ok := b.Show(bot.Scope{}, "printer")
	if !ok || r.Kind != bot.Answer || r.Entry.ID != "printer" {
		t.Errorf("Show(printer) = %v %+v", ok, r)
	}
	if _, ok := b.Show(bot.Scope{}, "missing"); ok {
		t.Error("Show(missing) succeeded")
	}
	got := b.Complete(bot.Scope{}, "wifi", 25)
	if len(got) == 0 || got[0].ID != "wifi-password" {
		t.Errorf("Complete(wifi) = %+v", got)
	}
}

type recorder struct {
	mu        sync.Mutex
	failing   bool
	questions []bot.Asked
	votes     []bot.Vote
	reloads   []bot.Reloaded
}

func (r *recorder) err() error {
	if r.failing {
		return errors.New("disk full")
	}
	return nil
}

func (r *recorder) RecordQuestion(_ context.Context, q bot.Asked) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.questions = append(r.questions, q)
	return r.err()
}

func (r *recorder) RecordVote(_ context.Context, v bot.Vote) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.votes = append(r.votes, v)
	return r.err()
}

func (r *recorder) RecordReload(_ context.Context, rl bot.Reloaded) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reloads = append(r.reloads, rl)
	return r.err()
}

// TestReloadOfAFileThatIsNotKnowledge points the knowledge file at a
// secret that is not a knowledge file, through a symbolic link, as a
// mistaken or hostile deploy might: /faq reload refuses it, says it is not
// a knowledge file, and quotes none of it.
func TestReloadOfAFileThatIsNotKnowledge(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "shadow")
	if err := os.WriteFile(secret, []byte("root:$6$Tq0c3ZLk$hV8bq9Wm2f1sXy7:20228:0:99999:7:::\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "kb.yaml")
	if err := os.Symlink(secret, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	path := "testdata/kb.yaml"
	b := newBot(t, &path, bot.Options{})
	p := bottest.New(t, b)
	path = link
	r := p.Admin("/faq reload")
	if r.Kind != bot.Refusal || !strings.Contains(r.Text, "is not a knowledge file") {
		t.Errorf("reload reply: %q, want a refusal saying it is not a knowledge file", r.Text)
	}
	if strings.Contains(r.Text, "root") || strings.Contains(r.Text, "Tq0c3ZLk") {
		t.Errorf("the reload reply quotes the file: %q", r.Text)
	}
}

// forcedCollections returns the number of collections the process forced
// so far (runtime.GC, debug.FreeOSMemory).
func forcedCollections() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

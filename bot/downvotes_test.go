package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/bottest"
)

// TestDownvoteWithReason answers a question, takes a 👎 with a reason on
// the answer, and finds both in /faq unanswered with a button that adds
// the question to the entry that comes next; pressing it adds the phrasing.
func TestDownvoteWithReason(t *testing.T) {
	b, _ := bottest.Editable(t, "testdata/kb.yaml", "")
	p := bottest.New(t, b)
	const q = "my laptop cannot connect to the wireless printer"
	r := p.Ask(q)
	if r.Kind != bot.Answer {
		t.Fatalf("%q was not answered: %+v", q, r)
	}
	answered := r.Entry.ID
	ack := b.Vote(context.Background(), bot.Vote{Platform: "test", Channel: "C1", User: "U1", EntryID: answered, Reason: "it is about <!channel> wifi"})
	if ack.Kind != bot.Info || !strings.Contains(ack.Text, "/faq unanswered") {
		t.Errorf("the 👎 was acknowledged with %q", ack.Text)
	}

	list := p.Admin("/faq unanswered")
	for _, want := range []string{"Answers marked 👎", "“" + q + "” answered with `" + answered + "`: 👎 ×1", "it is about", "Perhaps `"} {
		if !strings.Contains(list.Text, want) {
			t.Errorf("/faq unanswered lacks %q:\n%s", want, list.Text)
		}
	}
	if strings.Contains(list.Text, "<!channel>") {
		t.Errorf("the reason pings: %s", list.Text)
	}
	if len(list.Actions) == 0 {
		t.Fatalf("no promote button: %s", list.Text)
	}
	act := list.Actions[len(list.Actions)-1]
	_, to, _ := strings.Cut(act.Command, " to ")
	if to == answered {
		t.Fatalf("the button promotes to the entry voted down: %s", act.Command)
	}
	done := p.Admin(act.Command)
	if done.Kind != bot.Info || !strings.Contains(done.Text, "as a phrasing of `"+to+"`") {
		t.Fatalf("%s -> %q", act.Command, done.Text)
	}
	e, ok := b.Base().Entry(to)
	if !ok || !slices.Contains(e.Alternates, q) {
		t.Errorf("after the promote %s has the alternates %q", to, e.Alternates)
	}
}

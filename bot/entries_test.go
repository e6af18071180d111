package bot_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/bottest"
)

// TestAddAndEditEntries adds an entry from a form, edits another, and
// refuses the bad forms with a clear reason and the file unchanged;
// /faq history lists what was done.
func TestAddAndEditEntries(t *testing.T) {
	b, path := bottest.Editable(t, "testdata/kb.yaml", "# Office FAQ, kept by facilities.\n")
	p := bottest.New(t, b)
	admin := bot.Message{Platform: "test", Channel: "C1", User: "U0ADM", Admin: true}
	ctx := context.Background()

	if r := p.Ask("/faq add"); r.Kind != bot.Refusal || r.Form != nil {
		t.Errorf("a member got the form: %+v", r)
	}
	form := p.Admin("/faq add").Form
	if form == nil || form.Version == "" {
		t.Fatalf("no form for /faq add")
	}
	refusals := []struct {
		name string
		f    bot.EntryForm
		want string
	}{
		{"an empty answer", bot.EntryForm{Question: "Can I bring my dog?", Answer: "  "}, "the answer is empty"},
		{"a duplicate id", bot.EntryForm{ID: "parking", Question: "Can I bring my dog?", Answer: "No."}, `there is already an entry "parking"`},
		{"a question another entry answers", bot.EntryForm{Question: "What's the wifi password?", Answer: "Ask."}, "is already answered by `wifi-password`"},
		{"a file changed meanwhile", bot.EntryForm{Version: "0123456789ab", Question: "Can I bring my dog?", Answer: "No."}, "changed on disk since the form was opened"},
	}
	before, _ := os.ReadFile(path)
	for _, tt := range refusals {
		f := tt.f
		if f.Version == "" {
			f.Version = form.Version
		}
		if r := b.SubmitEntry(ctx, admin, f); r.Kind != bot.Refusal || !strings.Contains(r.Text, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, r.Text, tt.want)
		}
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatalf("a refused form changed the file:\n%s", after)
	}

	f := *form
	// Chat clients and pasted text end lines with CRLF, or U+2028, which
	// a knowledge file may not hold: they are saved as newlines.
	f.Question, f.Alternates, f.Answer, f.Tags = "Can I bring my dog to work?", "Are pets allowed in the office?\r\n", "Only guide dogs.\r\nOther pets stay at home.\u2028Ask at reception.", "office, pets"
	if r := b.SubmitEntry(ctx, admin, f); r.Kind != bot.Info || !strings.Contains(r.Text, "Saved entry `can-i-bring-my-dog-to`") {
		t.Fatalf("add: %q", r.Text)
	}
	if e, ok := b.Base().Entry("can-i-bring-my-dog-to"); !ok || e.Answer != "Only guide dogs.\nOther pets stay at home.\nAsk at reception." {
		t.Errorf("the answer saved: %q", e.Answer)
	}
	if r := p.Ask("are pets allowed in the office"); r.Kind != bot.Answer || r.Entry.ID != "can-i-bring-my-dog-to" {
		t.Errorf("the new entry does not answer: %+v", r)
	}
	edit := p.Admin("/faq edit parking").Form
	if edit == nil || edit.Question != "Where can I park my car?" {
		t.Fatalf("the edit form: %+v", edit)
	}
	edit.Answer = "Parking is in the garage; the card is at reception."
	if r := b.SubmitEntry(ctx, admin, *edit); r.Kind != bot.Info {
		t.Fatalf("edit: %q", r.Text)
	}
	if r := p.Ask("Where can I park my car?"); !strings.Contains(r.Text, "the card is at reception") {
		t.Errorf("the edited answer: %q", r.Text)
	}
	if data, _ := os.ReadFile(path); !strings.HasPrefix(string(data), "# Office FAQ, kept by facilities.\n") {
		t.Errorf("the comment was lost:\n%s", data)
	}
	hist := p.Admin("/faq history")
	for _, want := range []string{"test:U0ADM `can-i-bring-my-dog-to`: new entry: Can I bring my dog to work?", "`parking`: edited entry: Where can I park my car?"} {
		if !strings.Contains(hist.Text, want) {
			t.Errorf("/faq history lacks %q:\n%s", want, hist.Text)
		}
	}
	if h := p.Admin("/faq history parking"); strings.Contains(h.Text, "dog") || !strings.Contains(h.Text, "parking") {
		t.Errorf("/faq history parking:\n%s", h.Text)
	}
}

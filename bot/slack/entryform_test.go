package slack_test

import (
	"os"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot/slack/slackfake"
)

// TestAddEntryByModal runs /faq add on Slack: the admin's slash command
// opens a modal; a form with an empty answer is refused and changes
// nothing; the filled form is written into the knowledge file, checked,
// reloaded and answers at once.
func TestAddEntryByModal(t *testing.T) {
	t.Parallel()
	h := start(t, options{store: true})
	before, err := os.ReadFile(h.kbPath)
	if err != nil {
		t.Fatal(err)
	}
	// open opens form n, counting from 1.
	open := func(n int) slackfake.Request {
		t.Helper()
		d := h.fake.SendSlashCommand(t, slackfake.Command{User: "U0ADMIN", Text: "add"})
		h.fake.WaitAck(t, d.EnvelopeID)
		return h.fake.Wait(t, "the entry form", n, func(r slackfake.Request) bool { return r.Method == "views.open" })[n-1]
	}
	form := open(1)
	if v := form.View(); v["callback_id"] != "faq_entry" {
		t.Fatalf("the form: %v", v)
	}
	send := func(opened slackfake.Request, values map[string]string, want string) {
		t.Helper()
		state := map[string]map[string]string{}
		for k, v := range values {
			state[k] = map[string]string{"value": v}
		}
		d := h.fake.SendView(t, opened, "view_submission", "U0ADMIN", state)
		h.fake.WaitAck(t, d.EnvelopeID)
		h.fake.WaitReply(t, want, func(r slackfake.Request) bool {
			return r.Method == "chat.postEphemeral" && r.User() == "U0ADMIN" && strings.Contains(r.BlockText()+r.Text(), want)
		})
	}
	send(form, map[string]string{"question": "Can I bring my dog to work?", "answer": " "}, "the answer is empty")
	if after, _ := os.ReadFile(h.kbPath); string(after) != string(before) {
		t.Fatalf("a refused form changed the file")
	}
	send(open(2), map[string]string{"id": "dogs", "question": "Can I bring my dog to work?", "alternates": "Are pets allowed?", "answer": "Only *guide dogs*.", "tags": "office"}, "Saved entry `dogs`")
	after, _ := os.ReadFile(h.kbPath)
	if !strings.HasPrefix(string(after), string(before)) || !strings.Contains(string(after), "- id: dogs") {
		t.Errorf("the entry was not appended with the rest of the file kept:\n%s", after)
	}
	m := slackfake.Message{Text: slackfake.WithMention("are pets allowed?"), TS: h.fake.NewTS()}
	h.fake.SendMention(t, m)
	if r := h.fake.WaitReply(t, "the new answer", func(r slackfake.Request) bool { return r.ThreadTS() == m.TS }); !strings.Contains(r.BlockText(), "guide dogs") {
		t.Errorf("the new entry does not answer: %s", r.BlockText())
	}
}

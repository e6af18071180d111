package discord

import (
	"os"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestAddEntryByModal runs /faq add:True on Discord: the admin gets a form
// (a modal); a form with an empty answer is refused and changes nothing;
// the filled form is written into the knowledge file, checked, reloaded
// and answers at once. A member gets no form.
func TestAddEntryByModal(t *testing.T) {
	t.Parallel()
	_, kb, withState := stateful(t)
	h := start(t, withState)
	before, err := os.ReadFile(kb)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.answerTo(h.slash(boolOpt("add"))); got.CallbackType == int(discordgo.InteractionResponseModal) || !strings.Contains(got.Content, "only admins") {
		t.Errorf("a member's /faq add:True -> type %d %q", got.CallbackType, got.Content)
	}
	open := func() string {
		t.Helper()
		form := h.answerTo(h.fake.SendInteraction(slashInteraction(adminUserID, nil, 0, boolOpt("add"))))
		if form.CallbackType != int(discordgo.InteractionResponseModal) || !strings.HasPrefix(form.CustomID, "faq:entry:") || form.Title != "New entry" {
			t.Fatalf("the admin's /faq add:True -> type %d, custom id %q, title %q", form.CallbackType, form.CustomID, form.Title)
		}
		return form.CustomID
	}
	send := func(custom string, values map[string]string) string {
		t.Helper()
		got := h.answerTo(h.fake.SendModalSubmit(&discordgo.Interaction{
			GuildID: guildID, ChannelID: generalID, Member: &discordgo.Member{User: userOf(adminUserID)},
		}, custom, values))
		if !got.Ephemeral() {
			t.Errorf("the form's result is public: %q", got.Content)
		}
		return got.Content
	}
	if got := send(open(), map[string]string{"question": "Can I bring my dog to work?", "answer": "   "}); !strings.Contains(got, "the answer is empty") {
		t.Errorf("an empty answer -> %q", got)
	}
	if after, _ := os.ReadFile(kb); string(after) != string(before) {
		t.Fatal("a refused form changed the file")
	}
	if got := send(open(), map[string]string{"id": "dogs", "question": "Can I bring my dog to work?", "alternates": "Are pets allowed?", "answer": "Only guide dogs.", "tags": ""}); !strings.Contains(got, "Saved entry `dogs`") {
		t.Fatalf("the filled form -> %q", got)
	}
	if after, _ := os.ReadFile(kb); !strings.HasPrefix(string(after), string(before)) {
		t.Errorf("the rest of the file was not kept:\n%s", after)
	}
	if got := h.replyTo(h.say(generalID, "are pets allowed?", true)); !strings.Contains(got.Text(), "guide dogs") {
		t.Errorf("the new entry does not answer: %q", got.Text())
	}
}

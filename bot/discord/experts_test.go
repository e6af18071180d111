package discord

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
)

// TestAskAPerson runs the "Ask a person" round trip on Discord: a question
// the bot cannot answer gets the button; pressing it posts the question,
// with a link to the message, to the experts channel; an expert's reply to
// that post reaches the asker, under their message, pinging nobody.
func TestAskAPerson(t *testing.T) {
	t.Parallel()
	const expertsID, expertID = "500000000000000077", "300000000000000077"
	h := start(t, func(s *setup) {
		g := s.fake.Guilds[0]
		g.Channels = append(g.Channels, &discordgo.Channel{ID: expertsID, GuildID: guildID, Name: "experts", Type: discordgo.ChannelTypeGuildText})
		s.botOptions = func(o *bot.Options) { o.Experts = map[string]string{"discord": expertsID} }
	})
	asked := h.say(generalID, "Who won the football world cup in 1966?", true)
	reply := h.replyTo(asked)
	var ask discordfake.Button
	for _, b := range reply.Buttons() {
		if b.Label == "Ask a person" {
			ask = b
		}
	}
	if ask.CustomID == "" {
		t.Fatalf("no Ask a person button among %+v", reply.Buttons())
	}
	ack := h.answerTo(h.click(ask.CustomID, false))
	if !strings.Contains(ack.Content, "I asked the experts") || !ack.Ephemeral() {
		t.Errorf("the asker was told %q (flags %d)", ack.Content, ack.Flags)
	}
	post := h.fake.WaitSent(t, "the question in the experts channel", func(s discordfake.Sent) bool { return s.Via == "channel" && s.Channel == expertsID })
	link := "https://discord.com/channels/" + guildID + "/" + generalID + "/" + asked.ID
	if txt := post.Content; !strings.Contains(txt, "Who won the football world cup in 1966?") || !strings.Contains(txt, link) {
		t.Errorf("the experts got %q; want the question and %s", txt, link)
	}
	posted := h.fake.Posted(expertsID)
	if len(posted) != 1 {
		t.Fatalf("the bot posted %d messages in the experts channel, want 1", len(posted))
	}
	h.fake.SendMessage(&discordgo.Message{
		ChannelID: expertsID, GuildID: guildID, Author: userOf(expertID), Member: &discordgo.Member{Roles: []string{}},
		Content:          "England, 4-2 against @everyone West Germany.",
		MessageReference: &discordgo.MessageReference{MessageID: posted[0], ChannelID: expertsID, GuildID: guildID},
	})
	told := h.fake.WaitSent(t, "the expert's answer for the asker", func(s discordfake.Sent) bool {
		return s.Via == "channel" && s.Channel == generalID && strings.Contains(s.Content, "An expert answered")
	})
	if told.Reference == nil || told.Reference.MessageID != asked.ID || !strings.Contains(told.Content, "England, 4-2") {
		t.Errorf("the asker was told %q under %+v", told.Content, told.Reference)
	}

	// Under the answer, an admin makes it an entry: the button opens the
	// entry form.
	thanks := h.fake.WaitSent(t, "the thanks under the answer", func(s discordfake.Sent) bool {
		return s.Via == "channel" && s.Channel == expertsID && strings.Contains(s.Content, "passed this on")
	})
	var add discordfake.Button
	for _, b := range thanks.Buttons() {
		if b.Label == "Add as an entry" {
			add = b
		}
	}
	if add.CustomID == "" {
		t.Fatalf("no Add as an entry button among %+v", thanks.Buttons())
	}
	form := h.answerTo(h.fake.SendInteraction(&discordgo.Interaction{
		Type: discordgo.InteractionMessageComponent, GuildID: guildID, ChannelID: expertsID,
		Member:  &discordgo.Member{User: userOf(adminUserID)},
		Message: &discordgo.Message{ID: "800000000000000002", ChannelID: expertsID, Author: userOf(h.fake.BotID())},
		Data:    discordgo.MessageComponentInteractionData{CustomID: add.CustomID, ComponentType: discordgo.ButtonComponent},
	}))
	if form.CallbackType != int(discordgo.InteractionResponseModal) || form.Title != "New entry" {
		t.Fatalf("the button answered with type %d %q, want the entry form", form.CallbackType, form.Title)
	}
	values := map[string]string{}
	for _, row := range form.Components {
		for _, in := range row.Buttons {
			values[in.CustomID] = in.Value
		}
	}
	if values["question"] != "Who won the football world cup in 1966?" || !strings.Contains(values["answer"], "England, 4-2") {
		t.Errorf("the form is not filled with the question and the answer: %q", values)
	}
}

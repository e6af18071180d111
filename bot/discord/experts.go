package discord

import (
	"context"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
)

// escalate posts a question to its experts channel, with a link to the
// message it was asked in, and tells the bot which message it posted, so
// that a reply to it reaches the asker.
func (a *Adapter) escalate(ctx context.Context, e *bot.Escalation) {
	link := ""
	if q := e.Asked; q.ID != "" && q.Origin != bot.Command {
		guild := q.Space
		if guild == "" {
			guild = "@me"
		}
		link = "https://discord.com/channels/" + guild + "/" + q.Channel + "/" + q.ID
	}
	msgs := render(bot.Reply{Kind: bot.Info, Text: bot.EscalationText(*e, link)}, false)
	posted, err := a.s.ChannelMessageSendComplex(e.Channel, &discordgo.MessageSend{
		Content: msgs[0].Content, Embeds: msgs[0].Embeds, AllowedMentions: noMentions(),
	}, discordgo.WithContext(ctx))
	if err != nil {
		a.log.Error("could not post a question to the experts channel", "channel", e.Channel, "error", err)
		return
	}
	a.bot.Escalated(e.Key, posted.ID)
}

// expertReply returns the notice for the asker when m replies to a
// question posted in an experts channel.
func (a *Adapter) expertReply(m *discordgo.Message) (bot.Notice, bool) {
	if m.MessageReference == nil || m.MessageReference.MessageID == "" || m.Author == nil || m.Author.Bot {
		return bot.Notice{}, false
	}
	return a.bot.ExpertAnswered(platform, m.ChannelID, m.MessageReference.MessageID, m.Author.ID, clip(m.Content))
}

// passOn posts the expert's answer m for the asker, under their message,
// and the notice's reply for the experts under m.
func (a *Adapter) passOn(ctx context.Context, m *discordgo.Message, n bot.Notice) {
	var ref *discordgo.MessageReference
	if n.Message != "" {
		failIfGone := false
		ref = &discordgo.MessageReference{MessageID: n.Message, ChannelID: n.Channel, FailIfNotExists: &failIfGone}
	}
	if err := a.send(ctx, n.Channel, ref, n.Reply); err != nil {
		a.log.Error("could not pass an expert's answer on", "channel", n.Channel, "error", err)
	}
	failIfGone := false
	under := &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &failIfGone}
	if err := a.send(ctx, m.ChannelID, under, n.Expert); err != nil {
		a.log.Error("could not thank the expert", "channel", m.ChannelID, "error", err)
	}
}

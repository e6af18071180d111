package discord

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
)

func TestMentionIsAnsweredAsAReply(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		compress bool
	}{{"text frames", false}, {"zlib frames", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, func(s *setup) { s.fake.Compress = tc.compress })
			m := h.say(generalID, "how do I reset my password?", true)
			got := h.replyTo(m)
			if !strings.Contains(got.Content, "Settings > Account") {
				t.Errorf("reply = %q, want the reset-password answer", got.Content)
			}
			if !strings.Contains(got.Content, "\n-# Source: Help centre, Account · updated 2026-03-01") {
				t.Errorf("reply = %q, want the provenance as a subtext footer", got.Content)
			}
			if got.Channel != generalID || got.Reference.ChannelID != generalID || got.Reference.GuildID != guildID {
				t.Errorf("reply went to channel %s with reference %+v", got.Channel, got.Reference)
			}
			if got.Ephemeral() {
				t.Error("a channel reply has the ephemeral flag")
			}
			ids := buttonIDs(got)
			for _, want := range []string{"faq:vote:up:reset-password", "faq:vote:down:reset-password", "faq:show:install"} {
				if !contains(ids, want) {
					t.Errorf("buttons %v lack %s", ids, want)
				}
			}
			if contains(ids, "faq:post:reset-password") {
				t.Errorf("a public reply offers Post publicly: %v", ids)
			}
			if tc.compress {
				checkCompressed(t, h.fake.Frames())
			}
		})
	}
}

// checkCompressed asserts that every frame the fake sent, READY and the
// message among them, went as a zlib binary frame, so the client
// understood compressed frames.
func checkCompressed(t *testing.T, frames []discordfake.Frame) {
	t.Helper()
	dispatches := 0
	for _, f := range frames {
		if f.In {
			continue
		}
		if !f.Compressed {
			t.Errorf("op %d %s was sent uncompressed", f.Op, f.T)
		}
		if f.Op == 0 {
			dispatches++
		}
	}
	if dispatches < 3 {
		t.Errorf("only %d dispatches were sent, want READY, GUILD_CREATE and the message: %+v", dispatches, frames)
	}
}

func TestDirectMessageIsAnswered(t *testing.T) {
	t.Parallel()
	h := start(t)
	m := h.fake.SendMessage(&discordgo.Message{ChannelID: dmID, Content: "Where can I download the Acme app?", Author: userOf(aliceID)})
	got := h.replyTo(m)
	if !strings.Contains(got.Content, "acme.example/download") {
		t.Errorf("reply = %q, want the install answer", got.Content)
	}
	if got.Reference.GuildID != "" {
		t.Errorf("a DM reply references guild %q", got.Reference.GuildID)
	}
}

// TestDirectMessageHelpAndThanks sends "help" and "thanks" in a DM: the
// help, and a courtesy reply rather than the fallback.
func TestDirectMessageHelpAndThanks(t *testing.T) {
	t.Parallel()
	h := start(t)
	for _, tc := range []struct{ text, want string }{
		{"help", "/faq list"},
		{"thanks!", "You're welcome!"},
	} {
		m := h.fake.SendMessage(&discordgo.Message{ChannelID: dmID, Content: tc.text, Author: userOf(aliceID)})
		if got := h.replyTo(m); !strings.Contains(got.Content, tc.want) {
			t.Errorf("%q: reply = %q, want %q in it", tc.text, got.Content, tc.want)
		}
	}
}

// TestSilence sends messages the bot must not answer, then one it must;
// events are handled in order, so once that one is answered the others
// were handled, and the adapter is stopped before counting.
func TestSilence(t *testing.T) {
	t.Parallel()
	h := start(t, func(s *setup) { s.sync = true })
	bot := h.fake.BotID()
	cases := []struct {
		name string
		m    *discordgo.Message
	}{
		{"off-topic question in a listening channel", &discordgo.Message{ChannelID: helpID, GuildID: guildID, Content: "what is the airspeed velocity of an unladen swallow?", Author: userOf(aliceID)}},
		{"statement in a listening channel", &discordgo.Message{ChannelID: helpID, GuildID: guildID, Content: "I reset my password yesterday, all good now", Author: userOf(aliceID)}},
		{"question in a channel that is not listening", &discordgo.Message{ChannelID: generalID, GuildID: guildID, Content: "how do I reset my password?", Author: userOf(aliceID)}},
		{"another bot mentioning the bot", &discordgo.Message{ChannelID: generalID, GuildID: guildID, Content: "<@" + bot + "> how do I reset my password?", Author: &discordgo.User{ID: otherBotID, Username: "otherbot", Bot: true}, Mentions: []*discordgo.User{{ID: bot}}}},
		{"another bot in a DM", &discordgo.Message{ChannelID: dmID, Content: "how do I reset my password?", Author: &discordgo.User{ID: otherBotID, Bot: true}}},
		{"the bot itself", &discordgo.Message{ChannelID: helpID, GuildID: guildID, Content: "how do I reset my password?", Author: &discordgo.User{ID: bot, Bot: true}, Mentions: []*discordgo.User{{ID: bot}}}},
		{"the bot's own id without the bot flag", &discordgo.Message{ChannelID: dmID, Content: "how do I reset my password?", Author: &discordgo.User{ID: bot}}},
		{"a webhook", &discordgo.Message{ChannelID: helpID, GuildID: guildID, Content: "how do I reset my password?", WebhookID: "900", Author: &discordgo.User{ID: "900"}}},
		{"a system message", &discordgo.Message{ChannelID: helpID, GuildID: guildID, Type: discordgo.MessageTypeGuildMemberJoin, Content: "how do I reset my password?", Author: userOf(aliceID)}},
	}
	for _, tc := range cases {
		h.fake.SendMessage(tc.m)
	}
	answered := h.fake.SendMessage(&discordgo.Message{ChannelID: helpID, GuildID: guildID, Content: "How can I change my password?", Author: userOf(aliceID)})
	got := h.replyTo(answered)
	if !strings.Contains(got.Content, "Settings > Account") {
		t.Errorf("a confident question in a listening channel got %q", got.Content)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if n := h.repliesTo(tc.m); n != 0 {
				t.Errorf("got %d replies, want none", n)
			}
		})
	}
	if n := len(h.fake.Sent()); n != 1 {
		t.Errorf("the bot sent %d messages, want only the one answer", n)
	}
}

func TestMentionsInTextPingNobody(t *testing.T) {
	t.Parallel()
	h := start(t)
	// The question is bait, and the answer in the knowledge file holds
	// @everyone, @here, a role and a user mention.
	m := h.say(generalID, "@everyone @here <@&123456789012345678> <@234567890123456789> how do I install the Acme app?", true)
	got := h.replyTo(m)
	if !strings.Contains(got.Content, "acme.example/download") {
		t.Fatalf("reply = %q, want the install answer", got.Content)
	}
	if strings.Contains(got.Content, "@everyone") || strings.Contains(got.Content, "@here") {
		t.Errorf("reply %q holds an intact @everyone or @here", got.Content)
	}
	checkNoPings(t, []discordfake.Sent{got})

	why := h.answerTo(h.slash(strOpt("why", "@everyone <@&123456789012345678> install")))
	if strings.Contains(why.Content, "@everyone") {
		t.Errorf("why echoes an intact @everyone: %q", why.Content)
	}
	checkNoPings(t, []discordfake.Sent{why})
}

func TestLongAnswerGoesInAnEmbed(t *testing.T) {
	t.Parallel()
	h := start(t)
	got := h.replyTo(h.say(generalID, "what are the server rules?", true))
	if got.Content != "" || len(got.Embeds) != 1 {
		t.Fatalf("got content %q and %d embeds, want one embed", got.Content, len(got.Embeds))
	}
	e := got.Embeds[0]
	if n := units(e.Description); n <= maxContent || n > maxDescription {
		t.Errorf("embed description has %d units, want more than %d and at most %d", n, maxContent, maxDescription)
	}
	if e.Title != "What are the server rules?" {
		t.Errorf("embed title = %q", e.Title)
	}
	if e.Footer == nil || e.Footer.Text != "Source: Moderators · updated 2026-02-10" {
		t.Errorf("embed footer = %+v, want the provenance", e.Footer)
	}
	if !contains(buttonIDs(got), "faq:vote:up:server-rules") {
		t.Errorf("buttons %v lack the votes", buttonIDs(got))
	}
}

func TestHugeMessageIsHandledSafely(t *testing.T) {
	t.Parallel()
	h := start(t)
	huge := "how do I reset my password? " + strings.Repeat("@everyone <@&123456789012345678> ", 40000/33)
	m := h.say(generalID, huge, true)
	if len(m.Content) < 40000 {
		t.Fatalf("the test message has only %d bytes", len(m.Content))
	}
	got := h.replyTo(m)
	if n := units(got.Text()); n > maxDescription+maxTitle+maxFooter {
		t.Errorf("reply has %d units", n)
	}
	if strings.Count(got.Text(), "<@&") > 2 {
		t.Errorf("the reply echoes the message's mentions: %.300q", got.Text())
	}
	why := h.answerTo(h.slash(strOpt("why", huge)))
	if n := units(why.Text()); n > maxDescription {
		t.Errorf("why reply has %d units", n)
	}
}

func TestVeryLongAnswerIsSplit(t *testing.T) {
	t.Parallel()
	h := start(t, func(s *setup) { s.kb = longKB(t) })
	t.Run("reply", func(t *testing.T) {
		m := h.say(generalID, "what does the long guide say?", true)
		first := h.replyTo(m)
		last := h.fake.WaitSent(t, "the last piece", func(s discordfake.Sent) bool {
			return s.Via == "channel" && strings.Contains(s.Content, "-# Source: The long guide")
		})
		var pieces []string
		for _, s := range h.fake.Sent() {
			if s.Via == "channel" && s.Channel == generalID && !s.Request.At.Before(first.Request.At) && !s.Request.At.After(last.Request.At) {
				pieces = append(pieces, s.Content)
				if s.Reference != nil && s.Reference.MessageID != m.ID {
					t.Errorf("piece replies to %s", s.Reference.MessageID)
				}
			}
		}
		checkPieces(t, pieces)
		if !contains(buttonIDs(last), "faq:vote:up:long-guide") || len(first.Components) != 0 {
			t.Errorf("buttons: first %v, last %v; want them under the last piece only", buttonIDs(first), buttonIDs(last))
		}
	})
	t.Run("slash", func(t *testing.T) {
		i := h.slash(strOpt("question", "What does the long guide say?"))
		first := h.answerTo(i)
		h.fake.WaitSent(t, "the last follow-up", func(s discordfake.Sent) bool {
			return s.Via == "followup" && s.Interaction == i.ID && strings.Contains(s.Content, "-# Source: The long guide")
		})
		pieces := []string{first.Content}
		for _, s := range h.fake.Sent() {
			if s.Via == "followup" && s.Interaction == i.ID {
				pieces = append(pieces, s.Content)
				if !s.Ephemeral() {
					t.Error("a follow-up of an ephemeral answer is public")
				}
			}
		}
		checkPieces(t, pieces)
	})
}

// TestUnsureWithoutSuggestionsIsSent asks what the knowledge file knows
// nothing like, so that the bot is unsure and has no suggestion to offer:
// the reply must still have text and no empty action row, which Discord
// refuses with 400 (the fake refuses it too, failing the test).
func TestUnsureWithoutSuggestionsIsSent(t *testing.T) {
	t.Parallel()
	h := start(t)
	const gibberish = "xyzzy plugh qwerty"
	for _, tc := range []struct {
		name string
		send func() discordfake.Sent
	}{
		{"mention", func() discordfake.Sent { return h.replyTo(h.say(generalID, gibberish, true)) }},
		{"slash command", func() discordfake.Sent { return h.answerTo(h.slash(strOpt("question", gibberish))) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.send()
			if !strings.Contains(got.Content, "I don't know that one yet") {
				t.Errorf("content %q, want the fallback", got.Content)
			}
			if strings.Contains(got.Content, "Did you mean") || len(got.Components) != 0 {
				t.Errorf("content %q with %d action rows offers suggestions it does not have", got.Content, len(got.Components))
			}
		})
	}
}

// TestBotRoleMentionIsAMention mentions the bot's managed role, as Discord
// clients write it when someone picks the bot's role from the @ menu, in a
// channel where the bot answers only mentions.
func TestBotRoleMentionIsAMention(t *testing.T) {
	t.Parallel()
	h := start(t, func(s *setup) { s.sync = true })
	role := "<@&" + h.fake.BotRole(guildID) + ">"
	for _, tc := range []struct {
		name, content string
		replies       int
	}{
		{"the bot's role", role + " how do I reset my password", 1},
		{"the bot's role, mid-sentence", "hey " + role + ", how do I reset my password", 1},
		{"the bot's role and the bot", role + " <@" + h.fake.BotID() + "> how do I reset my password", 1},
		{"another role", "<@&" + modRoleID + "> how do I reset my password", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := h.fake.SendMessage(&discordgo.Message{ChannelID: generalID, GuildID: guildID, Content: tc.content, Author: userOf(aliceID), Member: &discordgo.Member{Roles: []string{}}})
			// Events are handled in order: once a later mention is
			// answered, m has been handled.
			h.replyTo(h.say(generalID, "can I get a refund for my order?", true))
			if n := h.repliesTo(m); n != tc.replies {
				t.Fatalf("%d replies to %q, want %d", n, tc.content, tc.replies)
			}
			if tc.replies == 1 {
				if got := h.replyTo(m); !strings.Contains(got.Content, "Settings > Account") {
					t.Errorf("reply = %q, want the reset-password answer", got.Content)
				}
			}
		})
	}
}

func TestAdminOnly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"/faq unanswered 7", true},
		{"/faq STATS", true},
		{"/faq promote 1 to reset-password", true},
		{"/faq reload", true},
		{"/faq\u200b  stats", true},
		{"/faq list", false},
		{"/faq", false},
		{"stats", false},
		{"how do I see the stats?", false},
		{"/faqstats", false},
		{"", false},
	} {
		if got := adminOnly(tc.text); got != tc.want {
			t.Errorf("adminOnly(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

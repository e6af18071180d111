package discord

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
)

// maxRead is the number of bytes of a message the adapter reads at all;
// the bot itself reads only bot.MaxQuestion characters of it.
const maxRead = 8 * bot.MaxQuestion

// onMessage answers a message when it is a DM, mentions the bot, or was
// written in a listening channel (only when the answer is confident). At
// most perChannel messages of one channel are worked on at once; the
// channel's further messages wait, in order, and the handler whose
// message is done works on the next one. Past maxWaiting waiting, a
// channel's messages are dropped.
func (a *Adapter) onMessage(s *discordgo.Session, ev *discordgo.MessageCreate) {
	m := ev.Message
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.System || m.WebhookID != "" {
		return
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	self := selfID(s)
	if self == "" || m.Author.ID == self {
		return
	}
	if n, ok := a.expertReply(m); ok {
		if a.seen.First("message:"+m.ID) && a.enter() {
			ctx, done := a.started(true)
			defer done()
			a.passOn(ctx, m, n)
		}
		return
	}
	origin, ok := a.origin(s, m, self)
	if !ok {
		return
	}
	if !a.seen.First("message:" + m.ID) {
		a.log.Debug("dropped a message already handled", "message", m.ID)
		return
	}
	if !a.enter() {
		return
	}
	job := func() {
		ctx, done := a.started(true)
		defer done()
		a.answer(ctx, s, m, origin, self)
	}
	run, waits := a.lanes.Admit(m.ChannelID, job)
	switch {
	case waits:
		a.log.Debug("a message waits for earlier ones of its channel", "channel", m.ChannelID, "message", m.ID, "limit", perChannel)
		return
	case !run:
		a.work.Done() // the job never runs
		// Logged at 1, 2, 4, 8... drops, lest a flood flood the log too.
		if n := a.dropped.Add(1); n&(n-1) == 0 {
			a.log.Warn("dropped a message: too many of its channel wait for replies to go out; is Discord's API slow?",
				"channel", m.ChannelID, "message", m.ID, "waiting", maxWaiting, "dropped_so_far", n)
		}
		return
	}
	// The job that ends runs the channel's next waiting one, if any.
	for ok := true; ok; job, ok = a.lanes.Done(m.ChannelID) {
		job()
	}
}

// answer handles a message the bot reads and sends the reply.
func (a *Adapter) answer(ctx context.Context, s *discordgo.Session, m *discordgo.Message, origin bot.Origin, self string) {
	var roles []string
	var perms int64
	if m.Member != nil {
		roles = m.Member.Roles
		if p, err := s.State.MessagePermissions(m); err == nil {
			perms = p
		}
	}
	msg := bot.Message{
		Platform: platform,
		ID:       m.ID,
		Space:    m.GuildID,
		Channel:  m.ChannelID,
		User:     m.Author.ID,
		UserName: m.Author.Username,
		Text:     stripMention(clip(m.Content), self),
		Origin:   origin,
		Admin:    a.admin(m.Author.ID, roles, perms),
	}
	reply, ok := a.bot.Handle(ctx, msg)
	if !ok {
		return
	}
	if m.GuildID != "" && msg.Admin && reply.Private && adminOnly(msg.Text) {
		a.replyInDM(ctx, m, reply)
		return
	}
	a.reply(ctx, m, reply)
}

// adminOnly reports whether text, a message with the bot's mention
// removed, runs a command whose output is for admins only: the
// unanswered questions, statistics, promotions and reloads. It reads the
// text as the bot does, cleaned.
func adminOnly(text string) bool {
	f := strings.Fields(bot.Clean(text))
	if len(f) < 2 || f[0] != "/faq" {
		return false
	}
	switch strings.ToLower(f[1]) {
	case "unanswered", "stats", "promote", "reload":
		return true
	}
	return false
}

// replyInDM sends an admin command's output, asked for in a server
// channel, to the admin in a DM, and acknowledges it in the channel: a
// channel message cannot be shown to one member only. When the DM cannot
// be sent, the channel reply says why, without the output. In a DM, the
// buttons of the output work for the admins listed by id only (a DM
// carries no roles or permissions), so the others get the output without
// them; its text says how to do the same with a command.
func (a *Adapter) replyInDM(ctx context.Context, m *discordgo.Message, r bot.Reply) {
	if !a.admins[m.Author.ID] {
		r.Actions = nil
	}
	dm, err := a.s.UserChannelCreate(m.Author.ID, discordgo.WithContext(ctx))
	if err == nil {
		err = a.send(ctx, dm.ID, nil, r)
	}
	ack := "Sent you the details in a DM."
	if err != nil {
		a.log.Warn("could not send an admin command's output in a DM", "user", m.Author.ID, "error", err)
		ack = "I could not send you a DM with the details. Allow direct messages from this server's members (the server's Privacy Settings), or use the `/faq` command: only you see its answers."
	}
	a.reply(ctx, m, bot.Reply{Kind: bot.Info, Private: true, Text: ack})
}

// origin says how a message reached the bot, and whether it is one the
// bot reads at all.
func (a *Adapter) origin(s *discordgo.Session, m *discordgo.Message, self string) (bot.Origin, bool) {
	if m.GuildID == "" {
		return bot.Direct, true
	}
	for _, u := range m.Mentions {
		if u != nil && u.ID == self {
			return bot.Mention, true
		}
	}
	if strings.Contains(m.Content, "<@"+self+">") || strings.Contains(m.Content, "<@!"+self+">") {
		return bot.Mention, true
	}
	if role := a.botRole(m.GuildID); role != "" && (slices.Contains(m.MentionRoles, role) || strings.Contains(m.Content, "<@&"+role+">")) {
		return bot.Mention, true
	}
	if a.listening[m.ChannelID] {
		return bot.Overheard, true
	}
	// A thread in a listening channel listens too.
	if ch, err := s.State.Channel(m.ChannelID); err == nil && ch.IsThread() && a.listening[ch.ParentID] {
		return bot.Overheard, true
	}
	return 0, false
}

// reply sends a reply to message m as a Discord reply that pings nobody.
func (a *Adapter) reply(ctx context.Context, m *discordgo.Message, r bot.Reply) {
	failIfGone := false
	ref := &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID, GuildID: m.GuildID, FailIfNotExists: &failIfGone}
	if err := a.send(ctx, m.ChannelID, ref, r); err != nil {
		a.log.Error("could not send a reply", "channel", m.ChannelID, "message", m.ID, "kind", r.Kind.String(), "error", err)
	}
}

// send posts r in channel, in as many messages as it takes, pinging
// nobody; the first one replies to ref, when given.
func (a *Adapter) send(ctx context.Context, channel string, ref *discordgo.MessageReference, r bot.Reply) error {
	return a.sendAll(ctx, channel, ref, render(r, false), noMentions())
}

// sendAll sends rendered messages to channel, the first as a reply to
// ref when it is not nil, notifying only whom allowed lets through.
func (a *Adapter) sendAll(ctx context.Context, channel string, ref *discordgo.MessageReference, msgs []outgoing, allowed *discordgo.MessageAllowedMentions) error {
	for i, out := range msgs {
		msg := &discordgo.MessageSend{
			Content:         out.Content,
			Embeds:          out.Embeds,
			Components:      out.Components,
			AllowedMentions: allowed,
		}
		if i == 0 {
			msg.Reference = ref
		}
		if _, err := a.s.ChannelMessageSendComplex(channel, msg, discordgo.WithContext(ctx)); err != nil {
			return err
		}
	}
	return nil
}

// selfID returns the bot's own user id, known once READY arrived.
func selfID(s *discordgo.Session) string {
	s.State.RLock()
	defer s.State.RUnlock()
	if s.State.User == nil {
		return ""
	}
	return s.State.User.ID
}

// clip cuts text to maxRead bytes at a character boundary: a message of
// any size costs the same.
func clip(text string) string {
	if len(text) <= maxRead {
		return text
	}
	cut := maxRead
	for cut > 0 && !isRuneStart(text[cut]) {
		cut--
	}
	return text[:cut]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// markup matches Discord's mention and emoji tokens: users, roles,
// channels, custom emoji, and @everyone and @here.
var markup = regexp.MustCompile(`<(?:@[!&]?|#)[0-9]+>|<a?:[A-Za-z0-9_~]+:[0-9]+>|@everyone|@here`)

// stripMention removes the bot's own mentions from text, and the other
// mention and emoji tokens too (the bot's role among them): they are
// markup, not words of a question.
func stripMention(text, self string) string {
	text = strings.ReplaceAll(text, "<@"+self+">", " ")
	text = strings.ReplaceAll(text, "<@!"+self+">", " ")
	text = markup.ReplaceAllString(text, " ")
	return strings.TrimSpace(text)
}

// roleTags is the part of a role that says whose managed role it is;
// discordgo's Role leaves its tags out.
type roleTags struct {
	ID   string `json:"id"`
	Tags *struct {
		BotID string `json:"bot_id"`
	} `json:"tags"`
}

// onRaw notes the bot's own managed role in each server, from the raw
// GUILD_CREATE and GUILD_ROLE_CREATE/UPDATE events: Discord creates the
// role when the bot joins, and a member who picks it from the @ menu
// mentions the role (<@&id>) instead of the bot.
func (a *Adapter) onRaw(s *discordgo.Session, e *discordgo.Event) {
	var guild string
	var roles []roleTags
	switch e.Type {
	case "GUILD_CREATE":
		var g struct {
			ID    string     `json:"id"`
			Roles []roleTags `json:"roles"`
		}
		if err := json.Unmarshal(e.RawData, &g); err != nil {
			a.log.Warn("could not read the roles of a server", "error", err)
			return
		}
		guild, roles = g.ID, g.Roles
	case "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE":
		var r struct {
			GuildID string   `json:"guild_id"`
			Role    roleTags `json:"role"`
		}
		if err := json.Unmarshal(e.RawData, &r); err != nil {
			a.log.Warn("could not read a role", "event", e.Type, "error", err)
			return
		}
		guild, roles = r.GuildID, []roleTags{r.Role}
	default:
		return
	}
	self := selfID(s)
	for _, r := range roles {
		if self != "" && guild != "" && r.ID != "" && r.Tags != nil && r.Tags.BotID == self {
			a.rolesMu.Lock()
			a.botRoles[guild] = r.ID
			a.rolesMu.Unlock()
			return
		}
	}
}

// botRole returns the id of the bot's managed role in server guild, or "".
func (a *Adapter) botRole(guild string) string {
	a.rolesMu.RLock()
	defer a.rolesMu.RUnlock()
	return a.botRoles[guild]
}

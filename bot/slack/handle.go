package slack

import (
	"context"
	"log/slog"
	"strings"
	"sync"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/faqbot/faqbot/bot"
)

// handleEvent works on one Events API event: an app mention or a message.
func (a *Adapter) handleEvent(ctx context.Context, ev slackevents.EventsAPIEvent) string {
	if ev.Type == slackevents.AppRateLimited {
		a.log.Warn("Slack is dropping events for this app: it sent more than Slack allows per minute")
		return outcomeIgnored
	}
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok {
		return outcomeIgnored
	}
	if cb.EventID != "" && !a.seen.First("event:"+cb.EventID) {
		return outcomeDuplicate
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		return a.onMention(ctx, ev.TeamID, e)
	case *slackevents.MessageEvent:
		return a.onMessage(ctx, ev.TeamID, e)
	}
	return outcomeIgnored
}

// eventChannel returns the channel an Events API event was written in, or
// "" for an event faqbot does not answer.
func eventChannel(ev slackevents.EventsAPIEvent) string {
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		return e.Channel
	case *slackevents.MessageEvent:
		return e.Channel
	}
	return ""
}

// incoming is a message addressed to the bot or overheard by it.
type incoming struct {
	team, channel, ts, thread, user, text string
	origin                                bot.Origin
}

// isDM reports whether a channel id is a direct message with the bot.
func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }

// workspace returns the workspace a message in channel counts as written
// in, for picking its knowledge base: none for a direct message, which the
// default knowledge base answers wherever it was sent from.
func workspace(team, channel string) string {
	if isDM(channel) {
		return ""
	}
	return team
}

func (a *Adapter) onMention(ctx context.Context, team string, e *slackevents.AppMentionEvent) string {
	self := a.identity()
	if e.BotID != "" || e.User == "" || e.User == self.userID || e.Edited != nil {
		return outcomeIgnored
	}
	if e.Channel == "" {
		a.log.Warn("ignored an app_mention with no channel: there is nowhere to answer it", "user", e.User, "ts", e.TimeStamp)
		return outcomeIgnored
	}
	// A mention also arrives as a message event; whichever comes first is
	// answered.
	if !a.seen.First("msg:" + e.Channel + ":" + e.TimeStamp) {
		return outcomeDuplicate
	}
	in := incoming{team: team, channel: e.Channel, ts: e.TimeStamp, thread: e.ThreadTimeStamp, user: e.User, text: e.Text, origin: bot.Mention}
	if isDM(e.Channel) {
		in.origin = bot.Direct
	} else if in.thread == "" {
		in.thread = e.TimeStamp
	}
	return a.answer(ctx, in)
}

func (a *Adapter) onMessage(ctx context.Context, team string, e *slackevents.MessageEvent) string {
	self := a.identity()
	if !personWrote(e.SubType) {
		a.ignoredSubtypes.note(e.SubType, e.Channel)
		return outcomeIgnored
	}
	if e.BotID != "" || e.User == "" || e.User == self.userID {
		return outcomeIgnored
	}
	if e.Channel == "" {
		a.log.Warn("ignored a message event with no channel: there is nowhere to answer it", "user", e.User, "ts", e.TimeStamp)
		return outcomeIgnored
	}
	if e.SubType == slack.MsgSubTypeFileShare && PlainText(e.Text, self.userID) == "" {
		// A file shared with no words asks nothing.
		return outcomeIgnored
	}
	in := incoming{team: team, channel: e.Channel, ts: e.TimeStamp, thread: e.ThreadTimeStamp, user: e.User, text: e.Text}
	if in.thread != "" && in.thread != in.ts && a.expertAnswered(ctx, in, PlainText(e.Text, self.userID)) {
		return outcomeAnswered
	}
	switch e.ChannelType {
	case "im":
		in.origin = bot.Direct
	case "channel", "group":
		if mentions(e.Text, self.userID) || !a.listening[e.Channel] {
			// Mentions are answered from their app_mention event.
			return outcomeIgnored
		}
		in.origin = bot.Overheard
		if in.thread == "" {
			in.thread = e.TimeStamp
		}
	default:
		return outcomeIgnored
	}
	if !a.seen.First("msg:" + e.Channel + ":" + e.TimeStamp) {
		return outcomeDuplicate
	}
	return a.answer(ctx, in)
}

// personWrote reports whether a message of the given subtype is a person
// writing, which the bot may answer: a plain message (no subtype), one with
// files attached, a thread reply also sent to the channel, and a /me
// message. Every other subtype is Slack reporting something that happened
// (an edit, a deletion, a join, a topic change, a bot's post, ...): see
// https://docs.slack.dev/reference/events/message#subtypes.
func personWrote(subtype string) bool {
	switch subtype {
	case "", slack.MsgSubTypeFileShare, slack.MsgSubTypeThreadBroadcast, slack.MsgSubTypeMeMessage:
		return true
	}
	return false
}

// maxLoggedSubtypes bounds the subtypes subtypeLog remembers; Slack has
// about forty.
const maxLoggedSubtypes = 100

// subtypeLog logs the first ignored message of each subtype at info level,
// so that an admin can see why the bot was silent without a line for every
// edit or join; later ones are logged at debug level.
type subtypeLog struct {
	log  *slog.Logger
	mu   sync.Mutex
	seen map[string]bool
}

func newSubtypeLog(log *slog.Logger) *subtypeLog {
	return &subtypeLog{log: log, seen: map[string]bool{}}
}

// note logs an ignored message of subtype in channel.
func (l *subtypeLog) note(subtype, channel string) {
	l.mu.Lock()
	first := !l.seen[subtype] && len(l.seen) < maxLoggedSubtypes
	if first {
		l.seen[subtype] = true
	}
	l.mu.Unlock()
	if first {
		l.log.Info("ignoring Slack messages of this subtype: they are not a person asking (said once per subtype)", "subtype", subtype, "channel", channel)
		return
	}
	l.log.Debug("ignored a Slack message", "subtype", subtype, "channel", channel)
}

// answer asks the bot about a message and posts its reply: in the thread
// for mentions and overheard questions, and ephemerally to the asker when
// the reply is private (admin output, refusals) in a channel.
func (a *Adapter) answer(ctx context.Context, in incoming) string {
	self := a.identity()
	m := bot.Message{
		Platform: "slack", ID: in.ts, Space: workspace(in.team, in.channel), Channel: in.channel, Thread: in.thread, User: in.user,
		Text: PlainText(in.text, self.userID), Origin: in.origin,
	}
	if in.origin != bot.Overheard {
		m.Admin = a.admins.is(ctx, in.user)
	}
	r, ok := a.bot.Handle(ctx, m)
	if !ok {
		return outcomeSilent
	}
	d := destination{channel: in.channel, thread: in.thread, user: in.user}
	d.ephemeral = r.Private && in.origin != bot.Direct
	return a.deliver(ctx, d, render(r, false))
}

// handleCommand answers a slash command through its response_url:
// ephemerally when the reply is private or ephemeral answers are on.
func (a *Adapter) handleCommand(ctx context.Context, cmd slack.SlashCommand) string {
	if cmd.TriggerID != "" && !a.seen.First("trigger:"+cmd.TriggerID) {
		return outcomeDuplicate
	}
	m := bot.Message{
		Platform: "slack", ID: cmd.TriggerID, Space: workspace(cmd.TeamID, cmd.ChannelID), Channel: cmd.ChannelID, User: cmd.UserID, UserName: cmd.UserName,
		Text: PlainText(cmd.Text, a.identity().userID), Origin: bot.Command,
		Admin: a.admins.is(ctx, cmd.UserID),
	}
	r, ok := a.bot.Handle(ctx, m)
	if !ok {
		return outcomeSilent
	}
	if a.openEntryForm(ctx, cmd.TriggerID, bot.Scope{Platform: "slack", Space: m.Space, Channel: cmd.ChannelID}, r) {
		return outcomeAnswered
	}
	eph := r.Private || a.ephemeral
	d := destination{channel: cmd.ChannelID, user: cmd.UserID, responseURL: cmd.ResponseURL, ephemeral: eph}
	return a.deliver(ctx, d, render(r, eph && r.Kind == bot.Answer))
}

// handleInteraction answers a click on one of the adapter's buttons.
func (a *Adapter) handleInteraction(ctx context.Context, ic slack.InteractionCallback) string {
	if (ic.Type == slack.InteractionTypeViewSubmission || ic.Type == slack.InteractionTypeViewClosed) && ic.View.CallbackID == reasonCallback {
		return a.handleReason(ctx, ic)
	}
	if ic.Type == slack.InteractionTypeViewSubmission && ic.View.CallbackID == entryCallback {
		return a.handleEntryForm(ctx, ic)
	}
	if ic.Type != slack.InteractionTypeBlockActions || len(ic.ActionCallback.BlockActions) == 0 {
		return outcomeIgnored
	}
	if ic.TriggerID != "" && !a.seen.First("trigger:"+ic.TriggerID) {
		return outcomeDuplicate
	}
	act := ic.ActionCallback.BlockActions[0]
	channel := ic.Container.ChannelID
	if channel == "" {
		channel = ic.Channel.ID
	}
	here := destination{channel: channel, thread: ic.Container.ThreadTs, user: ic.User.ID, responseURL: ic.ResponseURL}
	// private is a new message only the clicker sees.
	private := here
	private.ephemeral = true
	scope := bot.Scope{Platform: "slack", Space: workspace(ic.Team.ID, channel), Channel: channel, Direct: isDM(channel)}
	switch {
	case act.ActionID == actionVoteDown && ic.TriggerID != "":
		return a.askReason(ctx, ic, scope, act.Value, private)
	case act.ActionID == actionVoteUp || act.ActionID == actionVoteDown:
		r := a.bot.Vote(ctx, bot.Vote{Platform: "slack", Space: scope.Space, Channel: channel, Direct: scope.Direct, User: ic.User.ID, EntryID: act.Value, Up: act.ActionID == actionVoteUp})
		return a.deliver(ctx, private, render(r, false))
	case act.ActionID == actionShare:
		r, ok := a.bot.Show(scope, act.Value)
		if !ok {
			return a.deliver(ctx, private, render(r, false))
		}
		public := here
		public.ephemeral = false
		outcome := a.deliver(ctx, public, render(r, false))
		if outcome == outcomeAnswered && ic.Container.IsEphemeral {
			a.deleteOriginal(ctx, ic.ResponseURL)
		}
		return outcome
	case strings.HasPrefix(act.ActionID, actionPick):
		r, ok := a.bot.Show(scope, act.Value)
		if !ok {
			return a.deliver(ctx, private, render(r, false))
		}
		// The answer replaces the "Did you mean…" prompt, in place.
		if ic.Container.IsEphemeral {
			d := private
			d.replaceOriginal = true
			return a.deliver(ctx, d, render(r, true))
		}
		d := here
		d.responseURL, d.updateTS = "", ic.Container.MessageTs
		return a.deliver(ctx, d, render(r, false))
	case strings.HasPrefix(act.ActionID, actionCommand):
		// The button runs its command as if the clicker had typed it, with
		// the clicker's own rights: a forged value gains nothing.
		r, ok := a.bot.Handle(ctx, bot.Message{
			Platform: "slack", ID: ic.TriggerID, Space: scope.Space, Channel: channel, User: ic.User.ID,
			Text: act.Value, Origin: bot.Command, Admin: a.admins.is(ctx, ic.User.ID),
		})
		if !ok {
			return outcomeSilent
		}
		if r.Escalate != nil {
			a.escalate(ctx, r.Escalate)
		}
		if a.openEntryForm(ctx, ic.TriggerID, scope, r) {
			return outcomeAnswered
		}
		return a.deliver(ctx, private, render(r, false))
	case strings.HasPrefix(act.ActionID, actionRelated):
		r, ok := a.bot.Show(scope, act.Value)
		return a.deliver(ctx, private, render(r, ok && r.Kind == bot.Answer))
	}
	return outcomeIgnored
}

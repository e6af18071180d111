package slack

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
)

// escalate posts a question to its experts channel, with a link to where
// it was asked, and tells the bot where, so that an answer in that thread
// reaches the asker.
func (a *Adapter) escalate(ctx context.Context, e *bot.Escalation) {
	link := ""
	if ts := e.Asked.ID; strings.Contains(ts, ".") {
		err := a.call(ctx, "chat.getPermalink", func(ctx context.Context) error {
			var err error
			link, err = a.api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: e.Asked.Channel, Ts: ts})
			return err
		})
		if err != nil {
			a.log.Warn("could not link to the question for the experts", "error", a.redact(err))
		}
	}
	msg := render(bot.Reply{Kind: bot.Info, Text: bot.EscalationText(*e, link)}, false)[0]
	var posted string
	err := a.call(ctx, "chat.postMessage", func(ctx context.Context) error {
		var err error
		_, posted, err = a.api.PostMessageContext(ctx, e.Channel, slack.MsgOptionText(msg.text, false), slack.MsgOptionBlocks(msg.blocks...), slack.MsgOptionParse(false))
		return err
	})
	if err != nil {
		a.log.Error("could not post a question to the experts channel", "channel", e.Channel, "error", a.redact(err))
		return
	}
	a.bot.Escalated(e.Key, posted)
}

// expertAnswered passes a reply in a thread of an experts channel on to
// the person who asked, in their thread or DM, and reports whether the
// thread was an escalated question.
func (a *Adapter) expertAnswered(ctx context.Context, in incoming, text string) bool {
	n, ok := a.bot.ExpertAnswered("slack", in.channel, in.thread, in.user, text)
	if !ok {
		return false
	}
	a.deliver(ctx, destination{channel: n.Channel, thread: n.Thread, user: n.User}, render(n.Reply, false))
	a.deliver(ctx, destination{channel: in.channel, thread: in.thread}, render(n.Expert, false))
	return true
}

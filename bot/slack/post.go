package slack

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
)

var _ bot.Poster = (*Adapter)(nil)

// slackMention matches a Slack user mention (<@U…>, <@W…>) or user group
// mention (<!subteam^S…>), the only mentions Post lets through.
var slackMention = regexp.MustCompile(`^(<@[UW][A-Z0-9]+>|<!subteam\^S[A-Z0-9]+>)$`)

// Post posts r in channel, with chat.postMessage as any reply, and a last
// line mentioning those of r.Mentions written as Slack mentions.
func (a *Adapter) Post(ctx context.Context, channel string, r bot.Reply) error {
	msgs := render(r, false)
	if line := mentionLine(r.Mentions); line != "" {
		last := &msgs[len(msgs)-1]
		last.blocks = append(last.blocks, slack.NewSectionBlock(mrkdwnText(line), nil, nil))
	}
	for i, m := range msgs {
		if _, err := a.send(ctx, destination{channel: channel}, m, i == 0); err != nil {
			return errors.New(a.redact(err))
		}
	}
	return nil
}

// mentionLine returns "cc" and the Slack mentions among names, or "".
func mentionLine(names []string) string {
	var ok []string
	for _, n := range names {
		if n = strings.TrimSpace(n); slackMention.MatchString(n) {
			ok = append(ok, n)
		}
	}
	if len(ok) == 0 {
		return ""
	}
	return "cc " + strings.Join(ok, " ")
}

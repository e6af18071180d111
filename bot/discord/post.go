package discord

import (
	"context"
	"regexp"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

var _ bot.Poster = (*Adapter)(nil)

// discordMention matches a Discord user mention (<@id>, <@!id>) or role
// mention (<@&id>), the only mentions Post lets through.
var discordMention = regexp.MustCompile(`^<@([!&]?)([0-9]+)>$`)

// Post posts r in channel, as any reply, with a last line mentioning
// those of r.Mentions written as Discord mentions; the message's allowed
// mentions name exactly those users and roles.
func (a *Adapter) Post(ctx context.Context, channel string, r bot.Reply) error {
	msgs := render(r, false)
	allowed := noMentions()
	var line []string
	for _, n := range r.Mentions {
		m := discordMention.FindStringSubmatch(strings.TrimSpace(n))
		if m == nil {
			continue
		}
		if m[1] == "&" {
			allowed.Roles = append(allowed.Roles, m[2])
		} else {
			allowed.Users = append(allowed.Users, m[2])
		}
		line = append(line, m[0])
	}
	if len(line) > 0 {
		last := &msgs[len(msgs)-1]
		last.Content = strings.TrimSpace(last.Content + "\ncc " + strings.Join(line, " "))
	}
	return a.sendAll(ctx, channel, nil, msgs, allowed)
}

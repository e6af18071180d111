package console

import (
	"context"

	"github.com/faqbot/faqbot/bot"
)

// rating follows the votes typed in the terminal: 👍 (or +1) after an
// answer takes a 👍 on it; 👎 (or -1) asks what was wrong, and the next
// line, empty to skip, is the reason sent with the 👎.
type rating struct {
	// entry is the entry of the last answer, or "".
	entry string
	// awaiting is the entry whose 👎 waits for its reason, or "".
	awaiting string
}

// answered notes the reply just written: an answer can be rated next.
func (r *rating) answered(reply bot.Reply) {
	r.entry = ""
	if reply.Kind == bot.Answer && reply.Entry != nil {
		r.entry = reply.Entry.ID
	}
}

// take handles line if it rates the last answer or is the reason a 👎
// asked for, and returns the reply to write.
func (r *rating) take(ctx context.Context, a *Adapter, line string) (bot.Reply, bool) {
	vote := func(entry string, up bool, reason string) bot.Reply {
		return a.bot.Vote(ctx, bot.Vote{Platform: "console", Channel: "terminal", Direct: true, User: a.cfg.User, EntryID: entry, Up: up, Reason: reason})
	}
	if r.awaiting != "" {
		entry := r.awaiting
		r.awaiting = ""
		return vote(entry, false, line), true
	}
	switch line {
	case "👍", "+1", "👎", "-1":
	default:
		return bot.Reply{}, false
	}
	if r.entry == "" {
		return bot.Reply{Kind: bot.Info, Text: "There is no answer to rate: ask a question first."}, true
	}
	if line == "👍" || line == "+1" {
		entry := r.entry
		r.entry = ""
		return vote(entry, true, ""), true
	}
	r.awaiting, r.entry = r.entry, ""
	return bot.Reply{Kind: bot.Info, Text: "What was wrong with the answer? Type it on one line, or press Enter to skip."}, true
}

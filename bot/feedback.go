package bot

import (
	"context"
	"log/slog"
)

// Vote is a user's 👍 or 👎 on an answer.
type Vote struct {
	Platform string
	// Space and Channel say where the vote was cast (see Message).
	Space   string
	Channel string
	// Direct is true for a vote in a direct message.
	Direct bool
	// Base names the knowledge base of the answer, "" for the default
	// one; the bot sets it.
	Base    string
	User    string
	EntryID string
	Up      bool
	// Reason is why the voter gave a 👎, if they said.
	Reason string
	// Question is the question the answer was given to, or "" for the
	// store to find: the latest the entry answered in the channel.
	Question string
}

// Vote takes a user's feedback on an answer and returns the short private
// acknowledgement to show them.
func (b *Bot) Vote(ctx context.Context, v Vote) Reply {
	if _, ok := b.kb.Load().Entry(v.EntryID); !ok {
		return Reply{Kind: Refusal, Private: true, Text: "That answer is no longer in the knowledge base."}
	}
	v.Base = b.name
	b.log.LogAttrs(ctx, slog.LevelInfo, "feedback", slog.String("platform", v.Platform),
		slog.String("channel", v.Channel), slog.String("entry", v.EntryID), slog.Bool("up", v.Up), slog.Bool("reason", v.Reason != ""))
	if err := b.recorder.RecordVote(ctx, v); err != nil {
		b.log.Warn("could not record a vote", "error", err)
	}
	if v.Up {
		return Reply{Kind: Info, Private: true, Text: "Thanks for the feedback!"}
	}
	return b.offerExpertAfterVote(Reply{Kind: Info, Private: true, Text: "Thanks: the admins will see this answer, and your reason if you gave one, in `/faq unanswered`."}, v)
}

package bot

import (
	"context"
	"log/slog"
)

// Vote is a user's 👍 or 👎 on an answer.
type Vote struct {
	Platform string
	Channel  string
	User     string
	EntryID  string
	Up       bool
}

// Vote takes a user's feedback on an answer and returns the short private
// acknowledgement to show them.
func (b *Bot) Vote(ctx context.Context, v Vote) Reply {
	if _, ok := b.kb.Load().Entry(v.EntryID); !ok {
		return Reply{Kind: Refusal, Private: true, Text: "That answer is no longer in the knowledge base."}
	}
	b.log.LogAttrs(ctx, slog.LevelInfo, "feedback", slog.String("platform", v.Platform),
		slog.String("channel", v.Channel), slog.String("entry", v.EntryID), slog.Bool("up", v.Up))
	if err := b.recorder.RecordVote(ctx, v); err != nil {
		b.log.Warn("could not record a vote", "error", err)
	}
	if v.Up {
		return Reply{Kind: Info, Private: true, Text: "Thanks for the feedback!"}
	}
	return Reply{Kind: Info, Private: true, Text: "Thanks: the admins will look at this answer."}
}

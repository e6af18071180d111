package bot

import (
	"context"
	"fmt"
)

// maxReplayDetails is the number of changed questions a reload reply
// lists under its one-line replay summary.
const maxReplayDetails = 5

// replayReload replays the questions of the last DefaultReplayDays days
// against the serving base and the next one, for a reload. It returns nil
// when the bot keeps no history. When Options.MaxChanged is set, a replay
// that cannot be read, or that changes more answers than it allows, is an
// error that refuses the reload; otherwise a failed replay is logged and
// the reload goes on without it.
func (b *Bot) replayReload(ctx context.Context, old, next *Base) (*ReplayReport, error) {
	h, ok := b.store.(History)
	if !ok {
		if b.maxChange > 0 {
			return nil, fmt.Errorf("reload.max_changed is set, but the bot keeps no history of questions to replay: set store in the config")
		}
		return nil, nil
	}
	rep, err := ReplayHistory(ctx, h, old, next, b.threshold, DefaultReplayDays)
	if err != nil {
		if b.maxChange > 0 {
			return nil, fmt.Errorf("reload.max_changed is set, but the questions to replay could not be read: %w", err)
		}
		b.log.Warn("could not replay the questions asked against the new knowledge base", "error", err)
		return nil, nil
	}
	b.log.Info("replayed the questions asked against the new knowledge base", "summary", rep.Summary())
	if n := rep.Lost(); b.maxChange > 0 && n > b.maxChange {
		return nil, fmt.Errorf("reload.max_changed: %s of the last %s would lose their answer or get another one, more than the %d allowed: %s\n%s",
			plural(n, "question"), plural(rep.Days, "day"), b.maxChange, rep.Summary(), rep.Details(10))
	}
	return &rep, nil
}

// replayNote is what a reload reply says of the replay: its one-line
// summary and the first changes, or "" without one.
func replayNote(rep *ReplayReport) string {
	if rep == nil {
		return ""
	}
	note := "\n\n" + rep.Summary() + "."
	if d := rep.Details(maxReplayDetails); d != "" {
		note += "\n" + d
	}
	return note
}

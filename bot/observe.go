package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/match"
)

// Asked is one question the bot answered or could not answer, as recorded
// for /faq unanswered and /faq stats.
type Asked struct {
	Time time.Time
	// Base names the knowledge base asked, "" for the default one.
	Base     string
	Platform string
	Channel  string
	User     string
	Text     string
	// Origin says how the question reached the bot; overheard questions the
	// bot kept quiet on were not really asked of it.
	Origin Origin
	// EntryID is the entry answered with, or "" when the bot did not answer.
	EntryID string
	// BestID is the best candidate whether or not it was answered with.
	BestID     string
	Confidence float64
	Outcome    match.Outcome
}

// Reloaded is the result of one reload.
type Reloaded struct {
	Time time.Time
	// Base names the knowledge base reloaded, "" for the default one.
	Base string
	By   string
	Diff knowledge.Diff
	// Err is the reason the reload failed, or nil.
	Err error
}

// Recorder keeps what happened: questions, votes and reloads. A Recorder
// that fails must not stop the bot: the bot logs the error and carries on.
type Recorder interface {
	RecordQuestion(ctx context.Context, q Asked) error
	RecordVote(ctx context.Context, v Vote) error
	RecordReload(ctx context.Context, r Reloaded) error
}

// Observer is told of each question and reload as it happens, for metrics.
type Observer interface {
	ObserveQuestion(q Asked, took time.Duration)
	ObserveReload(r Reloaded)
}

// noRecorder records nothing.
type noRecorder struct{}

func (noRecorder) RecordQuestion(context.Context, Asked) error  { return nil }
func (noRecorder) RecordVote(context.Context, Vote) error       { return nil }
func (noRecorder) RecordReload(context.Context, Reloaded) error { return nil }
func (noRecorder) ObserveQuestion(Asked, time.Duration)         {}
func (noRecorder) ObserveReload(Reloaded)                       {}

// asked records and observes one question. A recorder error is logged, never
// returned: the answer matters more than the record.
func (b *Bot) asked(ctx context.Context, q Asked, took time.Duration) {
	q.Base = b.name
	b.observer.ObserveQuestion(q, took)
	if err := b.recorder.RecordQuestion(ctx, q); err != nil {
		b.log.Warn("could not record a question", "error", err)
	}
}

// reloaded records and observes one reload.
func (b *Bot) reloaded(ctx context.Context, r Reloaded) {
	r.Base = b.name
	b.observer.ObserveReload(r)
	if err := b.recorder.RecordReload(ctx, r); err != nil {
		b.log.Warn("could not record a reload", "error", err)
	}
}

// logQuestion writes the log line for one question.
func (b *Bot) logQuestion(ctx context.Context, m Message, q Asked) {
	attrs := []slog.Attr{
		slog.String("platform", m.Platform), slog.String("channel", m.Channel),
		slog.String("origin", m.Origin.String()), slog.String("outcome", q.Outcome.String()),
	}
	if q.BestID != "" {
		attrs = append(attrs, slog.String("entry", q.BestID), slog.Float64("confidence", q.Confidence))
	}
	if b.logText {
		attrs = append(attrs, slog.String("text", q.Text))
	}
	b.log.LogAttrs(ctx, slog.LevelInfo, "question", attrs...)
}

package store

import (
	"context"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// baseFilter limits a query to one knowledge base's records, or none.
type baseFilter struct {
	// where is the SQL condition, with one placeholder when it names a
	// base.
	where string
	base  string
	one   bool
}

// allBases is the filter that keeps the records of every base.
var allBases = baseFilter{where: "1 = 1"}

// args returns the query's arguments: the time bound first, then the
// base's name when the filter names one, then the rest.
func (f baseFilter) args(since any, rest ...any) []any {
	out := []any{since}
	if f.one {
		out = append(out, f.base)
	}
	return append(out, rest...)
}

// BaseView is the state of one knowledge base: what it records is marked
// with the base, and its queries see that base's records only. It serves
// bot.Store, bot.Recorder and bot.History for the base's bot.
type BaseView struct {
	s *Store
	f baseFilter
}

var (
	_ bot.Store    = (*BaseView)(nil)
	_ bot.Recorder = (*BaseView)(nil)
	_ bot.History  = (*BaseView)(nil)
)

// Base returns the view of one knowledge base; "" and "default" name the
// default base, to which every record made before bases existed belongs.
func (s *Store) Base(name string) *BaseView {
	if name == "default" {
		name = ""
	}
	return &BaseView{s: s, f: baseFilter{where: "base = ?", base: name, one: true}}
}

// RecordQuestion records a question asked of the base.
func (v *BaseView) RecordQuestion(ctx context.Context, q bot.Asked) error {
	q.Base = v.f.base
	return v.s.RecordQuestion(ctx, q)
}

// RecordVote records a vote on one of the base's answers.
func (v *BaseView) RecordVote(ctx context.Context, vote bot.Vote) error {
	vote.Base = v.f.base
	return v.s.RecordVote(ctx, vote)
}

// RecordReload records a reload of the base.
func (v *BaseView) RecordReload(ctx context.Context, r bot.Reloaded) error {
	r.Base = v.f.base
	return v.s.RecordReload(ctx, r)
}

// RecordEdit records an edit of the base's knowledge file.
func (v *BaseView) RecordEdit(ctx context.Context, e bot.Edit) error {
	e.Base = v.f.base
	return v.s.RecordEdit(ctx, e)
}

// Unanswered is Store.Unanswered for the base.
func (v *BaseView) Unanswered(ctx context.Context, since time.Time, limit int) ([]bot.Unanswered, error) {
	return v.s.unanswered(ctx, v.f, since, limit)
}

// Stats is Store.Stats for the base.
func (v *BaseView) Stats(ctx context.Context, since time.Time) (bot.Stats, error) {
	return v.s.statsOf(ctx, v.f, since)
}

// Questions is Store.Questions for the base.
func (v *BaseView) Questions(ctx context.Context, since time.Time, limit int) ([]bot.AskedText, error) {
	return v.s.questions(ctx, v.f, since, limit)
}

// Edits is Store.Edits for the base.
func (v *BaseView) Edits(ctx context.Context, since time.Time) ([]bot.Edit, error) {
	return v.s.edits(ctx, v.f, since)
}

// Downvoted is Store.Downvoted for the base.
func (v *BaseView) Downvoted(ctx context.Context, since time.Time, limit int) ([]bot.Downvote, error) {
	return v.s.downvoted(ctx, v.f, since, limit)
}

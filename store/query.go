package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// day is a UTC day in milliseconds.
const day = 24 * 60 * 60 * 1000

// settle waits until what this process queued so far is written, so that
// a query sees the questions asked just before it. A failure to write is
// counted by the writer; the query goes on with what is there.
func (s *Store) settle(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	s.Flush(ctx)
}

// Unanswered returns the distinct texts of the questions asked since the
// given time that the bot did not answer (it did not know, or could not tell
// two entries apart), the most frequent first, at most limit of them.
// Overheard messages the bot kept quiet on are left out: nobody asked the
// bot.
func (s *Store) Unanswered(ctx context.Context, since time.Time, limit int) ([]bot.Unanswered, error) {
	return s.unanswered(ctx, allBases, since, limit)
}

func (s *Store) unanswered(ctx context.Context, f baseFilter, since time.Time, limit int) ([]bot.Unanswered, error) {
	if err := s.unavailable(); err != nil {
		s.errs.Add(1)
		return nil, err
	}
	s.settle(ctx)
	rows, err := s.db.QueryContext(ctx, s.q(`
		SELECT text, COUNT(*), MAX(at), MAX(best_id)
		FROM questions
		WHERE at >= ? AND outcome <> 'answered' AND origin <> 'overheard' AND `+f.where+`
		GROUP BY text
		ORDER BY COUNT(*) DESC, MAX(at) DESC, text
		LIMIT ?`), f.args(since.UnixMilli(), limit)...)
	if err != nil {
		s.errs.Add(1)
		return nil, fmt.Errorf("read unanswered questions: %w", err)
	}
	defer rows.Close()
	var out []bot.Unanswered
	for rows.Next() {
		var u bot.Unanswered
		var last int64
		if err := rows.Scan(&u.Text, &u.Count, &last, &u.BestID); err != nil {
			s.errs.Add(1)
			return nil, fmt.Errorf("read unanswered questions: %w", err)
		}
		u.Last = time.UnixMilli(last).UTC()
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		s.errs.Add(1)
		return nil, fmt.Errorf("read unanswered questions: %w", err)
	}
	return out, nil
}

// Stats returns the questions per UTC day since the given time, and for
// each entry the answers given with it and the votes on them.
func (s *Store) Stats(ctx context.Context, since time.Time) (bot.Stats, error) {
	return s.statsOf(ctx, allBases, since)
}

func (s *Store) statsOf(ctx context.Context, f baseFilter, since time.Time) (bot.Stats, error) {
	if err := s.unavailable(); err != nil {
		s.errs.Add(1)
		return bot.Stats{}, err
	}
	s.settle(ctx)
	st, err := s.stats(ctx, f, since.UnixMilli())
	if err != nil {
		s.errs.Add(1)
		return bot.Stats{}, fmt.Errorf("read statistics: %w", err)
	}
	return st, nil
}

func (s *Store) stats(ctx context.Context, f baseFilter, since int64) (bot.Stats, error) {
	var st bot.Stats
	rows, err := s.db.QueryContext(ctx, s.q(`
		SELECT at / 86400000, COUNT(*), SUM(CASE WHEN outcome = 'answered' THEN 1 ELSE 0 END)
		FROM questions
		WHERE at >= ? AND (origin <> 'overheard' OR outcome = 'answered') AND `+f.where+`
		GROUP BY at / 86400000
		ORDER BY 1`), f.args(since)...)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var d int64
		var ds bot.DayStats
		if err := rows.Scan(&d, &ds.Questions, &ds.Answered); err != nil {
			rows.Close()
			return st, err
		}
		ds.Day = time.UnixMilli(d * day).UTC()
		st.Days = append(st.Days, ds)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}

	entries := map[string]*bot.EntryStats{}
	entry := func(id string) *bot.EntryStats {
		e, ok := entries[id]
		if !ok {
			e = &bot.EntryStats{ID: id}
			entries[id] = e
		}
		return e
	}
	rows, err = s.db.QueryContext(ctx, s.q(`
		SELECT entry_id, COUNT(*) FROM questions
		WHERE at >= ? AND entry_id <> '' AND `+f.where+`
		GROUP BY entry_id`), f.args(since)...)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return st, err
		}
		entry(id).Answered = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}
	rows, err = s.db.QueryContext(ctx, s.q(`
		SELECT entry_id, SUM(up), COUNT(*) - SUM(up) FROM votes
		WHERE at >= ? AND `+f.where+`
		GROUP BY entry_id`), f.args(since)...)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var id string
		var up, down int
		if err := rows.Scan(&id, &up, &down); err != nil {
			rows.Close()
			return st, err
		}
		e := entry(id)
		e.Up, e.Down = up, down
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}
	for _, e := range entries {
		st.Entries = append(st.Entries, *e)
	}
	sort.Slice(st.Entries, func(i, j int) bool { return st.Entries[i].ID < st.Entries[j].ID })
	return st, nil
}

// Reload is one reload as recorded.
type Reload struct {
	Time time.Time
	By   string
	OK   bool
	// Error is why the reload failed, or "".
	Error                   string
	Before, After           int
	Added, Removed, Changed string
}

// Reloads returns the reloads since the given time, the latest first.
func (s *Store) Reloads(ctx context.Context, since time.Time) ([]Reload, error) {
	s.settle(ctx)
	rows, err := s.db.QueryContext(ctx, s.q(`
		SELECT at, by_whom, ok, error, entries_before, entries_after, added, removed, changed
		FROM reloads WHERE at >= ? ORDER BY at DESC`), since.UnixMilli())
	if err != nil {
		s.errs.Add(1)
		return nil, fmt.Errorf("read reloads: %w", err)
	}
	defer rows.Close()
	var out []Reload
	for rows.Next() {
		var r Reload
		var at int64
		var ok int
		if err := rows.Scan(&at, &r.By, &ok, &r.Error, &r.Before, &r.After, &r.Added, &r.Removed, &r.Changed); err != nil {
			s.errs.Add(1)
			return nil, fmt.Errorf("read reloads: %w", err)
		}
		r.Time, r.OK = time.UnixMilli(at).UTC(), ok == 1
		out = append(out, r)
	}
	return out, rows.Err()
}

// Edits returns the edits made from chat since the given time, the latest
// first.
func (s *Store) Edits(ctx context.Context, since time.Time) ([]bot.Edit, error) {
	return s.edits(ctx, allBases, since)
}

func (s *Store) edits(ctx context.Context, f baseFilter, since time.Time) ([]bot.Edit, error) {
	s.settle(ctx)
	rows, err := s.db.QueryContext(ctx, s.q(`
		SELECT at, by_whom, entry_id, phrasing, file, base
		FROM edits WHERE at >= ? AND `+f.where+` ORDER BY at DESC`), f.args(since.UnixMilli())...)
	if err != nil {
		s.errs.Add(1)
		return nil, fmt.Errorf("read edits: %w", err)
	}
	defer rows.Close()
	var out []bot.Edit
	for rows.Next() {
		var e bot.Edit
		var at int64
		if err := rows.Scan(&at, &e.By, &e.EntryID, &e.Phrasing, &e.File, &e.Base); err != nil {
			s.errs.Add(1)
			return nil, fmt.Errorf("read edits: %w", err)
		}
		e.Time = time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// Questions returns the distinct texts of the questions asked of the bot
// since the given time, each with how often it was asked, the most asked
// first, at most limit of them. Messages overheard in listening channels
// are left out: nobody asked the bot. It serves replays (bot.Replay).
func (s *Store) Questions(ctx context.Context, since time.Time, limit int) ([]bot.AskedText, error) {
	return s.questions(ctx, allBases, since, limit)
}

func (s *Store) questions(ctx context.Context, f baseFilter, since time.Time, limit int) ([]bot.AskedText, error) {
	s.settle(ctx)
	rows, err := s.db.QueryContext(ctx, s.q(`
		SELECT text, COUNT(*)
		FROM questions
		WHERE at >= ? AND origin <> 'overheard' AND `+f.where+`
		GROUP BY text
		ORDER BY COUNT(*) DESC, text
		LIMIT ?`), f.args(since.UnixMilli(), limit)...)
	if err != nil {
		s.errs.Add(1)
		return nil, fmt.Errorf("read the questions asked: %w", err)
	}
	defer rows.Close()
	var out []bot.AskedText
	for rows.Next() {
		var a bot.AskedText
		if err := rows.Scan(&a.Text, &a.Count); err != nil {
			s.errs.Add(1)
			return nil, fmt.Errorf("read the questions asked: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		s.errs.Add(1)
		return nil, fmt.Errorf("read the questions asked: %w", err)
	}
	return out, nil
}

// Downvoted returns the 👎 votes since the given time, the latest first, at
// most limit of them, with the question each was about and the reason
// given.
func (s *Store) Downvoted(ctx context.Context, since time.Time, limit int) ([]bot.Downvote, error) {
	return s.downvoted(ctx, allBases, since, limit)
}

func (s *Store) downvoted(ctx context.Context, f baseFilter, since time.Time, limit int) ([]bot.Downvote, error) {
	if err := s.unavailable(); err != nil {
		s.errs.Add(1)
		return nil, err
	}
	s.settle(ctx)
	rows, err := s.db.QueryContext(ctx, s.q(`
		SELECT at, entry_id, question, reason
		FROM votes WHERE at >= ? AND up = 0 AND `+f.where+`
		ORDER BY at DESC LIMIT ?`), f.args(since.UnixMilli(), limit)...)
	if err != nil {
		s.errs.Add(1)
		return nil, fmt.Errorf("read the 👎 votes: %w", err)
	}
	defer rows.Close()
	var out []bot.Downvote
	for rows.Next() {
		var d bot.Downvote
		var at int64
		if err := rows.Scan(&at, &d.EntryID, &d.Question, &d.Reason); err != nil {
			s.errs.Add(1)
			return nil, fmt.Errorf("read the 👎 votes: %w", err)
		}
		d.Time = time.UnixMilli(at).UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

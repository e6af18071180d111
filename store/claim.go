package store

import (
	"context"
	"fmt"
	"time"
)

// ClaimTTL is how long a claimed key stays claimed. Slack and Discord
// redeliver an event within minutes; an hour is ample.
const ClaimTTL = time.Hour

// maxClaimKey is the longest key stored; longer keys are refused, as no
// platform id comes near it.
const maxClaimKey = 256

// Claim records key as handled at now and reports whether this call was the
// first to claim it within ClaimTTL, across every process that shares the
// database. Replicas of the bot behind one PostgreSQL database use it so
// that an event the platform delivers to two of them is answered once. A
// key claimed longer than ClaimTTL ago may be claimed again.
//
// Unlike the records, a claim is written at once, not through the queue:
// the answer waits for it. Callers should bound ctx and, if it fails,
// answer rather than drop the event. While the database is unavailable
// (see Health), Claim fails at once.
func (s *Store) Claim(ctx context.Context, key string, now time.Time) (bool, error) {
	if len(key) > maxClaimKey {
		return false, fmt.Errorf("claim: key of %d bytes, longer than %d", len(key), maxClaimKey)
	}
	if err := s.unavailable(); err != nil {
		return false, fmt.Errorf("claim: %w", err)
	}
	at := millis(now)
	s.sweepClaims(ctx, at)
	// A fresh claim inserts the key; an expired one takes it over; a live
	// one changes no row.
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO claims (key, at) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET at = excluded.at WHERE claims.at < ?`),
		key, at, at-ClaimTTL.Milliseconds())
	if err != nil {
		s.errs.Add(1)
		return false, fmt.Errorf("claim: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim: %w", err)
	}
	return n == 1, nil
}

// sweepClaims deletes expired claims, at most once every tenth of
// ClaimTTL, so that the table holds about an hour of events.
func (s *Store) sweepClaims(ctx context.Context, at int64) {
	last := s.lastSweep.Load()
	if at-last < ClaimTTL.Milliseconds()/10 || !s.lastSweep.CompareAndSwap(last, at) {
		return
	}
	if _, err := s.db.ExecContext(ctx, s.q(`DELETE FROM claims WHERE at < ?`), at-ClaimTTL.Milliseconds()); err != nil {
		s.errs.Add(1)
		s.log.Warn("could not delete expired claims from the state database", "error", err)
	}
}

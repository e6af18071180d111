package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Reconnecting: while the database cannot be reached, or takes no writes,
// it is tried again after minRetry, and each failure doubles the wait, up
// to maxRetry.
const (
	minRetry = time.Second
	maxRetry = 30 * time.Second
	// reachTimeout bounds one attempt to reach the database.
	reachTimeout = 10 * time.Second
)

// ErrUnavailable is wrapped by the errors of queries and claims made while
// the database cannot be reached or takes no writes.
var ErrUnavailable = errors.New("the state database is unavailable")

// Health is what a Store knows of its database, for /readyz and metrics.
type Health struct {
	// Up is true while the database takes writes.
	Up bool
	// Since is when Up last changed, or when the Store started.
	Since time.Time
	// Err is the last failure while the database is not up.
	Err error
	// Waiting is the number of records kept in memory for the database.
	Waiting int
	// Dropped is the number of records dropped since the Store started
	// because the queue was full (see Options.Queue).
	Dropped uint64
	// Problem, when not empty, is what is wrong though the database takes
	// writes, and what to do: its SQLite file was deleted or replaced.
	Problem string
}

// availability follows whether the database is up, and wakes those who
// wait for it.
type availability struct {
	mu    sync.Mutex
	up    bool
	since time.Time
	err   error
	// back is closed when the database comes up, and made anew when it
	// goes down.
	back chan struct{}
	// reported is set once this outage was logged.
	reported bool
	// droppedAt is the count of dropped records when the outage began.
	droppedAt uint64
	// dropsLogged is set once drops were logged in this outage.
	dropsLogged bool
}

// Health returns what the Store knows of its database now.
func (s *Store) Health() Health {
	s.avail.mu.Lock()
	defer s.avail.mu.Unlock()
	h := Health{Up: s.avail.up, Since: s.avail.since, Err: s.avail.err, Waiting: len(s.queue) + int(s.holding.Load()), Dropped: s.dropped.Load()}
	if p := s.problem.Load(); p != nil {
		h.Problem = *p
	}
	return h
}

// unavailable returns nil while the database is up, and otherwise an
// error that says since when it is not, why, and that the Store keeps
// trying.
func (s *Store) unavailable() error {
	s.avail.mu.Lock()
	defer s.avail.mu.Unlock()
	if s.avail.up {
		return nil
	}
	return fmt.Errorf("%w since %s (%v); faqbot keeps trying to reconnect, so try again in a minute", ErrUnavailable, s.avail.since.UTC().Format("15:04:05 UTC"), s.avail.err)
}

// markDown records that the database failed with err. The first failure
// of an outage is logged, once.
func (s *Store) markDown(err error) {
	s.avail.mu.Lock()
	defer s.avail.mu.Unlock()
	s.avail.err = err
	if s.avail.up {
		s.avail.up, s.avail.since = false, time.Now()
		s.avail.back = make(chan struct{})
		s.avail.droppedAt, s.avail.dropsLogged = s.dropped.Load(), false
	}
	if !s.avail.reported {
		s.avail.reported = true
		s.log.Warn("the state database is unavailable; answering anyway, keeping the records to write in memory until it is back, and retrying", "max_records_kept", cap(s.queue)+maxBatch, "error", err)
	}
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// markUp records that the database takes writes, and logs the end of an
// outage.
func (s *Store) markUp() {
	s.avail.mu.Lock()
	defer s.avail.mu.Unlock()
	if s.avail.up {
		return
	}
	if s.avail.reported {
		s.log.Info("the state database is back; writing the records kept meanwhile", "down_for", time.Since(s.avail.since).Round(time.Second).String(),
			"records_kept", len(s.queue)+int(s.holding.Load()), "records_dropped", s.dropped.Load()-s.avail.droppedAt)
	}
	s.avail.up, s.avail.since, s.avail.err, s.avail.reported = true, time.Now(), nil, false
	close(s.avail.back)
}

// droppedOne logs, once an outage, that records are being dropped.
func (s *Store) droppedOne() {
	s.dropped.Add(1)
	s.avail.mu.Lock()
	defer s.avail.mu.Unlock()
	if !s.avail.dropsLogged {
		s.avail.dropsLogged = true
		s.log.Warn("the state database takes records more slowly than they come; dropping new ones until it catches up", "records_kept", cap(s.queue))
	}
}

// waitUp waits until the database is up and reports true, or reports
// false when the Store is closing while the database is still down.
func (s *Store) waitUp() bool {
	for {
		s.avail.mu.Lock()
		up, back := s.avail.up, s.avail.back
		s.avail.mu.Unlock()
		if up {
			return true
		}
		select {
		case <-back:
		case <-s.closing:
			return false
		}
	}
}

// monitor brings the database up, at start and after every failure:
// it makes the schema and reads the salt until that succeeds once, and
// from then on tries a write, waiting minRetry after a failure and twice
// as long after each further one, up to maxRetry. It stops when the Store
// closes.
func (s *Store) monitor() {
	defer close(s.monitored)
	for {
		select {
		case <-s.kick:
		case <-s.closing:
			return
		}
		wait := minRetry
		for {
			ctx, cancel := context.WithTimeout(s.ctx, reachTimeout)
			err := s.reach(ctx)
			cancel()
			if err == nil {
				s.markUp()
				break
			}
			if s.ctx.Err() != nil {
				return // Close stopped it: no outage to report
			}
			s.markDown(err)
			select {
			case <-time.After(wait):
			case <-s.closing:
				return
			}
			wait = min(2*wait, maxRetry)
		}
	}
}

// reach makes the schema and reads the salt, the first time, and tries a
// write, which a database that is full or read-only refuses.
func (s *Store) reach(ctx context.Context) error {
	if !s.initialized {
		if err := s.init(ctx); err != nil {
			return err
		}
		s.initialized = true
		s.pinFile()
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO meta (name, value) VALUES ('reached', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`), time.Now().UTC().Format(time.RFC3339Nano))
	return err
}

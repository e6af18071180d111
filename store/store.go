// Package store keeps faqbot's state in a database: every question asked,
// the feedback votes, the reloads and the edits made from chat. It serves
// /faq unanswered, /faq stats and "faqbot stats".
//
// Two databases sit behind the one Store: SQLite, a file next to the bot
// (through modernc.org/sqlite, pure Go), for one process; and PostgreSQL
// (through github.com/jackc/pgx/v5), for several replicas sharing state.
//
// Writes go through a queue to one writer goroutine, so that a slow, locked,
// full or unwritable database never delays or stops an answer. While the
// database cannot be reached or takes no writes, the records wait in the
// queue, in memory, and are written when it is back; past the queue's
// bound, new records are dropped and counted (see Health). Start opens a
// Store without waiting for its database, and keeps trying to reach it.
package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/logevery"
)

// The drivers Open accepts.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Defaults for Options left zero.
const (
	// DefaultQueue is how many records may wait to be written.
	DefaultQueue = 4096
	// DefaultPruneEvery is how often records past the retention period are
	// deleted.
	DefaultPruneEvery = time.Hour
	// maxBatch is the most records written in one transaction.
	maxBatch = 256
	// writeTimeout bounds one batch, so that a stuck database cannot hold
	// the queue for ever.
	writeTimeout = 10 * time.Second
	// closeWait is how long Close waits for the writer to write what is
	// queued before it gives up on a database that hangs.
	closeWait = 5 * time.Second
)

// Options says which database to open and how to keep it.
type Options struct {
	// Driver is SQLite or Postgres.
	Driver string
	// Path is the SQLite database file. Its folder is created if missing.
	Path string
	// DSN is the PostgreSQL connection string, as a URL or key=value pairs.
	DSN string
	// Retention is how long records are kept; zero keeps them for ever.
	Retention time.Duration
	// PruneEvery is how often old records are deleted; DefaultPruneEvery if
	// zero.
	PruneEvery time.Duration
	// Queue is the number of records that may wait to be written, also
	// while the database is down; DefaultQueue if zero. When it is full,
	// new records are dropped and counted as errors (Health.Dropped).
	Queue int
	// Logger receives write failures and pruning; nil discards them.
	Logger *slog.Logger
	// OnError, if not nil, is called once for every record that could not
	// be written (dropped, or refused by a database that takes others)
	// and every failed pruning, with the operation:
	// record_question, record_vote, record_reload, record_edit or
	// retention; and with "file" when the SQLite file is found deleted or
	// replaced. Errors returned to the caller are not reported here. It
	// suits metrics.Metrics.DatabaseError.
	OnError func(op string)
	// FileCheckEvery is how often the SQLite file at Path is checked to
	// be the one opened (see Health.Problem); DefaultFileCheckEvery if
	// zero.
	FileCheckEvery time.Duration
}

// Store is faqbot's state database. It implements bot.Recorder and
// bot.Store. It is safe for concurrent use.
type Store struct {
	db        *sql.DB
	dialect   dialect
	salt      []byte
	retention time.Duration
	log       *slog.Logger
	onError   func(op string)

	mu     sync.RWMutex // guards closed and sends on queue
	closed bool
	queue  chan item
	done   chan struct{} // closed when the writer has stopped

	stopPrune chan struct{}
	pruned    chan struct{}
	// started is closed once the first pruning after Open is done, or
	// the Store closed before it could be.
	started chan struct{}

	// avail follows whether the database is up; kick wakes monitor
	// when it goes down; closing is closed when Shutdown starts, and
	// monitored when monitor has stopped.
	avail availability
	// ctx is cancelled when Shutdown has waited for the writer as long as
	// its context allows, which ends the database calls still hanging.
	ctx         context.Context
	cancel      context.CancelFunc
	kick        chan struct{}
	closing     chan struct{}
	monitored   chan struct{}
	initialized bool          // the schema is made and the salt read; monitor's after Open
	holding     atomic.Int64  // records the writer holds out of the queue
	dropped     atomic.Uint64 // records dropped because the queue was full

	// path is the SQLite file, "" for PostgreSQL; opened is the file found
	// there when the schema was made; problem, once set, says that the
	// file at path is no longer it; watched is closed when watchFile has
	// stopped.
	path    string
	opened  atomic.Pointer[os.FileInfo]
	problem atomic.Pointer[string]
	watched chan struct{}

	errs      atomic.Uint64
	lastSweep atomic.Int64     // when expired claims were last deleted, in milliseconds
	lostLog   logevery.Counter // records lost, logged once an interval
	closeOnce sync.Once
	closeErr  error
}

var (
	_ bot.Recorder = (*Store)(nil)
	_ bot.Store    = (*Store)(nil)
)

// item is one record waiting to be written, or, with flushed set, a marker
// that the writer closes once everything queued before it is written.
type item struct {
	question *bot.Asked
	vote     *bot.Vote
	reload   *bot.Reloaded
	edit     *bot.Edit
	flushed  chan struct{}
}

// op names the operation of an item for Options.OnError, or "" for a
// flush marker.
func (it item) op() string {
	switch {
	case it.question != nil:
		return "record_question"
	case it.vote != nil:
		return "record_vote"
	case it.reload != nil:
		return "record_reload"
	case it.edit != nil:
		return "record_edit"
	}
	return ""
}

// ErrClosed is returned when a record is offered to a closed Store.
var ErrClosed = errors.New("store: the state database is closed")

// Open opens the database that opts name, creating it or bringing its
// schema up to date, and starts the writer and the pruning of old records.
// It fails when the database cannot be reached before ctx is done. Close
// stops them.
func Open(ctx context.Context, opts Options) (*Store, error) {
	s, err := newStore(opts)
	if err != nil {
		return nil, err
	}
	if err := s.init(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("%s: %w", s.where(opts), err)
	}
	s.initialized = true
	s.pinFile()
	s.markUp()
	s.start(opts)
	return s, nil
}

// Start is Open for a server: it returns at once, and reaches the
// database in the background, again and again with backoff until it
// answers, and again whenever it fails later. Meanwhile records wait in
// the queue, claims and queries fail at once with ErrUnavailable, and
// Health says why. Start fails only on options that no retry can fix: an
// unknown driver, no SQLite path or PostgreSQL connection string, or one
// that does not parse.
func Start(opts Options) (*Store, error) {
	s, err := newStore(opts)
	if err != nil {
		return nil, err
	}
	s.start(opts)
	s.kick <- struct{}{}
	return s, nil
}

// newStore opens the database handle that opts name, without reaching
// the database.
func newStore(opts Options) (*Store, error) {
	var (
		db   *sql.DB
		d    dialect
		path string
		err  error
	)
	switch opts.Driver {
	case SQLite, "":
		db, err = openSQLite(opts.Path)
		d = sqliteDialect{}
		path = opts.Path
	case Postgres:
		db, err = openPostgres(opts.DSN)
		d = postgresDialect{}
	default:
		return nil, fmt.Errorf("store: unknown driver %q: use %q or %q", opts.Driver, SQLite, Postgres)
	}
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, dialect: d, path: path, retention: opts.Retention, log: opts.Logger, onError: opts.OnError}
	if s.onError == nil {
		s.onError = func(string) {}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	queue := opts.Queue
	if queue <= 0 {
		queue = DefaultQueue
	}
	s.queue = make(chan item, queue)
	s.avail = availability{since: time.Now(), err: errors.New("not reached yet"), back: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.kick = make(chan struct{}, 1)
	s.closing = make(chan struct{})
	s.monitored = make(chan struct{})
	return s, nil
}

// start starts the writer, the monitor of the database and the pruning.
func (s *Store) start(opts Options) {
	every := opts.PruneEvery
	if every <= 0 {
		every = DefaultPruneEvery
	}
	check := opts.FileCheckEvery
	if check <= 0 {
		check = DefaultFileCheckEvery
	}
	s.done = make(chan struct{})
	s.stopPrune = make(chan struct{})
	s.pruned = make(chan struct{})
	s.started = make(chan struct{})
	s.watched = make(chan struct{})
	go s.write()
	go s.monitor()
	go s.pruneLoop(every)
	go s.watchFile(check)
}

// where names the database for messages, without a PostgreSQL password.
func (s *Store) where(opts Options) string {
	if opts.Driver == Postgres {
		return "postgres database"
	}
	return "state database " + opts.Path
}

// init migrates the schema and reads (or makes) the salt.
func (s *Store) init(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("cannot connect: %w", err)
	}
	if err := migrate(ctx, s.db, s.dialect); err != nil {
		return err
	}
	salt, err := s.loadSalt(ctx)
	if err != nil {
		return fmt.Errorf("read the salt for user ids: %w", err)
	}
	s.salt = salt
	return nil
}

// loadSalt returns this installation's salt for hashing user ids, making it
// on first use. Concurrent first starts agree on one salt.
func (s *Store) loadSalt(ctx context.Context) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := s.db.ExecContext(ctx, s.q(`INSERT INTO meta (name, value) VALUES ('salt', ?) ON CONFLICT (name) DO NOTHING`), hex.EncodeToString(fresh)); err != nil {
		return nil, err
	}
	var v string
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT value FROM meta WHERE name = 'salt'`)).Scan(&v); err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// q rewrites a query written with ? placeholders for the dialect.
func (s *Store) q(query string) string { return s.dialect.rebind(query) }

// hashUser returns the salted hash that stands for a user in the database,
// or "" for no user.
func (s *Store) hashUser(platform, user string) string {
	if user == "" {
		return ""
	}
	m := hmac.New(sha256.New, s.salt)
	m.Write([]byte(platform))
	m.Write([]byte{0})
	m.Write([]byte(user))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// HashUser returns the value stored for a user instead of their id, for
// tests and for tools that look up one person's records.
func (s *Store) HashUser(platform, user string) string { return s.hashUser(platform, user) }

// Errors returns the number of records that could not be written and of
// queries that failed since Open, for metrics.
func (s *Store) Errors() uint64 {
	if s == nil {
		return 0
	}
	return s.errs.Load()
}

// RecordQuestion queues a question to be written. It fails, without
// waiting, when the queue is full or the Store closed.
func (s *Store) RecordQuestion(_ context.Context, q bot.Asked) error {
	return s.enqueue(item{question: &q})
}

// RecordVote queues a feedback vote to be written.
func (s *Store) RecordVote(_ context.Context, v bot.Vote) error {
	return s.enqueue(item{vote: &v})
}

// RecordReload queues a reload to be written.
func (s *Store) RecordReload(_ context.Context, r bot.Reloaded) error {
	return s.enqueue(item{reload: &r})
}

// RecordEdit queues an edit of the knowledge file to be written.
func (s *Store) RecordEdit(_ context.Context, e bot.Edit) error {
	return s.enqueue(item{edit: &e})
}

func (s *Store) enqueue(it item) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		s.errs.Add(1)
		return ErrClosed
	}
	select {
	case s.queue <- it:
		return nil
	default:
		s.errs.Add(1)
		s.droppedOne()
		return fmt.Errorf("store: %d records are waiting to be written, the most allowed: the database is too slow or down, so this one is dropped", cap(s.queue))
	}
}

// Flush waits until every record queued before it has been written or has
// failed, or until ctx is done.
func (s *Store) Flush(ctx context.Context) error {
	flushed := make(chan struct{})
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return ErrClosed
	}
	select {
	case s.queue <- item{flushed: flushed}:
	case <-ctx.Done():
		s.mu.RUnlock()
		return ctx.Err()
	}
	s.mu.RUnlock()
	select {
	case <-flushed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close is Shutdown with closeWait to write what is queued.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), closeWait)
	defer cancel()
	return s.Shutdown(ctx)
}

// Shutdown writes what is queued until ctx is done, then gives up on what
// is left (counted, as records lost are), stops pruning and closes the
// database: a stop that must end by a deadline passes it in ctx. It is
// safe to call more than once, with Close too, and on a nil Store; the
// calls after the first return the first's result.
func (s *Store) Shutdown(ctx context.Context) error {
	if s == nil {
		return nil
	}
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.queue)
		s.mu.Unlock()
		// A database that is up gets what is queued; one that is down
		// is not waited for, nor one that hangs past ctx.
		close(s.closing)
		select {
		case <-s.done:
		case <-ctx.Done():
			s.cancel()
			<-s.done
		}
		s.lostLog.Flush() // the writer has counted its last
		s.cancel()
		<-s.monitored
		<-s.watched
		close(s.stopPrune)
		<-s.pruned
		s.closeErr = s.db.Close()
	})
	return s.closeErr
}

// write is the writer goroutine: it writes queued records in batches, one
// transaction each, until the queue is closed.
func (s *Store) write() {
	defer close(s.done)
	batch := make([]item, 0, maxBatch)
	for it := range s.queue {
		batch = append(batch[:0], it)
	more:
		for len(batch) < maxBatch {
			select {
			case next, ok := <-s.queue:
				if !ok {
					break more
				}
				batch = append(batch, next)
			default:
				break more
			}
		}
		s.writeBatch(batch)
	}
}

// writeBatch writes the records of batch in one transaction and then
// releases the flush markers in it. While the database is down it keeps
// them and waits for it to be back; when the database is up but refuses
// the batch, it writes the records one at a time and drops those refused.
// Records still held when the Store closes with the database down are
// lost, and logged.
func (s *Store) writeBatch(batch []item) {
	var records []item
	for _, it := range batch {
		if it.flushed == nil {
			records = append(records, it)
		}
	}
	s.holding.Store(int64(len(records)))
	defer s.holding.Store(0)
	for len(records) > 0 {
		if !s.waitUp() {
			s.lose(records, s.unavailable(), "stopping while the state database is unavailable")
			break
		}
		err := s.insertWithin(records)
		if err == nil {
			break
		}
		if probe := s.probe(); probe != nil {
			s.markDown(err)
			continue
		}
		// The database takes writes, but not these records.
		for _, it := range records {
			if err := s.insertWithin([]item{it}); err != nil {
				s.lose([]item{it}, err, "the state database refused a record")
			}
		}
		break
	}
	for _, it := range batch {
		if it.flushed != nil {
			close(it.flushed)
		}
	}
}

// insertWithin writes records in one transaction within writeTimeout.
func (s *Store) insertWithin(records []item) error {
	ctx, cancel := context.WithTimeout(s.ctx, writeTimeout)
	defer cancel()
	return s.insert(ctx, records)
}

// probe tries a write within reachTimeout.
func (s *Store) probe() error {
	ctx, cancel := context.WithTimeout(s.ctx, reachTimeout)
	defer cancel()
	return s.reach(ctx)
}

// lose counts records that will never be written and logs why.
func (s *Store) lose(records []item, err error, why string) {
	s.errs.Add(uint64(len(records)))
	for _, it := range records {
		s.onError(it.op())
	}
	s.failed(len(records), why, err)
}

// failed logs records lost, at most once every logevery.Interval, with
// the number of records lost since the last line.
func (s *Store) failed(n int, why string, err error) {
	s.lostLog.Log(time.Now(), n, func(lost int) {
		s.log.Error("could not write to the state database: "+why+"; the bot keeps answering", "records_lost", lost, "error", err)
	})
}

func (s *Store) insert(ctx context.Context, batch []item) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, it := range batch {
		var err error
		switch {
		case it.question != nil:
			err = s.insertQuestion(ctx, tx, it.question)
		case it.vote != nil:
			err = s.insertVote(ctx, tx, it.vote)
		case it.reload != nil:
			err = s.insertReload(ctx, tx, it.reload)
		case it.edit != nil:
			err = s.insertEdit(ctx, tx, it.edit)
		}
		if err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (s *Store) insertQuestion(ctx context.Context, tx *sql.Tx, q *bot.Asked) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO questions
		(at, platform, channel, user_hash, text, origin, outcome, entry_id, best_id, confidence, base)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		millis(q.Time), q.Platform, q.Channel, s.hashUser(q.Platform, q.User), q.Text,
		q.Origin.String(), q.Outcome.String(), q.EntryID, q.BestID, q.Confidence, q.Base)
	return err
}

func (s *Store) insertVote(ctx context.Context, tx *sql.Tx, v *bot.Vote) error {
	up := 0
	if v.Up {
		up = 1
	}
	user := s.hashUser(v.Platform, v.User)
	// The question voted on is the latest that the entry answered in the
	// channel, the voter's own first.
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO votes (at, platform, channel, user_hash, entry_id, up, base, reason, question)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, COALESCE(NULLIF(?, ''), (SELECT text FROM questions
			WHERE platform = ? AND channel = ? AND entry_id = ? AND base = ?
			ORDER BY CASE WHEN user_hash = ? THEN 0 ELSE 1 END, at DESC LIMIT 1), ''))`),
		millis(time.Now()), v.Platform, v.Channel, user, v.EntryID, up, v.Base, v.Reason,
		v.Question, v.Platform, v.Channel, v.EntryID, v.Base, user)
	return err
}

func (s *Store) insertReload(ctx context.Context, tx *sql.Tx, r *bot.Reloaded) error {
	ok, msg := 1, ""
	if r.Err != nil {
		ok, msg = 0, r.Err.Error()
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO reloads
		(at, by_whom, ok, error, entries_before, entries_after, added, removed, changed, base)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		millis(r.Time), r.By, ok, msg, r.Diff.Before, r.Diff.After,
		strings.Join(r.Diff.Added, " "), strings.Join(r.Diff.Removed, " "), strings.Join(r.Diff.Changed, " "), r.Base)
	return err
}

func (s *Store) insertEdit(ctx context.Context, tx *sql.Tx, e *bot.Edit) error {
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO edits (at, by_whom, entry_id, phrasing, file, base)
		VALUES (?, ?, ?, ?, ?, ?)`),
		millis(e.Time), e.By, e.EntryID, e.Phrasing, e.File, e.Base)
	return err
}

// millis returns t as milliseconds since the Unix epoch, the unit of every
// time in the database; the zero time is taken as now.
func millis(t time.Time) int64 {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UnixMilli()
}

// pruneLoop deletes old records at start and then every period, until
// Close: each time once the database is up, as it may not be yet after
// Start, or be down (markDown has said so).
func (s *Store) pruneLoop(every time.Duration) {
	defer close(s.pruned)
	if s.retention <= 0 {
		close(s.started)
		<-s.stopPrune
		return
	}
	started := sync.OnceFunc(func() { close(s.started) })
	defer started()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if !s.waitUp() {
			return // closing while the database is down
		}
		ctx, cancel := context.WithTimeout(s.ctx, time.Minute)
		if n, err := s.Prune(ctx, time.Now()); err != nil && s.ctx.Err() != nil {
			// Close stopped it, as when `faqbot chat` reads a few
			// questions from a pipe and ends: the next start prunes.
			s.log.Debug("pruning stopped by Close", "error", err)
		} else if err != nil {
			s.onError("retention")
			s.log.Warn("could not delete old records from the state database", "error", err)
		} else if n > 0 {
			s.log.Info("deleted records past the retention period", "records", n, "retention_days", int(s.retention/(24*time.Hour)))
		}
		cancel()
		started()
		select {
		case <-t.C:
		case <-s.stopPrune:
			return
		}
	}
}

// Prune deletes every record older than the retention period before now,
// and returns how many it deleted. It does nothing when records are kept
// for ever.
func (s *Store) Prune(ctx context.Context, now time.Time) (int64, error) {
	if s.retention <= 0 {
		return 0, nil
	}
	if err := s.unavailable(); err != nil {
		return 0, err
	}
	cutoff := millis(now.Add(-s.retention))
	var total int64
	for _, table := range []string{"questions", "votes", "reloads", "edits"} {
		res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM `+table+` WHERE at < ?`), cutoff)
		if err != nil {
			s.errs.Add(1)
			return total, fmt.Errorf("prune %s: %w", table, err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}

package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/match"
)

// postgresEnv names the environment variable holding the DSN of a
// PostgreSQL server for the tests; .ci/postgres.sh sets it up.
const postgresEnv = "FAQBOT_TEST_POSTGRES"

// backends returns the databases every test in this file runs on: SQLite
// in a temporary folder and, when postgresEnv is set, PostgreSQL in a schema
// of the test's own.
func backends() []string { return []string{SQLite, Postgres} }

// forEach runs test once per backend with the Options of a fresh, empty
// database of the test's own.
func forEach(t *testing.T, test func(t *testing.T, opts Options)) {
	for _, name := range backends() {
		t.Run(name, func(t *testing.T) { test(t, fresh(t, name)) })
	}
}

// fresh returns Options for a fresh database of the test's own.
func fresh(t *testing.T, driver string) Options { return freshBench(t, driver) }

// freshBench is fresh for tests and benchmarks.
func freshBench(t testing.TB, driver string) Options {
	t.Helper()
	if driver == SQLite {
		return Options{Driver: SQLite, Path: filepath.Join(t.TempDir(), "state", "faqbot.db")}
	}
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		t.Skipf("PostgreSQL tests skipped: set %s to the DSN of a server they may create schemas in (.ci/postgres.sh starts one on 127.0.0.1)", postgresEnv)
	}
	return Options{Driver: Postgres, DSN: testSchema(t, dsn)}
}

// testSchema creates a schema of the test's own on the server and returns
// dsn with its search_path set to it; the schema is dropped after the test.
func testSchema(t testing.TB, dsn string) string {
	b := make([]byte, 6)
	rand.Read(b)
	schema := "faqbot_test_" + hex.EncodeToString(b)
	admin, err := openPostgres(dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create a schema on %s: %v", postgresEnv, err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	return withSearchPath(dsn, schema)
}

func withSearchPath(dsn, schema string) string {
	if strings.Contains(dsn, "://") {
		if strings.Contains(dsn, "?") {
			return dsn + "&search_path=" + schema
		}
		return dsn + "?search_path=" + schema
	}
	return dsn + " search_path=" + schema
}

// open opens a store on the test's database and closes it after the test.
func open(t *testing.T, opts Options, change ...func(*Options)) *Store {
	t.Helper()
	for _, c := range change {
		c(&opts)
	}
	s, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func flush(t *testing.T, s *Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("Flush: %v", err)
	}
}

func asked(at time.Time, text, user string, outcome match.Outcome, entry, best string) bot.Asked {
	return bot.Asked{Time: at, Platform: "slack", Channel: "C1", User: user, Text: text, Origin: bot.Mention,
		EntryID: entry, BestID: best, Confidence: 0.3, Outcome: outcome}
}

func TestRecordAndQuery(t *testing.T) {
	forEach(t, func(t *testing.T, opts Options) {
		s := open(t, opts)
		ctx := context.Background()
		day1 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		day2 := day1.Add(24 * time.Hour)
		overheard := asked(day2, "is anyone here", "U3", match.Unknown, "", "")
		overheard.Origin = bot.Overheard
		overheardAnswered := asked(day2, "how do refunds work?", "U3", match.Answered, "refund", "refund")
		overheardAnswered.Origin = bot.Overheard
		for _, q := range []bot.Asked{
			asked(day1, "how do i get a refund", "U1", match.Answered, "refund", "refund"),
			asked(day1, "where is the office", "U1", match.Unknown, "", "hours"),
			asked(day2, "where is the office", "U2", match.Unknown, "", "hours"),
			asked(day2, "can i pay by cheque", "U2", match.Ambiguous, "", "pay"),
			asked(day2, "how do i get a refund", "U2", match.Answered, "refund", "refund"),
			overheard,
			overheardAnswered,
		} {
			if err := s.RecordQuestion(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		for _, v := range []bot.Vote{
			{Platform: "slack", Channel: "C1", User: "U1", EntryID: "refund", Up: true},
			{Platform: "slack", Channel: "C1", User: "U2", EntryID: "refund", Up: false},
			{Platform: "slack", Channel: "C1", User: "U3", EntryID: "refund", Up: true},
			{Platform: "slack", Channel: "C1", User: "U3", EntryID: "hours", Up: false},
		} {
			if err := s.RecordVote(ctx, v); err != nil {
				t.Fatal(err)
			}
		}
		// No flush: a query sees what was recorded before it.
		un, err := s.Unanswered(ctx, day1, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []bot.Unanswered{
			{Text: "where is the office", Count: 2, Last: day2, BestID: "hours"},
			{Text: "can i pay by cheque", Count: 1, Last: day2, BestID: "pay"},
		}
		if fmt.Sprint(un) != fmt.Sprint(want) {
			t.Errorf("Unanswered:\n got %v\nwant %v", un, want)
		}
		if un, _ := s.Unanswered(ctx, day1, 1); len(un) != 1 {
			t.Errorf("Unanswered with limit 1 gave %d", len(un))
		}
		if un, _ := s.Unanswered(ctx, day2.Add(time.Hour), 10); len(un) != 0 {
			t.Errorf("Unanswered since after the last question gave %v", un)
		}

		st, err := s.Stats(ctx, day1)
		if err != nil {
			t.Fatal(err)
		}
		wantStats := bot.Stats{
			Days: []bot.DayStats{
				{Day: day1.Truncate(24 * time.Hour), Questions: 2, Answered: 1},
				{Day: day2.Truncate(24 * time.Hour), Questions: 4, Answered: 2},
			},
			Entries: []bot.EntryStats{
				{ID: "hours", Down: 1},
				{ID: "refund", Answered: 3, Up: 2, Down: 1},
			},
		}
		if fmt.Sprint(st) != fmt.Sprint(wantStats) {
			t.Errorf("Stats:\n got %v\nwant %v", st, wantStats)
		}
	})
}

func TestUserIDsAreHashed(t *testing.T) {
	forEach(t, func(t *testing.T, opts Options) {
		s := open(t, opts)
		ctx := context.Background()
		s.RecordQuestion(ctx, asked(time.Now(), "where is the office", "U0SECRET", match.Unknown, "", ""))
		s.RecordVote(ctx, bot.Vote{Platform: "slack", User: "U0SECRET", EntryID: "x", Up: true})
		flush(t, s)
		for _, table := range []string{"questions", "votes"} {
			var h string
			if err := s.db.QueryRow(`SELECT user_hash FROM ` + table).Scan(&h); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(h, "SECRET") || h != s.HashUser("slack", "U0SECRET") || len(h) != 32 {
				t.Errorf("%s.user_hash = %q, want the salted hash %q", table, h, s.HashUser("slack", "U0SECRET"))
			}
		}
		if s.HashUser("slack", "U1") == s.HashUser("discord", "U1") {
			t.Error("the same id on two platforms hashes the same")
		}
		if s.HashUser("slack", "") != "" {
			t.Error("no user should store no hash")
		}
	})
}

func TestReopenKeepsSchemaAndSalt(t *testing.T) {
	forEach(t, func(t *testing.T, opts Options) {
		ctx := context.Background()
		s1, err := Open(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		h1 := s1.HashUser("slack", "U1")
		s1.RecordEdit(ctx, bot.Edit{Time: time.Now(), By: "slack:U9", EntryID: "refund", Phrasing: "money back?", File: "faq.yaml"})
		s1.RecordReload(ctx, bot.Reloaded{Time: time.Now(), By: "SIGHUP", Diff: knowledge.Diff{Before: 2, After: 3, Added: []string{"a", "b"}}})
		s1.RecordReload(ctx, bot.Reloaded{Time: time.Now().Add(time.Second), By: "slack:U9", Err: errors.New("faq.yaml:3:1: bad")})
		if err := s1.Close(); err != nil {
			t.Fatal(err)
		}
		if err := s1.RecordVote(ctx, bot.Vote{EntryID: "x"}); !errors.Is(err, ErrClosed) {
			t.Errorf("a record after Close gave %v, want ErrClosed", err)
		}
		if s1.Errors() != 1 {
			t.Errorf("Errors after a record on a closed store = %d, want 1", s1.Errors())
		}

		s2 := open(t, opts)
		if h2 := s2.HashUser("slack", "U1"); h2 != h1 {
			t.Errorf("the salt changed on reopening: %s, then %s", h1, h2)
		}
		v, err := s2.SchemaVersion(ctx)
		if err != nil || v != len(migrations()) {
			t.Errorf("SchemaVersion = %d, %v; want %d", v, err, len(migrations()))
		}
		edits, err := s2.Edits(ctx, time.Now().Add(-time.Hour))
		if err != nil || len(edits) != 1 || edits[0].Phrasing != "money back?" || edits[0].By != "slack:U9" {
			t.Errorf("Edits = %v, %v", edits, err)
		}
		reloads, err := s2.Reloads(ctx, time.Now().Add(-time.Hour))
		if err != nil || len(reloads) != 2 {
			t.Fatalf("Reloads = %v, %v", reloads, err)
		}
		if r := reloads[0]; r.OK || r.Error != "faq.yaml:3:1: bad" || r.By != "slack:U9" {
			t.Errorf("failed reload recorded as %+v", r)
		}
		if r := reloads[1]; !r.OK || r.Before != 2 || r.After != 3 || r.Added != "a b" {
			t.Errorf("reload recorded as %+v", r)
		}
	})
}

func TestNewerSchemaIsRefused(t *testing.T) {
	forEach(t, func(t *testing.T, opts Options) {
		s := open(t, opts)
		if _, err := s.db.Exec(s.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)`), len(migrations())+5); err != nil {
			t.Fatal(err)
		}
		s.Close()
		_, err := Open(context.Background(), opts)
		if err == nil || !strings.Contains(err.Error(), "written by a newer faqbot") {
			t.Fatalf("Open on a newer schema gave %v", err)
		}
	})
}

func TestPrune(t *testing.T) {
	forEach(t, func(t *testing.T, opts Options) {
		retention := 30 * 24 * time.Hour
		s := open(t, opts, func(o *Options) { o.Retention = retention })
		<-s.started // the pruning at Open must not take this test's records
		ctx := context.Background()
		now := time.Now()
		s.RecordQuestion(ctx, asked(now.Add(-retention-time.Hour), "old", "U1", match.Unknown, "", ""))
		s.RecordQuestion(ctx, asked(now.Add(-retention+time.Hour), "recent", "U1", match.Unknown, "", ""))
		s.RecordEdit(ctx, bot.Edit{Time: now.Add(-2 * retention), EntryID: "x", Phrasing: "old edit"})
		flush(t, s)
		n, err := s.Prune(ctx, now)
		if err != nil || n != 2 {
			t.Fatalf("Prune = %d, %v; want 2 records deleted", n, err)
		}
		un, _ := s.Unanswered(ctx, time.Time{}, 10)
		if len(un) != 1 || un[0].Text != "recent" {
			t.Errorf("after pruning: %v", un)
		}
	})
}

func TestPruneLoopRunsAtOpen(t *testing.T) {
	forEach(t, func(t *testing.T, opts Options) {
		s := open(t, opts)
		s.RecordQuestion(context.Background(), asked(time.Now().Add(-48*time.Hour), "old", "U1", match.Unknown, "", ""))
		flush(t, s)
		s.Close()
		s2 := open(t, opts, func(o *Options) { o.Retention = 24 * time.Hour })
		deadline := time.Now().Add(5 * time.Second)
		for {
			un, err := s2.Unanswered(context.Background(), time.Time{}, 10)
			if err == nil && len(un) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("old question still there 5s after Open with a 1-day retention: %v, %v", un, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// TestBrokenDatabaseNeverStopsAnswers breaks the database under a running
// bot: every question is still answered, the records wait in memory while
// the database is unavailable, queries say it is unavailable, and what is
// still waiting when the Store closes is counted as lost.
func TestBrokenDatabaseNeverStopsAnswers(t *testing.T) {
	kb, err := bot.ParseBase("faq.yaml", []byte(`version: 1
entries:
  - id: refund
    question: How do I get a refund?
    answer: Write to billing.
`))
	if err != nil {
		t.Fatal(err)
	}
	forEach(t, func(t *testing.T, opts Options) {
		var mu sync.Mutex
		ops := map[string]int{}
		s := open(t, opts, func(o *Options) {
			o.OnError = func(op string) { mu.Lock(); ops[op]++; mu.Unlock() }
		})
		bt := bot.New(kb, bot.Options{Threshold: 0.5, Recorder: s})
		ctx := context.Background()
		ask := func() {
			t.Helper()
			r, ok := bt.Handle(ctx, bot.Message{Platform: "slack", Channel: "C1", User: "U1", Text: "how do i get a refund", Origin: bot.Direct})
			if !ok || r.Kind != bot.Answer {
				t.Fatalf("no answer: %v %+v", ok, r)
			}
		}
		ask()
		flush(t, s)
		if s.Errors() != 0 {
			t.Fatalf("Errors = %d on a healthy database", s.Errors())
		}
		s.db.Close() // the database goes away under the bot
		for range 3 {
			ask()
		}
		bt.Vote(ctx, bot.Vote{Platform: "slack", User: "U1", EntryID: "refund", Up: true})
		waitHealth(t, s, "the database down with four records waiting", func(h Health) bool { return !h.Up && h.Waiting == 4 })
		if got := s.Errors(); got != 0 {
			t.Errorf("Errors = %d while the records wait, want 0", got)
		}
		if _, err := s.Unanswered(ctx, time.Time{}, 10); !errors.Is(err, ErrUnavailable) {
			t.Errorf("Unanswered on a closed database: %v, want ErrUnavailable", err)
		}
		if got := s.Errors(); got != 1 {
			t.Errorf("Errors = %d after a failed query, want 1", got)
		}
		s.Close()
		if got := s.Errors(); got != 5 {
			t.Errorf("Errors = %d after closing, want 5 (the query, and three questions and a vote lost)", got)
		}
		mu.Lock()
		if fmt.Sprint(ops) != "map[record_question:3 record_vote:1]" {
			t.Errorf("OnError got %v", ops)
		}
		mu.Unlock()
	})
}

// waitHealth waits until the Store's health satisfies ok.
func waitHealth(t *testing.T, s *Store, what string, ok func(Health) bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !ok(s.Health()) {
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s; health %+v", what, s.Health())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestConcurrentRecords(t *testing.T) {
	forEach(t, func(t *testing.T, opts Options) {
		s := open(t, opts)
		ctx := context.Background()
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for i := range 50 {
					s.RecordQuestion(ctx, asked(time.Now(), fmt.Sprintf("q%d", i%5), fmt.Sprint("U", g), match.Unknown, "", ""))
				}
			})
		}
		wg.Wait()
		flush(t, s)
		un, err := s.Unanswered(ctx, time.Time{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, u := range un {
			total += u.Count
		}
		if len(un) != 5 || total != 400 || s.Errors() != 0 {
			t.Errorf("got %d texts, %d questions, %d errors; want 5, 400, 0", len(un), total, s.Errors())
		}
	})
}

func TestOpenErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte(strings.Repeat("not a database ", 100)), 0o600)
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"unknown driver", Options{Driver: "mysql"}, `unknown driver "mysql"`},
		{"no path", Options{Driver: SQLite}, "set store.path"},
		{"folder is a file", Options{Driver: SQLite, Path: filepath.Join(file, "faqbot.db")}, "create the folder of the state database"},
		{"not a database", Options{Driver: SQLite, Path: file}, "state database " + file},
		{"no dsn", Options{Driver: Postgres}, "set store.dsn"},
		{"bad dsn", Options{Driver: Postgres, DSN: "postgres://u:hunter2@127.0.0.1:badport/db"}, "not valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(context.Background(), tc.opts)
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error shows the password: %q", err)
			}
		})
	}
}

func TestSQLiteUsesWAL(t *testing.T) {
	s := open(t, fresh(t, SQLite))
	var mode string
	if err := s.db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

// TestSQLiteFull fills the database to its page limit: records are dropped
// and counted, and the store recovers once there is room again.
func TestSQLiteFull(t *testing.T) {
	s := open(t, fresh(t, SQLite))
	ctx := context.Background()
	s.db.SetMaxOpenConns(1) // the page limit is per connection
	var pages int
	if err := s.db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("where is the office ", 200)
	for range 20 {
		if err := s.RecordQuestion(ctx, asked(time.Now(), long, "U1", match.Unknown, "", "")); err != nil {
			t.Fatal(err)
		}
	}
	flush(t, s)
	if s.Errors() == 0 {
		t.Fatal("no error counted on a full database")
	}
	if _, err := s.db.Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	before := s.Errors()
	s.RecordQuestion(ctx, asked(time.Now(), "after", "U1", match.Unknown, "", ""))
	flush(t, s)
	if s.Errors() != before {
		t.Errorf("still failing after room was made: %d errors, was %d", s.Errors(), before)
	}
}

// TestQueueFull holds the writer so that the queue fills: records past it
// are refused at once and counted, never waited for.
func TestQueueFull(t *testing.T) {
	s := open(t, fresh(t, SQLite), func(o *Options) { o.Queue = 2 })
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A write transaction on another connection holds the database lock,
	// so the writer waits on its first batch.
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	// The writer takes what it can into its first batch and blocks; then
	// the queue fills, and every further record is refused and counted,
	// never waited for.
	var refused, tries int
	for ; tries < 1000 && refused < 5; tries++ {
		if err := s.RecordQuestion(ctx, asked(time.Now(), "q", "U1", match.Unknown, "", "")); err != nil {
			refused++
		}
	}
	if refused < 5 || s.Errors() != uint64(refused) {
		t.Errorf("%d refused of %d, %d errors; want refusals once the queue of 2 is full, each counted", refused, tries, s.Errors())
	}
	conn.ExecContext(ctx, `ROLLBACK`)
	conn.Close()
	flush(t, s)
}

// TestStartWithAHungDatabase starts a Store on a PostgreSQL address that
// accepts connections and never answers, as a frozen server does: Start
// returns at once, the records wait, Health says why, and Close neither
// waits for the database nor loses a record silently.
func TestStartWithAHungDatabase(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	var mu sync.Mutex
	lost := 0
	s, err := Start(Options{Driver: Postgres, DSN: "postgres://faqbot:pw@" + ln.Addr().String() + "/faqbot?sslmode=disable", OnError: func(string) { mu.Lock(); lost++; mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 3 {
		if err := s.RecordQuestion(ctx, asked(time.Now(), fmt.Sprint("q", i), "U1", match.Unknown, "", "")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Claim(ctx, "slack:event:Ev1", time.Now()); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Claim on a database not reached: %v, want ErrUnavailable at once", err)
	}
	waitHealth(t, s, "the database down with 3 records waiting", func(h Health) bool { return !h.Up && h.Waiting == 3 })
	start := time.Now()
	s.Close()
	t.Logf("Close returned %v after it was called", time.Since(start).Round(time.Millisecond))
	mu.Lock()
	defer mu.Unlock()
	if lost != 3 || s.Errors() != 3 {
		t.Errorf("%d records reported lost and Errors = %d, want the 3 waiting", lost, s.Errors())
	}
}

// TestCloseAtOnce closes stores just after Open or Start, while the
// pruning at the start, or the first connection, may still run: Close
// stopping them is no failure, and is neither logged as a warning nor
// counted as an error.
func TestCloseAtOnce(t *testing.T) {
	forEach(t, func(t *testing.T, opts Options) {
		var logs syncBuffer
		var mu sync.Mutex
		errs := map[string]int{}
		opts.Retention = 24 * time.Hour
		opts.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
		opts.OnError = func(op string) { mu.Lock(); errs[op]++; mu.Unlock() }
		for _, start := range []func(Options) (*Store, error){
			func(o Options) (*Store, error) { return Open(context.Background(), o) },
			Start,
		} {
			for range 30 {
				s, err := start(opts)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Close(); err != nil {
					t.Fatalf("Close: %v", err)
				}
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if logs.String() != "" || len(errs) > 0 {
			t.Errorf("closing at once logged %q and counted errors %v", logs.String(), errs)
		}
	})
}

// syncBuffer is a bytes.Buffer that goroutines may write at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestShutdownEndsByItsDeadline stops a store whose SQLite database
// another process holds locked, with records queued: Shutdown gives up on
// them when its context is done, counting them lost, rather than waiting
// for the lock (closeWait, or the driver's busy timeout); the records are
// not written later behind the caller's back.
func TestShutdownEndsByItsDeadline(t *testing.T) {
	opts := fresh(t, SQLite)
	var mu sync.Mutex
	lost := 0
	opts.OnError = func(string) { mu.Lock(); lost++; mu.Unlock() }
	s, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	other, err := openSQLite(opts.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := s.RecordQuestion(ctx, asked(time.Now(), fmt.Sprint("q", i), "U1", match.Unknown, "", "")); err != nil {
			t.Fatal(err)
		}
	}
	stop, cancel := context.WithCancel(ctx)
	cancel()
	returned := make(chan error, 1)
	go func() { returned <- s.Shutdown(stop) }()
	select {
	case err := <-returned:
		if err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Shutdown with its context done still waited a minute for the locked database")
	}
	mu.Lock()
	if lost != 3 || s.Errors() != 3 {
		t.Errorf("%d records reported lost and Errors = %d, want the 3 queued", lost, s.Errors())
	}
	mu.Unlock()
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := other.QueryRowContext(ctx, `SELECT COUNT(*) FROM questions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d questions written after Shutdown returned, want 0", n)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close after Shutdown: %v", err)
	}
}

// TestFileDeletedOrReplaced deletes the SQLite file of a running store,
// or puts another in its place: the store tells once, in the log at Error
// and in Health.Problem with what to do, and counts it; it keeps taking
// records (into the file it has open).
func TestFileDeletedOrReplaced(t *testing.T) {
	for _, tc := range []struct {
		name, what string
		change     func(t *testing.T, path string)
	}{
		{"deleted", "deleted", func(t *testing.T, path string) {
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				os.Remove(p)
			}
		}},
		{"replaced", "replaced by another file", func(t *testing.T, path string) {
			if err := os.Rename(path, path+".moved"); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs syncBuffer
			var mu sync.Mutex
			errs := map[string]int{}
			s := open(t, fresh(t, SQLite), func(o *Options) {
				o.FileCheckEvery = 10 * time.Millisecond
				o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
				o.OnError = func(op string) { mu.Lock(); errs[op]++; mu.Unlock() }
			})
			ctx := context.Background()
			if err := s.RecordQuestion(ctx, asked(time.Now(), "before", "U1", match.Unknown, "", "")); err != nil {
				t.Fatal(err)
			}
			flush(t, s)
			if h := s.Health(); h.Problem != "" {
				t.Fatalf("Problem %q before the file changed", h.Problem)
			}
			tc.change(t, s.path)
			waitHealth(t, s, "the problem told", func(h Health) bool { return h.Problem != "" })
			h := s.Health()
			if !h.Up || !strings.Contains(h.Problem, "was "+tc.what+" while faqbot had it open") || !strings.Contains(h.Problem, "restart faqbot") {
				t.Errorf("Health %+v", h)
			}
			if err := s.RecordQuestion(ctx, asked(time.Now(), "after", "U1", match.Unknown, "", "")); err != nil {
				t.Errorf("a record after the change: %v", err)
			}
			flush(t, s)
			mu.Lock()
			defer mu.Unlock()
			if n := strings.Count(logs.String(), "level=ERROR"); n != 1 || errs["file"] != 1 {
				t.Errorf("%d error lines and %d file errors counted, want 1 each:\n%s", n, errs["file"], logs.String())
			}
		})
	}
}

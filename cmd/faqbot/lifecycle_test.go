package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/knowledge/match"
	"github.com/faqbot/faqbot/metrics"
	"github.com/faqbot/faqbot/store"
)

// logs is a slog handler's output, safe to read while the run writes it,
// that also reports the address the run listens on.
type logs struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	listen chan string
}

func newLogs() *logs { return &logs{listen: make(chan string, 1)} }

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := string(p); strings.Contains(s, `"msg":"listening"`) {
		_, after, _ := strings.Cut(s, `"addr":"`)
		addr, _, _ := strings.Cut(after, `"`)
		l.listen <- addr
	}
	return l.buf.Write(p)
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// fakePlatform is a chat platform in the test: when it runs it delivers
// msgs, each in its own goroutine as an adapter does, and holds every reply
// until release is closed, as a slow platform API would.
type fakePlatform struct {
	name    string
	bot     *bot.Bot
	msgs    []bot.Message
	release chan struct{}
	// ignoreStop makes Run ignore its context, like a platform that hangs
	// while closing.
	ignoreStop chan struct{}

	connected  atomic.Bool
	reconnects atomic.Uint64
	started    chan struct{}
	finished   chan struct{}
	stopped    chan struct{}

	mu   sync.Mutex
	sent []sent
}

// sent is one reply the fake platform sent, or failed to.
type sent struct {
	text string
	err  error
}

func newFake(name string, b *bot.Bot, msgs ...bot.Message) *fakePlatform {
	return &fakePlatform{name: name, bot: b, msgs: msgs, release: make(chan struct{}),
		started: make(chan struct{}, len(msgs)), finished: make(chan struct{}, len(msgs)), stopped: make(chan struct{})}
}

func (f *fakePlatform) Name() string       { return f.name }
func (f *fakePlatform) Connected() bool    { return f.connected.Load() }
func (f *fakePlatform) Reconnects() uint64 { return f.reconnects.Load() }

func (f *fakePlatform) Run(ctx context.Context) error {
	defer close(f.stopped)
	f.connected.Store(true)
	for _, m := range f.msgs {
		go f.deliver(ctx, m)
	}
	if f.ignoreStop != nil {
		<-f.ignoreStop
	} else {
		<-ctx.Done()
	}
	f.connected.Store(false)
	return nil
}

func (f *fakePlatform) deliver(ctx context.Context, m bot.Message) {
	wctx, done, err := f.bot.Begin(ctx)
	if err != nil {
		f.record(sent{err: err})
		return
	}
	defer done()
	r, _ := f.bot.Handle(wctx, m)
	f.started <- struct{}{}
	select {
	case <-f.release:
	case <-wctx.Done():
	}
	f.record(sent{text: r.Text, err: wctx.Err()})
	f.finished <- struct{}{}
}

func (f *fakePlatform) record(s sent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, s)
}

func (f *fakePlatform) replies() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.sent...)
}

// testServer returns a server for platforms built by newPlatforms on a bot
// over the test knowledge base, listening on a free loopback port.
func testServer(t *testing.T, cfg *config.Config, l *logs, newPlatforms func(*bot.Bot) []bot.Platform) *server {
	t.Helper()
	kb, err := bot.LoadBase(testKB)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := metrics.New("test")
	b := bot.New(kb, runOptions(cfg, log, m))
	return &server{cfg: cfg, bot: b, metrics: m, log: log, mux: http.NewServeMux(),
		reload: make(chan os.Signal), platforms: newPlatforms(b)}
}

func testConfig() *config.Config {
	cfg := config.Default()
	cfg.Knowledge = testKB
	cfg.HTTP.Listen = "127.0.0.1:0"
	cfg.Limits.ShutdownGrace = time.Minute
	return cfg
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

var questions = []bot.Message{
	{Platform: "fake", Channel: "C1", User: "U1", Origin: bot.Mention, Text: "What is the wifi password?"},
	{Platform: "fake", Channel: "C1", User: "U2", Origin: bot.Mention, Text: "where can I park my car?"},
	{Platform: "fake", Channel: "C2", User: "U3", Origin: bot.Direct, Text: "how many holiday days do I get per year"},
}

// TestGracefulShutdown cancels a run while three replies are in flight: the
// platform stops taking events, the bot refuses new work, the three replies
// are still sent with live contexts, and the run returns nil.
func TestGracefulShutdown(t *testing.T) {
	l := newLogs()
	var fake *fakePlatform
	s := testServer(t, testConfig(), l, func(b *bot.Bot) []bot.Platform {
		fake = newFake("fake", b, questions...)
		return []bot.Platform{fake}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- s.run(ctx) }()

	base := "http://" + <-l.listen
	for range questions {
		<-fake.started
	}
	if code, body := get(t, base+"/readyz"); code != http.StatusOK || !strings.Contains(body, "ok fake: connected") || !strings.Contains(body, "ok knowledge: 4 entries") {
		t.Errorf("/readyz while serving = %d\n%s", code, body)
	}
	_, scraped := get(t, base+"/metrics")
	for _, want := range []string{
		`faqbot_questions_total{base="default",origin="mention",outcome="answered",platform="fake"} 2`,
		`faqbot_questions_total{base="default",origin="direct",outcome="answered",platform="fake"} 1`,
		`faqbot_work_in_flight 3`,
		`faqbot_platform_connected{platform="fake"} 1`,
		`faqbot_platform_reconnects_total{platform="fake"} 0`,
		`faqbot_knowledge_entries{base="default"} 4`,
	} {
		if !strings.Contains(scraped, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	cancel()
	<-fake.stopped // the platform stopped taking events
	// Wait for the drain to begin by its log line: polling bot.Begin
	// instead would hold a work slot and could be counted in flight.
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(l.String(), `"msg":"stopping: taking no new messages`) {
		if time.Now().After(deadline) {
			t.Fatalf("the run never began to stop:\n%s", l)
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case err := <-errc:
		t.Fatalf("run returned %v while three replies were in flight", err)
	default:
	}
	close(fake.release)
	if err := <-errc; err != nil {
		t.Fatalf("run = %v, want nil after a requested stop", err)
	}
	got := fake.replies()
	if len(got) != len(questions) {
		t.Fatalf("%d replies sent, want %d: %+v", len(got), len(questions), got)
	}
	for _, r := range got {
		if r.err != nil || r.text == "" {
			t.Errorf("reply %+v: cancelled or empty, want sent", r)
		}
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the listener still answers after the run returned")
	}
	for _, want := range []string{`"msg":"stopping: taking no new messages`, `"in_flight":3`, `"msg":"stopped"`} {
		if !strings.Contains(l.String(), want) {
			t.Errorf("logs lack %s:\n%s", want, l)
		}
	}
}

// TestShutdownGraceRunsOut stops a run whose one reply never finishes: the
// reply's context is cancelled at the deadline, the abandoned work is
// logged, and the run still returns nil.
func TestShutdownGraceRunsOut(t *testing.T) {
	l := newLogs()
	cfg := testConfig()
	cfg.Limits.ShutdownGrace = 50 * time.Millisecond
	var fake *fakePlatform
	s := testServer(t, cfg, l, func(b *bot.Bot) []bot.Platform {
		fake = newFake("fake", b, questions[0])
		return []bot.Platform{fake}
	})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.run(ctx) }()
	<-l.listen
	<-fake.started
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("run = %v, want nil", err)
	}
	<-fake.finished
	got := fake.replies()
	if len(got) != 1 || !errors.Is(got[0].err, context.Canceled) {
		t.Errorf("replies = %+v, want one whose context was cancelled", got)
	}
	if !strings.Contains(l.String(), "1 messages were still being handled") {
		t.Errorf("the abandoned reply was not logged:\n%s", l)
	}
}

// TestShutdownClosesTheStateWithinTheGrace stops a run whose state
// database another process holds locked, with a record queued: the run
// closes the database as its last step, giving up on the record when the
// grace is over, rather than leaving the write to wait for the lock after
// the run has returned ("docker stop" kills the process at 10 s).
func TestShutdownClosesTheStateWithinTheGrace(t *testing.T) {
	l := newLogs()
	cfg := testConfig()
	cfg.Limits.ShutdownGrace = 50 * time.Millisecond
	path := filepath.Join(t.TempDir(), "faqbot.db")
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{Driver: store.SQLite, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)
	question := bot.Asked{Time: time.Now(), Platform: "fake", Channel: "C1", User: "U1", Text: "q", Origin: bot.Mention, Outcome: match.Unknown}
	if err := st.RecordQuestion(ctx, question); err != nil {
		t.Fatal(err)
	}

	s := testServer(t, cfg, l, func(b *bot.Bot) []bot.Platform { return []bot.Platform{newFake("fake", b)} })
	s.store, s.flush = st, st.Shutdown
	runCtx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- s.run(runCtx) }()
	<-l.listen
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("run = %v, want nil", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the run waited a minute for the locked state database")
	}
	if err := st.RecordQuestion(ctx, question); !errors.Is(err, store.ErrClosed) {
		t.Errorf("a record after the run returned: %v, want store.ErrClosed (the run closes the database)", err)
	}
	if st.Errors() != 2 {
		t.Errorf("Errors = %d, want 2: the record the lock held and the one refused after", st.Errors())
	}
}

func TestRunStops(t *testing.T) {
	t.Run("a platform that fails stops the run with its error", func(t *testing.T) {
		l := newLogs()
		s := testServer(t, testConfig(), l, func(b *bot.Bot) []bot.Platform {
			return []bot.Platform{failing{}, newFake("fake", b)}
		})
		err := s.run(context.Background())
		if err == nil || err.Error() != "broken: invalid token" {
			t.Errorf("run = %v, want broken: invalid token", err)
		}
	})
	t.Run("a platform that does not close is named", func(t *testing.T) {
		l := newLogs()
		cfg := testConfig()
		cfg.Limits.ShutdownGrace = 10 * time.Millisecond
		var fake *fakePlatform
		s := testServer(t, cfg, l, func(b *bot.Bot) []bot.Platform {
			fake = newFake("stuck", b)
			fake.ignoreStop = make(chan struct{})
			return []bot.Platform{fake}
		})
		defer close(fake.ignoreStop)
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- s.run(ctx) }()
		<-l.listen
		cancel()
		err := <-errc
		if err == nil || !strings.Contains(err.Error(), "stuck did not close within limits.shutdown_grace") {
			t.Errorf("run = %v, want an error naming the stuck platform", err)
		}
	})
	t.Run("a port in use is an error that says so", func(t *testing.T) {
		l := newLogs()
		first := testServer(t, testConfig(), l, func(b *bot.Bot) []bot.Platform { return []bot.Platform{newFake("fake", b)} })
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- first.run(ctx) }()
		addr := <-l.listen
		cfg := testConfig()
		cfg.HTTP.Listen = addr
		second := testServer(t, cfg, newLogs(), func(b *bot.Bot) []bot.Platform { return []bot.Platform{newFake("fake", b)} })
		err := second.run(context.Background())
		if err == nil || !strings.Contains(err.Error(), "http.listen") || !strings.Contains(err.Error(), "using the port") {
			t.Errorf("run on a taken port = %v", err)
		}
		cancel()
		if err := <-errc; err != nil {
			t.Error(err)
		}
	})
}

// failing is a platform whose connection fails at once.
type failing struct{}

func (failing) Name() string              { return "broken" }
func (failing) Run(context.Context) error { return errors.New("invalid token") }

// TestSIGHUPReloads reloads on SIGHUP through the configured loader: the
// file is as it was loaded, so the base serving stays, and the log says
// why.
func TestSIGHUPReloads(t *testing.T) {
	l := newLogs()
	s := testServer(t, testConfig(), l, func(b *bot.Bot) []bot.Platform { return []bot.Platform{newFake("fake", b)} })
	serving := s.bot.Base()
	reload := make(chan os.Signal, 1)
	s.reload = reload
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.run(ctx) }()
	base := "http://" + <-l.listen
	reload <- os.Interrupt
	for {
		_, body := get(t, base+"/metrics")
		if strings.Contains(body, `faqbot_knowledge_reloads_total{base="default",result="failure"}`) {
			t.Fatalf("the reload failed:\n%s", l)
		}
		if strings.Contains(body, `faqbot_knowledge_reloads_total{base="default",result="success"} 1`) {
			break
		}
		runtime.Gosched()
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if s.bot.Base() != serving || !strings.Contains(l.String(), `"msg":"the knowledge file is unchanged; nothing to reload","by":"SIGHUP"`) {
		t.Errorf("the unchanged file was loaded again:\n%s", l)
	}
}

// queuedPlatform accepts events at once and works on them in its own time,
// as the Slack adapter does with the envelopes it acknowledged: after a
// stop it still works through its queue, which waits for release, before
// Run returns.
type queuedPlatform struct {
	bot     *bot.Bot
	msgs    []bot.Message
	release chan struct{}

	mu       sync.Mutex
	answered int
}

func (q *queuedPlatform) Name() string { return "queued" }

func (q *queuedPlatform) Run(ctx context.Context) error {
	<-ctx.Done()
	<-q.release
	for _, m := range q.msgs {
		wctx, done, err := q.bot.Begin(context.WithoutCancel(ctx))
		if err != nil {
			continue
		}
		if _, ok := q.bot.Handle(wctx, m); ok {
			q.mu.Lock()
			q.answered++
			q.mu.Unlock()
		}
		done()
	}
	return nil
}

// TestShutdownFinishesAcceptedEvents stops a run while a platform still
// holds events it accepted before the stop: the bot keeps taking their
// work until the platform has stopped, so every one is answered. Before,
// the bot refused new work as soon as the stop began, and the queued
// events (acknowledged Slack envelopes, which Slack never sends again)
// went unanswered.
func TestShutdownFinishesAcceptedEvents(t *testing.T) {
	l := newLogs()
	var q *queuedPlatform
	s := testServer(t, testConfig(), l, func(b *bot.Bot) []bot.Platform {
		q = &queuedPlatform{bot: b, msgs: questions, release: make(chan struct{})}
		return []bot.Platform{q}
	})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.run(ctx) }()
	<-l.listen
	cancel()
	for !strings.Contains(l.String(), "stopping: taking no new messages") {
		runtime.Gosched()
	}
	close(q.release)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if q.answered != len(questions) {
		t.Errorf("%d of the %d accepted events answered after the stop", q.answered, len(questions))
	}
}

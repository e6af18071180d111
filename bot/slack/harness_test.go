package slack_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/bot/slack/slackfake"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/internal/changes"
	"github.com/faqbot/faqbot/store"
)

// People and channels in the tests.
const (
	admin        = "U0ADMIN"
	groupAdmin   = "U0GROUPIE"
	adminGroup   = "S0ADMINS"
	listenChan   = "C0LISTEN"
	otherChan    = "C0OTHER"
	dmChan       = "D0ALICE"
	testSecret   = "8f742231b10e8888abcd99yyyzzz85a5"
	knowledgeKB  = "testdata/kb.yaml"
	vpnQuestion  = "How do I set up the VPN?"
	wifiQuestion = "What is the wifi password?"
)

// options changes the harness's defaults.
type options struct {
	http     bool
	yaml     string // more lines for the slack: section
	botToken string // instead of the fake's
	appToken string // instead of the fake's
	store    bool   // keep state in a real SQLite database, for admin commands
	// fake is another harness's fake Slack, for a second replica; nil
	// starts a fake of the harness's own.
	fake *slackfake.Server
	// shared is the record of events the replicas share, if any.
	shared bot.Claims
	// experts is the experts channel, if any.
	experts string
	// kb is the knowledge file, if not knowledgeKB.
	kb string
}

// harness is one adapter running against one fake Slack, with its own
// knowledge base, bot and captured logs.
type harness struct {
	t       testing.TB
	fake    *slackfake.Server
	adapter *slack.Adapter
	bot     *bot.Bot
	store   *store.Store // when options.store
	kbPath  string
	logs    *changes.Buffer
	jobs    *jobLog
	url     string // the adapter's HTTP endpoints, in HTTP mode
	runErr  chan error
	cancel  context.CancelFunc

	stopOnce sync.Once
}

// start builds the config through config.Parse, as faqbot run does, and
// runs the adapter until the test ends.
func start(t testing.TB, o options) *harness {
	t.Helper()
	h := &harness{t: t, fake: o.fake, logs: &changes.Buffer{}, jobs: newJobLog(), runErr: make(chan error, 1)}
	if h.fake == nil {
		h.fake = slackfake.New(t)
	}
	a, cfgErr := h.build(o)
	if cfgErr != nil {
		t.Fatal(cfgErr)
	}
	h.adapter = a
	slack.SetAfterJob(a, h.jobs.add)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.runErr <- a.Run(ctx) }()
	t.Cleanup(h.stop)
	if o.http {
		mux := http.NewServeMux()
		a.Routes(mux)
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		h.url = srv.URL
	}
	select {
	case <-slack.Serving(a):
	case err := <-h.runErr:
		t.Fatalf("Run returned before serving: %v", err)
	case <-time.After(slackfake.Timeout):
		t.Fatal("the adapter did not start serving")
	}
	if !o.http {
		h.fake.WaitConnections(t, 1)
	}
	return h
}

// build writes the token files and the config, loads it and builds the
// adapter and its bot.
func (h *harness) build(o options) (*slack.Adapter, error) {
	t := h.t
	dir := t.TempDir()
	botToken := slackfake.BotToken
	if o.botToken != "" {
		botToken = o.botToken
	}
	appToken := slackfake.AppToken
	if o.appToken != "" {
		appToken = o.appToken
	}
	files := map[string]string{"bot": botToken, "app": appToken, "secret": testSecret}
	for name, v := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(v+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mode := "socket"
	if o.http {
		mode = "http"
	}
	yaml := fmt.Sprintf(`knowledge: kb.yaml
slack:
  enabled: true
  mode: %s
  bot_token_file: %s
  app_token_file: %s
  signing_secret_file: %s
  api_url: %s
  admins: [%s]
  admin_group: %s
  listening_channels: [%s]
%s
http:
  listen: 127.0.0.1:0
`, mode, filepath.Join(dir, "bot"), filepath.Join(dir, "app"), filepath.Join(dir, "secret"), h.fake.URL(), admin, adminGroup, listenChan, o.yaml)
	cfg, err := config.Parse(filepath.Join(dir, "config.yaml"), []byte(yaml))
	if err != nil {
		return nil, fmt.Errorf("config: %v\n%s", err, yaml)
	}
	h.fake.SetUserGroup(adminGroup, groupAdmin)
	h.kbPath = knowledgeKB
	if o.kb != "" {
		h.kbPath = o.kb
	}
	if o.store {
		// Admin commands edit the knowledge file: work on a copy.
		data, err := os.ReadFile(knowledgeKB)
		if err != nil {
			return nil, err
		}
		h.kbPath = filepath.Join(dir, "kb.yaml")
		if err := os.WriteFile(h.kbPath, data, 0o600); err != nil {
			return nil, err
		}
	}
	kb, err := bot.LoadBase(h.kbPath)
	if err != nil {
		return nil, err
	}
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts := bot.Options{
		Threshold:     0.5,
		QuestionWords: config.DefaultQuestionWords(),
		Load:          func(context.Context, *bot.Base) (*bot.Base, error) { return bot.LoadBase(h.kbPath) },
		Logger:        logger,
	}
	if o.experts != "" {
		opts.Experts = map[string]string{"slack": o.experts}
	}
	if o.store {
		st, err := store.Open(context.Background(), store.Options{Driver: store.SQLite, Path: filepath.Join(dir, "faqbot.db"), Logger: logger})
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { st.Close() })
		h.store, opts.Store, opts.Recorder = st, st, st
	}
	h.bot = bot.New(kb, opts)
	a, err := slack.New(cfg.Slack, h.bot, logger)
	if err == nil && o.shared != nil {
		a.Share(o.shared)
	}
	return a, err
}

// stopRun cancels Run and waits for it to return, once.
func (h *harness) stopRun() {
	h.stopOnce.Do(func() {
		h.cancel()
		select {
		case err := <-h.runErr:
			if err != nil {
				h.t.Errorf("Run: %v", err)
			}
		case <-time.After(slackfake.Timeout):
			h.t.Errorf("Run did not return after its context was cancelled")
		}
	})
}

// stop stops Run and checks that no secret reached the logs.
func (h *harness) stop() {
	h.stopRun()
	if h.adapter.Connected() {
		h.t.Errorf("Connected() is true after Run returned")
	}
	checkNoSecrets(h.t, h.logs.String())
}

func checkNoSecrets(t testing.TB, logs string) {
	t.Helper()
	for _, secret := range []string{slackfake.BotToken, slackfake.AppToken, testSecret, "fakebottoken", "fakeapptoken"} {
		if strings.Contains(logs, secret) {
			t.Errorf("a secret appears in the logs: %q", secret)
		}
	}
}

// waitJobs waits until the adapter has worked on n events in all and
// returns their outcomes as "kind:outcome".
func (h *harness) waitJobs(n int) []string {
	h.t.Helper()
	return h.jobs.wait(h.t, n)
}

// replies returns the successful replies the fake received.
func (h *harness) replies() []slackfake.Request { return h.fake.Replies() }

// onlyReply checks that exactly one reply was sent and returns it.
func (h *harness) onlyReply() slackfake.Request {
	h.t.Helper()
	rs := h.replies()
	if len(rs) != 1 {
		h.t.Fatalf("got %d replies, want exactly 1:\n%s", len(rs), describe(rs))
	}
	return rs[0]
}

func describe(rs []slackfake.Request) string {
	var sb strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&sb, "  %s ch=%s thread=%s eph=%v: %.200q\n", r.Method, r.Channel(), r.ThreadTS(), r.Ephemeral(), r.AllText())
	}
	return sb.String()
}

// jobLog collects the outcomes the adapter reports after each event.
type jobLog struct {
	mu      sync.Mutex
	list    []string
	changes changes.Changes
}

func newJobLog() *jobLog { return &jobLog{} }

func (j *jobLog) add(kind, outcome string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.list = append(j.list, kind+":"+outcome)
	j.changes.Notify()
}

func (j *jobLog) wait(t testing.TB, n int) []string {
	t.Helper()
	var got []string
	ok := j.changes.Wait(slackfake.Timeout, func() bool {
		j.mu.Lock()
		defer j.mu.Unlock()
		got = append([]string(nil), j.list...)
		return len(got) >= n
	})
	if !ok {
		t.Fatalf("waited %v for %d handled events; got %d: %v", slackfake.Timeout, n, len(got), got)
	}
	return got
}

// count returns how many outcomes equal want.
func count(outcomes []string, want string) int {
	n := 0
	for _, o := range outcomes {
		if o == want {
			n++
		}
	}
	return n
}

package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/discord"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/bot/slack/slackfake"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/internal/changes"
	"github.com/faqbot/faqbot/metrics"
	"github.com/faqbot/faqbot/store"
	"go.uber.org/goleak"
)

// TestMain fails the package when any test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	// kbPath is the knowledge file every test serves.
	kbPath = "testdata/kb.yaml"
	// hung is how long a wait lasts before the test fails: long enough
	// that only a hang reaches it, on a loaded two-core machine under
	// -race.
	hung = 90 * time.Second
	// slackAdmin and discordAdmin are the configured admins.
	slackAdmin   = "U0ADMIN"
	discordAdmin = "300000000000000009"
	// guildID is the Discord server the fake announces.
	guildID = "400000000000000001"
	// slackSecret signs Slack HTTP requests.
	slackSecret = "8f742231b10e8888abcd99yyyzzz85a5"
)

// botSetup says how to build the bot core.
type botSetup struct {
	kb     string // knowledge file; kbPath when empty
	limits bot.Limits
	store  *store.Store
}

// newBot builds the bot core as "faqbot run" does: the knowledge file, the
// matcher threshold and question words of the shipped config, metrics, and
// the store when one is given.
func newBot(t testing.TB, s botSetup) *bot.Bot {
	t.Helper()
	path := s.kb
	if path == "" {
		path = kbPath
	}
	kb, err := bot.LoadBase(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	m := metrics.New("test")
	opts := bot.Options{
		Threshold:     config.Default().Matcher.Threshold,
		QuestionWords: config.DefaultQuestionWords(),
		Load:          func(context.Context, *bot.Base) (*bot.Base, error) { return bot.LoadBase(path) },
		Observer:      m,
		Limits:        s.limits,
	}
	if s.store != nil {
		opts.Store = s.store
		opts.Recorder = m.Recorder(s.store)
	}
	return bot.New(kb, opts)
}

// openStore opens a SQLite state database in a temporary folder and
// closes it when the test ends.
func openStore(t testing.TB, path string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), store.Options{Driver: store.SQLite, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// logBuffer collects log lines, safe for concurrent writes.
type logBuffer struct {
	changes.Buffer
}

// lines returns the log lines that contain every one of words.
func (l *logBuffer) lines(words ...string) []string {
	var out []string
	for _, line := range strings.Split(l.String(), "\n") {
		ok := line != ""
		for _, w := range words {
			ok = ok && strings.Contains(line, w)
		}
		if ok {
			out = append(out, line)
		}
	}
	return out
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// tapped is one request that went through a tap.
type tapped struct {
	channel, key string
	body         []byte
	status       int
	at           time.Time
}

// tap is a reverse proxy on 127.0.0.1 between an adapter's API client and
// a fake platform. It counts the replies that went through it per key (the
// message a reply answers), can hold the requests for a channel as a slow
// platform API would, and can rewrite answers, all without the adapter or
// the fake knowing.
type tap struct {
	srv      *httptest.Server
	proxy    *httputil.ReverseProxy
	classify func(r *http.Request, body []byte) (channel, key string)

	mu      sync.Mutex
	changes changes.Changes
	sent    []tapped
	replies int
	held    map[string]chan struct{}
	waiting int
}

// newTap starts a tap in front of target. classify names the channel and
// the key of a request, "" for requests that are not replies.
func newTap(t testing.TB, target string, classify func(r *http.Request, body []byte) (channel, key string)) *tap {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	tp := &tap{classify: classify, held: map[string]chan struct{}{}}
	tp.proxy = httputil.NewSingleHostReverseProxy(u)
	tp.proxy.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)
	tp.srv = httptest.NewServer(http.HandlerFunc(tp.serve))
	t.Cleanup(tp.close)
	return tp
}

// URL returns the tap's base URL.
func (tp *tap) URL() string { return tp.srv.URL }

func (tp *tap) close() {
	tp.mu.Lock()
	for ch, gate := range tp.held {
		close(gate)
		delete(tp.held, ch)
	}
	tp.mu.Unlock()
	tp.srv.CloseClientConnections()
	tp.srv.Close()
}

// statusRecorder remembers the status the upstream answered.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (tp *tap) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "tap: cannot read the body", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	channel, key := tp.classify(r, body)
	tp.mu.Lock()
	gate := tp.held[channel]
	if gate != nil {
		tp.waiting++
		tp.notifyLocked()
	}
	tp.mu.Unlock()
	if gate != nil {
		// A slow platform: the request waits until the channel is let go
		// or the client gives up.
		select {
		case <-gate:
		case <-r.Context().Done():
			tp.record(tapped{channel: channel, key: key, body: body, status: -1, at: time.Now()})
			return
		}
	}
	sw := &statusRecorder{ResponseWriter: w}
	tp.proxy.ServeHTTP(sw, r)
	tp.record(tapped{channel: channel, key: key, body: body, status: sw.status, at: time.Now()})
}

func (tp *tap) record(x tapped) {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	tp.sent = append(tp.sent, x)
	if x.key != "" && x.status >= 200 && x.status < 300 {
		tp.replies++
	}
	tp.notifyLocked()
}

func (tp *tap) notifyLocked() { tp.changes.Notify() }

// hold makes requests for channel wait until the returned function is
// called (or the test ends).
func (tp *tap) hold(channel string) (release func()) {
	gate := make(chan struct{})
	tp.mu.Lock()
	tp.held[channel] = gate
	tp.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			tp.mu.Lock()
			if tp.held[channel] == gate {
				delete(tp.held, channel)
			}
			tp.mu.Unlock()
			close(gate)
		})
	}
}

// wait waits until cond, called with the tap locked, holds; it fails the
// test after hung.
func (tp *tap) wait(t testing.TB, what string, cond func() bool) {
	t.Helper()
	ok := tp.changes.Wait(hung, func() bool {
		tp.mu.Lock()
		defer tp.mu.Unlock()
		return cond()
	})
	if !ok {
		tp.mu.Lock()
		n := tp.replies
		tp.mu.Unlock()
		t.Fatalf("waited %v for %s; %d replies went through", hung, what, n)
	}
}

// waitReplies waits until n successful replies in all went through.
func (tp *tap) waitReplies(t testing.TB, n int) {
	t.Helper()
	tp.wait(t, fmt.Sprintf("%d replies", n), func() bool { return tp.replies >= n })
}

// replyCount returns the number of successful replies so far.
func (tp *tap) replyCount() int {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return tp.replies
}

// requests returns what went through so far.
func (tp *tap) requests() []tapped {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return append([]tapped(nil), tp.sent...)
}

// counts returns the successful replies per key.
func (tp *tap) counts() map[string]int {
	out := map[string]int{}
	for _, x := range tp.requests() {
		if x.key != "" && x.status >= 200 && x.status < 300 {
			out[x.key]++
		}
	}
	return out
}

// relay forwards TCP connections to a target and can cut them all at
// once, as a network failure would.
type relay struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	conns map[net.Conn]bool
	down  bool
	// stalled, when not nil, holds every byte in transit until it is
	// closed by cut.
	stalled chan struct{}
	wg      sync.WaitGroup
}

// newRelay starts a relay to target (host:port) on 127.0.0.1 and closes it
// when the test ends.
func newRelay(t testing.TB, target string) *relay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &relay{ln: ln, target: target, conns: map[net.Conn]bool{}}
	r.wg.Go(r.accept)
	t.Cleanup(r.close)
	return r
}

// Addr returns the relay's host:port.
func (r *relay) Addr() string { return r.ln.Addr().String() }

func (r *relay) accept() {
	for {
		in, err := r.ln.Accept()
		if err != nil {
			return
		}
		r.mu.Lock()
		down := r.down
		r.mu.Unlock()
		if down {
			in.Close() // the network is down: refused
			continue
		}
		out, err := net.Dial("tcp", r.target)
		if err != nil {
			in.Close()
			continue
		}
		r.mu.Lock()
		r.conns[in], r.conns[out] = true, true
		r.mu.Unlock()
		r.wg.Go(func() { r.pipe(out, in) })
		r.wg.Go(func() { r.pipe(in, out) })
	}
}

func (r *relay) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			r.mu.Lock()
			stalled := r.stalled
			r.mu.Unlock()
			if stalled != nil {
				<-stalled
			}
			if _, err := dst.Write(buf[:n]); err != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	dst.Close()
	src.Close()
	r.mu.Lock()
	delete(r.conns, dst)
	delete(r.conns, src)
	r.mu.Unlock()
}

// stall stops every byte in transit, both ways, as a network partition
// does: the sender's writes succeed and nothing arrives.
func (r *relay) stall() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stalled == nil {
		r.stalled = make(chan struct{})
	}
}

// cut closes every open connection abruptly, dropping what a stall held,
// and returns how many there were.
func (r *relay) cut() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stalled != nil {
		close(r.stalled)
		r.stalled = nil
	}
	n := len(r.conns)
	for c := range r.conns {
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // a reset, not a polite close
		}
		c.Close()
	}
	return n / 2
}

// setDown makes the relay refuse new connections while down is true.
func (r *relay) setDown(down bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = down
}

func (r *relay) close() {
	r.ln.Close()
	r.cut()
	r.wg.Wait()
}

// runner runs a platform adapter until stop, and checks that Run returns.
type runner struct {
	name   string
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

func run(t testing.TB, p bot.Platform) *runner {
	ctx, cancel := context.WithCancel(context.Background())
	r := &runner{name: p.Name(), cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- p.Run(ctx) }()
	t.Cleanup(func() {
		if err := r.stop(); err != nil {
			t.Errorf("%s: Run: %v", r.name, err)
		}
	})
	return r
}

// stop cancels Run, as SIGTERM does through faqbot run, and waits for it
// to return.
func (r *runner) stop() error {
	r.once.Do(func() {
		r.cancel()
		select {
		case r.err = <-r.done:
		case <-time.After(hung):
			r.err = fmt.Errorf("Run did not return %v after its context was cancelled", hung)
		}
	})
	return r.err
}

// slackRig is the Slack adapter running against the fake Slack, through a
// tap.
type slackRig struct {
	fake    *slackfake.Server
	tap     *tap
	relay   *relay
	adapter *slack.Adapter
	run     *runner
	logs    *logBuffer
	// url is the adapter's own HTTP endpoints, in HTTP mode.
	url string
	// warmup is the key of the first question, asked at start in Socket
	// Mode.
	warmup string
}

// slackSetup says how to run the Slack adapter.
type slackSetup struct {
	http bool
	// relay puts the Socket Mode websocket through a relay that can cut
	// it.
	relay     bool
	listening []string
}

// slackKey names the reply of a Web API call: the thread it answers in,
// which is the question's ts for mentions and overheard questions.
func slackKey(r *http.Request, body []byte) (channel, key string) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	switch method {
	case "chat.postMessage", "chat.postEphemeral", "chat.update":
	default:
		return "", ""
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", ""
	}
	key = form.Get("thread_ts")
	if key == "" {
		key = form.Get("ts")
	}
	return form.Get("channel"), key
}

// startSlack runs the Slack adapter for b against a new fake Slack until
// the test ends. The config goes through config.Parse, as in faqbot run.
func startSlack(t testing.TB, b *bot.Bot, s slackSetup) *slackRig {
	t.Helper()
	rig := &slackRig{fake: slackfake.New(t), logs: &logBuffer{}}
	rig.tap = newTap(t, strings.TrimSuffix(rig.fake.URL(), "/api/"), slackKey)
	if s.relay {
		fakeURL, _ := url.Parse(rig.fake.URL())
		rig.relay = newRelay(t, fakeURL.Host)
		// Socket Mode URLs handed out by apps.connections.open go through
		// the relay.
		rig.tap.proxy.ModifyResponse = func(resp *http.Response) error {
			if !strings.HasSuffix(resp.Request.URL.Path, "apps.connections.open") {
				return nil
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				return err
			}
			body = bytes.ReplaceAll(body, []byte(fakeURL.Host), []byte(rig.relay.Addr()))
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Del("Content-Length")
			return nil
		}
	}
	dir := t.TempDir()
	for name, v := range map[string]string{"bot": slackfake.BotToken, "app": slackfake.AppToken, "secret": slackSecret} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(v+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mode := "socket"
	if s.http {
		mode = "http"
	}
	yaml := fmt.Sprintf(`knowledge: %s
slack:
  enabled: true
  mode: %s
  bot_token_file: %s
  app_token_file: %s
  signing_secret_file: %s
  api_url: %s/api/
  admins: [%s]
  listening_channels: [%s]
http:
  listen: 127.0.0.1:0
`, kbPath, mode, filepath.Join(dir, "bot"), filepath.Join(dir, "app"), filepath.Join(dir, "secret"), rig.tap.URL(), slackAdmin, strings.Join(s.listening, ", "))
	cfg, err := config.Parse(filepath.Join(dir, "config.yaml"), []byte(yaml))
	if err != nil {
		t.Fatalf("config: %v\n%s", err, yaml)
	}
	a, err := slack.New(cfg.Slack, b, rig.logs.logger())
	if err != nil {
		t.Fatal(err)
	}
	rig.adapter = a
	if s.http {
		mux := http.NewServeMux()
		a.Routes(mux)
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		rig.url = srv.URL
	}
	rig.run = run(t, a)
	if s.http {
		waitConnected(t, a)
	} else {
		rig.fake.WaitConnections(t, 1)
		// The fake counts a connection once it sent hello; the client is
		// connected once it read it. A first question answered says it
		// did, so that no test's burst lands in the handshake.
		rig.warmup = rig.ask(t, "C0WARMUP", "U0WARMUP", "What is the wifi password?")
		rig.tap.waitReplies(t, 1)
	}
	return rig
}

// connectedPlatform is a platform that says whether it is serving.
type connectedPlatform interface{ Connected() bool }

// waitConnected waits until p says it is connected. Adapters report it
// through an atomic flag and no event, so this polls; the deadline means
// hung.
func waitConnected(t testing.TB, p connectedPlatform) {
	t.Helper()
	deadline := time.Now().Add(hung)
	for !p.Connected() {
		if time.Now().After(deadline) {
			t.Fatalf("not connected after %v", hung)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// ask delivers a mention of the bot in channel from user and returns the
// question's ts, which its reply's thread_ts must be.
func (rig *slackRig) ask(t testing.TB, channel, user, text string) string {
	t.Helper()
	ts := rig.fake.NewTS()
	rig.fake.SendMention(t, slackfake.Message{Channel: channel, User: user, Text: text, TS: ts})
	return ts
}

// discordRig is the Discord adapter running against the fake Discord,
// through a tap.
type discordRig struct {
	fake    *discordfake.Server
	tap     *tap
	relay   *relay
	adapter *discord.Adapter
	run     *runner
	logs    *logBuffer
	url     string
}

// discordSetup says how to run the Discord adapter.
type discordSetup struct {
	// relay puts the gateway websocket through a relay that can cut it.
	relay bool
	// endpoint turns on the HTTP interactions endpoint.
	endpoint  bool
	listening []string
	channels  int
}

// discordChannel returns the id of channel i of the test server.
func discordChannel(i int) string { return fmt.Sprintf("5000000000000%05d", i) }

// discordKey names the reply of a REST call: the message a channel
// message replies to, or the interaction a callback answers.
func discordKey(r *http.Request, body []byte) (channel, key string) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v9/"), "/")
	switch {
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		var m struct {
			Reference *struct {
				MessageID string `json:"message_id"`
			} `json:"message_reference"`
		}
		if json.Unmarshal(body, &m) == nil && m.Reference != nil {
			key = m.Reference.MessageID
		}
		return parts[1], key
	case r.Method == http.MethodPost && len(parts) == 4 && parts[0] == "interactions":
		return "", parts[1]
	}
	return "", ""
}

// startDiscord runs the Discord adapter for b against a new fake Discord
// until the test ends.
func startDiscord(t testing.TB, b *bot.Bot, s discordSetup) *discordRig {
	t.Helper()
	if s.channels == 0 {
		s.channels = 50
	}
	guild := &discordgo.Guild{
		ID: guildID, Name: "Acme", OwnerID: "300000000000000099",
		Roles: []*discordgo.Role{
			{ID: guildID, Name: "@everyone", Permissions: discordgo.PermissionViewChannel | discordgo.PermissionSendMessages},
		},
		Members: []*discordgo.Member{},
	}
	for i := range s.channels {
		guild.Channels = append(guild.Channels, &discordgo.Channel{ID: discordChannel(i), GuildID: guildID, Name: fmt.Sprintf("c%d", i), Type: discordgo.ChannelTypeGuildText})
	}
	rig := &discordRig{logs: &logBuffer{}}
	rig.fake = discordfake.New(t, discordfake.Options{Intents: discord.Intents(true), Guilds: []*discordgo.Guild{guild}})
	rig.tap = newTap(t, rig.fake.URL(), discordKey)
	cfg := config.Discord{
		Enabled:           true,
		Admins:            []string{discordAdmin},
		ListeningChannels: s.listening,
		APIURL:            rig.tap.URL(),
	}
	if s.relay {
		fakeURL, _ := url.Parse(rig.fake.URL())
		rig.relay = newRelay(t, fakeURL.Host)
		cfg.GatewayURL = "ws://" + rig.relay.Addr() + "/ws"
	}
	if s.endpoint {
		cfg.InteractionsEndpoint = true
		cfg.PublicKey = rig.fake.PublicKey()
	}
	cfg.SetToken(rig.fake.Token())
	a, err := discord.New(cfg, b, rig.logs.logger())
	if err != nil {
		t.Fatal(err)
	}
	rig.adapter = a
	if s.endpoint {
		mux := http.NewServeMux()
		a.Routes(mux)
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		rig.url = srv.URL + discord.InteractionsPath
	}
	rig.run = run(t, a)
	rig.fake.WaitReady(t, 1)
	rig.fake.WaitRequest(t, "the command overwrite at start", func(r discordfake.Request) bool {
		return r.Method == http.MethodPut && strings.HasSuffix(r.Path, "/commands") && r.Status == http.StatusOK
	})
	return rig
}

// ask delivers a message mentioning the bot in channel from user, and
// returns its id, which the reply's message_reference must name.
func (rig *discordRig) ask(channel, user, text string) string {
	self := rig.fake.BotID()
	m := rig.fake.SendMessage(&discordgo.Message{
		ChannelID: channel,
		GuildID:   guildID,
		Content:   "<@" + self + "> " + text,
		Author:    &discordgo.User{ID: user, Username: "user" + user[len(user)-3:]},
		Member:    &discordgo.Member{Roles: []string{}},
		Mentions:  []*discordgo.User{{ID: self, Username: "faqbot", Bot: true}},
	})
	return m.ID
}

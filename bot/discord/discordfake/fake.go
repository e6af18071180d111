// Package discordfake is a fake Discord for tests: a REST API and a gateway
// websocket on 127.0.0.1 that speak enough of Discord's wire protocol for the
// real github.com/bwmarrin/discordgo client to connect, receive events and
// reply. It records every request and every gateway frame for assertions,
// checks what the bot sends against Discord's own limits, and fails the test
// on any route it does not know, so that protocol drift shows up as a red
// test rather than a silent pass.
//
// A test starts a Server with New, points a session at it (Redirect, or a
// bot's api_url setting), waits for the client to identify, then drives it
// with SendMessage, SendInteraction, PostInteraction, Reconnect and
// InvalidSession, makes a channel's posts hang with Hold, and asserts on
// Requests, Frames and Sent.
package discordfake

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/faqbot/faqbot/internal/changes"
	"github.com/faqbot/faqbot/internal/hold"
)

// Options configures a Server. The zero value is usable: it expects a
// made-up token shaped like a real one (see Server.Token) and makes up the
// ids.
type Options struct {
	// Token is the bot token the client must present, without "Bot ".
	Token string
	// AppID is the application id, reported in READY.
	AppID string
	// BotID and BotName identify the bot user, reported in READY.
	BotID   string
	BotName string
	// Intents are the gateway intents IDENTIFY must request; a client that
	// asks for fewer fails the test and is disconnected with close code
	// 4013, as Discord does for invalid intents.
	Intents discordgo.Intent
	// DenyPrivileged refuses IDENTIFY with close code 4014 when it asks
	// for a privileged intent (message content, members, presences), as
	// Discord does when the intent is not enabled in the Developer Portal.
	DenyPrivileged bool
	// Guilds are sent as GUILD_CREATE after READY, so the client's state
	// knows their roles and channels.
	Guilds []*discordgo.Guild
	// Compress sends every gateway frame as a zlib-compressed binary
	// frame instead of text.
	Compress bool
	// HeartbeatInterval is announced in HELLO; zero means 45 s.
	HeartbeatInterval time.Duration
	// ReplayAll makes RESUME replay every dispatch of the session, not
	// only those after the client's sequence number, as an at-least-once
	// gateway may; use it to test that the bot deduplicates.
	ReplayAll bool
	// EverySession delivers each event to every session that serves its
	// shard, not only to the newest: as Discord does when several clients
	// (replicas of one bot) identify with the same token and shard. Use
	// it to test that replicas answer each event once.
	EverySession bool
	// InteractionKey signs the interactions that PostInteraction delivers
	// to an HTTP interactions endpoint; nil means a fresh key.
	InteractionKey ed25519.PrivateKey
	// InteractionDeadline is how long after delivery an interaction may
	// be answered; zero means Discord's 3 s.
	InteractionDeadline time.Duration
}

// Server is a running fake Discord. Its methods are safe for concurrent use.
type Server struct {
	t    testing.TB
	opts Options
	http *httptest.Server
	mux  *http.ServeMux
	key  ed25519.PrivateKey

	mu       sync.Mutex
	changes  changes.Changes
	requests []Request
	frames   []Frame
	nextID   uint64
	sessions map[string]*session
	conns    []*conn // every connection, oldest first
	nconns   int
	messages map[string]bool
	// posted are the ids of the messages the bot created, by channel.
	posted    map[string][]string
	tokens    map[string]*interaction
	commands  map[string][]*discordgo.ApplicationCommand
	botRoles  map[string]string // server id -> the bot's managed role
	refused   int               // the close code set by Refuse
	dms       map[string]string // user id -> DM channel id
	failures  []*Failure
	holds     *hold.Set // channel ids on hold, by Hold
	closed    bool
	upgrader  websocket.Upgrader
	connsWait sync.WaitGroup
}

// New starts a fake Discord on 127.0.0.1 and stops it when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Token == "" {
		opts.Token = "ODk5MTk5OTk5OTk5OTk5OTk5.GfAkE0.discordfake-test-token"
	}
	if opts.AppID == "" {
		opts.AppID = "900000000000000001"
	}
	if opts.BotID == "" {
		opts.BotID = "900000000000000002"
	}
	if opts.BotName == "" {
		opts.BotName = "faqbot"
	}
	if opts.HeartbeatInterval == 0 {
		opts.HeartbeatInterval = 45 * time.Second
	}
	if opts.InteractionDeadline == 0 {
		opts.InteractionDeadline = discordgo.InteractionDeadline
	}
	s := &Server{
		t:        t,
		opts:     opts,
		key:      opts.InteractionKey,
		nextID:   1100000000000000000,
		sessions: make(map[string]*session),
		messages: make(map[string]bool),
		posted:   make(map[string][]string),
		tokens:   make(map[string]*interaction),
		commands: make(map[string][]*discordgo.ApplicationCommand),
		botRoles: make(map[string]string),
		dms:      make(map[string]string),
	}
	s.holds = hold.NewSet(&s.changes)
	if s.key == nil {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatalf("discordfake: generate the interaction key: %v", err)
		}
		s.key = priv
	}
	s.mux = http.NewServeMux()
	s.routes()
	s.http = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// URL is the fake's base URL, such as http://127.0.0.1:41234: it stands in
// for https://discord.com.
func (s *Server) URL() string { return s.http.URL }

// GatewayURL is the websocket URL that GET /api/v9/gateway hands out.
func (s *Server) GatewayURL() string { return "ws" + strings.TrimPrefix(s.http.URL, "http") + "/ws" }

// Token returns the bot token the fake accepts, without "Bot ".
func (s *Server) Token() string { return s.opts.Token }

// AppID returns the application id.
func (s *Server) AppID() string { return s.opts.AppID }

// BotID returns the bot user's id.
func (s *Server) BotID() string { return s.opts.BotID }

// BotRole returns the id of the bot's managed role in server guild: the
// role Discord creates when the bot joins, which members mention as
// <@&id> when they pick the bot's role from the @ menu.
func (s *Server) BotRole(guild string) string { return s.stableID(s.botRoles, guild) }

// PublicKey returns the hex public key that verifies the interactions
// PostInteraction signs, as the Developer Portal shows it.
func (s *Server) PublicKey() string {
	return hex.EncodeToString(s.key.Public().(ed25519.PublicKey))
}

// Close disconnects every gateway client and stops the server. It is
// called when the test ends; calling it earlier is fine.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.holds.ReleaseAll()
	conns := append([]*conn(nil), s.conns...)
	s.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
	s.http.CloseClientConnections()
	s.http.Close()
	s.connsWait.Wait()
}

// Redirect points a discordgo session at the fake: a new HTTP client whose
// transport sends discord.com requests to the fake, and a new websocket
// dialer. No package-level state changes, so tests may run in parallel.
func (s *Server) Redirect(sess *discordgo.Session) {
	sess.Client = &http.Client{Transport: s.Transport(), Timeout: 20 * time.Second}
	sess.Dialer = &websocket.Dialer{HandshakeTimeout: 10 * time.Second}
}

// Transport returns a RoundTripper that sends requests for discord.com to
// the fake and refuses any other host.
func (s *Server) Transport() http.RoundTripper {
	base, _ := url.Parse(s.http.URL)
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		if r.URL.Host != "discord.com" && r.URL.Host != base.Host {
			return nil, fmt.Errorf("discordfake: refusing a request to %s: tests only talk to 127.0.0.1", r.URL.Host)
		}
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = base.Scheme, base.Host, base.Host
		return http.DefaultTransport.RoundTrip(r)
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

// RoundTrip implements http.RoundTripper.
func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// snowflake returns a new unique id. The caller holds s.mu.
func (s *Server) snowflake() string {
	s.nextID++
	return strconv.FormatUint(s.nextID, 10)
}

// notify wakes every waiter.
func (s *Server) notify() { s.changes.Notify() }

// errorf reports a protocol violation by the client: the test fails.
func (s *Server) errorf(format string, args ...any) {
	s.t.Errorf("discordfake: "+format, args...)
}

// Request is one HTTP request the fake received, with the status it
// answered.
type Request struct {
	Method string
	// Path is the URL path, without the query.
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
	Status int
	// Route is the pattern that served the request, such as
	// "POST /api/v9/channels/{channel}/messages", or "" if none did.
	Route string
	At    time.Time
}

// JSON decodes the request body into v.
func (r Request) JSON(v any) error { return json.Unmarshal(r.Body, v) }

// Requests returns every HTTP request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Frame is one gateway frame, received from the client (In) or sent to it.
type Frame struct {
	// Conn numbers the websocket connections from 1.
	Conn int
	In   bool
	Op   int
	// T and Seq are set for dispatches (op 0).
	T    string
	Seq  int64
	Data json.RawMessage
	// Compressed is set for frames sent as zlib-compressed binary frames.
	Compressed bool
	At         time.Time
}

// Frames returns every gateway frame so far, in order.
func (s *Server) Frames() []Frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Frame(nil), s.frames...)
}

// DefaultWait is how long the Wait methods wait before failing the test.
const DefaultWait = 10 * time.Second

// WaitRequest waits until a request matching match has been received and
// returns the first one, or fails the test after DefaultWait. Like every
// Wait method, it calls match with the Server locked: match must not call
// the Server's methods.
func (s *Server) WaitRequest(t testing.TB, what string, match func(Request) bool) Request {
	t.Helper()
	var found Request
	s.wait(t, what, func() bool {
		for _, r := range s.requests {
			if match(r) {
				found = r
				return true
			}
		}
		return false
	})
	return found
}

// WaitFrame waits until a gateway frame matching match has been seen and
// returns the first one, or fails the test after DefaultWait.
func (s *Server) WaitFrame(t testing.TB, what string, match func(Frame) bool) Frame {
	t.Helper()
	return s.WaitFrames(t, what, 1, match)[0]
}

// WaitFrames waits until n gateway frames matching match have been seen
// and returns them, or fails the test after DefaultWait.
func (s *Server) WaitFrames(t testing.TB, what string, n int, match func(Frame) bool) []Frame {
	t.Helper()
	var found []Frame
	s.wait(t, what, func() bool {
		found = found[:0]
		for _, f := range s.frames {
			if match(f) {
				found = append(found, f)
			}
		}
		return len(found) >= n
	})
	return found
}

// WaitSent waits until the bot has sent a message matching match and
// returns the first one, or fails the test after DefaultWait.
func (s *Server) WaitSent(t testing.TB, what string, match func(Sent) bool) Sent {
	t.Helper()
	var found Sent
	s.wait(t, what, func() bool {
		for _, r := range s.requests {
			if m, ok := decodeSent(r, s.tokens); ok && match(m) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// WaitReady waits until the fake has sent READY on a connection numbered
// at least conn (1 for the first), and returns the session id.
func (s *Server) WaitReady(t testing.TB, conn int) string {
	t.Helper()
	f := s.WaitFrame(t, fmt.Sprintf("READY on connection %d", conn), func(f Frame) bool {
		return !f.In && f.T == "READY" && f.Conn >= conn
	})
	var r struct {
		SessionID string `json:"session_id"`
	}
	_ = json.Unmarshal(f.Data, &r)
	return r.SessionID
}

// wait calls cond under s.mu each time something is recorded, until it
// returns true; it fails the test after DefaultWait. The match functions
// of the Wait methods run inside cond, so they must not call the Server.
func (s *Server) wait(t testing.TB, what string, cond func() bool) {
	t.Helper()
	ok := s.changes.Wait(DefaultWait, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return cond()
	})
	if !ok {
		t.Fatalf("discordfake: waited %v for %s; %s", DefaultWait, what, s.describe())
	}
}

// maxDescribedFrames is how many of the newest gateway frames a failure
// message lists.
const maxDescribedFrames = 40

// describe lists the requests received and the newest gateway frames, for
// failure messages.
func (s *Server) describe() string {
	var sb strings.Builder
	sb.WriteString("requests so far:\n")
	requests := s.Requests()
	for _, r := range requests {
		body := string(r.Body)
		if len(body) > 300 {
			body = body[:300] + "…"
		}
		fmt.Fprintf(&sb, "  %s %s -> %d %s\n", r.Method, r.Path, r.Status, body)
	}
	if len(requests) == 0 {
		sb.WriteString("  (none)\n")
	}
	frames := s.Frames()
	fmt.Fprintf(&sb, "gateway frames so far (%d):\n", len(frames))
	if len(frames) > maxDescribedFrames {
		frames = frames[len(frames)-maxDescribedFrames:]
		sb.WriteString("  …\n")
	}
	for _, f := range frames {
		from := "fake"
		if f.In {
			from = "client"
		}
		fmt.Fprintf(&sb, "  %s connection %d: %s op %d %s\n", f.At.Format("15:04:05.000"), f.Conn, from, f.Op, f.T)
	}
	return sb.String()
}

// Failure makes the fake answer matching requests with an error.
type Failure struct {
	// Method and Path select the requests: Path is matched as a prefix of
	// the URL path; an empty Method matches any.
	Method string
	Path   string
	// Status is the HTTP status: 429 answers as Discord's rate limiter
	// does, with retry_after and the rate-limit headers; anything else
	// answers with a JSON error body.
	Status int
	// RetryAfter is the wait a 429 asks for.
	RetryAfter time.Duration
	// Times is how many requests fail; zero means one.
	Times int
}

// Fail makes the next matching requests fail as f says.
func (s *Server) Fail(f Failure) {
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, &f)
}

// failure returns the failure that applies to r, if any, counting it. The
// caller holds s.mu.
func (s *Server) failure(r *http.Request) *Failure {
	for i, f := range s.failures {
		if (f.Method == "" || f.Method == r.Method) && strings.HasPrefix(r.URL.Path, f.Path) {
			f.Times--
			if f.Times == 0 {
				s.failures = append(s.failures[:i], s.failures[i+1:]...)
			}
			return f
		}
	}
	return nil
}

// Commands returns the application commands registered globally (guild
// "") or for a guild.
func (s *Server) Commands(guild string) []*discordgo.ApplicationCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*discordgo.ApplicationCommand(nil), s.commands[guild]...)
}

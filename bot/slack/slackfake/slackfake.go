// Package slackfake is a fake Slack for tests: a Web API, a Socket Mode
// websocket and a response_url sink on 127.0.0.1 that speak Slack's wire
// protocol closely enough for the real slack-go client. It records every
// request it receives so that tests can assert on what a bot sent, answers
// 404 and fails the test on any route it does not know, and can be told to
// answer the next calls with 429 or 500, or to hold the posts to a channel
// unanswered (Hold).
//
// A test starts one with New, points the client at URL, drives the bot with
// SendMention, SendMessage, SendSlashCommand and SendBlockAction (or builds
// the same payloads with the *Payload functions for HTTP mode), and waits
// for what the bot sent with Wait.
package slackfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/internal/changes"
	"github.com/faqbot/faqbot/internal/hold"
)

// Timeout is how long the Wait functions wait before failing the test. It is
// generous so that tests hold on a loaded machine under -race.
const Timeout = 20 * time.Second

// Identities the fake uses unless a test changes them before the bot starts.
const (
	BotToken  = "xoxb-1111-2222-fakebottoken"
	AppToken  = "xapp-1-A0FAKE-3333-fakeapptoken"
	BotUserID = "U0FAQBOT"
	BotID     = "B0FAQBOT"
	TeamID    = "T0FAKE"
	AppID     = "A0FAKE"
)

// Server is a fake Slack. Create it with New; it closes itself when the test
// ends.
type Server struct {
	t   testing.TB
	srv *httptest.Server

	// PingInterval is how often the Socket Mode websocket sends a PING. Set
	// it before the first connection.
	PingInterval time.Duration

	mu       sync.Mutex
	changes  changes.Changes
	reqs     []Request
	failures []failure
	groups   map[string][]string
	minted   map[string]bool
	seq      int
	ts       int
	sock     *socketState
	holds    *hold.Set // channels on hold, by Hold
	closed   bool
}

type failure struct {
	method     string
	status     int
	retryAfter time.Duration
}

// New starts a fake Slack on 127.0.0.1 and closes it when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		t:            t,
		PingInterval: 2 * time.Second,
		groups:       map[string][]string{},
		minted:       map[string]bool{},
		sock:         newSocketState(),
	}
	s.holds = hold.NewSet(&s.changes)
	mux := http.NewServeMux()
	mux.HandleFunc("/api/{method}", s.serveAPI)
	mux.HandleFunc("/socket/{id}", s.serveSocket)
	mux.HandleFunc("/response/{id}", s.serveResponseURL)
	mux.HandleFunc("/", s.serveUnknown)
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// URL returns the Web API base URL, ending in "/", for slack.OptionAPIURL
// or the slack.api_url config key.
func (s *Server) URL() string { return s.srv.URL + "/api/" }

// Close closes every websocket and stops the server. It is called when the
// test ends; calling it earlier simulates Slack going away.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.holds.ReleaseAll()
	s.mu.Unlock()
	s.sock.closeAll()
	s.srv.Close()
}

// SetUserGroup makes usergroups.users.list answer members for group id.
func (s *Server) SetUserGroup(id string, members ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups[id] = members
}

// FailNext makes the next n calls of the Web API method (such as
// "chat.postMessage"; "" for any method) answer with status: 429 comes with
// a Retry-After header of retryAfter rounded to seconds, anything else with
// an HTML error page, as Slack sends.
func (s *Server) FailNext(method string, n, status int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures = append(s.failures, failure{method: method, status: status, retryAfter: retryAfter})
	}
}

// Hold makes every Web API call that posts to channel (chat.postMessage,
// chat.postEphemeral, chat.update) wait unanswered, as a Slack that hangs
// would, until release is called or the client gives up; then it is
// answered as usual. Close releases it too.
func (s *Server) Hold(channel string) (release func()) { return s.holds.Hold(channel) }

// Holding returns how many calls to channel wait in Hold now, and how
// many gave up waiting (the client's timeout or cancellation).
func (s *Server) Holding(channel string) (waiting, gaveUp int) { return s.holds.Holding(channel) }

// WaitHolding waits until n calls to channel wait in Hold; it fails the
// test after Timeout.
func (s *Server) WaitHolding(t testing.TB, channel string, n int) {
	t.Helper()
	s.waitFor(t, fmt.Sprintf("%d held calls to %s", n, channel), func() bool {
		waiting, _ := s.holds.Holding(channel)
		return waiting >= n
	})
}

// held waits while a hold is on the channel r posts to, and reports
// whether the call should still be answered.
func (s *Server) held(hr *http.Request, r Request) bool {
	if !r.IsReply() {
		return true
	}
	return s.holds.Wait(hr.Context(), r.Channel())
}

// NewResponseURL returns a response_url that the fake accepts, as Slack
// puts in slash commands and interactions.
func (s *Server) NewResponseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	id := "R" + strconv.Itoa(s.seq)
	s.minted[id] = true
	return s.srv.URL + "/response/" + id
}

// NewTS returns a fresh message timestamp, increasing with every call.
func (s *Server) NewTS() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newTSLocked()
}

func (s *Server) newTSLocked() string {
	s.ts++
	return fmt.Sprintf("1700000000.%06d", s.ts)
}

// Requests returns every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Replies returns the messages the bot sent successfully so far, in order:
// chat.postMessage, chat.postEphemeral, chat.update and response_url posts
// that the fake answered with 200.
func (s *Server) Replies() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.IsReply() && r.Status == http.StatusOK {
			out = append(out, r)
		}
	}
	return out
}

// Wait waits until n requests satisfy match and returns them in order; it
// fails the test after Timeout.
func (s *Server) Wait(t testing.TB, what string, n int, match func(Request) bool) []Request {
	t.Helper()
	var got []Request
	s.waitFor(t, what, func() bool {
		got = got[:0]
		for _, r := range s.reqs {
			if match(r) {
				got = append(got, r)
			}
		}
		return len(got) >= n
	})
	return got[:n]
}

// WaitReply waits for the first successful reply that satisfies match.
func (s *Server) WaitReply(t testing.TB, what string, match func(Request) bool) Request {
	t.Helper()
	return s.Wait(t, what, 1, func(r Request) bool {
		return r.IsReply() && r.Status == http.StatusOK && match(r)
	})[0]
}

// waitFor calls check with the lock held each time something changes, until
// it returns true; it fails the test after Timeout.
func (s *Server) waitFor(t testing.TB, what string, check func() bool) {
	t.Helper()
	ok := s.changes.Wait(Timeout, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return check()
	})
	if !ok {
		t.Fatalf("slackfake: waited %v for %s; requests so far:\n%s", Timeout, what, s.describe())
	}
}

// changedLocked wakes every waiter.
func (s *Server) changedLocked() { s.changes.Notify() }

func (s *Server) describe() string {
	var sb strings.Builder
	for _, r := range s.Requests() {
		fmt.Fprintf(&sb, "  %d %s -> %d %q\n", r.Seq, r.Method, r.Status, truncate(r.Text(), 120))
	}
	return sb.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// record stores a request and wakes waiters.
func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	r.Seq = s.seq
	r.At = time.Now()
	s.reqs = append(s.reqs, r)
	s.changedLocked()
}

// takeFailure returns the failure planned for method, if any.
func (s *Server) takeFailure(method string) (failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.failures {
		if f.method == "" || f.method == method {
			s.failures = append(s.failures[:i], s.failures[i+1:]...)
			return f, true
		}
	}
	return failure{}, false
}

func (s *Server) serveUnknown(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.record(Request{Method: "unknown", Path: r.URL.Path, Header: r.Header.Clone(), Body: body, Status: http.StatusNotFound})
	s.t.Errorf("slackfake: unknown route %s %s", r.Method, r.URL.Path)
	http.NotFound(w, r)
}

// getMethods are the Web API methods slack-go calls with GET.
var getMethods = map[string]bool{"chat.getPermalink": true}

// webAPI lists the Web API methods the fake serves and how.
func (s *Server) webAPI(method string) (func(r *Request) (any, string), bool) {
	switch method {
	case "auth.test":
		return s.authTest, true
	case "apps.connections.open":
		return s.connectionsOpen, true
	case "chat.postMessage":
		return s.postMessage, true
	case "chat.postEphemeral":
		return s.postEphemeral, true
	case "chat.update":
		return s.update, true
	case "usergroups.users.list":
		return s.usergroupMembers, true
	case "views.open":
		return s.viewsOpen, true
	case "chat.getPermalink":
		return s.permalink, true
	}
	return nil, false
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	req, err := readRequest(method, r)
	handler, known := s.webAPI(method)
	switch {
	case !known:
		req.Status = http.StatusNotFound
		s.record(req)
		s.t.Errorf("slackfake: unknown Web API method %s", method)
		http.NotFound(w, r)
		return
	case r.Method != http.MethodPost && !(r.Method == http.MethodGet && getMethods[method]):
		req.Status = http.StatusMethodNotAllowed
		s.record(req)
		s.t.Errorf("slackfake: %s called with %s; slack-go POSTs it", method, r.Method)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	case err != nil:
		req.Status = http.StatusBadRequest
		s.record(req)
		s.t.Errorf("slackfake: %s: %v", method, err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if !s.held(r, req) {
		req.Error = "slackfake: the client gave up while the call was held"
		s.record(req)
		return
	}
	if f, ok := s.takeFailure(method); ok {
		req.Status = f.status
		s.record(req)
		if f.status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", strconv.Itoa(int(f.retryAfter.Round(time.Second)/time.Second)))
			writeJSON(w, f.status, map[string]any{"ok": false, "error": "ratelimited"})
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.status)
		_, _ = io.WriteString(w, "<html><body>slackfake: planned failure</body></html>")
		return
	}
	resp, errCode := handler(&req)
	req.Status = http.StatusOK
	if errCode != "" {
		req.Error = errCode
		resp = map[string]any{"ok": false, "error": errCode}
	}
	s.record(req)
	writeJSON(w, http.StatusOK, resp)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// botAuth checks the bot token, sent by slack-go in the form or as a bearer
// token.
func botAuth(r *Request) bool {
	return r.Form.Get("token") == BotToken || r.Header.Get("Authorization") == "Bearer "+BotToken
}

func (s *Server) authTest(r *Request) (any, string) {
	if !botAuth(r) {
		return nil, "invalid_auth"
	}
	return map[string]any{
		"ok": true, "url": "https://fake.slack.test/", "team": "Fake", "user": "faqbot",
		"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID,
	}, ""
}

func (s *Server) postMessage(r *Request) (any, string) {
	if !botAuth(r) {
		return nil, "invalid_auth"
	}
	ch := r.Form.Get("channel")
	if ch == "" {
		return nil, "channel_not_found"
	}
	if r.Form.Get("text") == "" && r.Form.Get("blocks") == "" {
		return nil, "no_text"
	}
	ts := s.NewTS()
	r.ReplyTS = ts
	return map[string]any{"ok": true, "channel": ch, "ts": ts,
		"message": map[string]any{"type": "message", "text": r.Form.Get("text"), "bot_id": BotID, "user": BotUserID, "ts": ts}}, ""
}

func (s *Server) postEphemeral(r *Request) (any, string) {
	if !botAuth(r) {
		return nil, "invalid_auth"
	}
	if r.Form.Get("channel") == "" {
		return nil, "channel_not_found"
	}
	if r.Form.Get("user") == "" {
		return nil, "user_not_in_channel"
	}
	r.ReplyTS = s.NewTS()
	return map[string]any{"ok": true, "message_ts": r.ReplyTS}, ""
}

func (s *Server) update(r *Request) (any, string) {
	if !botAuth(r) {
		return nil, "invalid_auth"
	}
	ch, ts := r.Form.Get("channel"), r.Form.Get("ts")
	if ch == "" || ts == "" {
		return nil, "message_not_found"
	}
	r.ReplyTS = ts
	return map[string]any{"ok": true, "channel": ch, "ts": ts, "text": r.Form.Get("text")}, ""
}

func (s *Server) usergroupMembers(r *Request) (any, string) {
	if !botAuth(r) {
		return nil, "invalid_auth"
	}
	s.mu.Lock()
	members, ok := s.groups[r.Form.Get("usergroup")]
	s.mu.Unlock()
	if !ok {
		return nil, "no_such_subteam"
	}
	return map[string]any{"ok": true, "users": members}, ""
}

func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	req, err := readRequest("response_url", r)
	s.mu.Lock()
	minted := s.minted[r.PathValue("id")]
	s.mu.Unlock()
	switch {
	case !minted:
		req.Status = http.StatusNotFound
		s.record(req)
		s.t.Errorf("slackfake: POST to a response_url the fake never handed out: %s", r.URL.Path)
		http.NotFound(w, r)
		return
	case err != nil || req.JSON == nil:
		req.Status = http.StatusBadRequest
		s.record(req)
		s.t.Errorf("slackfake: response_url needs a JSON body: %v", err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	req.Status = http.StatusOK
	s.record(req)
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// readRequest reads a request's body as a form or JSON, as its
// Content-Type says.
func readRequest(method string, r *http.Request) (Request, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	req := Request{Method: method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body, Form: url.Values{}}
	if err != nil {
		return req, err
	}
	if r.Method == http.MethodGet {
		// slack-go GETs a few methods, its arguments in the query.
		req.Form = r.URL.Query()
		return req, nil
	}
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		req.Form, err = url.ParseQuery(string(body))
	case strings.HasPrefix(ct, "application/json"):
		if len(body) > 0 {
			err = json.Unmarshal(body, &req.JSON)
		}
	case len(body) > 0:
		err = fmt.Errorf("unexpected Content-Type %q", ct)
	}
	return req, err
}

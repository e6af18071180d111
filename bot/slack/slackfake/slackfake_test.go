package slackfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/faqbot/faqbot/internal/recordtb"
)

func post(t *testing.T, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestFake(t *testing.T) {
	for _, tc := range []struct {
		name     string
		prepare  func(s *Server)
		path     func(s *Server) string
		form     url.Values
		status   int
		body     string // in the answer
		failures string // in what the fake reported to the test
	}{
		{"unknown route fails the test", nil, func(s *Server) string { return s.srv.URL + "/nope" }, nil, 404, "", "unknown route POST /nope"},
		{"unknown method fails the test", nil, func(s *Server) string { return s.URL() + "chat.meMessage" }, url.Values{"token": {BotToken}}, 404, "", "unknown Web API method chat.meMessage"},
		{"wrong token", nil, func(s *Server) string { return s.URL() + "auth.test" }, url.Values{"token": {"xoxb-other"}}, 200, `"error":"invalid_auth"`, ""},
		{"auth.test", nil, func(s *Server) string { return s.URL() + "auth.test" }, url.Values{"token": {BotToken}}, 200, `"user_id":"` + BotUserID + `"`, ""},
		{"planned 429", func(s *Server) { s.FailNext("chat.postMessage", 1, 429, 3*time.Second) }, func(s *Server) string { return s.URL() + "chat.postMessage" }, url.Values{"token": {BotToken}, "channel": {"C1"}, "text": {"x"}}, 429, "ratelimited", ""},
		{"planned 500 for another method leaves this one", func(s *Server) { s.FailNext("chat.update", 1, 500, 0) }, func(s *Server) string { return s.URL() + "chat.postMessage" }, url.Values{"token": {BotToken}, "channel": {"C1"}, "text": {"x"}}, 200, `"ok":true`, ""},
		{"response_url never handed out", nil, func(s *Server) string { return s.srv.URL + "/response/R999" }, nil, 404, "", "never handed out"},
		{"user group", func(s *Server) { s.SetUserGroup("S1", "U1", "U2") }, func(s *Server) string { return s.URL() + "usergroups.users.list" }, url.Values{"token": {BotToken}, "usergroup": {"S1"}}, 200, `"users":["U1","U2"]`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordtb.TB{TB: t}
			s := New(rec)
			if tc.prepare != nil {
				tc.prepare(s)
			}
			resp, body := post(t, tc.path(s), tc.form)
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.body) {
				t.Errorf("answer %d %q, want %d with %q", resp.StatusCode, body, tc.status, tc.body)
			}
			if tc.status == 429 && resp.Header.Get("Retry-After") != "3" {
				t.Errorf("Retry-After = %q, want 3", resp.Header.Get("Retry-After"))
			}
			got := rec.String()
			if tc.failures == "" && got != "" || !strings.Contains(got, tc.failures) {
				t.Errorf("the fake reported %q, want %q", got, tc.failures)
			}
			if rs := s.Requests(); len(rs) != 1 || rs[0].Status != tc.status {
				t.Errorf("recorded %+v", rs)
			}
		})
	}
}

func TestSocketModeConnection(t *testing.T) {
	rec := &recordtb.TB{TB: t}
	s := New(rec)
	s.PingInterval = 20 * time.Millisecond
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"apps.connections.open", nil)
	req.Header.Set("Authorization", "Bearer "+AppToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var open struct {
		OK  bool   `json:"ok"`
		URL string `json:"url"`
	}
	err = json.NewDecoder(resp.Body).Decode(&open)
	resp.Body.Close()
	if err != nil || !open.OK || !strings.HasPrefix(open.URL, "ws://127.0.0.1:") {
		t.Fatalf("apps.connections.open: %+v, %v", open, err)
	}
	ws, _, err := websocket.DefaultDialer.Dial(open.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	pinged := make(chan struct{}, 1)
	ws.SetPingHandler(func(string) error {
		select {
		case pinged <- struct{}{}:
		default:
		}
		return nil
	})
	messages := make(chan map[string]any, 4)
	go func() {
		for {
			var m map[string]any
			if err := ws.ReadJSON(&m); err != nil {
				close(messages)
				return
			}
			messages <- m
		}
	}()
	next := func(what string) map[string]any {
		t.Helper()
		select {
		case m, ok := <-messages:
			if !ok {
				t.Fatalf("the connection closed before %s", what)
			}
			return m
		case <-time.After(Timeout):
			t.Fatalf("no %s", what)
		}
		return nil
	}
	if m := next("hello"); m["type"] != "hello" {
		t.Fatalf("first message %v, want hello", m)
	}
	select {
	case <-pinged:
	case <-time.After(Timeout):
		t.Fatal("no websocket PING")
	}
	d := s.Send(t, "events_api", []byte(`{"type":"event_callback"}`))
	if m := next("the envelope"); m["envelope_id"] != d.EnvelopeID || m["type"] != "events_api" {
		t.Fatalf("envelope %v, want %s", m, d.EnvelopeID)
	}
	if err := ws.WriteJSON(map[string]any{"envelope_id": d.EnvelopeID}); err != nil {
		t.Fatal(err)
	}
	s.WaitAck(t, d.EnvelopeID)
	s.Disconnect(t)
	if m := next("disconnect"); m["type"] != "disconnect" {
		t.Fatalf("got %v, want disconnect", m)
	}
	if s.Connections() != 1 {
		t.Errorf("Connections() = %d, want 1", s.Connections())
	}
	// The URL serves one connection only, as Slack's do.
	if _, _, err := websocket.DefaultDialer.Dial(open.URL, nil); err == nil {
		t.Error("a websocket URL was served twice")
	}
	if got := rec.String(); !strings.HasSuffix(got, "which apps.connections.open never handed out (or handed out once already)") || strings.Count(got, "\n") != 0 {
		t.Errorf("the fake reported %q; want only the reused websocket URL", got)
	}
}

package slackfake

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a testing.TB that records the failures the fake reports.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) failures() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errs, "\n")
}

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
			rec := &recorder{TB: t}
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
			got := rec.failures()
			if tc.failures == "" && got != "" || !strings.Contains(got, tc.failures) {
				t.Errorf("the fake reported %q, want %q", got, tc.failures)
			}
			if rs := s.Requests(); len(rs) != 1 || rs[0].Status != tc.status {
				t.Errorf("recorded %+v", rs)
			}
		})
	}
}

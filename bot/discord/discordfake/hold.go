package discordfake

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// statusGaveUp is recorded for a held request whose client gave up
// waiting: no answer was sent (it is nginx's "client closed request").
const statusGaveUp = 499

// hold is a hang on the messages posted to one channel.
type hold struct {
	released chan struct{}
	waiting  int
	gaveUp   int
}

// Hold makes every message the bot posts to channel wait unanswered, as a
// Discord that hangs would, until release is called or the client gives
// up (its timeout or its context's); then it is answered as usual. A post
// the client gave up on is recorded with status 499 and does not count as
// sent. Close releases every hold.
func (s *Server) Hold(channel string) (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := &hold{released: make(chan struct{})}
	if s.holds == nil {
		s.holds = make(map[string]*hold)
	}
	s.holds[channel] = h
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.holds[channel] == h {
			delete(s.holds, channel)
			close(h.released)
		}
	}
}

// releaseHolds releases every hold. The caller holds s.mu.
func (s *Server) releaseHolds() {
	for ch, h := range s.holds {
		delete(s.holds, ch)
		close(h.released)
	}
}

// Holding returns how many posts to channel wait in Hold now, and how many
// gave up waiting.
func (s *Server) Holding(channel string) (waiting, gaveUp int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.holds[channel]; h != nil {
		return h.waiting, h.gaveUp
	}
	return 0, 0
}

// WaitHolding waits until n posts to channel wait in Hold, or fails the
// test after DefaultWait.
func (s *Server) WaitHolding(t testing.TB, channel string, n int) {
	t.Helper()
	s.wait(t, fmt.Sprintf("%d held posts to channel %s", n, channel), func() bool {
		h := s.holds[channel]
		return h != nil && h.waiting >= n
	})
}

// held waits while a hold is on the channel that r posts a message to, and
// reports whether r should still be answered.
func (s *Server) held(r *http.Request) bool {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, api+"/"), "/")
	if r.Method != http.MethodPost || len(parts) != 3 || parts[0] != "channels" || parts[2] != "messages" {
		return true
	}
	s.mu.Lock()
	h := s.holds[parts[1]]
	if h == nil {
		s.mu.Unlock()
		return true
	}
	h.waiting++
	s.notify()
	s.mu.Unlock()
	answer := true
	select {
	case <-h.released:
	case <-r.Context().Done():
		answer = false
	}
	s.mu.Lock()
	h.waiting--
	if !answer {
		h.gaveUp++
	}
	s.notify()
	s.mu.Unlock()
	return answer
}

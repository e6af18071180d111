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

// Hold makes every message the bot posts to channel wait unanswered, as a
// Discord that hangs would, until release is called or the client gives
// up (its timeout or its context's); then it is answered as usual. A post
// the client gave up on is recorded with status 499 and does not count as
// sent. Close releases every hold.
func (s *Server) Hold(channel string) (release func()) { return s.holds.Hold(channel) }

// Holding returns how many posts to channel wait in Hold now, and how many
// gave up waiting.
func (s *Server) Holding(channel string) (waiting, gaveUp int) { return s.holds.Holding(channel) }

// WaitHolding waits until n posts to channel wait in Hold, or fails the
// test after DefaultWait.
func (s *Server) WaitHolding(t testing.TB, channel string, n int) {
	t.Helper()
	s.wait(t, fmt.Sprintf("%d held posts to channel %s", n, channel), func() bool {
		waiting, _ := s.holds.Holding(channel)
		return waiting >= n
	})
}

// held waits while a hold is on the channel that r posts a message to, and
// reports whether r should still be answered.
func (s *Server) held(r *http.Request) bool {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, api+"/"), "/")
	if r.Method != http.MethodPost || len(parts) != 3 || parts[0] != "channels" || parts[2] != "messages" {
		return true
	}
	return s.holds.Wait(r.Context(), parts[1])
}

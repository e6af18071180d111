package bot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/store"
)

// TestSeenShared runs two replicas' Seen over one state database: an event
// delivered to both is handled by the first only, while each replica still
// remembers what it handled itself.
func TestSeenShared(t *testing.T) {
	st, err := store.Open(context.Background(), store.Options{Path: filepath.Join(t.TempDir(), "faqbot.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, b := bot.NewSeen(100, time.Hour), bot.NewSeen(100, time.Hour)
	a.Share(st, "slack:event", nil)
	b.Share(st, "slack:event", nil)
	other := bot.NewSeen(100, time.Hour)
	other.Share(st, "discord:message", nil)
	steps := []struct {
		seen *bot.Seen
		key  string
		want bool
	}{
		{a, "Ev1", true},
		{b, "Ev1", false}, // the redelivery to the other replica
		{a, "Ev1", false}, // and to the same one
		{b, "Ev2", true},
		{a, "Ev2", false},
		{other, "Ev1", true}, // another namespace
	}
	for i, st := range steps {
		if got := st.seen.First(st.key); got != st.want {
			t.Errorf("step %d: First(%q) = %v; want %v", i, st.key, got, st.want)
		}
	}
}

type failingClaims struct{}

func (failingClaims) Claim(context.Context, string, time.Time) (bool, error) {
	return false, errors.New("database is down")
}

// TestSeenSharedFailing: when the shared record fails, the event is
// handled (once per process) and the failure is logged.
func TestSeenSharedFailing(t *testing.T) {
	var logs bytes.Buffer
	s := bot.NewSeen(100, time.Hour)
	s.Share(failingClaims{}, "slack:event", slog.New(slog.NewTextHandler(&logs, nil)))
	if !s.First("Ev1") {
		t.Error("an event was dropped because the shared record failed")
	}
	if s.First("Ev1") {
		t.Error("a redelivery to the same process was handled again")
	}
	if !strings.Contains(logs.String(), "database is down") || !strings.Contains(logs.String(), "slack:event:Ev1") {
		t.Errorf("the failure was not logged with its key:\n%s", logs.String())
	}
}

func TestSignatureKey(t *testing.T) {
	for _, tc := range []struct{ sig, want string }{
		{"00ff1a", "00ff1a"},
		{"00FF1A", "00ff1a"},
		{"00Ff1a", "00ff1a"},
		{"zz", "zz"},
		{"", ""},
	} {
		if got := bot.SignatureKey(tc.sig); got != tc.want {
			t.Errorf("SignatureKey(%q) = %q, want %q", tc.sig, got, tc.want)
		}
	}
}

// stalledClaims is a shared record whose database accepts the query and
// never answers, until answering is set.
type stalledClaims struct {
	answering atomic.Bool
	deadlines chan time.Time
}

func (c *stalledClaims) Claim(ctx context.Context, _ string, _ time.Time) (bool, error) {
	d, _ := ctx.Deadline()
	c.deadlines <- d
	if c.answering.Load() {
		return true, nil
	}
	<-ctx.Done()
	return false, ctx.Err()
}

// TestSeenSharedStalled: with a database that never answers, FirstBy
// waits for it until the deadline it is given, not longer, handles the
// event, and says once that the database is slow, not once an event;
// once the database answers again it says so, once.
func TestSeenSharedStalled(t *testing.T) {
	var logs bytes.Buffer
	c := &stalledClaims{deadlines: make(chan time.Time, 10)}
	s := bot.NewSeen(100, time.Hour)
	s.Share(c, "discord", slog.New(slog.NewTextHandler(&logs, nil)))
	for i := range 3 {
		deadline := time.Now().Add(20 * time.Millisecond)
		if !s.FirstBy(deadline, fmt.Sprint("interaction:", i)) {
			t.Errorf("event %d was dropped because the database stalled", i)
		}
		if got := <-c.deadlines; !got.Equal(deadline) {
			t.Errorf("event %d: the claim's deadline is %v, want the one given, %v", i, got, deadline)
		}
	}
	if n := strings.Count(logs.String(), "the state database is slow"); n != 1 {
		t.Errorf("%d lines say the database is slow, want 1:\n%s", n, logs.String())
	}
	c.answering.Store(true)
	s.First("interaction:3")
	s.First("interaction:4")
	if n := strings.Count(logs.String(), "record of handled events answers again"); n != 1 {
		t.Errorf("%d lines say the record answers again, want 1:\n%s", n, logs.String())
	}
}

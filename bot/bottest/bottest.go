// Package bottest is a fake chat platform for tests: it hands messages to a
// bot synchronously and keeps every reply, so that a test reads like a
// conversation.
package bottest

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// Platform is a fake platform driving one bot.
type Platform struct {
	t   testing.TB
	bot *bot.Bot

	mu      sync.Mutex
	n       int
	replies []bot.Reply
}

// New returns a fake platform talking to b.
func New(t testing.TB, b *bot.Bot) *Platform {
	return &Platform{t: t, bot: b}
}

// Send hands m to the bot as the platform would, filling in the platform
// name and a message id, and returns the reply and whether there was one.
func (p *Platform) Send(m bot.Message) (bot.Reply, bool) {
	p.t.Helper()
	p.mu.Lock()
	p.n++
	if m.Platform == "" {
		m.Platform = "test"
	}
	if m.ID == "" {
		m.ID = strconv.Itoa(p.n)
	}
	if m.Channel == "" {
		m.Channel = "C1"
	}
	if m.User == "" {
		m.User = "U1"
	}
	p.mu.Unlock()
	r, ok := p.bot.Handle(context.Background(), m)
	if ok {
		p.mu.Lock()
		p.replies = append(p.replies, r)
		p.mu.Unlock()
	}
	return r, ok
}

// Ask sends text as a direct message from an ordinary user and fails the
// test when the bot stays silent.
func (p *Platform) Ask(text string) bot.Reply {
	p.t.Helper()
	r, ok := p.Send(bot.Message{Text: text, Origin: bot.Direct})
	if !ok {
		p.t.Fatalf("the bot stayed silent on %q", text)
	}
	return r
}

// Admin sends text as a direct message from an admin.
func (p *Platform) Admin(text string) bot.Reply {
	p.t.Helper()
	r, ok := p.Send(bot.Message{Text: text, Origin: bot.Direct, Admin: true})
	if !ok {
		p.t.Fatalf("the bot stayed silent on %q", text)
	}
	return r
}

// Replies returns every reply so far.
func (p *Platform) Replies() []bot.Reply {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]bot.Reply(nil), p.replies...)
}

// Clock is a bot.Clock whose time moves only when Advance moves it. Its
// tickers deliver, as time.Ticker does, at most one pending tick.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	tickers []*ticker
}

type ticker struct {
	c       chan time.Time
	every   time.Duration
	next    time.Time
	stopped bool
}

// NewClock returns a Clock reading now.
func NewClock(now time.Time) *Clock { return &Clock{now: now} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTicker returns a ticker firing every d of the clock's time.
func (c *Clock) NewTicker(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &ticker{c: make(chan time.Time, 1), every: d, next: c.now.Add(d)}
	c.tickers = append(c.tickers, t)
	return t.c, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		t.stopped = true
	}
}

// Advance moves the clock d forward and fires every ticker whose period
// ended meanwhile, once, dropping the tick when one is still pending.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for _, t := range c.tickers {
		if t.stopped || c.now.Before(t.next) {
			continue
		}
		for !c.now.Before(t.next) {
			t.next = t.next.Add(t.every)
		}
		select {
		case t.c <- c.now:
		default:
		}
	}
}

// Tickers returns how many tickers are running.
func (c *Clock) Tickers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.tickers {
		if !t.stopped {
			n++
		}
	}
	return n
}

// StartDigest runs b's stale digest d on p by clock until the returned
// function is called; that function stops it, waits for it to return and
// checks that its ticker stopped.
func StartDigest(t testing.TB, b *bot.Bot, d bot.Digest, p bot.Poster, clock *Clock) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.RunDigest(ctx, d, []bot.Poster{p}, clock)
	}()
	for clock.Tickers() == 0 {
		time.Sleep(time.Millisecond)
	}
	return func() {
		t.Helper()
		cancel()
		<-done
		if n := clock.Tickers(); n != 0 {
			t.Errorf("%d tickers still running after the digest stopped", n)
		}
	}
}

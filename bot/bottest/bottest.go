// Package bottest is a fake chat platform for tests: it hands messages to a
// bot synchronously and keeps every reply, so that a test reads like a
// conversation.
package bottest

import (
	"context"
	"strconv"
	"sync"
	"testing"

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

package main

import (
	"context"
	"strings"

	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/bottest"
)

// poster is a platform that keeps what it is asked to post.
type poster struct {
	*fakePlatform
	posts chan string
}

func (p *poster) Post(_ context.Context, channel string, r bot.Reply) error {
	p.posts <- channel + ": " + r.Text
	return nil
}

// TestDigestRunsWithTheServer configures the default base's stale digest
// and runs the server on a fake clock: the digest goes to the platform
// that can post, in its channel, once the period has passed, and its
// ticker stops with the run.
func TestDigestRunsWithTheServer(t *testing.T) {
	l := newLogs()
	cfg := testConfig()
	cfg.Stale.DigestChannel.Slack = "C0DIGEST"
	cfg.Stale.Days = 1
	var p *poster
	s := testServer(t, cfg, l, func(b *bot.Bot) []bot.Platform {
		p = &poster{fakePlatform: newFake("slack", b), posts: make(chan string, 4)}
		return []bot.Platform{p}
	})
	clock := bottest.NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	s.clock = clock
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.run(ctx) }()
	for clock.Tickers() == 0 {
		time.Sleep(time.Millisecond)
	}
	clock.Advance(cfg.Stale.Period())
	select {
	case post := <-p.posts:
		if !strings.HasPrefix(post, "C0DIGEST: **Stale digest**: ") || !strings.Contains(post, "may want a look") {
			t.Errorf("posted %q", post)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no digest posted after a period")
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if n := clock.Tickers(); n != 0 {
		t.Errorf("%d digest tickers still running after the run", n)
	}
	select {
	case post := <-p.posts:
		t.Errorf("a second digest within one period: %q", post)
	default:
	}
}

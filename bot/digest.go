package bot

import (
	"context"
	"slices"
	"time"
)

// Poster is a platform that posts in a channel unasked, as the stale
// digest does.
type Poster interface {
	Platform
	// Post posts r in channel.
	Post(ctx context.Context, channel string, r Reply) error
}

// Clock is the time source of the stale digest.
type Clock interface {
	Now() time.Time
	// NewTicker returns a channel that delivers the time every d, and a
	// function that stops it.
	NewTicker(d time.Duration) (<-chan time.Time, func())
}

// SystemClock is the Clock of the system's time.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// NewTicker returns a time.Ticker's channel and its Stop.
func (SystemClock) NewTicker(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// Digest is the schedule of a knowledge base's stale digest.
type Digest struct {
	// Every is the period between two digests.
	Every time.Duration
	// Days is the age past which an entry is stale, and the period its
	// questions and votes are read over, as for /faq stale.
	Days int
	// MentionOwners lets the digest notify the entries' owners.
	MentionOwners bool
	// Channels are the channels the digest is posted in, by platform.
	Channels map[string]string
}

// RunDigest posts the stale digest of the knowledge base being served to
// d's channels, on the posters of their platforms, every d.Every by clock,
// until ctx is done.
func (b *Bot) RunDigest(ctx context.Context, d Digest, posters []Poster, clock Clock) {
	tick, stop := clock.NewTicker(d.Every)
	defer stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			b.postDigest(ctx, d, posters, clock.Now())
		}
	}
}

// postDigest posts the digest as of now, when an entry is stale.
func (b *Bot) postDigest(ctx context.Context, d Digest, posters []Poster, now time.Time) {
	r, ok, err := b.DigestReply(ctx, d, now)
	if err != nil {
		b.log.Warn("could not read the statistics for the stale digest", "error", err)
		return
	}
	if !ok {
		b.log.Info("no entry is stale: no digest posted")
		return
	}
	for _, p := range posters {
		channel := d.Channels[p.Name()]
		if channel == "" {
			continue
		}
		if err := p.Post(ctx, channel, r); err != nil {
			b.log.Error("could not post the stale digest", "platform", p.Name(), "channel", channel, "error", err)
			continue
		}
		b.log.Info("posted the stale digest", "platform", p.Name(), "channel", channel)
	}
}

// DigestReply returns the stale digest as of now, and false when no entry
// is stale. Owners are shown defused; with d.MentionOwners, the reply's
// Mentions lists them too, once each.
func (b *Bot) DigestReply(ctx context.Context, d Digest, now time.Time) (Reply, bool, error) {
	stale, err := b.staleAt(ctx, now, d.Days)
	if err != nil || len(stale) == 0 {
		return Reply{}, false, err
	}
	intro := "**Stale digest**: "
	if b.name != "" {
		intro = "**Stale digest of " + b.name + "**: "
	}
	r := Reply{Kind: Info, Text: staleList(stale, intro)}
	if d.MentionOwners {
		for _, s := range stale[:min(len(stale), maxStale)] {
			if s.Owner != "" && !slices.Contains(r.Mentions, s.Owner) {
				r.Mentions = append(r.Mentions, s.Owner)
			}
		}
	}
	return r, true, nil
}

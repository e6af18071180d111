package main

import (
	"context"
	"sync"

	"github.com/faqbot/faqbot/bot"
)

// startDigests starts the stale digest of every served base that names a
// digest channel, on the platforms that can post, each until ctx is done;
// wg tracks them.
func (s *server) startDigests(ctx context.Context, wg *sync.WaitGroup) {
	var posters []bot.Poster
	for _, p := range s.platforms {
		if poster, ok := p.(bot.Poster); ok {
			posters = append(posters, poster)
		}
	}
	clock := s.clock
	if clock == nil {
		clock = bot.SystemClock{}
	}
	for _, sb := range s.served {
		st := sb.cfg.Stale
		channels := st.DigestChannel.Channels()
		if len(channels) == 0 || len(posters) == 0 {
			continue
		}
		d := bot.Digest{Every: st.Period(), Days: st.StaleDays(), MentionOwners: st.MentionOwners, Channels: channels}
		s.log.Info("posting the stale digest", "base", sb.cfg.Name, "every", d.Every.String(), "days", d.Days, "mention_owners", d.MentionOwners)
		wg.Go(func() { sb.bot.RunDigest(ctx, d, posters, clock) })
	}
}

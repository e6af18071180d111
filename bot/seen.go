package bot

import (
	"sync"
	"time"
)

// Seen remembers recently handled keys (platform message ids, Slack envelope
// ids, interaction ids) so that a redelivered or replayed event is handled
// once. It forgets keys after a time to live and keeps at most a fixed
// number. It is safe for concurrent use.
type Seen struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	at    map[string]time.Time
	order []string
	now   func() time.Time
}

// NewSeen returns a Seen that remembers up to max keys for ttl each.
func NewSeen(max int, ttl time.Duration) *Seen {
	return &Seen{ttl: ttl, max: max, at: make(map[string]time.Time, max), now: time.Now}
}

// First records key and reports whether this is the first time it was seen
// within the time to live.
func (s *Seen) First(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for len(s.order) > 0 {
		oldest := s.order[0]
		if len(s.order) < s.max && now.Sub(s.at[oldest]) < s.ttl {
			break
		}
		delete(s.at, oldest)
		s.order = s.order[1:]
	}
	if _, ok := s.at[key]; ok {
		return false
	}
	s.at[key] = now
	s.order = append(s.order, key)
	return true
}

package bot

import (
	"context"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"
)

// Seen remembers recently handled keys (platform message ids, Slack envelope
// ids, interaction ids) so that a redelivered or replayed event is handled
// once. It forgets keys after a time to live and keeps at most a fixed
// number. It is safe for concurrent use.
//
// On its own a Seen knows only its own process. Shared with Claims, it
// also asks every replica's common record, so that an event the platform
// delivers to two replicas is handled by one.
type Seen struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	at    map[string]time.Time
	order []string
	now   func() time.Time

	shared Claims
	ns     string
	log    *slog.Logger
}

// Claims is a record of handled keys that every replica of the bot shares:
// the state database, when several processes use one (store.Store).
type Claims interface {
	// Claim records key as handled at now and reports whether this call
	// was the first, in any process, to claim it.
	Claim(ctx context.Context, key string, now time.Time) (bool, error)
}

// claimTimeout bounds the wait for the shared record: past it, the event
// is handled as new.
const claimTimeout = 2 * time.Second

// NewSeen returns a Seen that remembers up to max keys for ttl each.
func NewSeen(max int, ttl time.Duration) *Seen {
	return &Seen{ttl: ttl, max: max, at: make(map[string]time.Time, max), now: time.Now}
}

// Share makes First also claim every key new to this process in c, under
// the namespace ns (the platform and what the keys are, such as
// "slack:event"), so that only one replica handles it. When c fails, First
// logs the failure to log and takes the key as new: answering twice is
// better than not answering. Call Share before the first call to First.
func (s *Seen) Share(c Claims, ns string, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s.shared, s.ns, s.log = c, ns, log
}

// First records key and reports whether this is the first time it was seen
// within the time to live, by this process and, if shared, by any replica.
func (s *Seen) First(key string) bool {
	if !s.firstHere(key) {
		return false
	}
	if s.shared == nil {
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), claimTimeout)
	defer cancel()
	first, err := s.shared.Claim(ctx, s.ns+":"+key, s.now())
	if err != nil {
		s.log.Warn("could not check with the other replicas whether an event was already handled; handling it here", "key", s.ns+":"+key, "error", err)
		return true
	}
	return first
}

// firstHere is First within this process.
func (s *Seen) firstHere(key string) bool {
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

// SignatureKey returns the key under which a request signed with the hex
// digits sig is remembered as handled: the signature's bytes, written in
// lower-case hex. The same signature with its digits in another case
// decodes, and verifies, alike, so it must be the same key, or a replay
// could pass as new. A sig that is not hex is returned as it is: no such
// signature verifies.
func SignatureKey(sig string) string {
	b, err := hex.DecodeString(sig)
	if err != nil {
		return sig
	}
	return hex.EncodeToString(b)
}

package bot

import (
	"context"
	"encoding/hex"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
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
	// failing is set while the shared record fails, so that a failure
	// is logged once, not once an event.
	failing atomic.Bool
}

// Claims is a record of handled keys that every replica of the bot shares:
// the state database, when several processes use one (store.Store).
type Claims interface {
	// Claim records key as handled at now and reports whether this call
	// was the first, in any process, to claim it.
	Claim(ctx context.Context, key string, now time.Time) (bool, error)
}

// ClaimBudget is the longest an event waits for the shared record,
// counted from the event's arrival: past it, the event is handled as new.
// Discord wants an interaction's first response, and Slack an HTTP
// request's acknowledgement, within 3 s of sending it; a stuck database
// must leave most of that for the answer itself.
const ClaimBudget = time.Second

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
// It waits for the shared record for ClaimBudget at most.
func (s *Seen) First(key string) bool {
	return s.FirstBy(s.now().Add(ClaimBudget), key)
}

// FirstBy is First for an event that must be answered soon: it waits for
// the shared record until deadline at most (the event's arrival plus
// ClaimBudget), and then takes the key as new.
func (s *Seen) FirstBy(deadline time.Time, key string) bool {
	if !s.firstHere(key) {
		return false
	}
	if s.shared == nil {
		return true
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	first, err := s.shared.Claim(ctx, s.ns+":"+key, s.now())
	s.claimed(key, err)
	if err != nil {
		return true
	}
	return first
}

// FirstHere is First within this process alone, for a key whose event was
// already claimed under another key of the same request.
func (s *Seen) FirstHere(key string) bool { return s.firstHere(key) }

// claimed logs the first failure of the shared record after a success,
// and its first success after a failure: one line each way, not one an
// event, for as long as the database is slow or down.
func (s *Seen) claimed(key string, err error) {
	if err == nil {
		if s.failing.CompareAndSwap(true, false) {
			s.log.Info("the other replicas' record of handled events answers again", "namespace", s.ns)
		}
		return
	}
	if !s.failing.CompareAndSwap(false, true) {
		return
	}
	if errors.Is(err, context.DeadlineExceeded) {
		s.log.Warn("the state database is slow: it did not say in time whether another replica handled an event; handling it here, and so until it answers again (replicas may answer an event twice meanwhile)", "key", s.ns+":"+key, "budget", ClaimBudget.String(), "error", err)
		return
	}
	s.log.Warn("could not check with the other replicas whether an event was already handled; handling it here, and so until the state database answers again", "key", s.ns+":"+key, "error", err)
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

// Package hold makes a fake platform's calls to one channel hang, as a
// stalled Slack or Discord would, so that a test can see what the bot does
// meanwhile. slackfake and discordfake share it.
package hold

import (
	"context"
	"sync"

	"github.com/faqbot/faqbot/internal/changes"
)

// Set is the channels on hold. It is safe for concurrent use.
type Set struct {
	mu      sync.Mutex
	holds   map[string]*hold
	changes *changes.Changes
}

// hold is the hang on one channel.
type hold struct {
	released chan struct{}
	waiting  int
	gaveUp   int
}

// NewSet returns an empty Set that notifies c whenever a call starts or
// stops waiting.
func NewSet(c *changes.Changes) *Set {
	return &Set{holds: make(map[string]*hold), changes: c}
}

// Hold makes every call to channel wait in Wait until release is called
// or the call's client gives up.
func (s *Set) Hold(channel string) (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := &hold{released: make(chan struct{})}
	s.holds[channel] = h
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.holds[channel] == h {
			delete(s.holds, channel)
			close(h.released)
		}
	}
}

// ReleaseAll releases every hold.
func (s *Set) ReleaseAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch, h := range s.holds {
		delete(s.holds, ch)
		close(h.released)
	}
}

// Holding returns how many calls to channel wait in its hold now, and how
// many gave up waiting.
func (s *Set) Holding(channel string) (waiting, gaveUp int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.holds[channel]; h != nil {
		return h.waiting, h.gaveUp
	}
	return 0, 0
}

// Wait waits while channel is on hold, and reports whether the call should
// still be answered: false when ctx, the call's, ended first.
func (s *Set) Wait(ctx context.Context, channel string) bool {
	s.mu.Lock()
	h := s.holds[channel]
	if h == nil {
		s.mu.Unlock()
		return true
	}
	h.waiting++
	s.mu.Unlock()
	s.changes.Notify()
	answer := true
	select {
	case <-h.released:
	case <-ctx.Done():
		answer = false
	}
	s.mu.Lock()
	h.waiting--
	if !answer {
		h.gaveUp++
	}
	s.mu.Unlock()
	s.changes.Notify()
	return answer
}

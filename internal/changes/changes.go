// Package changes lets a goroutine wait until state that other goroutines
// change meets a condition, waking at each change instead of polling. The
// fakes and test harnesses use it to wait for the requests and log lines
// they expect.
package changes

import (
	"sync"
	"time"
)

// Changes broadcasts "something changed" to every goroutine in Wait. The
// zero value is ready to use.
type Changes struct {
	mu sync.Mutex
	ch chan struct{}
}

// Notify wakes every goroutine waiting in Wait, so that it checks its
// condition again. Call it after each change, with or without the lock that
// guards the changed state.
func (c *Changes) Notify() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ch != nil {
		close(c.ch)
		c.ch = nil
	}
}

// next returns the channel the next Notify closes.
func (c *Changes) next() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ch == nil {
		c.ch = make(chan struct{})
	}
	return c.ch
}

// Wait calls done now and after every Notify until it returns true, and
// reports whether it did before timeout passed. done takes whatever lock
// guards the state it reads; no change between two calls is missed.
func (c *Changes) Wait(timeout time.Duration, done func() bool) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		// Taken before done runs, so a change made while done runs still
		// wakes this loop.
		ch := c.next()
		if done() {
			return true
		}
		select {
		case <-ch:
		case <-deadline.C:
			return done()
		}
	}
}

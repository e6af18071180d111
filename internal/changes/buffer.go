package changes

import (
	"bytes"
	"sync"
	"time"
)

// Buffer collects text written concurrently, such as a logger's output in
// a test, and lets a goroutine wait until the text holds what it expects.
// The zero value is ready to use.
type Buffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	changes Changes
}

// Write appends p and wakes the goroutines in Wait.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	n, err := b.b.Write(p)
	b.mu.Unlock()
	b.changes.Notify()
	return n, err
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Wait calls done with the text written so far, now and after every write,
// until it returns true, and reports whether it did before timeout passed.
func (b *Buffer) Wait(timeout time.Duration, done func(text string) bool) bool {
	return b.changes.Wait(timeout, func() bool { return done(b.String()) })
}

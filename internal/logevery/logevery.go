// Package logevery keeps a log line that may repeat without bound, such as
// a refused request or a failed write, to one line an interval that says
// how many times it happened, so that a flood from one client or a long
// outage cannot fill the disk with the log.
package logevery

import (
	"log/slog"
	"sync"
	"time"
)

// Interval is the least time between two lines of one Counter: often
// enough that whoever watches the log sees within half a minute that a
// problem goes on, and rarely enough that a problem that goes on all day
// writes 120 lines an hour, however often it happens.
const Interval = 30 * time.Second

// Counter counts the times something happened and says when a line about
// it is due: for the first time, then at most once an Interval. The zero
// value is ready to use, and it is safe for concurrent use.
type Counter struct {
	mu    sync.Mutex
	last  time.Time // when the last line was due; zero before the first
	count int       // times counted since then
	// later tells the times counted after a line with line, once the
	// Interval is over (see Log).
	later *time.Timer
	line  func(times int)
}

// Add counts n more times at now and, when a line is due, returns the
// times counted since the last line, these n included, and true; it
// returns 0 and false while the last line is less than Interval old.
func (c *Counter) Add(now time.Time, n int) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.count += n
	if !c.last.IsZero() && now.Sub(c.last) < Interval {
		return 0, false
	}
	count := c.count
	c.last, c.count = now, 0
	return count, true
}

// Log counts n more times at now and calls line with the times counted
// since the last line when a line is due. When none is, it has line
// called with them once the Interval since the last line is over, unless
// a line is due by then (which tells them): the end of a burst is told,
// not kept until the next time it happens. Whatever counts with Log
// calls Flush when it stops.
func (c *Counter) Log(now time.Time, n int, line func(times int)) {
	if count, due := c.Add(now, n); due {
		line(count)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.line = line
	if c.later == nil {
		c.later = time.AfterFunc(time.Until(c.last.Add(Interval)), c.tell)
	}
}

// Flush tells at once the times counted since the last line with Log's
// line, if any, rather than when the Interval is over.
func (c *Counter) Flush() {
	c.mu.Lock()
	if c.later != nil {
		c.later.Stop()
	}
	c.mu.Unlock()
	c.tell()
}

// tell calls the line Log was last given with the times counted since
// the last line, if any.
func (c *Counter) tell() {
	c.mu.Lock()
	count, line := c.count, c.line
	c.later, c.line = nil, nil
	if count > 0 {
		c.last, c.count = time.Now(), 0
	}
	c.mu.Unlock()
	if count > 0 && line != nil {
		line(count)
	}
}

// Warn counts one time at now and, when a line is due, logs msg at Warn
// with args and "times", the times counted since the last line: those
// counted after a line are told with the next.
func (c *Counter) Warn(log *slog.Logger, now time.Time, msg string, args ...any) {
	if n, due := c.Add(now, 1); due {
		log.Warn(msg, append(args, "times", n)...)
	}
}

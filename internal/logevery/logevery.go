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

// Warn counts one time at now and, when a line is due, logs msg at Warn
// with args and "times", the times counted since the last line.
func (c *Counter) Warn(log *slog.Logger, now time.Time, msg string, args ...any) {
	if n, due := c.Add(now, 1); due {
		log.Warn(msg, append(args, "times", n)...)
	}
}

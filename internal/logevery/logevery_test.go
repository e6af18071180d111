package logevery

import (
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCounter(t *testing.T) {
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	var c Counter
	for _, tc := range []struct {
		after time.Duration // since start
		n     int
		count int
		due   bool
	}{
		{0, 1, 1, true}, // the first time is logged at once
		{time.Second, 1, 0, false},
		{2 * time.Second, 5, 0, false},
		{Interval - time.Nanosecond, 1, 0, false},
		{Interval, 2, 9, true}, // 1+5+1+2 since the first line
		{Interval + time.Second, 1, 0, false},
		{3 * Interval, 1, 2, true},
		{10 * Interval, 4, 4, true}, // after a quiet spell, at once again
	} {
		count, due := c.Add(start.Add(tc.after), tc.n)
		if count != tc.count || due != tc.due {
			t.Errorf("Add(start+%v, %d) = %d, %v; want %d, %v", tc.after, tc.n, count, due, tc.count, tc.due)
		}
	}
}

// TestCounterConcurrent counts from many goroutines at one instant: one
// line is due, and it counts every time but those added after it.
func TestCounterConcurrent(t *testing.T) {
	now := time.Now()
	var (
		c    Counter
		mu   sync.Mutex
		due  int
		seen int
		wg   sync.WaitGroup
	)
	for range 100 {
		wg.Go(func() {
			if n, ok := c.Add(now, 1); ok {
				mu.Lock()
				due++
				seen += n
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	rest, ok := c.Add(now.Add(Interval), 0)
	if due != 1 || !ok || seen+rest != 100 {
		t.Errorf("%d lines due counting %d, then %d (%v) at the next interval; want 1 line, and 100 in all", due, seen, rest, ok)
	}
}

func TestWarn(t *testing.T) {
	var (
		buf strings.Builder
		c   Counter
	)
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	start := time.Now()
	for i := range 10 {
		c.Warn(log, start.Add(time.Duration(i)*time.Second), "refused", "remote", "a")
	}
	c.Warn(log, start.Add(Interval), "refused", "remote", "b")
	want := "level=WARN msg=refused remote=a times=1\nlevel=WARN msg=refused remote=b times=10\n"
	if buf.String() != want {
		t.Errorf("logged:\n%s\nwant:\n%s", buf.String(), want)
	}
}

// TestLogTellsTheEndOfABurst counts a burst whose first line was due an
// Interval ago, less a little, and nothing after it: the times counted
// after that line are told once the Interval is over, in one more line,
// without waiting for the next time it happens.
func TestLogTellsTheEndOfABurst(t *testing.T) {
	var c Counter
	lines := make(chan int, 10)
	line := func(n int) { lines <- n }
	start := time.Now().Add(-Interval + 50*time.Millisecond)
	for i := range 100 {
		c.Log(start.Add(time.Duration(i)*time.Microsecond), 1, line)
	}
	if n := <-lines; n != 1 {
		t.Fatalf("first line told %d times, want 1", n)
	}
	select {
	case n := <-lines:
		if n != 99 {
			t.Errorf("the end of the burst told %d times, want 99", n)
		}
	case <-time.After(time.Minute):
		t.Fatal("the end of the burst was not told a minute after its Interval was over")
	}
	select {
	case n := <-lines:
		t.Errorf("another line, of %d times, with nothing counted", n)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestFlush counts after a line and flushes: the times are told at once,
// and not again when the Interval is over.
func TestFlush(t *testing.T) {
	var c Counter
	var told []int
	line := func(n int) { told = append(told, n) }
	now := time.Now()
	c.Log(now, 1, line)
	c.Log(now, 3, line)
	c.Flush()
	c.Flush()
	if len(told) != 2 || told[0] != 1 || told[1] != 3 {
		t.Errorf("told %v, want [1 3]", told)
	}
}

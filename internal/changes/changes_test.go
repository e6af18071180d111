package changes

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWaitWakesOnEveryChange(t *testing.T) {
	var c Changes
	var mu sync.Mutex
	n := 0
	go func() {
		for range 100 {
			mu.Lock()
			n++
			mu.Unlock()
			c.Notify()
		}
	}()
	ok := c.Wait(time.Minute, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return n == 100
	})
	if !ok {
		t.Fatal("Wait gave up before the condition held")
	}
}

func TestWaitGivesUp(t *testing.T) {
	var c Changes
	calls := 0
	if c.Wait(10*time.Millisecond, func() bool { calls++; return false }) {
		t.Fatal("Wait reported a condition that never held")
	}
	if calls < 2 {
		t.Errorf("done was called %d times; want once at first and once at the deadline", calls)
	}
}

func TestNotifyWithoutWaiters(t *testing.T) {
	var c Changes
	c.Notify()
	c.Notify()
	if !c.Wait(time.Second, func() bool { return true }) {
		t.Fatal("a condition that holds was not seen")
	}
}

func TestBufferWait(t *testing.T) {
	var b Buffer
	go func() {
		for _, line := range []string{"starting\n", "listening addr=1\n", "ready\n"} {
			b.Write([]byte(line))
		}
	}()
	if !b.Wait(time.Minute, func(text string) bool { return strings.Contains(text, "ready") }) {
		t.Fatal("Wait gave up before the text arrived")
	}
	if got := b.String(); got != "starting\nlistening addr=1\nready\n" {
		t.Errorf("String() = %q", got)
	}
	if b.Wait(10*time.Millisecond, func(text string) bool { return strings.Contains(text, "never") }) {
		t.Error("Wait reported text that was never written")
	}
}

package changes

import (
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

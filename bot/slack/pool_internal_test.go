package slack

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"github.com/faqbot/faqbot/bot/slack/slackfake"
	"github.com/faqbot/faqbot/internal/changes"
)

// TestPoolStartsAChannelsEventsInOrder submits more jobs of one channel
// than may run at once, each holding its worker until released, and checks
// that the first perChannel run, that another channel's job runs while
// they hold, and that each job that ends starts the channel's next waiting
// job, in the order they were submitted.
func TestPoolStartsAChannelsEventsInOrder(t *testing.T) {
	p := newPool()
	p.start(context.Background(), slog.New(slog.DiscardHandler))
	const n = perChannel + 5
	var (
		mu      sync.Mutex
		started []int
		changed changes.Changes
	)
	gates := make([]chan struct{}, n+1)
	for i := range gates {
		gates[i] = make(chan struct{})
	}
	t.Cleanup(func() {
		for _, g := range gates {
			select {
			case <-g:
			default:
				close(g)
			}
		}
		p.stop()
	})
	submit := func(channel string, i int) {
		err := p.submit(context.Background(), job{channel: channel, run: func(context.Context) {
			mu.Lock()
			started = append(started, i)
			mu.Unlock()
			changed.Notify()
			<-gates[i]
		}})
		if err != nil {
			t.Fatalf("submit %d: %v", i, err)
		}
	}
	waitStarted := func(k int) []int {
		t.Helper()
		var got []int
		if !changed.Wait(slackfake.Timeout, func() bool {
			mu.Lock()
			defer mu.Unlock()
			got = slices.Clone(started)
			return len(got) >= k
		}) {
			t.Fatalf("started %v, want %d jobs started", got, k)
		}
		return got
	}
	for i := range n {
		submit("C1", i)
	}
	submit("C2", n)
	got := waitStarted(perChannel + 1)
	if slices.Contains(got, perChannel) {
		t.Fatalf("started %v: more than %d of one channel at once", got, perChannel)
	}
	if !slices.Contains(got, n) {
		t.Fatalf("started %v: the other channel's job did not run", got)
	}
	for k := range n - perChannel {
		close(gates[k])
		got = waitStarted(perChannel + 2 + k)
		if last := got[len(got)-1]; last != perChannel+k {
			t.Fatalf("after job %d ended, job %d started (all: %v); want %d", k, last, got, perChannel+k)
		}
	}
}

package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/faqbot/faqbot/bot"
)

// errNotServing is returned by submit when the adapter is not running.
var errNotServing = errors.New("the adapter is not serving")

// job is the work on one acknowledged event, and the channel it came
// from ("" when it has none).
type job struct {
	channel string
	run     func(context.Context)
}

// pool is the bounded set of workers that handle acknowledged events. At
// most perChannel jobs of one channel run at once; the channel's further
// jobs wait in its lane, in order, while other channels' jobs go ahead.
type pool struct {
	// mu guards open; submit holds it for reading while it sends on
	// jobs, so that stop can close jobs.
	mu    sync.RWMutex
	open  bool
	lanes *bot.Lanes[job]
	// jobs holds the jobs ready to run. slots bounds the jobs submitted
	// and not yet started, in jobs or in a lane, to queueSize, so that a
	// send on jobs never blocks.
	jobs   chan job
	slots  chan struct{}
	wg     sync.WaitGroup
	cancel context.CancelFunc
}

func newPool() *pool {
	return &pool{
		lanes: bot.NewLanes[job](perChannel, queueSize),
		jobs:  make(chan job, queueSize),
		slots: make(chan struct{}, queueSize),
	}
}

// start starts the workers. Their context outlives ctx by drainGrace, so
// that replies to events acknowledged before shutdown still go out.
func (p *pool) start(ctx context.Context, log *slog.Logger) {
	base, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p.mu.Lock()
	p.open, p.cancel = true, cancel
	p.mu.Unlock()
	for range workers {
		p.wg.Go(func() {
			for j := range p.jobs {
				// A job that ends hands its worker to the next job
				// waiting in its channel's lane.
				for ok := true; ok; j, ok = p.next(j.channel) {
					<-p.slots
					p.work(base, log, j.run)
				}
			}
		})
	}
}

func (p *pool) work(base context.Context, log *slog.Logger, run func(context.Context)) {
	ctx, cancel := context.WithTimeout(base, jobTimeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			log.Error("a Slack event handler crashed; the adapter keeps serving", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		}
	}()
	run(ctx)
}

// submit queues the job, waiting while queueSize jobs wait already until
// ctx is done. The job runs at once when a worker is free and fewer than
// perChannel jobs of its channel run; otherwise it waits behind them.
func (p *pool) submit(ctx context.Context, j job) error {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if !p.open {
		return errNotServing
	}
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	// A lane holds at most queueSize jobs waiting, and slots lets no more
	// than that be submitted and not started: no job is refused.
	if j.channel != "" {
		if run, _ := p.lanes.Admit(j.channel, j); !run {
			return nil
		}
	}
	p.jobs <- j
	return nil
}

// next is called when a job of channel ends: it returns the channel's
// next waiting job, still counted as running, or frees the job's place.
func (p *pool) next(channel string) (job, bool) {
	if channel == "" {
		return job{}, false
	}
	return p.lanes.Done(channel)
}

// stop lets queued jobs finish, for at most drainGrace, and waits for the
// workers.
func (p *pool) stop() {
	p.mu.Lock()
	p.open = false
	close(p.jobs)
	p.mu.Unlock()
	t := time.AfterFunc(drainGrace, p.cancel)
	p.wg.Wait()
	t.Stop()
	p.cancel()
}

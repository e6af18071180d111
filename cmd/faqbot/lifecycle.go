package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/metrics"
)

// closeGrace is how long platforms get to close their connections when the
// shutdown grace has already run out.
const closeGrace = time.Second

// flushGrace is how long the state database gets to write what the last
// replies queued when the shutdown grace has already run out: a database
// that is up writes it in milliseconds. With closeGrace, a stop ends
// within limits.shutdown_grace plus 1.5 s, under the 10 s "docker stop"
// waits with the default grace of 8 s.
const flushGrace = 500 * time.Millisecond

// runOptions returns the bot's options for "faqbot run": those of every
// command, plus the limits and the metrics.
func runOptions(cfg *config.Config, log *slog.Logger, m *metrics.Metrics) bot.Options {
	opts := botOptions(cfg, log)
	opts.Observer = m
	if opts.Recorder != nil {
		opts.Recorder = m.Recorder(opts.Recorder)
	}
	opts.Limits = bot.Limits{
		Cooldown:        cfg.Limits.Cooldown,
		DuplicateWindow: cfg.Limits.DuplicateWindow,
		MaxConcurrent:   cfg.Limits.MaxConcurrent,
		MaxWait:         cfg.Limits.MaxWait,
	}
	return opts
}

// server runs the platforms and the HTTP listener of one "faqbot run".
type server struct {
	cfg *config.Config
	// bot is the default knowledge base's; bases serves every base, and
	// served reloads them (both made from bot alone when nil).
	bot       *bot.Bot
	bases     *bot.Bases
	served    []*servedBase
	metrics   *metrics.Metrics
	log       *slog.Logger
	reload    <-chan os.Signal
	mux       *http.ServeMux
	platforms []bot.Platform
	// maxConnections is the most connections the HTTP listener holds
	// at once; connectionCap() when zero.
	maxConnections int
	// maxBodyBytes is the most bytes of request bodies the HTTP
	// listener's handlers hold at once; the constant when zero.
	maxBodyBytes int64
	// store is the state database, or nil.
	store storeHealth
	// flush, if not nil, writes what the replies queued for the state
	// database within its context, and closes it: the last step of a
	// shutdown.
	flush func(context.Context) error
	// clock times the stale digests; the system's when nil.
	clock bot.Clock
}

// run serves until ctx is done or a platform or the listener fails, and
// reloads the knowledge base on every value from s.reload. Then it shuts
// down in order: /readyz turns to 503; the platforms stop taking events and
// the listener stops taking requests; the replies in flight get
// limits.shutdown_grace to finish; the platforms close their connections.
// It returns nil after a stop asked for through ctx, even when some replies
// had to be abandoned (they are logged), and the failure otherwise.
func (s *server) run(ctx context.Context) error {
	states := make([]*platformState, len(s.platforms))
	for i, p := range s.platforms {
		states[i] = &platformState{platform: p}
	}
	if s.bases == nil {
		s.bases = bot.NewBases(s.bot)
		def, _ := s.cfg.FindBase(config.DefaultBase)
		s.served = []*servedBase{{cfg: def, bot: s.bot}}
	}
	h := &health{bot: s.bot, bases: s.bases, platforms: states, store: s.store}
	h.mount(s.mux, s.metrics, s.cfg.HTTP.Metrics, s.log)
	if err := s.track(states); err != nil {
		return err
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	srv, err := s.listen(cancel)
	if err != nil {
		return err
	}

	var wg sync.WaitGroup
	for _, st := range states {
		st.running.Store(true)
		s.log.Info("starting", "platform", st.platform.Name())
		wg.Go(func() {
			defer st.running.Store(false)
			err := st.platform.Run(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				cancel(fmt.Errorf("%s: %w", st.platform.Name(), err))
			case err != nil:
				s.log.Warn("platform stopped with an error", "platform", st.platform.Name(), "error", err)
			default:
				s.log.Info("platform stopped", "platform", st.platform.Name())
			}
		})
	}

	var digests sync.WaitGroup
	s.startDigests(ctx, &digests)
	defer digests.Wait()

	for ctx.Err() == nil {
		select {
		case <-s.reload:
			reloadChanged(ctx, s.served, "SIGHUP", s.log)
		case <-ctx.Done():
		}
	}
	cause := context.Cause(ctx)
	return s.shutdown(h, srv, states, &wg, cause)
}

// track exports the knowledge, the work in flight and each platform's
// connection as metrics.
func (s *server) track(states []*platformState) error {
	b := s.bot
	for _, name := range s.bases.Names() {
		nb, _ := s.bases.Named(name)
		if err := s.metrics.TrackKnowledge(nb.BaseName(), func() int { return lenOf(nb.Base()) }); err != nil {
			return err
		}
	}
	if err := s.metrics.TrackKnowledgeVersion(b.Version); err != nil {
		return err
	}
	if err := s.metrics.TrackWork(b.InFlight); err != nil {
		return err
	}
	for _, st := range states {
		var reconnects func() uint64
		if r, ok := st.platform.(reconnector); ok {
			reconnects = r.Reconnects
		}
		if err := s.metrics.TrackPlatform(st.platform.Name(), st.connected, reconnects); err != nil {
			return err
		}
	}
	return nil
}

func lenOf(kb *bot.Base) int {
	if kb == nil {
		return 0
	}
	return kb.Len()
}

// listen starts the HTTP listener when the config turns it on; a failure
// while serving cancels the run with its cause.
func (s *server) listen(cancel context.CancelCauseFunc) (*http.Server, error) {
	addr := s.cfg.HTTP.Addr()
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("http.listen: %w (is another faqbot or program using the port? change http.listen in %s)", err, s.cfg.Path)
	}
	n := s.maxConnections
	if n <= 0 {
		n = connectionCap()
	}
	capped := newCappedListener(ln, n, s.log)
	size := s.maxBodyBytes
	if size <= 0 {
		size = maxBodyBytes
	}
	bodies := newBodyBudget(size, s.log)
	err = s.metrics.TrackConnections(capped.Open, capped.Idle, capped.Refused)
	if err == nil {
		err = s.metrics.TrackBodies(bodies.Held, bodies.Refused)
	}
	if err != nil {
		ln.Close()
		return nil, err
	}
	srv := newHTTPServer(s.mux, capped, bodies, s.log)
	s.log.Info("listening", "addr", ln.Addr().String(), "max_connections", n)
	go func() {
		if err := srv.Serve(capped); err != nil && !errors.Is(err, http.ErrServerClosed) {
			cancel(fmt.Errorf("http listener: %w", err))
		}
	}()
	return srv, nil
}

// shutdown stops taking events, lets the work in flight finish within the
// grace, and waits for the platforms to close.
func (s *server) shutdown(h *health, srv *http.Server, states []*platformState, wg *sync.WaitGroup, cause error) error {
	grace := s.cfg.Limits.ShutdownGrace
	h.stopping.Store(true)
	reason := "stop requested"
	if cause != nil {
		reason = cause.Error()
	}
	s.log.Info("stopping: taking no new messages and finishing the replies in flight", "reason", reason, "in_flight", s.bot.InFlight(), "grace", grace.String())
	deadline, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if srv != nil {
		if err := srv.Shutdown(deadline); err != nil {
			s.log.Warn("the HTTP listener did not finish its requests in time", "error", err)
			srv.Close()
		}
	}
	// The platforms stopped taking events when ctx was done, and now finish
	// the ones they had accepted: a Slack envelope that was acknowledged is
	// never delivered again. The bot takes their work until they stop or
	// the grace runs out, and only then refuses new work and cancels what
	// is still running.
	stopped := make(chan struct{})
	go func() { wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-deadline.Done():
	}
	if err := s.bot.Drain(deadline); err != nil {
		s.log.Warn("stopping", "error", err)
	}

	wait, cancelWait := context.WithTimeout(context.Background(), max(time.Until(deadlineOf(deadline)), closeGrace))
	defer cancelWait()
	var stuck error
	select {
	case <-stopped:
	case <-wait.Done():
		var names []string
		for _, st := range states {
			if st.running.Load() {
				names = append(names, st.platform.Name())
			}
		}
		stuck = fmt.Errorf("%s did not close within limits.shutdown_grace (%s); stopping anyway", strings.Join(names, " and "), grace)
	}
	if s.flush != nil {
		flush, cancelFlush := context.WithTimeout(context.Background(), max(time.Until(deadlineOf(deadline)), flushGrace))
		defer cancelFlush()
		if err := s.flush(flush); err != nil {
			s.log.Warn("could not close the state database", "error", err)
		}
	}
	if stuck != nil {
		return stuck
	}
	if cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	s.log.Info("stopped")
	return nil
}

func deadlineOf(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}

package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Limits bounds how often one person can make the bot speak, how often it
// repeats an answer in a channel, and how much work it takes on at once.
// The zero value sets no limits.
type Limits struct {
	// Cooldown is the least time between two replies to the same user's
	// questions. A question inside it gets one short private notice, then
	// silence until the cooldown has passed; 0 turns it off.
	Cooldown time.Duration
	// DuplicateWindow is how long an answer given in a channel (to a
	// mention, or overheard) stays fresh: a question there that would get
	// the same entry within it gets a short pointer to the earlier answer
	// instead of a repeat; 0 turns it off. Direct messages and slash
	// commands are answered to the asker alone and never count.
	DuplicateWindow time.Duration
	// MaxConcurrent bounds the messages handled at once, through Handle or
	// Begin; 0 means no bound.
	MaxConcurrent int
	// MaxWait is how long Begin waits for a free slot before it returns
	// ErrBusy.
	MaxWait time.Duration
}

// Reasons a message was limited, as given to LimitObserver.
const (
	LimitCooldown  = "cooldown"
	LimitDuplicate = "duplicate"
	LimitBusy      = "busy"
	LimitStopping  = "stopping"
)

// LimitObserver is an Observer that is also told of every message the
// limits turned away or shortened, with one of the Limit* reasons. The bot
// checks its Observer for it at run time.
type LimitObserver interface {
	ObserveLimit(platform, reason string)
}

// ErrBusy is returned by Begin when every work slot stayed taken for
// Limits.MaxWait.
var ErrBusy = errors.New("the bot is busy: every one of its work slots stayed taken (raise limits.max_concurrent if this is normal load)")

// ErrStopping is returned by Begin once Drain has been called.
var ErrStopping = errors.New("the bot is shutting down and takes no new work")

// workKey marks a context that already holds a work slot of a bot.
type workKey struct{}

// work bounds and counts the messages being handled, and lets a shutdown
// wait for them.
type work struct {
	slots   chan struct{} // nil when unbounded
	maxWait time.Duration

	mu       sync.Mutex
	active   int
	stopping bool
	stop     chan struct{} // closed by Drain
	idle     chan struct{} // closed when stopping and nothing is active

	halt       context.Context // cancelled when the drain deadline passes
	haltCancel context.CancelFunc
}

func newWork(l Limits) *work {
	w := &work{maxWait: l.MaxWait, stop: make(chan struct{}), idle: make(chan struct{})}
	if l.MaxConcurrent > 0 {
		w.slots = make(chan struct{}, l.MaxConcurrent)
	}
	w.halt, w.haltCancel = context.WithCancel(context.Background())
	return w
}

// Begin starts one piece of work, such as handling a message and sending
// its reply, and returns the context to do it in and the function to call
// when it is done. Adapters call it around everything they do for one event
// so that the concurrency bound covers sending replies too and a shutdown
// waits for the reply to be sent; Handle calls it itself when its context
// does not already come from Begin.
//
// The returned context keeps ctx's values but not its cancellation: an
// event's work outlives the request or the connection that delivered it
// and is cancelled only when Drain's deadline passes. Begin waits up to
// Limits.MaxWait for a free slot and then returns ErrBusy; after Drain it
// returns ErrStopping. On error, done is a no-op and ctx is returned as is.
func (b *Bot) Begin(ctx context.Context) (context.Context, func(), error) {
	w := b.work
	if ctx.Value(workKey{}) == w {
		return ctx, func() {}, nil
	}
	if err := w.acquire(); err != nil {
		return ctx, func() {}, err
	}
	w.mu.Lock()
	if w.stopping {
		w.mu.Unlock()
		w.release()
		return ctx, func() {}, ErrStopping
	}
	w.active++
	w.mu.Unlock()

	wctx, cancel := context.WithCancel(context.WithValue(context.WithoutCancel(ctx), workKey{}, w))
	unhook := context.AfterFunc(w.halt, cancel)
	var once sync.Once
	return wctx, func() {
		once.Do(func() {
			unhook()
			cancel()
			w.release()
			w.finish()
		})
	}, nil
}

// acquire takes a slot, waiting up to maxWait.
func (w *work) acquire() error {
	if w.slots == nil {
		return nil
	}
	select {
	case w.slots <- struct{}{}:
		return nil
	default:
	}
	if w.maxWait <= 0 {
		return ErrBusy
	}
	t := time.NewTimer(w.maxWait)
	defer t.Stop()
	select {
	case w.slots <- struct{}{}:
		return nil
	case <-w.stop:
		return ErrStopping
	case <-t.C:
		return ErrBusy
	}
}

func (w *work) release() {
	if w.slots != nil {
		<-w.slots
	}
}

func (w *work) finish() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.active--
	if w.stopping && w.active == 0 {
		close(w.idle)
	}
}

// Drain stops the bot from taking new work (Begin returns ErrStopping, and
// Handle stays silent) and waits until the work in flight is done. When ctx
// is done first, it cancels the contexts of the work still running and
// returns an error saying how much was abandoned. The bot takes no work
// after Drain.
func (b *Bot) Drain(ctx context.Context) error {
	w := b.work
	w.mu.Lock()
	if !w.stopping {
		w.stopping = true
		close(w.stop)
		if w.active == 0 {
			close(w.idle)
		}
	}
	w.mu.Unlock()
	select {
	case <-w.idle:
		return nil
	case <-ctx.Done():
	}
	// Count before cancelling: work that ends because it was cancelled
	// was still running when the grace ran out.
	n := b.InFlight()
	w.haltCancel()
	if n == 0 {
		return nil
	}
	return fmt.Errorf("%d messages were still being handled when the shutdown grace ran out, and were cancelled (raise limits.shutdown_grace if replies are slow)", n)
}

// InFlight returns the number of messages being handled now.
func (b *Bot) InFlight() int {
	b.work.mu.Lock()
	defer b.work.mu.Unlock()
	return b.work.active
}

// limit runs respond for m inside the limits: a work slot, the user's
// cooldown and the channel's duplicate suppression.
func (b *Bot) limit(ctx context.Context, m Message, respond func(context.Context, Message) (Reply, bool)) (Reply, bool) {
	ctx, done, err := b.Begin(ctx)
	if err != nil {
		return b.turnedAway(ctx, m, err)
	}
	defer done()
	if !b.isQuestion(m) {
		return respond(ctx, m)
	}
	admitted, allowed, warn := b.limits.admit(m)
	if !allowed {
		b.limited(ctx, m, LimitCooldown, "")
		if warn {
			return Reply{Kind: Refusal, Private: true, Text: fmt.Sprintf("You are asking quickly: I answer one question from each person every %s. Ask again in a moment.", b.limits.cooldown)}, true
		}
		return Reply{}, false
	}
	r, ok := respond(ctx, m)
	if !ok {
		b.limits.unadmit(m, admitted)
		return r, ok
	}
	if pointer, repeated := b.limits.repeat(m, r); repeated {
		b.limited(ctx, m, LimitDuplicate, r.Entry.ID)
		return pointer, true
	}
	return r, ok
}

// turnedAway is the reply to a message that could not begin.
func (b *Bot) turnedAway(ctx context.Context, m Message, err error) (Reply, bool) {
	if errors.Is(err, ErrBusy) {
		b.limited(ctx, m, LimitBusy, "")
		if m.Origin != Overheard {
			return Reply{Kind: Refusal, Private: true, Text: "I am answering a lot of questions right now. Ask again in a moment."}, true
		}
		return Reply{}, false
	}
	b.limited(ctx, m, LimitStopping, "")
	return Reply{}, false
}

// limited logs and observes one limited message.
func (b *Bot) limited(ctx context.Context, m Message, reason, entry string) {
	if o, ok := b.observer.(LimitObserver); ok {
		o.ObserveLimit(m.Platform, reason)
	}
	attrs := []slog.Attr{slog.String("platform", m.Platform), slog.String("channel", m.Channel), slog.String("reason", reason)}
	if entry != "" {
		attrs = append(attrs, slog.String("entry", entry))
	}
	if b.logText {
		attrs = append(attrs, slog.String("text", Clean(m.Text)))
	}
	b.log.LogAttrs(ctx, slog.LevelInfo, "limited", attrs...)
}

// isQuestion reports whether m would be matched against the knowledge base,
// rather than run as a command or ignored.
func (b *Bot) isQuestion(m Message) bool {
	text := Clean(m.Text)
	if m.Origin == Overheard {
		return b.looksLikeQuestion(text)
	}
	name, args := splitCommand(text, m.Origin == Command)
	return name == "" && args != ""
}

// limiter keeps the per-user cooldowns and the answers given per channel.
type limiter struct {
	cooldown time.Duration
	window   time.Duration
	now      func() time.Time

	mu      sync.Mutex
	users   map[string]userTurn
	answers map[string]time.Time
	// sweepUsers and sweepAnswers are the map sizes at which expired
	// records are next swept out.
	sweepUsers, sweepAnswers int
}

// userTurn is when a user was last replied to, and whether they have been
// told to slow down since.
type userTurn struct {
	at     time.Time
	warned bool
}

// minSweep is the map size below which expired records are left alone.
const minSweep = 256

func newLimiter(l Limits) *limiter {
	return &limiter{
		cooldown: l.Cooldown, window: l.DuplicateWindow, now: time.Now,
		users: map[string]userTurn{}, answers: map[string]time.Time{},
		sweepUsers: minSweep, sweepAnswers: minSweep,
	}
}

// admission is what admit changed, for unadmit to undo.
type admission struct {
	prev userTurn
	at   time.Time
}

// admit reports whether the user who wrote m may be answered now and, if
// so, marks them as answered. When the user may not, warn is true the first
// time within the cooldown that they addressed the bot: an overheard
// question gets silence and leaves the one notice for later.
func (l *limiter) admit(m Message) (a admission, allowed, warn bool) {
	if l.cooldown <= 0 {
		return admission{}, true, false
	}
	key := m.Platform + "\x00" + m.User
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	prev, seen := l.users[key]
	if seen && now.Sub(prev.at) < l.cooldown {
		if m.Origin == Overheard || prev.warned {
			return admission{}, false, false
		}
		prev.warned = true
		l.users[key] = prev
		return admission{}, false, true
	}
	if len(l.users) >= l.sweepUsers {
		for k, t := range l.users {
			if now.Sub(t.at) >= l.cooldown {
				delete(l.users, k)
			}
		}
		l.sweepUsers = max(minSweep, 2*len(l.users))
	}
	l.users[key] = userTurn{at: now}
	return admission{prev: prev, at: now}, true, false
}

// unadmit undoes admit when the bot stayed silent after all, so that a
// question the bot kept quiet on does not hold the next one back.
func (l *limiter) unadmit(m Message, a admission) {
	if l.cooldown <= 0 {
		return
	}
	key := m.Platform + "\x00" + m.User
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur, ok := l.users[key]; !ok || !cur.at.Equal(a.at) {
		return // a later question has been admitted since
	}
	if a.prev.at.IsZero() {
		delete(l.users, key)
		return
	}
	l.users[key] = a.prev
}

// repeat records the answer r to m in m's channel, or, when the same entry
// was answered there within the window, returns the pointer to say
// instead.
func (l *limiter) repeat(m Message, r Reply) (Reply, bool) {
	if l.window <= 0 || r.Kind != Answer || r.Entry == nil || (m.Origin != Mention && m.Origin != Overheard) {
		return r, false
	}
	key := m.Platform + "\x00" + m.Channel + "\x00" + r.Entry.ID
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if at, ok := l.answers[key]; ok && now.Sub(at) < l.window {
		return Reply{
			Kind:    Info,
			Private: true,
			Text:    fmt.Sprintf("I answered “%s” here %s ago: scroll up, or write `/faq show %s` to see it again.", Defuse(r.Entry.Question), ago(now.Sub(at)), r.Entry.ID),
		}, true
	}
	if len(l.answers) >= l.sweepAnswers {
		for k, at := range l.answers {
			if now.Sub(at) >= l.window {
				delete(l.answers, k)
			}
		}
		l.sweepAnswers = max(minSweep, 2*len(l.answers))
	}
	l.answers[key] = now
	return r, false
}

// ago says how long d is, the way a person would.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < 2*time.Minute:
		return "a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	case d < 2*time.Hour:
		return "an hour"
	default:
		return fmt.Sprintf("%d hours", int(d/time.Hour))
	}
}

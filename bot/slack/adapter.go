// Package slack connects faqbot to a Slack workspace, in Socket Mode (a
// websocket the bot opens, no public URL needed) or in HTTP mode (the Events
// API, slash command and interactivity endpoints on faqbot's own HTTP
// listener, each request checked with the signing secret).
//
// The adapter answers app mentions in their thread, direct messages, /faq
// commands (ephemeral by default, with a "Share in channel" button), and
// questions overheard in listening channels when the bot is confident. It
// acknowledges every envelope and request first and works afterwards in a
// bounded pool of workers, a few events of one channel at a time, so that
// a channel whose replies hang does not hold up the others; it drops
// Slack's redeliveries, ignores bots and itself, and renders replies as
// Block Kit messages in mrkdwn with every piece of user and knowledge-base
// text escaped, so that no reply can ping.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
)

// Answerer is what the adapter needs from the bot; *bot.Bot implements it.
type Answerer interface {
	// Handle answers a message, or returns false to stay silent.
	Handle(ctx context.Context, m bot.Message) (bot.Reply, bool)
	// Show returns the answer of one entry, for a clicked suggestion or a
	// shared answer.
	Show(s bot.Scope, id string) (bot.Reply, bool)
	// Vote takes a 👍 or 👎 and returns the acknowledgement to show.
	Vote(ctx context.Context, v bot.Vote) bot.Reply
	// Begin takes one of the bot's work slots for an event, so that its
	// concurrency bound and its shutdown drain cover sending the reply.
	Begin(ctx context.Context) (context.Context, func(), error)
	// Escalated and ExpertAnswered follow the questions sent to an
	// experts channel (see bot.Escalation).
	Escalated(key, post string)
	ExpertAnswered(platform, channel, post, expert, text string) (bot.Notice, bool)
	// SubmitEntry takes a sent entry form of /faq add or /faq edit.
	SubmitEntry(ctx context.Context, m bot.Message, f bot.EntryForm) bot.Reply
}

var _ bot.Platform = (*Adapter)(nil)

// Tuning of the adapter's work and memory.
const (
	// workers is how many events are worked on at once: as many as the
	// bot's default limits.max_concurrent, since the bot bounds the work
	// itself. Fewer let a few replies stuck on a slow Web API call in one
	// channel hold up every other channel until they time out.
	workers = 64
	// perChannel is how many events of one channel are worked on at once.
	// A channel's further events wait, in order, so that a channel whose
	// replies hang (a Web API call stuck until its timeout) holds 8
	// workers at most, and the other channels are still answered.
	perChannel = 8
	// queueSize is how many acknowledged events may wait for a worker,
	// those waiting behind their channel's perChannel included.
	queueSize = 256
	// jobTimeout bounds the work on one event, Web API retries included.
	jobTimeout = 30 * time.Second
	// drainGrace is how long in-flight work may continue after Run's
	// context is cancelled.
	drainGrace = 10 * time.Second
	// seenSize and seenTTL bound the memory of handled event ids,
	// messages and clicks. Slack redelivers for about an hour at most.
	seenSize = 50000
	seenTTL  = 2 * time.Hour
	// maxRetries is how often a rate-limited Web API call is retried, and
	// maxRetryWait the longest Retry-After the adapter waits for.
	maxRetries   = 3
	maxRetryWait = 60 * time.Second
	// httpTimeout bounds one Web API call.
	httpTimeout = 20 * time.Second
)

// Adapter is a connection to one Slack workspace. Build it with New, run
// it with Run, and in HTTP mode mount its endpoints with Routes.
type Adapter struct {
	mode      string
	ephemeral bool
	secret    string
	tokens    []string
	listening map[string]bool

	bot    Answerer
	log    *slog.Logger
	api    *slack.Client
	admins *admins

	self    atomic.Pointer[identity]
	seen    *bot.Seen
	replays *bot.Seen
	// refused logs the HTTP requests refused, a line a kind every
	// logevery.Interval.
	refused refusals
	// ignoredSubtypes logs the message subtypes the bot does not answer.
	ignoredSubtypes *subtypeLog
	ready           atomic.Bool
	started         atomic.Bool
	// socketUp and reconnects follow the Socket Mode connection.
	socketUp   atomic.Bool
	reconnects atomic.Uint64
	serving    chan struct{} // closed once Run is serving
	pool       *pool

	// afterJob, when set (by tests), is called after every event is worked
	// on, with the kind of event and what came of it.
	afterJob func(kind, outcome string)
}

// identity is who the bot is in the workspace, from auth.test.
type identity struct {
	userID, teamID string
}

// Outcomes of working on one event, for logs and tests.
const (
	outcomeAnswered  = "answered"
	outcomeSilent    = "silent"
	outcomeIgnored   = "ignored"
	outcomeDuplicate = "duplicate"
	outcomeFailed    = "failed"
)

// New returns an adapter for the Slack section of the config, answering
// with b and logging to logger. The config must come from config.Load,
// which resolves the tokens; New checks that the ones the mode needs are
// there. Nothing connects until Run.
func New(cfg config.Slack, b Answerer, logger *slog.Logger) (*Adapter, error) {
	if b == nil {
		return nil, errors.New("no bot to answer with")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	mode := cfg.Mode
	if mode == "" {
		mode = config.SlackSocket
	}
	bt, at, ss := cfg.BotTokenValue(), cfg.AppTokenValue(), cfg.SigningSecretValue()
	switch {
	case mode != config.SlackSocket && mode != config.SlackHTTP:
		return nil, fmt.Errorf("mode %q is not one of socket, http", mode)
	case !strings.HasPrefix(bt, "xoxb-"):
		return nil, errors.New("no bot token (xoxb-…): set slack.bot_token or slack.bot_token_file and load the config with config.Load")
	case mode == config.SlackSocket && !strings.HasPrefix(at, "xapp-"):
		return nil, errors.New("mode socket needs an app-level token (xapp-…): set slack.app_token or slack.app_token_file, or use mode: http")
	case mode == config.SlackHTTP && ss == "":
		return nil, errors.New("mode http needs the signing secret: set slack.signing_secret or slack.signing_secret_file")
	}
	a := &Adapter{
		mode:      mode,
		ephemeral: cfg.Ephemeral(),
		secret:    ss,
		tokens:    []string{bt, at, ss},
		listening: map[string]bool{},
		bot:       b,
		log:       logger.With("component", "slack"),
		seen:      bot.NewSeen(seenSize, seenTTL),
		// A replayed request is refused while its timestamp is fresh,
		// for five minutes; remember signatures a little longer.
		replays: bot.NewSeen(seenSize, 10*time.Minute),
		pool:    newPool(),
		serving: make(chan struct{}),
	}
	a.ignoredSubtypes = newSubtypeLog(a.log)
	for _, ch := range cfg.ListeningChannels {
		a.listening[ch] = true
	}
	opts := []slack.Option{
		slack.OptionAPIURL(cfg.API()),
		slack.OptionHTTPClient(&http.Client{Timeout: httpTimeout}),
	}
	if at != "" {
		opts = append(opts, slack.OptionAppLevelToken(at))
	}
	a.api = slack.New(bt, opts...)
	a.admins = newAdmins(cfg.Admins, cfg.AdminGroup, a)
	return a, nil
}

// Share makes the adapter claim every event, and every signed request, in
// c as well as in its own memory, so that replicas sharing c (the state
// database, when it is PostgreSQL) handle once an event that Slack
// redelivers to another replica. Call it before Run.
func (a *Adapter) Share(c bot.Claims) {
	a.seen.Share(c, "slack", a.log)
	a.replays.Share(c, "slack:signature", a.log)
}

// Name returns "slack".
func (a *Adapter) Name() string { return "slack" }

// Connected reports whether the adapter is taking events, for readiness
// checks and metrics: in Socket Mode, while the websocket is up; in HTTP
// mode, while Run serves after Slack accepted the bot token.
func (a *Adapter) Connected() bool {
	if a.mode == config.SlackHTTP {
		return a.ready.Load()
	}
	return a.ready.Load() && a.socketUp.Load()
}

// Reconnects returns how many times the Socket Mode connection was made
// again after the first, whether Slack asked for it or it dropped.
func (a *Adapter) Reconnects() uint64 { return a.reconnects.Load() }

// Run checks the bot token with auth.test, then serves until ctx is
// cancelled: in Socket Mode it holds the websocket open, reconnecting as
// Slack asks; in HTTP mode it works on what the Routes handlers receive.
// It returns nil after ctx is cancelled and in-flight replies are sent,
// and an error when Slack refuses a token. Run may be called once.
func (a *Adapter) Run(ctx context.Context) error {
	if !a.started.CompareAndSwap(false, true) {
		return errors.New("the adapter already ran: Run may be called once; build a new Adapter with New")
	}
	if err := a.authenticate(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	a.pool.start(ctx, a.log)
	defer a.pool.stop()
	a.ready.Store(true)
	defer a.ready.Store(false)
	close(a.serving)
	a.log.Info("serving Slack", "mode", a.mode, "bot_user", a.identity().userID, "team", a.identity().teamID)
	if a.mode == config.SlackHTTP {
		<-ctx.Done()
		return nil
	}
	return a.runSocket(ctx)
}

func (a *Adapter) identity() identity {
	if id := a.self.Load(); id != nil {
		return *id
	}
	return identity{}
}

// fatalAuth lists the errors after which retrying a token cannot help.
var fatalAuth = map[string]bool{
	"invalid_auth": true, "not_authed": true, "account_inactive": true,
	"token_revoked": true, "token_expired": true, "not_allowed_token_type": true,
}

// authenticate learns the bot's own user id with auth.test, retrying with
// backoff while Slack cannot be reached.
func (a *Adapter) authenticate(ctx context.Context) error {
	wait := time.Second
	for {
		var resp *slack.AuthTestResponse
		err := a.call(ctx, "auth.test", func(ctx context.Context) error {
			var err error
			resp, err = a.api.AuthTestContext(ctx)
			return err
		})
		if err == nil {
			a.self.Store(&identity{userID: resp.UserID, teamID: resp.TeamID})
			return nil
		}
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && fatalAuth[se.Err] {
			return fmt.Errorf("the bot token was refused by Slack (%s): check slack.bot_token, and that the app is installed in the workspace", se.Err)
		}
		a.log.Warn("cannot reach Slack yet; retrying", "error", a.redact(err), "retry_in", wait)
		if !sleep(ctx, wait) {
			return ctx.Err()
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// call runs one Web API call, retrying it after Retry-After when Slack
// answers 429, and returns its error with a hint on what to do.
func (a *Adapter) call(ctx context.Context, method string, f func(ctx context.Context) error) error {
	for attempt := 1; ; attempt++ {
		err := f(ctx)
		var rl *slack.RateLimitedError
		if !errors.As(err, &rl) || attempt > maxRetries || rl.RetryAfter > maxRetryWait {
			if err != nil {
				return fmt.Errorf("%s: %w%s", method, err, hint(err))
			}
			return nil
		}
		a.log.Warn("rate limited by Slack; retrying", "method", method, "retry_after", rl.RetryAfter, "attempt", attempt)
		if !sleep(ctx, rl.RetryAfter) {
			return fmt.Errorf("%s: gave up waiting out a rate limit: %w", method, ctx.Err())
		}
	}
}

// hint says what to do about a Slack error, when something can be done.
func hint(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "not_in_channel", "channel_not_found":
			return " (invite the bot to the channel with /invite @faqbot)"
		case "missing_scope":
			return " (the app lacks a scope: recreate it from `faqbot slack manifest` or add the scope and reinstall)"
		case "invalid_auth", "not_authed", "token_revoked", "account_inactive":
			return " (check slack.bot_token)"
		case "expired_url", "used_url":
			return " (the response_url expired: Slack keeps them for 30 minutes and 5 uses)"
		}
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) && sc.Code >= 500 {
		return " (Slack is having trouble; the bot keeps serving)"
	}
	return ""
}

// tokenPattern matches Slack tokens, in case an error message quotes one.
var tokenPattern = regexp.MustCompile(`x(?:ox[a-z]|app)-[A-Za-z0-9-]+`)

// redact returns err's message with every token and the signing secret
// removed, for logs.
func (a *Adapter) redact(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	for _, t := range a.tokens {
		if t != "" {
			s = strings.ReplaceAll(s, t, "[redacted]")
		}
	}
	return tokenPattern.ReplaceAllString(s, "[redacted]")
}

// sleep waits for d or until ctx is done, and reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// enqueue hands the work on one event to the pool, and reports its
// outcome to afterJob when done.
// Events of one channel (channel; "" when the event has none) are worked
// on at most perChannel at a time.
func (a *Adapter) enqueue(ctx context.Context, kind, channel string, work func(ctx context.Context) string) error {
	return a.pool.submit(ctx, job{channel: channel, run: func(ctx context.Context) {
		outcome := outcomeFailed
		defer func() {
			a.log.Debug("event handled", "kind", kind, "outcome", outcome)
			if a.afterJob != nil {
				a.afterJob(kind, outcome)
			}
		}()
		// When the bot is busy or stopping, Handle says so (or stays
		// silent) by itself; clicks need no slot.
		if bctx, done, err := a.bot.Begin(ctx); err == nil {
			defer done()
			// Begin's context drops ctx's cancellation; keep the job's
			// timeout and the pool's drain deadline.
			jctx, cancel := context.WithTimeout(bctx, jobTimeout)
			defer cancel()
			defer context.AfterFunc(ctx, cancel)()
			ctx = jctx
		}
		outcome = work(ctx)
	}})
}

// Package discord connects faqbot to Discord through the gateway, with
// github.com/bwmarrin/discordgo. It answers mentions and direct messages,
// questions overheard in listening channels when the answer is confident,
// and the /faq slash command with autocomplete; it renders answers in
// Discord's Markdown with buttons for votes, related questions, "Did you
// mean…" and "Post publicly". Interactions can also arrive on an HTTP
// endpoint verified with Ed25519 (Routes).
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
	"github.com/gorilla/websocket"
)

// Bot is what the adapter needs from the bot core; *bot.Bot implements it.
type Bot interface {
	// Handle answers a message, or returns false to stay silent.
	Handle(ctx context.Context, m bot.Message) (bot.Reply, bool)
	// Show returns the answer of one entry, for a picked suggestion or a
	// shared answer.
	Show(s bot.Scope, id string) (bot.Reply, bool)
	// Vote takes a 👍 or 👎 and returns the acknowledgement to show.
	Vote(ctx context.Context, v bot.Vote) bot.Reply
	// Complete ranks the questions for a partly typed one.
	Complete(s bot.Scope, partial string, n int) []bot.Suggestion
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

// platform is the name of the platform in messages and logs.
const platform = "discord"

// shutdownTimeout bounds the REST calls made while stopping.
const shutdownTimeout = 10 * time.Second

// workTimeout bounds the work on one event, REST retries included.
const workTimeout = 30 * time.Second

// perChannel is how many messages of one channel are worked on at once.
// A channel's further messages wait, in order, so that a channel whose
// replies hang (discordgo sends one channel's messages one after the
// other, so they queue behind a stuck one) holds 8 of the bot's work
// slots at most, and the other channels are still answered.
const perChannel = 8

// maxWaiting is how many messages of one channel may wait for those being
// worked on; further ones are dropped, and logged, rather than held
// without bound while replies to the channel hang: 256 waiting take at
// most 16 minutes (256/8 times workTimeout) to work through.
const maxWaiting = 256

// deferAfter is how long after its arrival an interaction's answer may
// take before the adapter sends a deferred response; Discord allows 3 s
// for the first response, counted from its sending, and the response
// must still travel back. Admin commands that may take long are deferred
// at once.
const deferAfter = 1500 * time.Millisecond

// Reconnecting: the first attempt after a connection is lost is at once,
// unless that connection lasted less than stableAfter; each failed attempt
// doubles the wait, up to maxReconnectWait.
const (
	stableAfter      = time.Minute
	maxReconnectWait = 2 * time.Minute
)

// Adapter is a connection to Discord for one bot (one shard of it, when
// sharded). Build it with New and start it with Run.
type Adapter struct {
	cfg       config.Discord
	bot       Bot
	log       *slog.Logger
	s         *discordgo.Session
	seen      *bot.Seen
	publicKey ed25519.PublicKey
	// refused logs the HTTP interaction requests refused, a line a kind
	// every logevery.Interval.
	refused refusals
	// lanes runs at most perChannel messages of one channel at once,
	// and keeps maxWaiting more waiting; dropped counts those dropped.
	lanes   *bot.Lanes[func()]
	dropped atomic.Int64

	admins     map[string]bool
	adminRoles map[string]bool
	listening  map[string]bool

	// deferAfter is how long an interaction's answer may take before it
	// is deferred: the constant deferAfter, which tests shorten.
	deferAfter time.Duration

	mu      sync.Mutex
	ctx     context.Context
	stopped bool
	work    sync.WaitGroup

	connected atomic.Bool
	connects  atomic.Uint64
	// lost is signalled when the gateway connection closes, for Run to
	// make it again.
	lost chan struct{}

	// rolesMu guards botRoles: server id -> the id of the bot's own
	// managed role there, which members may mention instead of the bot.
	rolesMu  sync.RWMutex
	botRoles map[string]string
}

// New builds an adapter for the Discord section of the config. It checks
// what it needs but does not connect: Run does.
func New(cfg config.Discord, b Bot, logger *slog.Logger) (*Adapter, error) {
	if b == nil {
		return nil, errors.New("no bot given")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	token := cfg.TokenValue()
	if token == "" {
		return nil, errors.New("no bot token: set discord.token: ${DISCORD_TOKEN} (or discord.token_file) and export the token from the Developer Portal, Bot > Reset Token")
	}
	a := &Adapter{
		cfg:        cfg,
		bot:        b,
		log:        logger.With("component", platform),
		seen:       bot.NewSeen(20000, time.Hour),
		lanes:      bot.NewLanes[func()](perChannel, maxWaiting),
		admins:     set(cfg.Admins),
		adminRoles: set(cfg.AdminRoles),
		listening:  set(cfg.ListeningChannels),
		deferAfter: deferAfter,
		ctx:        context.Background(),
		botRoles:   make(map[string]string),
		lost:       make(chan struct{}, 1),
	}
	if cfg.InteractionsEndpoint || cfg.PublicKey != "" {
		k, err := hex.DecodeString(cfg.PublicKey)
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, errors.New("public_key is not a 64-digit hex Ed25519 key; copy it from the Developer Portal, General Information > Public Key")
		}
		a.publicKey = ed25519.PublicKey(k)
	}
	libraryLogs.install()
	s, err := discordgo.New("Bot " + token)
	if err != nil {
		return nil, fmt.Errorf("create the session: %w", err)
	}
	s.LogLevel = libraryLevel(a.log)
	client := &http.Client{Timeout: 20 * time.Second}
	if cfg.API() != config.DefaultDiscordAPIURL || cfg.GatewayURL != "" {
		rt, err := newRedirect(cfg.API(), cfg.GatewayURL)
		if err != nil {
			return nil, err
		}
		client.Transport = rt
	}
	s.Client = client
	s.Dialer = &websocket.Dialer{HandshakeTimeout: 15 * time.Second, Proxy: http.ProxyFromEnvironment}
	// discordgo reconnects by itself forever, whatever the close code;
	// Run reconnects instead, and stops when Discord refuses the bot.
	s.ShouldReconnectOnError = false
	s.Identify.Intents = Intents(cfg.ReadsMessages())
	s.ShardID, s.ShardCount = cfg.Shards()
	s.AddHandler(a.onMessage)
	s.AddHandler(a.onInteraction)
	s.AddHandler(a.onRaw)
	s.AddHandler(func(*discordgo.Session, *discordgo.Connect) {
		a.connects.Add(1)
		a.connected.Store(true)
	})
	s.AddHandler(a.onDisconnect)
	a.s = s
	return a, nil
}

// onDisconnect notes that the gateway connection closed, for Run to make
// it again (see keepConnected).
func (a *Adapter) onDisconnect(*discordgo.Session, *discordgo.Disconnect) {
	a.connected.Store(false)
	select {
	case a.lost <- struct{}{}:
	default:
	}
}

// Share makes the adapter claim every message, interaction and signed
// interaction request in c as well as in its own memory, under the
// namespace "discord", so that replicas sharing c (the state database,
// when it is PostgreSQL) handle once an event that Discord delivers to
// the gateway session of each. Call it before Run and before Routes
// serves a request.
func (a *Adapter) Share(c bot.Claims) {
	a.seen.Share(c, platform, a.log)
}

// Intents returns the gateway intents the bot asks for: servers, server
// messages and direct messages, plus the privileged Message Content intent
// when content is true.
func Intents(content bool) discordgo.Intent {
	i := discordgo.IntentGuilds | discordgo.IntentGuildMessages | discordgo.IntentDirectMessages
	if content {
		i |= discordgo.IntentMessageContent
	}
	return i
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// Name returns "discord".
func (a *Adapter) Name() string { return platform }

// Connected reports whether the gateway connection is up, for readiness
// checks: it is false before the first READY and while reconnecting.
func (a *Adapter) Connected() bool { return a.connected.Load() }

// Reconnects returns how many times the gateway connection was made again
// after the first time.
func (a *Adapter) Reconnects() uint64 {
	if n := a.connects.Load(); n > 1 {
		return n - 1
	}
	return 0
}

// Run connects to the gateway, registers /faq, and serves until ctx is
// cancelled, making the connection again whenever it is lost. It returns
// an error saying what to fix when it cannot connect or register the
// command, or when Discord refuses the bot later, such as after its token
// was reset: a refusal that no retry can fix.
func (a *Adapter) Run(ctx context.Context) error {
	a.mu.Lock()
	a.ctx = ctx
	a.mu.Unlock()
	defer libraryLogs.add(a.log)()
	shard, shards := a.cfg.Shards()
	log := a.log.With("shard", shard, "shards", shards)
	if err := a.s.Open(); err != nil {
		a.stop()
		err, _ := explainOpen(err)
		return err
	}
	a.s.State.RLock()
	self, app := a.s.State.User, a.s.State.Application
	a.s.State.RUnlock()
	appID := a.cfg.ApplicationID
	if appID == "" && app != nil {
		appID = app.ID
	}
	if self != nil {
		log = log.With("user", self.Username, "user_id", self.ID)
	}
	log.Info("connected to the Discord gateway", "message_content", a.cfg.ReadsMessages())
	register := shard == 0
	var err error
	if register {
		err = a.registerCommands(appID, Commands())
		if status := restStatus(err); status >= 500 || status == http.StatusTooManyRequests {
			log.Error("could not register /faq; mentions and DMs are served, and the next start tries again", "error", err)
			register, err = false, nil
		}
	}
	if err == nil {
		err = a.keepConnected(ctx, log)
	}
	if cerr := a.s.Close(); cerr != nil {
		log.Warn("closing the gateway connection", "error", cerr)
	}
	a.stop()
	if register && err == nil && a.cfg.RemoveCommandsOnShutdown {
		if rerr := a.registerCommands(appID, []*discordgo.ApplicationCommand{}); rerr != nil {
			log.Warn("could not remove /faq on shutdown; it stays registered", "error", rerr)
		} else {
			log.Info("removed /faq")
		}
	}
	if err == nil {
		log.Info("disconnected from Discord")
	}
	return err
}

// keepConnected makes the gateway connection again each time it is lost,
// until ctx is done. It returns the refusal when Discord refuses the bot
// for good (see explainOpen), and nil when ctx is done.
func (a *Adapter) keepConnected(ctx context.Context, log *slog.Logger) error {
	var wait time.Duration
	up := time.Now()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-a.lost:
		}
		if time.Since(up) >= stableAfter {
			wait = 0
		}
		for {
			if wait > 0 {
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(wait):
				}
			}
			wait = min(max(2*wait, time.Second), maxReconnectWait)
			err := a.s.Open()
			if errors.Is(err, discordgo.ErrWSAlreadyOpen) {
				// The Disconnect came from a connection already
				// replaced: discordgo runs each handler on a goroutine
				// of its own, and a late one can follow the open
				// connection's Connect, or come from a Close when none
				// was open. The session is connected.
				a.connected.Store(true)
				break
			}
			if err == nil {
				break
			}
			if explained, final := explainOpen(err); final {
				log.Error("Discord refused the bot; stopping", "error", explained)
				return explained
			}
			if ctx.Err() != nil {
				return nil
			}
			log.Warn("could not connect to the Discord gateway again; retrying", "error", err, "retry_in", wait.String())
		}
		up = time.Now()
	}
}

// stop waits for the replies in flight and refuses new work.
func (a *Adapter) stop() {
	a.mu.Lock()
	a.stopped = true
	a.mu.Unlock()
	a.work.Wait()
}

// begin registers a unit of work and returns its context and the function
// to call when it is done; it returns false once the adapter stops. With
// slot, the work also takes one of the bot's work slots, when one is free
// (when none is, Handle says the bot is busy by itself).
func (a *Adapter) begin(slot bool) (context.Context, func(), bool) {
	if !a.enter() {
		return nil, nil, false
	}
	ctx, done := a.started(slot)
	return ctx, done, true
}

// enter registers a unit of work, which stop waits for, and reports
// whether the adapter still takes work. Start the work with started.
func (a *Adapter) enter() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stopped {
		return false
	}
	a.work.Add(1)
	return true
}

// started returns the context of a unit of work registered with enter,
// bounded by workTimeout and, with slot, in one of the bot's work slots
// when one is free, and the function that ends it.
func (a *Adapter) started(slot bool) (context.Context, func()) {
	a.mu.Lock()
	ctx := context.WithoutCancel(a.ctx)
	a.mu.Unlock()
	release := func() {}
	if slot {
		if bctx, done, err := a.bot.Begin(ctx); err == nil {
			ctx, release = bctx, done
		}
	}
	ctx, cancel := context.WithTimeout(ctx, workTimeout)
	return ctx, func() {
		cancel()
		release()
		a.work.Done()
	}
}

// registerCommands overwrites the application's commands with cmds,
// globally or in each configured server.
func (a *Adapter) registerCommands(appID string, cmds []*discordgo.ApplicationCommand) error {
	if appID == "" {
		return errors.New("the application id is unknown: set discord.application_id (Developer Portal, General Information > Application ID)")
	}
	guilds := a.cfg.Guilds
	if len(guilds) == 0 {
		guilds = []string{""}
	}
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	for _, g := range guilds {
		got, err := a.s.ApplicationCommandBulkOverwrite(appID, g, cmds, discordgo.WithContext(ctx))
		if err != nil {
			where := "globally"
			if g != "" {
				where = "in server " + g
			}
			return fmt.Errorf("register /faq %s: %w%s", where, err, restHint(err))
		}
		a.log.Info("registered application commands", "guild", g, "commands", len(got))
	}
	return nil
}

// restStatus returns the HTTP status of a REST error, or 0.
func restStatus(err error) int {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return 0
	}
	return re.Response.StatusCode
}

// restHint suggests a fix for a REST error.
func restHint(err error) string {
	switch restStatus(err) {
	case http.StatusUnauthorized:
		return " (Discord refused the bot token: reset it in the Developer Portal, Bot > Reset Token, and update it)"
	case http.StatusForbidden:
		return " (missing access: invite the bot with the applications.commands scope, see \"faqbot discord invite\", and check discord.guilds and discord.application_id)"
	}
	return ""
}

// explainOpen turns a failure to connect into an error that says what to
// do, and reports whether it is final, one that no retry can fix: a
// gateway close code after which Discord says not to reconnect (4004 and
// 4010 to 4014), whether at start or after the bot has been running, or a
// REST 401 (a token Discord does not know).
func explainOpen(err error) (explained error, final bool) {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		switch ce.Code {
		case 4004:
			return errors.New("the gateway refused the bot token (close 4004): reset it in the Developer Portal, Bot > Reset Token, and update discord.token"), true
		case 4010, 4011:
			return fmt.Errorf("the gateway refused the shard settings (close %d): check discord.shard_id and discord.shard_count; Discord may require more shards", ce.Code), true
		case 4012:
			return fmt.Errorf("the gateway refused the API version (close 4012): this faqbot's Discord library is too old; upgrade faqbot (%w)", err), true
		case 4013:
			return fmt.Errorf("the gateway refused the intents faqbot asks for as invalid (close 4013): Discord's API has changed under this faqbot; upgrade faqbot (%w)", err), true
		case 4014:
			return errors.New("the Message Content intent is not enabled for this bot (close 4014): enable it in the Developer Portal, Bot > Privileged Gateway Intents > Message Content Intent, or set discord.message_content: false (mentions, DMs and /faq still work)"), true
		}
	}
	return fmt.Errorf("connect to the gateway: %w%s", err, restHint(err)), restStatus(err) == http.StatusUnauthorized
}

// noMentions allows no mention at all to ping, whatever the text says, and
// does not ping the author of the message replied to.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}, RepliedUser: false}
}

// admin reports whether a user may run admin commands: a configured user,
// a member of a configured role, or a member with Manage Server (or
// Administrator) when perms is known.
func (a *Adapter) admin(user string, roles []string, perms int64) bool {
	if a.admins[user] {
		return true
	}
	for _, r := range roles {
		if a.adminRoles[r] {
			return true
		}
	}
	return perms&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0
}

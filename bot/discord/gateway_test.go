package discord

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/internal/changes"
	"go.uber.org/goleak"
)

// commandPuts returns the bulk overwrites of commands the fake received.
func commandPuts(f *discordfake.Server) []discordfake.Request {
	var out []discordfake.Request
	for _, r := range f.Requests() {
		if r.Method == http.MethodPut && strings.HasSuffix(r.Path, "/commands") {
			out = append(out, r)
		}
	}
	return out
}

func TestCommandsAreOverwrittenAtStart(t *testing.T) {
	t.Parallel()
	const g1, g2 = "400000000000000011", "400000000000000012"
	for _, tc := range []struct {
		name   string
		guilds []string
		remove bool
		paths  []string // expected PUT paths, in order
		bodies []int    // expected number of commands in each PUT
	}{
		{"global", nil, false, []string{"/api/v9/applications/{app}/commands"}, []int{1}},
		{"listed guilds, removed on shutdown", []string{g1, g2}, true, []string{
			"/api/v9/applications/{app}/guilds/" + g1 + "/commands",
			"/api/v9/applications/{app}/guilds/" + g2 + "/commands",
			"/api/v9/applications/{app}/guilds/" + g1 + "/commands",
			"/api/v9/applications/{app}/guilds/" + g2 + "/commands",
		}, []int{1, 1, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, func(s *setup) {
				s.cfg.Guilds = tc.guilds
				s.cfg.RemoveCommandsOnShutdown = tc.remove
			})
			if err := h.stop(); err != nil {
				t.Fatal(err)
			}
			puts := commandPuts(h.fake)
			if len(puts) != len(tc.paths) {
				t.Fatalf("%d command overwrites, want %d", len(puts), len(tc.paths))
			}
			for i, r := range puts {
				if want := strings.ReplaceAll(tc.paths[i], "{app}", h.fake.AppID()); r.Path != want || r.Status != http.StatusOK {
					t.Errorf("overwrite %d: PUT %s -> %d, want %s -> 200", i, r.Path, r.Status, want)
				}
				var cmds []*discordgo.ApplicationCommand
				if err := r.JSON(&cmds); err != nil || cmds == nil || len(cmds) != tc.bodies[i] {
					t.Errorf("overwrite %d sent %s, want %d commands as a JSON array", i, r.Body, tc.bodies[i])
				}
			}
			cmds := commandsIn(t, puts[0])
			if len(cmds) != 1 || cmds[0].Name != "faq" {
				t.Fatalf("registered %+v, want /faq", cmds)
			}
			var question *discordgo.ApplicationCommandOption
			names := []string{}
			for _, o := range cmds[0].Options {
				names = append(names, o.Name)
				if o.Name == "question" {
					question = o
				}
			}
			if question == nil || !question.Autocomplete || question.Type != discordgo.ApplicationCommandOptionString {
				t.Errorf("the question option is %+v, want an autocompleting string", question)
			}
			for _, want := range []string{"list", "show", "why", "help", "reload", "public"} {
				if !contains(names, want) {
					t.Errorf("options %v lack %s", names, want)
				}
			}
		})
	}
}

func commandsIn(t *testing.T, r discordfake.Request) []*discordgo.ApplicationCommand {
	t.Helper()
	var cmds []*discordgo.ApplicationCommand
	if err := r.JSON(&cmds); err != nil {
		t.Fatalf("commands body: %v", err)
	}
	return cmds
}

func TestIdentify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		content bool
		shard   [2]int
	}{
		{"message content, one shard", true, [2]int{0, 1}},
		{"no message content, shard 1 of 2", false, [2]int{1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, func(s *setup) {
				s.fake.Intents = Intents(tc.content)
				s.cfg.MessageContent = &tc.content
				s.cfg.ListeningChannels = nil
				s.cfg.ShardID, s.cfg.ShardCount = tc.shard[0], tc.shard[1]
				s.noWait = tc.shard[0] != 0
			})
			if tc.shard[0] != 0 {
				// Only shard 0 registers commands; wait for an answer
				// to be sure start-up is over before counting.
				h.replyTo(h.fake.SendMessage(&discordgo.Message{
					ChannelID: "500000000000000011", GuildID: shard1Guild, Author: userOf(aliceID),
					Content: "<@" + h.fake.BotID() + "> How do I reset my password?", Mentions: []*discordgo.User{{ID: h.fake.BotID()}},
				}))
			}
			f := h.fake.WaitFrame(t, "IDENTIFY", func(f discordfake.Frame) bool { return f.In && f.Op == 2 })
			var id struct {
				Token   string           `json:"token"`
				Intents discordgo.Intent `json:"intents"`
				Shard   *[2]int          `json:"shard"`
			}
			if err := json.Unmarshal(f.Data, &id); err != nil {
				t.Fatal(err)
			}
			if got := id.Intents&discordgo.IntentMessageContent != 0; got != tc.content {
				t.Errorf("message content intent requested = %v, want %v", got, tc.content)
			}
			for _, need := range []discordgo.Intent{discordgo.IntentGuildMessages, discordgo.IntentDirectMessages, discordgo.IntentGuilds} {
				if id.Intents&need == 0 {
					t.Errorf("intents %b lack %b", id.Intents, need)
				}
			}
			shard := [2]int{0, 1}
			if id.Shard != nil {
				shard = *id.Shard
			}
			if shard != tc.shard {
				t.Errorf("shard %v, want %v", shard, tc.shard)
			}
			if puts := commandPuts(h.fake); (len(puts) > 0) != (tc.shard[0] == 0) {
				t.Errorf("shard %d made %d command overwrites; only shard 0 registers", tc.shard[0], len(puts))
			}
		})
	}
}

func TestRunExplainsRefusals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		fake discordfake.Options
		cfg  func(*config.Discord, *discordfake.Server)
		want string
	}{
		{"bad token", discordfake.Options{}, func(c *config.Discord, f *discordfake.Server) { c.SetToken("MTIz.bad.token") }, "Bot > Reset Token"},
		{"message content not enabled", discordfake.Options{DenyPrivileged: true}, func(*config.Discord, *discordfake.Server) {}, "Message Content Intent"},
		{"commands refused", discordfake.Options{}, func(_ *config.Discord, f *discordfake.Server) {
			f.Fail(discordfake.Failure{Method: http.MethodPut, Path: "/api/v9/applications/", Status: http.StatusForbidden})
		}, "applications.commands scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := discordfake.New(t, tc.fake)
			cfg := config.Discord{Enabled: true, APIURL: fake.URL()}
			cfg.SetToken(fake.Token())
			tc.cfg(&cfg, fake)
			a, err := New(cfg, newBot(t, kbPath, nil), testLogger(t))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
			defer cancel()
			err = a.Run(ctx)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Run = %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// TestRefusalWhileRunningStopsRun has the fake refuse a bot that has been
// running, as Discord does once its token is reset or its settings no
// longer hold: Run must stop reconnecting and return what to fix. It does
// not run in parallel, so that goleak sees only its own goroutines.
func TestRefusalWhileRunningStopsRun(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	for _, tc := range []struct {
		name string
		code int
		want string
	}{
		{"token reset", discordfake.CloseAuthFailed, "reset it in the Developer Portal, Bot > Reset Token, and update discord.token"},
		{"invalid shard", discordfake.CloseInvalidShard, "check discord.shard_id and discord.shard_count"},
		{"sharding required", discordfake.CloseShardingRequired, "Discord may require more shards"},
		{"API version refused", discordfake.CloseInvalidAPIVersion, "upgrade faqbot"},
		{"intents refused", discordfake.CloseInvalidIntents, "refused the intents faqbot asks for as invalid (close 4013)"},
		{"Message Content intent turned off", discordfake.CloseDisallowedIntents, "enable it in the Developer Portal, Bot > Privileged Gateway Intents > Message Content Intent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := discordfake.New(t, discordfake.Options{Intents: Intents(true)})
			cfg := config.Discord{Enabled: true, APIURL: fake.URL()}
			cfg.SetToken(fake.Token())
			var logs changes.Buffer
			a, err := New(cfg, newBot(t, kbPath, nil), slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- a.Run(ctx) }()
			defer func() {
				cancel()
				<-done
			}()
			fake.WaitRequest(t, "the command overwrite at start", func(r discordfake.Request) bool { return r.Method == http.MethodPut })

			fake.Refuse(tc.code)
			select {
			case err = <-done:
				done <- err
			case <-time.After(runTimeout):
				t.Fatalf("Run did not return within %v of the refusal; log:\n%s", runTimeout, logs.String())
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Run = %v, want an error saying %q", err, tc.want)
			}
			identifies, resumes := 0, 0
			for _, f := range fake.Frames() {
				switch {
				case f.In && f.Op == 2:
					identifies++
				case f.In && f.Op == 6:
					resumes++
				}
			}
			if identifies != 1 || resumes > 1 || fake.Connections() > 2 {
				t.Errorf("%d IDENTIFYs, %d RESUMEs, %d connections; want 1, at most 1, at most 2", identifies, resumes, fake.Connections())
			}
			// faqbot's own error lines: discordgo may log one too, such as
			// a heartbeat that met the closing connection.
			var errs []string
			for _, line := range strings.Split(logs.String(), "\n") {
				if strings.Contains(line, "level=ERROR") && !strings.Contains(line, "library=discordgo") {
					errs = append(errs, line)
				}
			}
			if len(errs) != 1 || !strings.Contains(errs[0], tc.want) {
				t.Errorf("error lines logged: %q; want one saying %q", errs, tc.want)
			}
		})
	}
	if err := goleak.Find(ignore); err != nil {
		t.Error(err)
	}
}

func TestGatewayCloseIsSurvived(t *testing.T) {
	t.Parallel()
	h := start(t)
	h.fake.CloseGateway(discordfake.CloseUnknownError)
	h.fake.WaitFrame(t, "RESUME on a new connection", func(f discordfake.Frame) bool { return f.In && f.Op == 6 && f.Conn == 2 })
	if got := h.replyTo(h.say(generalID, "how do I reset my password?", true)); !strings.Contains(got.Content, "Settings > Account") {
		t.Errorf("after the close: %q", got.Content)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	// The close makes one reconnect, and a second when discordgo closes
	// the new connection itself: the heartbeat goroutine of the closed
	// connection, when it starts late, fails its first heartbeat there and
	// then closes the session's current connection. Only the first loss is
	// followed by an immediate reconnect; after the second the adapter
	// waits a second, by which time such goroutines have failed with no
	// connection to close. Every reconnect is a connection the fake saw.
	if n, conns := h.a.Reconnects(), h.fake.Connections(); n < 1 || n > 2 || int(n) != conns-1 {
		t.Errorf("%d reconnects over %d connections, want 1 or 2, one per connection after the first", n, conns)
	}
}

// TestLateDisconnectKeepsReady checks that a Disconnect event that comes
// while the gateway connection is open, as discordgo may deliver one from
// a connection it replaced (its handlers run on goroutines of their own),
// leaves the adapter on the open connection and saying it is connected.
func TestLateDisconnectKeepsReady(t *testing.T) {
	t.Parallel()
	h := start(t)
	h.a.onDisconnect(nil, &discordgo.Disconnect{})
	deadline := time.Now().Add(discordfake.DefaultWait)
	for !h.a.Connected() {
		if time.Now().After(deadline) {
			t.Fatalf("not connected %v after a late Disconnect event", discordfake.DefaultWait)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := h.replyTo(h.say(generalID, "how do I reset my password?", true)); !strings.Contains(got.Content, "Settings > Account") {
		t.Errorf("after the late Disconnect: %q", got.Content)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if n := h.fake.Connections(); n != 1 {
		t.Errorf("%d gateway connections, want the one kept open", n)
	}
}

func TestReconnectResumesWithoutAnsweringTwice(t *testing.T) {
	t.Parallel()
	h := start(t, func(s *setup) {
		s.fake.ReplayAll = true
		// discordgo sends a heartbeat at once on each connection, and
		// reconnects after 5 intervals without an ACK: 2 s leaves room
		// for a loaded machine.
		s.fake.HeartbeatInterval = 2 * time.Second
		s.sync = true
	})
	if !h.a.Connected() || h.a.Reconnects() != 0 {
		t.Errorf("after start: connected %v, reconnects %d; want true, 0", h.a.Connected(), h.a.Reconnects())
	}
	first := h.say(generalID, "how do I reset my password?", true)
	h.replyTo(first)
	slash := h.slash(strOpt("question", "How do I reset my password?"))
	h.answerTo(slash)
	session := h.fake.WaitReady(t, 1)

	h.fake.Reconnect()
	f := h.fake.WaitFrame(t, "RESUME", func(f discordfake.Frame) bool { return f.In && f.Op == 6 })
	var resume struct {
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(f.Data, &resume); err != nil {
		t.Fatal(err)
	}
	if resume.SessionID != session || resume.Seq < 3 {
		t.Errorf("RESUME %+v, want session %s and the last sequence number", resume, session)
	}
	h.fake.WaitFrame(t, "RESUMED", func(f discordfake.Frame) bool { return !f.In && f.T == "RESUMED" })
	// The replay delivered the first message and interaction again; a new
	// message after it is still answered.
	second := h.say(generalID, "can I get a refund for my order?", true)
	if got := h.replyTo(second); !strings.Contains(got.Content, "30 days") {
		t.Errorf("after the resume: %q", got.Content)
	}
	h.fake.WaitFrame(t, "a heartbeat on the new connection", func(f discordfake.Frame) bool { return f.In && f.Op == 1 && f.Conn >= 2 })
	h.fake.WaitFrame(t, "its ACK", func(f discordfake.Frame) bool { return !f.In && f.Op == 11 && f.Conn >= 2 })
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if h.a.Connected() || h.a.Reconnects() < 1 {
		t.Errorf("after stop: connected %v, reconnects %d; want false, at least 1", h.a.Connected(), h.a.Reconnects())
	}
	if n := h.repliesTo(first); n != 1 {
		t.Errorf("the first message was answered %d times, want once", n)
	}
	n := 0
	for _, s := range h.fake.Sent() {
		if s.Interaction == slash.ID {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the interaction was answered %d times, want once", n)
	}
	if c := h.fake.Connections(); c < 2 {
		t.Errorf("%d connections, want a second one", c)
	}
	for _, f := range h.fake.Frames() {
		if f.In && f.Op == 2 && f.Conn >= 2 {
			t.Errorf("the client identified again on connection %d instead of resuming", f.Conn)
		}
	}
}

func TestInvalidSessionIdentifiesAgain(t *testing.T) {
	t.Parallel()
	h := start(t)
	h.fake.InvalidSession(false)
	ids := h.fake.WaitFrames(t, "a second IDENTIFY", 2, func(f discordfake.Frame) bool { return f.In && f.Op == 2 })
	if ids[1].Conn != 1 {
		t.Errorf("the second IDENTIFY came on connection %d, want the same connection", ids[1].Conn)
	}
	ready := h.fake.WaitFrames(t, "a second READY", 2, func(f discordfake.Frame) bool { return !f.In && f.T == "READY" })
	if string(ready[0].Data) == string(ready[1].Data) {
		t.Error("the second READY repeats the first session")
	}
	got := h.replyTo(h.say(generalID, "how do I reset my password?", true))
	if !strings.Contains(got.Content, "Settings > Account") {
		t.Errorf("after op 9: %q", got.Content)
	}
}

func TestRateLimitIsRetried(t *testing.T) {
	t.Parallel()
	h := start(t)
	const wait = 300 * time.Millisecond
	h.fake.Fail(discordfake.Failure{Method: http.MethodPost, Path: "/api/v9/channels/", Status: http.StatusTooManyRequests, RetryAfter: wait})
	m := h.say(generalID, "how do I reset my password?", true)
	got := h.replyTo(m)
	var limited *discordfake.Request
	for _, r := range h.fake.Requests() {
		if r.Status == http.StatusTooManyRequests {
			limited = &r
		}
	}
	if limited == nil {
		t.Fatal("the fake never answered 429")
	}
	if waited := got.Request.At.Sub(limited.At); waited < wait-50*time.Millisecond {
		t.Errorf("retried after %v, want at least retry_after %v", waited, wait)
	}
	if string(limited.Body) != string(got.Request.Body) {
		t.Errorf("the retry sent a different body")
	}
}

func TestCommandRegistrationServerErrorIsSurvived(t *testing.T) {
	t.Parallel()
	h := start(t, func(s *setup) {
		s.before = func(f *discordfake.Server) {
			f.Fail(discordfake.Failure{Method: http.MethodPut, Path: "/api/v9/applications/", Status: http.StatusInternalServerError})
		}
	})
	if got := h.replyTo(h.say(generalID, "how do I reset my password?", true)); !strings.Contains(got.Content, "Settings > Account") {
		t.Errorf("after a failed registration: %q", got.Content)
	}
	if puts := commandPuts(h.fake); len(puts) != 1 || puts[0].Status != http.StatusInternalServerError {
		t.Errorf("command overwrites %d, want the one that failed", len(puts))
	}
}

func TestServerErrorIsSurvived(t *testing.T) {
	t.Parallel()
	h := start(t)
	h.fake.Fail(discordfake.Failure{Method: http.MethodPost, Path: "/api/v9/channels/", Status: http.StatusInternalServerError})
	h.fake.Fail(discordfake.Failure{Method: http.MethodPost, Path: "/api/v9/interactions/", Status: http.StatusInternalServerError})
	lost := h.say(generalID, "how do I reset my password?", true)
	h.fake.WaitRequest(t, "the failed reply", func(r discordfake.Request) bool {
		return r.Status == http.StatusInternalServerError && strings.HasPrefix(r.Path, "/api/v9/channels/")
	})
	h.slash(strOpt("question", "How do I reset my password?"))
	h.fake.WaitRequest(t, "the failed callback", func(r discordfake.Request) bool {
		return r.Status == http.StatusInternalServerError && strings.HasPrefix(r.Path, "/api/v9/interactions/")
	})

	got := h.replyTo(h.say(generalID, "can I get a refund for my order?", true))
	if !strings.Contains(got.Content, "30 days") {
		t.Errorf("after a 500: %q", got.Content)
	}
	if ans := h.answerTo(h.slash(strOpt("question", "Can I get a refund for my order?"))); !strings.Contains(ans.Content, "30 days") {
		t.Errorf("after a 500: %q", ans.Content)
	}
	if n := h.repliesTo(lost); n != 0 {
		t.Errorf("the lost reply was sent %d times", n)
	}
}

// shard1Guild is a server whose events go to shard 1 of 2.
const shard1Guild = "400000000004194305"

func TestTwoShardsSplitTheServers(t *testing.T) {
	t.Parallel()
	const otherGuild = shard1Guild
	if discordfake.Shard(guildID, 2) != 0 || discordfake.Shard(otherGuild, 2) != 1 {
		t.Fatal("the test's servers do not fall on shards 0 and 1")
	}
	other := testGuild()
	other.ID = otherGuild
	fake := discordfake.New(t, discordfake.Options{Intents: Intents(true), Guilds: []*discordgo.Guild{testGuild(), other}})
	b := newBot(t, kbPath, nil)
	for shard := range 2 {
		cfg := config.Discord{Enabled: true, APIURL: fake.URL(), ShardID: shard, ShardCount: 2}
		cfg.SetToken(fake.Token())
		a, err := New(cfg, b, testLogger(t).With("test_shard", shard))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("shard %d: Run: %v", shard, err)
				}
			case <-time.After(runTimeout):
				t.Errorf("shard %d did not stop", shard)
			}
		})
	}
	ids := fake.WaitFrames(t, "two IDENTIFYs", 2, func(f discordfake.Frame) bool { return f.In && f.Op == 2 })
	shardOf := map[int]int{} // connection -> shard
	for _, f := range ids {
		var id struct {
			Shard [2]int `json:"shard"`
		}
		if err := json.Unmarshal(f.Data, &id); err != nil || id.Shard[1] != 2 {
			t.Fatalf("IDENTIFY %s, want a shard of 2", f.Data)
		}
		shardOf[f.Conn] = id.Shard[0]
	}
	fake.WaitFrames(t, "two READYs", 2, func(f discordfake.Frame) bool { return !f.In && f.T == "READY" })
	fake.WaitRequest(t, "the command overwrite by shard 0", func(r discordfake.Request) bool { return r.Method == http.MethodPut })

	ask := func(guild, channel string) *discordgo.Message {
		m := &discordgo.Message{ChannelID: channel, GuildID: guild, Author: userOf(aliceID), Content: "<@" + fake.BotID() + "> how do I reset my password?", Mentions: []*discordgo.User{{ID: fake.BotID()}}}
		if guild == "" {
			m.Content, m.Mentions = "how do I reset my password?", nil
		}
		return fake.SendMessage(m)
	}
	for _, tc := range []struct {
		name, guild, channel string
		shard                int
	}{
		{"server on shard 0", guildID, generalID, 0},
		{"server on shard 1", otherGuild, "500000000000000011", 1},
		{"DM, always shard 0", "", dmID, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := ask(tc.guild, tc.channel)
			fake.WaitSent(t, "the reply", func(s discordfake.Sent) bool { return s.Reference != nil && s.Reference.MessageID == m.ID })
			f := fake.WaitFrame(t, "the dispatch", func(f discordfake.Frame) bool {
				return !f.In && f.T == "MESSAGE_CREATE" && strings.Contains(string(f.Data), `"id":"`+m.ID+`"`)
			})
			if got := shardOf[f.Conn]; got != tc.shard {
				t.Errorf("delivered on shard %d, want %d", got, tc.shard)
			}
		})
	}
	if puts := commandPuts(fake); len(puts) != 1 {
		t.Errorf("%d command overwrites, want one, by shard 0", len(puts))
	}
}

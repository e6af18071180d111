package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/internal/changes"
)

// Ids used across the tests.
const (
	guildID      = "400000000000000001"
	generalID    = "500000000000000001"
	helpID       = "500000000000000002" // a listening channel
	dmID         = "500000000000000099"
	aliceID      = "300000000000000001"
	adminUserID  = "300000000000000009"
	modRoleID    = "600000000000000001" // configured in admin_roles
	managerRole  = "600000000000000002" // has Manage Server
	everyoneRole = guildID
	otherBotID   = "300000000000000077"
	kbPath       = "testdata/kb.yaml"
	runTimeout   = 20 * time.Second
)

// setup is what a test may change before the adapter starts.
type setup struct {
	fake discordfake.Options
	cfg  config.Discord
	// pingsIn is a channel whose messages the test checks for mentions
	// itself, left out of the check that nobody is pinged.
	pingsIn string
	// sync makes discordgo run event handlers one after the other, so that
	// once a later message is answered every earlier one has been fully
	// handled: tests that assert silence rely on it.
	sync bool
	// before runs on the fake before the adapter starts.
	before func(*discordfake.Server)
	// kb is the knowledge file; empty means testdata/kb.yaml.
	kb string
	// load replaces the bot's reload from kb.
	load bot.Loader
	// botOptions, when set, changes the bot's options.
	botOptions func(*bot.Options)
	// deferAfter, when set, replaces how long an interaction may take
	// before it is deferred.
	deferAfter time.Duration
	// maxWaiting, when set, replaces how many messages of one channel may
	// wait for those being worked on.
	maxWaiting int
	// noWait skips waiting for the command overwrite at start, for
	// shards other than 0, which do not register commands.
	noWait bool
	// replicaOf is another harness's fake Discord, for a second replica
	// of its bot; nil starts a fake of the harness's own.
	replicaOf *discordfake.Server
	// shared is the record of handled events the replicas share, if any.
	shared bot.Claims
	// logs, when set, is where the adapter's log lines go besides the
	// test's log: another harness's, so that replicas log to one place.
	logs *changes.Buffer
}

// harness is a running adapter connected to a fake Discord.
type harness struct {
	t    *testing.T
	fake *discordfake.Server
	a    *Adapter
	bot  *bot.Bot
	// logs holds the adapter's log lines, for tests that wait for one.
	logs *changes.Buffer

	stopOnce sync.Once
	cancel   context.CancelFunc
	done     chan error
	err      error
}

// testGuild is the server the fake announces: a member role, a role with
// Manage Server, and the two channels.
func testGuild() *discordgo.Guild {
	return &discordgo.Guild{
		ID:      guildID,
		Name:    "Acme",
		OwnerID: "300000000000000099",
		Roles: []*discordgo.Role{
			{ID: everyoneRole, Name: "@everyone", Permissions: discordgo.PermissionViewChannel | discordgo.PermissionSendMessages},
			{ID: modRoleID, Name: "mods", Permissions: discordgo.PermissionViewChannel},
			{ID: managerRole, Name: "managers", Permissions: discordgo.PermissionManageGuild},
		},
		Channels: []*discordgo.Channel{
			{ID: generalID, GuildID: guildID, Name: "general", Type: discordgo.ChannelTypeGuildText},
			{ID: helpID, GuildID: guildID, Name: "help", Type: discordgo.ChannelTypeGuildText},
		},
		Members: []*discordgo.Member{},
	}
}

// newBot builds the bot core over the knowledge file at path, with
// reloads from the same file unless load is given.
func newBot(t testing.TB, path string, load bot.Loader, change ...func(*bot.Options)) *bot.Bot {
	t.Helper()
	kb, err := bot.LoadBase(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	if load == nil {
		load = func(context.Context, *bot.Base) (*bot.Base, error) { return bot.LoadBase(path) }
	}
	opts := bot.Options{
		Threshold:     0.5,
		QuestionWords: config.DefaultQuestionWords(),
		Load:          load,
	}
	for _, c := range change {
		if c != nil {
			c(&opts)
		}
	}
	return bot.New(kb, opts)
}

// slowLoader is a reload that waits until released, to make an answer
// slow; it is released when the test ends at the latest.
func slowLoader(t *testing.T) (load bot.Loader, release func()) {
	ch := make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(ch) }) }
	t.Cleanup(release)
	return func(context.Context, *bot.Base) (*bot.Base, error) {
		<-ch
		return bot.LoadBase(kbPath)
	}, release
}

// longKB writes a knowledge file whose one answer is far too long for an
// embed, with a code block across the cut, and returns its path.
func longKB(t testing.TB) string {
	t.Helper()
	var sb strings.Builder
	sb.WriteString("version: 1\nentries:\n  - id: long-guide\n    question: What does the long guide say?\n    source: The long guide\n    answer: |\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&sb, "      Step %d. %s\n\n", i, strings.Repeat("Follow the instructions carefully and check the result. ", 8))
		if i == 6 {
			sb.WriteString("      ```sh\n")
			for j := 0; j < 40; j++ {
				fmt.Fprintf(&sb, "      acme configure --option-%02d=value-%02d\n", j, j)
			}
			sb.WriteString("      ```\n\n")
		}
	}
	path := filepath.Join(t.TempDir(), "long.yaml")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkPieces asserts that the pieces of a split answer each fit in a
// message, and that code blocks are closed in each piece.
func checkPieces(t testing.TB, pieces []string) {
	t.Helper()
	if len(pieces) < 2 {
		t.Fatalf("the answer came in %d piece, want several", len(pieces))
	}
	for i, p := range pieces {
		if n := units(p); n == 0 || n > maxContent {
			t.Errorf("piece %d has %d units", i, n)
		}
		if c := strings.Count(p, "```"); c%2 != 0 {
			t.Errorf("piece %d leaves a code block open:\n%s", i, p)
		}
	}
	all := strings.Join(pieces, "\n")
	for _, want := range []string{"Step 1.", "Step 12.", "--option-00=value-00", "--option-39=value-39"} {
		if !strings.Contains(all, want) {
			t.Errorf("the pieces lose %q", want)
		}
	}
}

// testLogger writes the adapter's log lines to the test's log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// start runs an adapter against a new fake Discord until the test ends.
func start(t *testing.T, change ...func(*setup)) *harness {
	t.Helper()
	st := &setup{
		fake: discordfake.Options{Intents: Intents(true), Guilds: []*discordgo.Guild{testGuild()}},
		cfg: config.Discord{
			Enabled:           true,
			Admins:            []string{adminUserID},
			AdminRoles:        []string{modRoleID},
			ListeningChannels: []string{helpID},
		},
	}
	for _, c := range change {
		c(st)
	}
	fake := st.replicaOf
	if fake == nil {
		fake = discordfake.New(t, st.fake)
	}
	if st.before != nil {
		st.before(fake)
	}
	st.cfg.APIURL = fake.URL()
	st.cfg.SetToken(fake.Token())
	if st.kb == "" {
		st.kb = kbPath
	}
	h := &harness{t: t, fake: fake, bot: newBot(t, st.kb, st.load, st.botOptions), logs: st.logs, done: make(chan error, 1)}
	if h.logs == nil {
		h.logs = &changes.Buffer{}
	}
	logger := slog.New(slog.NewTextHandler(io.MultiWriter(testWriter{t}, h.logs), &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := New(st.cfg, h.bot, logger)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if st.shared != nil {
		a.Share(st.shared)
	}
	a.s.SyncEvents = st.sync
	if st.deferAfter > 0 {
		a.deferAfter = st.deferAfter
	}
	if st.maxWaiting > 0 {
		a.lanes = bot.NewLanes[func()](perChannel, st.maxWaiting)
	}
	h.a = a
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	conns := fake.Connections()
	go func() { h.done <- a.Run(ctx) }()
	t.Cleanup(func() {
		if err := h.stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
		var sent []discordfake.Sent
		for _, m := range fake.Sent() {
			if st.pingsIn == "" || m.Channel != st.pingsIn {
				sent = append(sent, m)
			}
		}
		checkNoPings(t, sent)
	})
	fake.WaitReady(t, conns+1)
	if !st.noWait {
		fake.WaitRequest(t, "the command overwrite at start", func(r discordfake.Request) bool {
			return r.Method == "PUT" && strings.HasSuffix(r.Path, "/commands")
		})
	}
	return h
}

// stop cancels Run and waits for it to return.
func (h *harness) stop() error {
	h.stopOnce.Do(func() {
		h.cancel()
		select {
		case h.err = <-h.done:
		case <-time.After(runTimeout):
			h.err = context.DeadlineExceeded
		}
	})
	return h.err
}

// checkNoPings asserts that every message the bot sent allows no mention:
// parse is an empty list and the replied-to user is not pinged.
func checkNoPings(t testing.TB, sent []discordfake.Sent) {
	t.Helper()
	for _, m := range sent {
		if m.Via == "callback" && (m.CallbackType == int(discordgo.InteractionApplicationCommandAutocompleteResult) || m.CallbackType == int(discordgo.InteractionResponseModal)) {
			continue
		}
		var am struct {
			Parse       *[]string `json:"parse"`
			Roles       []string  `json:"roles"`
			Users       []string  `json:"users"`
			RepliedUser *bool     `json:"replied_user"`
		}
		if m.AllowedMentions == nil || json.Unmarshal(m.AllowedMentions, &am) != nil {
			t.Errorf("%s %s: allowed_mentions missing or invalid: %s", m.Via, m.Request.Path, m.AllowedMentions)
			continue
		}
		if am.Parse == nil || len(*am.Parse) != 0 || len(am.Roles) != 0 || len(am.Users) != 0 || am.RepliedUser == nil || *am.RepliedUser {
			t.Errorf("%s %s: allowed_mentions %s would ping someone; want {\"parse\":[],\"replied_user\":false}", m.Via, m.Request.Path, m.AllowedMentions)
		}
	}
}

// user returns a Discord user.
func userOf(id string) *discordgo.User {
	return &discordgo.User{ID: id, Username: "user" + id[len(id)-2:]}
}

// say delivers a server message from alice in channel.
func (h *harness) say(channel, text string, mention bool) *discordgo.Message {
	m := &discordgo.Message{
		ChannelID: channel,
		GuildID:   guildID,
		Content:   text,
		Author:    userOf(aliceID),
		Member:    &discordgo.Member{Roles: []string{}},
	}
	if mention {
		m.Content = "<@" + h.fake.BotID() + "> " + text
		m.Mentions = []*discordgo.User{{ID: h.fake.BotID(), Username: "faqbot", Bot: true}}
	}
	return h.fake.SendMessage(m)
}

// replyTo waits for the bot's reply to message m and returns it.
func (h *harness) replyTo(m *discordgo.Message) discordfake.Sent {
	h.t.Helper()
	return h.fake.WaitSent(h.t, "a reply to message "+m.ID, func(s discordfake.Sent) bool {
		return s.Via == "channel" && s.Reference != nil && s.Reference.MessageID == m.ID
	})
}

// repliesTo counts the bot's replies to message m so far.
func (h *harness) repliesTo(m *discordgo.Message) int {
	n := 0
	for _, s := range h.fake.Sent() {
		if s.Via == "channel" && s.Reference != nil && s.Reference.MessageID == m.ID {
			n++
		}
	}
	return n
}

// slash delivers /faq with options from alice in the general channel.
func (h *harness) slash(opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return h.fake.SendInteraction(slashInteraction(aliceID, nil, 0, opts...))
}

// slashInteraction builds a /faq interaction from user with roles and
// permissions.
func slashInteraction(userID string, roles []string, perms int64, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	return &discordgo.Interaction{
		Type:      discordgo.InteractionApplicationCommand,
		GuildID:   guildID,
		ChannelID: generalID,
		Member:    &discordgo.Member{User: userOf(userID), Roles: roles, Permissions: perms},
		Data: discordgo.ApplicationCommandInteractionData{
			ID: "700000000000000001", Name: "faq", CommandType: discordgo.ChatApplicationCommand, Options: opts,
		},
	}
}

func strOpt(name, value string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: value}
}

func boolOpt(name string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionBoolean, Value: true}
}

// click delivers a button click on a message the bot sent.
func (h *harness) click(customID string, ephemeral bool) *discordgo.Interaction {
	msg := &discordgo.Message{ID: "800000000000000001", ChannelID: generalID, Author: userOf(h.fake.BotID())}
	if ephemeral {
		msg.Flags = discordgo.MessageFlagsEphemeral
	}
	return h.fake.SendInteraction(&discordgo.Interaction{
		Type:      discordgo.InteractionMessageComponent,
		GuildID:   guildID,
		ChannelID: generalID,
		Member:    &discordgo.Member{User: userOf(aliceID)},
		Message:   msg,
		Data:      discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent},
	})
}

// answerTo waits for the initial response to interaction i.
func (h *harness) answerTo(i *discordgo.Interaction) discordfake.Sent {
	h.t.Helper()
	return h.fake.WaitSent(h.t, "the response to interaction "+i.ID, func(s discordfake.Sent) bool {
		return s.Via == "callback" && s.Interaction == i.ID
	})
}

// shownFor waits for what the user sees in answer to interaction i: the
// initial response, or, when that was deferred (as admin commands that may
// take long are, at once), the edit that completes it, with the
// deferral's flags, which fix whether it is ephemeral.
func (h *harness) shownFor(i *discordgo.Interaction) discordfake.Sent {
	h.t.Helper()
	first := h.answerTo(i)
	if first.CallbackType != int(discordgo.InteractionResponseDeferredChannelMessageWithSource) {
		return first
	}
	edit := h.fake.WaitSent(h.t, "the edit completing interaction "+i.ID, func(s discordfake.Sent) bool {
		return s.Via == "edit" && s.Interaction == i.ID
	})
	edit.Flags = first.Flags
	return edit
}

// buttonIDs lists the custom ids of a message's buttons.
func buttonIDs(s discordfake.Sent) []string {
	var out []string
	for _, b := range s.Buttons() {
		out = append(out, b.CustomID)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

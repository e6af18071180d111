package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot/discord"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
)

func TestDiscordInvite(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		args      []string
		code      int
		out, errs string
	}{
		{"from a flag", []string{"--application-id", "900000000000000001"}, 0, "https://discord.com/oauth2/authorize?client_id=900000000000000001&permissions=274877991936&scope=bot+applications.commands\n", "Read Message History"},
		{"one server", []string{"--application-id", "900000000000000001", "--guild", "400000000000000001"}, 0, "&guild_id=400000000000000001", ""},
		{"no application id", []string{"--config", "../../config.yaml"}, 2, "", "the application id is unknown"},
		{"not an id", []string{"--application-id", "faqbot"}, 2, "", `"faqbot" is not an application id`},
		{"no subcommand", nil, 2, "", "usage: faqbot discord invite"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"discord"}, tc.args...)
			if tc.args != nil {
				args = append([]string{"discord", "invite"}, tc.args...)
			}
			code, out, errs := faqbot(t, "", args...)
			if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errs, tc.errs) {
				t.Errorf("faqbot %s -> %d\nstdout %q\nstderr %q\nwant %d, %q, %q", strings.Join(args, " "), code, out, errs, tc.code, tc.out, tc.errs)
			}
		})
	}
}

// TestRunServesDiscord runs "faqbot run" in-process with the Discord
// section pointed at a fake Discord, gateway and HTTP interactions endpoint
// both, and drives it as Discord would: a mention, a slash command, and a
// PING to the HTTP interactions endpoint.
func TestRunServesDiscord(t *testing.T) {
	t.Parallel()
	kb, err := filepath.Abs("../../bot/discord/testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const guild, general, listening, alice = "400000000000000001", "500000000000000001", "500000000000000002", "300000000000000001"
	fake := discordfake.New(t, discordfake.Options{
		Intents: discord.Intents(true),
		Guilds:  []*discordgo.Guild{{ID: guild, Channels: []*discordgo.Channel{{ID: general, GuildID: guild}, {ID: listening, GuildID: guild}}}},
	})
	path := discordRunConfig(t, fake, kb, fmt.Sprintf(`
  listening_channels: [%q]
  interactions_endpoint: true
  public_key: %s`, listening, fake.PublicKey()))
	logs, addr, stop := startRun(t, path)
	logs.wait(t, `"msg":"registered application commands"`)

	bot := fake.BotID()
	mention := func(channel, text string) *discordgo.Message {
		return fake.SendMessage(&discordgo.Message{
			ChannelID: channel, GuildID: guild, Author: &discordgo.User{ID: alice},
			Content: "<@" + bot + "> " + text, Mentions: []*discordgo.User{{ID: bot}},
		})
	}
	replyTo := func(m *discordgo.Message) discordfake.Sent {
		t.Helper()
		return fake.WaitSent(t, "a reply to "+m.Content, func(s discordfake.Sent) bool {
			return s.Via == "channel" && s.Reference != nil && s.Reference.MessageID == m.ID
		})
	}

	bait := mention(general, "@everyone @here <@&123456789012345678> how do I install the Acme app?")
	if got := replyTo(bait); !strings.Contains(got.Content, "acme.example/download") || strings.Contains(got.Content, "@everyone") {
		t.Errorf("mention -> %q", got.Content)
	}
	dm := fake.SendMessage(&discordgo.Message{ChannelID: "500000000000000099", Author: &discordgo.User{ID: alice}, Content: "How can I change my password?"})
	if got := replyTo(dm); !strings.Contains(got.Content, "Settings > Account") {
		t.Errorf("DM -> %q", got.Content)
	}
	slash := fake.SendInteraction(&discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand, GuildID: guild, ChannelID: general,
		Member: &discordgo.Member{User: &discordgo.User{ID: alice}},
		Data: discordgo.ApplicationCommandInteractionData{Name: "faq", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: "Can I get a refund for my order?"},
		}},
	})
	answer := fake.WaitSent(t, "the slash answer", func(s discordfake.Sent) bool { return s.Interaction == slash.ID })
	if !answer.Ephemeral() || !strings.Contains(answer.Content, "30 days") {
		t.Errorf("slash -> %q, flags %d", answer.Content, answer.Flags)
	}
	status, body, err := fake.PostInteraction(context.Background(), "http://"+addr+discord.InteractionsPath, &discordgo.Interaction{Type: discordgo.InteractionPing})
	if err != nil || status != 200 || strings.TrimSpace(string(body)) != `{"type":1}` {
		t.Errorf("HTTP PING -> %d %s %v", status, body, err)
	}

	fake.Reconnect()
	fake.WaitFrame(t, "RESUME", func(f discordfake.Frame) bool { return f.In && f.Op == 6 })
	after2 := mention(general, "what are the server rules?")
	if got := replyTo(after2); len(got.Embeds) != 1 {
		t.Errorf("after the resume, the rules came as %q with %d embeds", got.Content, len(got.Embeds))
	}
	stop()
	for _, s := range fake.Sent() {
		var am struct {
			Parse *[]string `json:"parse"`
		}
		if s.CallbackType == 8 {
			continue
		}
		if json.Unmarshal(s.AllowedMentions, &am) != nil || am.Parse == nil || len(*am.Parse) != 0 {
			t.Errorf("%s %s allows mentions: %s", s.Via, s.Request.Path, s.AllowedMentions)
		}
	}
	if strings.Contains(logs.String(), fake.Token()) {
		t.Error("the bot token reached the logs")
	}
}

// discordRunConfig writes a config for "faqbot run" that serves the
// knowledge file kb on the fake Discord, its token in a file, with the
// extra keys of the discord section, and returns its path.
func discordRunConfig(t *testing.T, fake *discordfake.Server, kb, extra string) string {
	t.Helper()
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	if err := os.WriteFile(token, []byte(fake.Token()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`knowledge: %s
log:
  format: json
limits:
  cooldown: 0s
discord:
  enabled: true
  token_file: %s
  api_url: %s%s
http:
  listen: 127.0.0.1:0
`, kb, token, fake.URL(), extra)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunStopsWhenDiscordRefusesTheToken resets the bot's token while
// "faqbot run" serves Discord: the fake closes the session with 4004 and
// refuses it from then on. faqbot must stop, non-zero, saying what to do,
// instead of reconnecting forever.
func TestRunStopsWhenDiscordRefusesTheToken(t *testing.T) {
	t.Parallel()
	kb, err := filepath.Abs("../../bot/discord/testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fake := discordfake.New(t, discordfake.Options{Intents: discord.Intents(true)})
	path := discordRunConfig(t, fake, kb, "")
	logs := &runLogs{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"run", "--config", path}, strings.NewReader(""), io.Discard, logs) }()
	logs.wait(t, `"msg":"registered application commands"`)

	fake.Refuse(discordfake.CloseAuthFailed)
	select {
	case code := <-done:
		if code == 0 {
			t.Errorf("faqbot run exited 0 after Discord refused its token")
		}
	case <-time.After(runWait):
		cancel()
		<-done
		t.Fatalf("faqbot run still runs %v after Discord refused its token:\n%s", runWait, logs.String())
	}
	const want = "Bot > Reset Token, and update discord.token"
	if out := logs.String(); !strings.Contains(out, "faqbot run: discord: the gateway refused the bot token (close 4004)") || !strings.Contains(out, want) {
		t.Errorf("faqbot run said:\n%s\nwant the refusal and %q", out, want)
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot/discord"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/bot/slack/slackfake"
)

// copyFile copies the file at src into dir and returns the copy's path.
func copyFile(t *testing.T, src, dir string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunServesTwoBases runs "faqbot run" with Slack and Discord against
// their fakes and two knowledge bases: the default one (an office FAQ) and
// "politics" (the Palestine FAQ) for one Slack channel and one Discord
// server. Each place is answered from its own base and not from the
// other; a DM goes to the default base; an admin's reload of the politics
// base with a broken file keeps both serving; /readyz and the metrics
// name both bases.
func TestRunServesTwoBases(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	office := copyFile(t, "../../bot/slack/testdata/kb.yaml", dir)
	if err := os.Mkdir(filepath.Join(dir, "politics"), 0o700); err != nil {
		t.Fatal(err)
	}
	politics := copyFile(t, "../../knowledge/testdata/palestine.yaml", filepath.Join(dir, "politics"))
	const guild, other, polChannel, alice = "400000000000000001", "400000000000000002", "C0POLITICS", "300000000000000001"
	dfake := discordfake.New(t, discordfake.Options{
		Intents: discord.Intents(true),
		Guilds: []*discordgo.Guild{
			{ID: guild, Channels: []*discordgo.Channel{{ID: "500000000000000001", GuildID: guild}}},
			{ID: other, Channels: []*discordgo.Channel{{ID: "500000000000000002", GuildID: other}}},
		},
	})
	sfake := slackfake.New(t)
	for name, v := range map[string]string{"bot": slackfake.BotToken, "app": slackfake.AppToken, "discord": dfake.Token()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(v), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg := fmt.Sprintf(`knowledge: %s
experts:
  slack: C0EXPERTS
bases:
  - name: politics
    knowledge: politics
    fallback: "Not a politics question."
    slack:
      channels: [%s]
      admins: [%s]
    discord:
      guilds: [%q]
      admins: [%q]
log:
  format: json
limits:
  cooldown: 0s
  duplicate_window: 0s
slack:
  enabled: true
  bot_token_file: %s
  app_token_file: %s
  api_url: %s
discord:
  enabled: true
  token_file: %s
  api_url: %s
http:
  listen: 127.0.0.1:0
store:
  path: %s
`, office, polChannel, slackfake.DefaultUser, guild, alice, filepath.Join(dir, "bot"), filepath.Join(dir, "app"), sfake.URL(),
		filepath.Join(dir, "discord"), dfake.URL(), filepath.Join(dir, "faqbot.db"))
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	if code := run(context.Background(), []string{"check", "--config", path}, strings.NewReader(""), &out, &out); code != 0 || !strings.Contains(out.String(), "ok default: ") || !strings.Contains(out.String(), "ok politics: ") {
		t.Fatalf("faqbot check exited %d:\n%s", code, out.String())
	}

	logs, addr, stop := startRun(t, path)
	logs.wait(t, `"msg":"registered application commands"`)
	sfake.WaitConnections(t, 1)

	const vpn, palestine = "How do I set up the VPN?", "Does Russia support Palestine?"
	slackAsk := func(channel, text string) string {
		t.Helper()
		m := slackfake.Message{Channel: channel, Text: slackfake.WithMention(text), TS: sfake.NewTS()}
		sfake.SendMention(t, m)
		return sfake.WaitReply(t, "the reply to "+text, func(r slackfake.Request) bool { return r.ThreadTS() == m.TS }).BlockText()
	}
	botID := dfake.BotID()
	discordAsk := func(guildID, channel, text string) string {
		t.Helper()
		msg := &discordgo.Message{ChannelID: channel, GuildID: guildID, Author: &discordgo.User{ID: alice}, Content: text}
		if guildID != "" {
			msg.Content = "<@" + botID + "> " + text
			msg.Mentions = []*discordgo.User{{ID: botID}}
		}
		sent := dfake.SendMessage(msg)
		got := dfake.WaitSent(t, "the reply to "+text, func(s discordfake.Sent) bool {
			return s.Reference != nil && s.Reference.MessageID == sent.ID
		})
		text = got.Content
		for _, e := range got.Embeds {
			text += " " + e.Description
		}
		return text
	}
	tests := []struct {
		where, got, want string
	}{
		{"Slack, the politics channel, politics", slackAsk(polChannel, palestine), "historical foundations"},
		{"Slack, the politics channel, office", slackAsk(polChannel, vpn), "Not a politics question."},
		{"Slack, another channel, office", slackAsk(slackfake.DefaultChannel, vpn), "GlobalConnect"},
		{"Discord, the politics server, politics", discordAsk(guild, "500000000000000001", palestine), "historical foundations"},
		{"Discord, the politics server, office", discordAsk(guild, "500000000000000001", vpn), "Not a politics question."},
		{"Discord, another server, office", discordAsk(other, "500000000000000002", vpn), "GlobalConnect"},
		{"Discord, a DM, office", discordAsk("", "500000000000000099", vpn), "GlobalConnect"},
	}
	for _, tt := range tests {
		if !strings.Contains(tt.got, tt.want) {
			t.Errorf("%s: %q, want it to hold %q", tt.where, tt.got, tt.want)
		}
	}

	// The default base has an experts channel on Slack, the politics base
	// none: only the first offers "Ask a person".
	for channel, want := range map[string]bool{slackfake.DefaultChannel: true, polChannel: false} {
		m := slackfake.Message{Channel: channel, Text: slackfake.WithMention("Who won the football world cup in 1966?"), TS: sfake.NewTS()}
		sfake.SendMention(t, m)
		r := sfake.WaitReply(t, "the fallback in "+channel, func(r slackfake.Request) bool { return r.ThreadTS() == m.TS })
		has := false
		for _, b := range r.Buttons() {
			has = has || b.Text == "Ask a person"
		}
		if has != want {
			t.Errorf("in %s the fallback offers Ask a person: %v, want %v", channel, has, want)
		}
	}

	// A broken politics file: the base's admin reloads it from another
	// channel, naming it; the reload fails, and both bases keep serving.
	good, err := os.ReadFile(politics)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(politics, []byte("version: 1\nentries:\n  - id: broken\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := sfake.SendSlashCommand(t, slackfake.Command{Text: "reload base:politics"})
	reply := sfake.WaitReply(t, "the reload's reply", func(r slackfake.Request) bool {
		return r.Method == "response_url" && strings.Contains(d.ResponseURL, r.Path)
	})
	if txt := reply.Text() + reply.BlockText(); !strings.Contains(txt, "palestine.yaml") || !strings.Contains(txt, `"question" is required`) {
		t.Errorf("the failed reload said %q; want the file's error", txt)
	}
	// On Discord the base's admin names it with the base option of /faq.
	slash := dfake.SendInteraction(&discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand, GuildID: other, ChannelID: "500000000000000002",
		Member: &discordgo.Member{User: &discordgo.User{ID: alice}},
		Data: discordgo.ApplicationCommandInteractionData{Name: "faq", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: "reload", Type: discordgo.ApplicationCommandOptionBoolean, Value: true},
			{Name: "base", Type: discordgo.ApplicationCommandOptionString, Value: "politics"},
		}},
	})
	if got := dfake.WaitSent(t, "the slash reload", func(s discordfake.Sent) bool { return s.Interaction == slash.ID && s.Content != "" }); !strings.Contains(got.Content, `"question" is required`) {
		t.Errorf("Discord /faq reload base:politics -> %q", got.Content)
	}
	if got := slackAsk(polChannel, palestine); !strings.Contains(got, "historical foundations") {
		t.Errorf("after the failed reload the politics channel got %q", got)
	}
	if got := slackAsk(slackfake.DefaultChannel, vpn); !strings.Contains(got, "GlobalConnect") {
		t.Errorf("after the failed reload the other channel got %q", got)
	}

	_, ready := get(t, "http://"+addr+"/readyz")
	for _, want := range []string{"ok knowledge base default: ", "ok knowledge base politics: 7 entries"} {
		if !strings.Contains(ready, want) {
			t.Errorf("/readyz lacks %q:\n%s", want, ready)
		}
	}
	_, metrics := get(t, "http://"+addr+"/metrics")
	for _, want := range []string{
		`faqbot_knowledge_entries{base="politics"} 7`,
		`faqbot_knowledge_reloads_total{base="politics",result="failure"} 2`,
		`faqbot_knowledge_last_reload_successful{base="default"} 1`,
		`faqbot_questions_total{base="politics",origin="mention",outcome="answered",platform="slack"} 2`,
		`faqbot_questions_total{base="politics",origin="mention",outcome="unknown",platform="slack"} 2`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	stop()
	if err := os.WriteFile(politics, good, 0o600); err != nil {
		t.Fatal(err)
	}
	// The questions were recorded with their base.
	out.Reset()
	if code := run(context.Background(), []string{"stats", "--config", path, "--base", "politics", "--json"}, strings.NewReader(""), &out, io.Discard); code != 0 {
		t.Fatalf("faqbot stats --base politics exited %d: %s", code, out.String())
	}
	if s := out.String(); !strings.Contains(s, `"questions": 6`) {
		t.Errorf("stats of the politics base: %s", s)
	}
	// In the terminal, --base picks the base.
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"ask", "--config", path, "--base", "politics", palestine}, 0},
		{[]string{"ask", "--config", path, palestine}, 1},
		{[]string{"ask", "--config", path, "--base", "sales", palestine}, 2},
	} {
		out.Reset()
		if code := run(context.Background(), tc.args, strings.NewReader(""), &out, &out); code != tc.code {
			t.Errorf("faqbot %s: exit %d, want %d:\n%s", strings.Join(tc.args, " "), code, tc.code, out.String())
		}
	}
	if !strings.Contains(out.String(), `there is no knowledge base "sales"; the config has default, politics`) {
		t.Errorf("faqbot ask --base sales said %q", out.String())
	}
}

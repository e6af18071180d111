package reliability

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/bot/slack/slackfake"
)

// everyMention is every way of mentioning people on Slack and Discord.
const everyMention = "@everyone @here @channel <!channel> <!here> <!everyone> <@U0BOSS> <@U0BOSS|boss> " +
	"<!subteam^S0TEAM|@team> <!subteam^S0TEAM> <#C0GENERAL> <@123456789012345678> <@!123456789012345678> " +
	"<@&223456789012345678> <#323456789012345678>"

// injection is Markdown, mrkdwn and link markup that the bot must not turn
// into formatting or links when it repeats a user's text.
const injection = "*bold* _it_ ~strike~ `code` ```block``` > quote [click](https://evil.example/a) " +
	"<https://evil.example/b|click> &lt;!channel&gt; &amp;"

// hostileQuestion is one entry of the catalogue of odd and hostile
// messages, the same on both platforms.
type hostileQuestion struct {
	name string
	text string
	// want is a piece the reply must contain; "" takes any reply.
	want string
}

func hostileQuestions() []hostileQuestion {
	var log strings.Builder
	for i := 0; log.Len() < 40000; i++ {
		fmt.Fprintf(&log, "2026-11-27T06:%02d:%02dZ ERROR worker-%d: <!channel> connection reset by peer @everyone\n", i/60%60, i%60, i)
	}
	pasted := "why does the printer fail?\n" + log.String()
	return []hostileQuestion{
		{"40,000 characters", strings.Repeat("how do I connect to the printer ", 1250)[:40000], ""},
		{"a pasted log of 40,000 characters", pasted[:40000], ""},
		{"10,000 emoji", strings.Repeat("🤔", 10000), ""},
		{"invalid UTF-8", "what is the wifi \xff\xfe password\xc3\x28?", "Office-Guest"},
		{"zero-width characters", "What is the w\u200bi\u200cf\u200di\u2060 password?\ufeff", "Office-Guest"},
		{"bidirectional controls", "\u202eWhat is the wifi password?\u202c\u2066\u2067\u2068\u2069\u200e\u200f\u061c", "Office-Guest"},
		{"control characters", "what is the wifi password?\x00\x07\x1b[31m\r\n\x7f", "Office-Guest"},
		{"emoji only", "🤔🔥💯👀", ""},
		{"whitespace only", " \t \u00a0 \u3000 \u2028 ", ""},
		{"combining marks", "w\u0335\u031bi\u0334f\u0336i\u0337 p\u0338a\u0336s\u0334s\u0337w\u0334o\u0338r\u0336d\u0337", ""},
		{"right-to-left script", "ما هي كلمة مرور الواي فاي؟", ""},
		{"every mention form in a question", everyMention + " what is the wifi password?", ""},
		{"every mention form and nothing else", everyMention, ""},
		{"Slack mentions in the answer", "Who do I tell about the fire drill?", "Tell"},
		{"Discord mentions in the answer", "Who gets the release notes?", "Send them"},
		{"Markdown in the answer", "How do I format a code block?", "fences"},
		{"injection in an unknown question", injection, ""},
		{"injection echoed by /faq why", "/faq why " + injection + " " + everyMention, ""},
		{"injection echoed by /faq show", "/faq show <!channel>*x*<https://evil.example/c|click>", ""},
		{"injection echoed by /faq list", "/faq list " + injection, ""},
	}
}

// maskedLink matches a link to the test's evil site under a label, in
// Slack's <url|label> or Markdown's [label](url); a bare URL shows where
// it leads and is fine.
var maskedLink = regexp.MustCompile(`<https?://evil\.example[^>|]*\||\]\(\s*<?https?://evil\.example`)

// bidi matches the characters that reorder text on screen.
var bidi = regexp.MustCompile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

// checkReplyText checks what any reply may carry: valid UTF-8, no
// characters that reorder text, no link the user wrote, no more of the
// user's text than the bot reads, and the piece the case wants.
func checkReplyText(t testing.TB, q hostileQuestion, text string) {
	t.Helper()
	switch {
	case !utf8.ValidString(text):
		t.Errorf("the reply is not valid UTF-8: %q", head([]byte(text)))
	case bidi.MatchString(text):
		t.Errorf("the reply carries bidirectional controls: %q", text)
	case maskedLink.MatchString(text):
		t.Errorf("the reply turns a link the user wrote into a link with a label of their choosing: %q", text)
	case utf8.RuneCountInString(text) > 3*bot.MaxQuestion+12000:
		t.Errorf("the reply is %d characters long: it repeats far more than the bot reads", utf8.RuneCountInString(text))
	case q.want != "" && !strings.Contains(text, q.want):
		t.Errorf("the reply lacks %q: %q", q.want, text)
	}
}

// slackMention matches the markup that notifies people in Slack text.
var slackMention = regexp.MustCompile(`<[!@]`)

// checkSlackPingsNobody checks every request the fake Slack received that
// posts or changes a message: no mention markup in any text the message
// carries, and no option that turns plain @names into mentions.
func checkSlackPingsNobody(t testing.TB, reqs []slackfake.Request) {
	t.Helper()
	n := 0
	for _, r := range reqs {
		if !r.IsReply() {
			continue
		}
		n++
		var texts []string
		var params = map[string]string{}
		for k, vs := range r.Form {
			for _, v := range vs {
				params[k] = v
				texts = append(texts, strings.TrimSpace(v))
				var doc any
				if json.Unmarshal([]byte(v), &doc) == nil {
					texts = append(texts, stringsIn(doc)...)
				}
			}
		}
		if r.JSON != nil {
			texts = append(texts, stringsIn(map[string]any(r.JSON))...)
			for k, v := range r.JSON {
				params[k] = fmt.Sprint(v)
			}
		}
		for _, s := range texts {
			if loc := slackMention.FindStringIndex(s); loc != nil {
				t.Errorf("%s %d sends mention markup %q in %q", r.Method, r.Seq, s[loc[0]:min(len(s), loc[1]+20)], s)
				break
			}
		}
		if v := params["link_names"]; v == "1" || v == "true" {
			t.Errorf("%s %d turns plain @names into mentions (link_names=%s)", r.Method, r.Seq, v)
		}
		if v := params["parse"]; v == "full" {
			t.Errorf("%s %d asks Slack to parse the text (parse=full)", r.Method, r.Seq)
		}
	}
	if n == 0 {
		t.Error("the fake Slack received no message at all")
	}
}

// stringsIn returns every string inside decoded JSON.
func stringsIn(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, stringsIn(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range v {
			out = append(out, stringsIn(e)...)
		}
		return out
	}
	return nil
}

// checkDiscordPingsNobody checks every message body the fake Discord
// received: each allows no mention at all, whatever its text says.
func checkDiscordPingsNobody(t testing.TB, sent []discordfake.Sent) {
	t.Helper()
	n := 0
	for _, m := range sent {
		if m.Via == "callback" && (m.CallbackType == int(discordgo.InteractionApplicationCommandAutocompleteResult) ||
			m.CallbackType == int(discordgo.InteractionResponseDeferredChannelMessageWithSource) ||
			m.CallbackType == int(discordgo.InteractionResponseDeferredMessageUpdate)) {
			continue // choices and deferrals carry no message
		}
		n++
		var am struct {
			Parse       *[]string `json:"parse"`
			Roles       []string  `json:"roles"`
			Users       []string  `json:"users"`
			RepliedUser *bool     `json:"replied_user"`
		}
		if m.AllowedMentions == nil || json.Unmarshal(m.AllowedMentions, &am) != nil {
			t.Errorf("%s %s: allowed_mentions missing or unreadable (%s), so Discord parses every mention in %q", m.Via, m.Request.Path, m.AllowedMentions, m.Text())
			continue
		}
		if am.Parse == nil || len(*am.Parse) != 0 || len(am.Roles) != 0 || len(am.Users) != 0 || am.RepliedUser == nil || *am.RepliedUser {
			t.Errorf("%s %s: allowed_mentions %s lets the message ping someone", m.Via, m.Request.Path, m.AllowedMentions)
		}
	}
	if n == 0 {
		t.Error("the fake Discord received no message at all")
	}
}

// TestHostileQuestionsSlack asks the catalogue as Slack mentions: each
// gets exactly one reply, in its thread, that pings nobody.
func TestHostileQuestionsSlack(t *testing.T) {
	t.Parallel()
	b := newBot(t, botSetup{})
	rig := startSlack(t, b, slackSetup{})
	var keys []string
	for _, q := range hostileQuestions() {
		t.Run(q.name, func(t *testing.T) {
			base := rig.tap.replyCount()
			key := rig.ask(t, "C0HOSTILE", "U0EVE", q.text)
			keys = append(keys, key)
			rig.tap.waitReplies(t, base+1)
			for _, r := range rig.fake.Replies() {
				if r.ThreadTS() != key {
					continue
				}
				checkReplyText(t, q, r.AllText())
				if n := len(r.Blocks()); n > 50 {
					t.Errorf("%d blocks; Slack takes 50", n)
				}
				for _, b := range r.Blocks() {
					if tx, ok := b["text"].(map[string]any); ok {
						if s, _ := tx["text"].(string); utf8.RuneCountInString(s) > 3000 {
							t.Errorf("a block's text is %d characters; Slack takes 3,000", utf8.RuneCountInString(s))
						}
					}
				}
			}
		})
	}
	if err := rig.run.stop(); err != nil {
		t.Fatal(err)
	}
	perKey := map[string]int{}
	for _, r := range rig.fake.Replies() {
		perKey[r.ThreadTS()]++
	}
	for i, k := range keys {
		if perKey[k] != 1 {
			t.Errorf("%s: %d replies, want exactly 1", hostileQuestions()[i].name, perKey[k])
		}
	}
	checkSlackPingsNobody(t, rig.fake.Requests())
}

// TestHostileQuestionsDiscord asks the catalogue as Discord mentions: each
// gets exactly one reply, referencing it, that pings nobody.
func TestHostileQuestionsDiscord(t *testing.T) {
	t.Parallel()
	b := newBot(t, botSetup{})
	rig := startDiscord(t, b, discordSetup{channels: 1})
	var keys []string
	for _, q := range hostileQuestions() {
		t.Run(q.name, func(t *testing.T) {
			base := rig.tap.replyCount()
			key := rig.ask(discordChannel(0), "300000000000000066", q.text)
			keys = append(keys, key)
			rig.tap.waitReplies(t, base+1)
			for _, s := range rig.fake.Sent() {
				if s.Reference != nil && s.Reference.MessageID == key {
					checkReplyText(t, q, s.Text())
				}
			}
		})
	}
	if err := rig.run.stop(); err != nil {
		t.Fatal(err)
	}
	perKey := map[string]int{}
	sent := rig.fake.Sent()
	for _, s := range sent {
		if s.Via == "channel" && s.Reference != nil {
			perKey[s.Reference.MessageID]++
		}
	}
	for i, k := range keys {
		if perKey[k] != 1 {
			t.Errorf("%s: %d replies, want exactly 1", hostileQuestions()[i].name, perKey[k])
		}
	}
	checkDiscordPingsNobody(t, sent)
}

// hostileCommand is a /faq command in the catalogue.
type hostileCommand struct {
	name  string
	user  string
	text  string
	check func(t *testing.T, reply string, b *bot.Bot, before any)
}

// refusedToNonAdmin checks that a command was refused and changed nothing.
func refusedToNonAdmin(t *testing.T, reply string, b *bot.Bot, before any) {
	t.Helper()
	if !strings.Contains(reply, "only admins") {
		t.Errorf("reply %q, want a refusal that names admins", reply)
	}
	if any(b.Base()) != before {
		t.Error("the knowledge base was replaced after a non-admin's command")
	}
}

// reloaded checks that an admin's reload did replace the knowledge base,
// so that the refusals above are refusals and not a reload that never
// works.
func reloaded(t *testing.T, reply string, b *bot.Bot, before any) {
	t.Helper()
	if any(b.Base()) == before {
		t.Errorf("an admin's reload left the knowledge base as it was; reply %q", reply)
	}
}

// answered checks that a command got a reply that is not a refusal.
func answered(t *testing.T, reply string, _ *bot.Bot, _ any) {
	t.Helper()
	if reply == "" || strings.Contains(reply, "only admins") {
		t.Errorf("reply %q", reply)
	}
}

func hostileCommands(nonAdmin, admin string) []hostileCommand {
	long := strings.Repeat("how do I connect to the printer ", 1250)[:40000]
	return []hostileCommand{
		{"reload by a non-admin", nonAdmin, "reload", refusedToNonAdmin},
		{"unanswered by a non-admin", nonAdmin, "unanswered", refusedToNonAdmin},
		{"stats by a non-admin", nonAdmin, "stats 30", refusedToNonAdmin},
		{"promote by a non-admin", nonAdmin, "promote abc123 wifi", refusedToNonAdmin},
		{"RELOAD in capitals by a non-admin", nonAdmin, "RELOAD", refusedToNonAdmin},
		{"reload by an admin", admin, "reload", reloaded},
		{"a question of 40,000 characters", nonAdmin, long, answered},
		{"why with every mention form", nonAdmin, "why " + everyMention + " " + injection, answered},
		{"show with injection", nonAdmin, "show " + injection, answered},
		{"whitespace only", nonAdmin, " \t \u3000 ", answered},
	}
}

// TestHostileCommandsSlack sends the catalogue's /faq commands over Socket
// Mode: non-admins are refused and change nothing, oversized and hostile
// text gets one reply that pings nobody.
func TestHostileCommandsSlack(t *testing.T) {
	t.Parallel()
	b := newBot(t, botSetup{store: openStore(t, t.TempDir()+"/faqbot.db")})
	rig := startSlack(t, b, slackSetup{})
	for _, c := range hostileCommands("U0EVE", slackAdmin) {
		t.Run(c.name, func(t *testing.T) {
			before := any(b.Base())
			d := rig.fake.SendSlashCommand(t, slackfake.Command{User: c.user, Channel: "C0HOSTILE", Text: c.text})
			r := rig.fake.WaitReply(t, "the reply to "+c.name, func(r slackfake.Request) bool {
				return strings.HasSuffix(d.ResponseURL, r.Path)
			})
			c.check(t, r.AllText(), b, before)
			checkReplyText(t, hostileQuestion{}, r.AllText())
		})
	}
	if err := rig.run.stop(); err != nil {
		t.Fatal(err)
	}
	checkSlackPingsNobody(t, rig.fake.Requests())
}

// TestHostileCommandsDiscord sends the catalogue's /faq commands as
// interactions, and autocompletes oversized text.
func TestHostileCommandsDiscord(t *testing.T) {
	t.Parallel()
	b := newBot(t, botSetup{store: openStore(t, t.TempDir()+"/faqbot.db")})
	rig := startDiscord(t, b, discordSetup{channels: 1})
	slash := func(user string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
		return &discordgo.Interaction{
			Type: discordgo.InteractionApplicationCommand, GuildID: guildID, ChannelID: discordChannel(0),
			Member: &discordgo.Member{User: &discordgo.User{ID: user, Username: "u" + user[len(user)-3:]}, Roles: []string{}},
			Data:   discordgo.ApplicationCommandInteractionData{ID: "700000000000000001", Name: "faq", CommandType: discordgo.ChatApplicationCommand, Options: opts},
		}
	}
	str := func(name, v string) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: v}
	}
	// reply waits for the message answering i: the callback, or after a
	// deferral the follow-up or edit.
	reply := func(t *testing.T, i *discordgo.Interaction) string {
		t.Helper()
		return rig.fake.WaitSent(t, "the answer to interaction "+i.ID, func(s discordfake.Sent) bool {
			return s.Interaction == i.ID && (s.Via == "followup" || s.Via == "edit" || s.Via == "callback" && s.CallbackType == 4)
		}).Text()
	}
	for _, c := range hostileCommands("300000000000000066", discordAdmin) {
		t.Run(c.name, func(t *testing.T) {
			before := any(b.Base())
			var i *discordgo.Interaction
			if c.text == "reload" {
				i = slash(c.user, &discordgo.ApplicationCommandInteractionDataOption{Name: "reload", Type: discordgo.ApplicationCommandOptionBoolean, Value: true})
			} else {
				i = slash(c.user, str("question", c.text))
			}
			rig.fake.SendInteraction(i)
			text := reply(t, i)
			c.check(t, text, b, before)
			checkReplyText(t, hostileQuestion{}, text)
		})
	}
	t.Run("autocomplete of 40,000 characters", func(t *testing.T) {
		for _, option := range []string{"question", "show"} {
			i := slash("300000000000000066", &discordgo.ApplicationCommandInteractionDataOption{
				Name: option, Type: discordgo.ApplicationCommandOptionString, Focused: true,
				Value: strings.Repeat("printer ", 5000) + everyMention,
			})
			i.Type = discordgo.InteractionApplicationCommandAutocomplete
			rig.fake.SendInteraction(i)
			// The fake refuses more than 25 choices and names over 100
			// characters, failing the test.
			got := rig.fake.WaitSent(t, "the choices for "+option, func(s discordfake.Sent) bool {
				return s.Interaction == i.ID && s.Via == "callback"
			})
			if got.CallbackType != int(discordgo.InteractionApplicationCommandAutocompleteResult) {
				t.Errorf("%s: callback type %d, want autocomplete choices", option, got.CallbackType)
			}
		}
	})
	if err := rig.run.stop(); err != nil {
		t.Fatal(err)
	}
	checkDiscordPingsNobody(t, rig.fake.Sent())
}

// TestOversizedHTTPPayloads posts bodies past the limits of both HTTP
// endpoints, properly signed: each is refused with 413 before any work,
// and nothing is sent.
func TestOversizedHTTPPayloads(t *testing.T) {
	t.Parallel()
	t.Run("slack", func(t *testing.T) {
		t.Parallel()
		rig := startSlack(t, newBot(t, botSetup{}), slackSetup{http: true})
		form, _ := rig.fake.CommandForm(slackfake.Command{Text: strings.Repeat("printer ", slack.MaxBody/8+1)})
		body := []byte(form.Encode())
		for _, path := range []string{slack.CommandsPath, slack.EventsPath, slack.InteractivePath} {
			ts, sig := slackfake.Sign(slackSecret, time.Now(), append(body, path...))
			req, _ := http.NewRequest(http.MethodPost, rig.url+path, bytes.NewReader(append(body, path...)))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Slack-Request-Timestamp", ts)
			req.Header.Set("X-Slack-Signature", sig)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("%s: %d bytes -> %d, want 413", path, len(body), resp.StatusCode)
			}
		}
		// A normal command afterwards is still served.
		form, cmd := rig.fake.CommandForm(slackfake.Command{Text: "what is the wifi password?"})
		body = []byte(form.Encode())
		ts, sig := slackfake.Sign(slackSecret, time.Now(), body)
		req, _ := http.NewRequest(http.MethodPost, rig.url+slack.CommandsPath, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		r := rig.fake.WaitReply(t, "the answer to the normal command", func(r slackfake.Request) bool { return strings.HasSuffix(cmd.ResponseURL, r.Path) })
		if !strings.Contains(r.AllText(), "Office-Guest") {
			t.Errorf("normal command after the oversized ones: %q", r.AllText())
		}
		if n := len(rig.fake.Replies()); n != 1 {
			t.Errorf("%d replies, want only the one to the normal command", n)
		}
	})
	t.Run("discord", func(t *testing.T) {
		t.Parallel()
		rig := startDiscord(t, newBot(t, botSetup{}), discordSetup{channels: 1, endpoint: true})
		i := &discordgo.Interaction{
			ID: "990000000000000001", Token: "itoken-oversized", AppID: rig.fake.AppID(), Version: 1,
			Type: discordgo.InteractionApplicationCommandAutocomplete, GuildID: guildID, ChannelID: discordChannel(0),
			Member: &discordgo.Member{User: &discordgo.User{ID: "300000000000000066"}},
			Data: discordgo.ApplicationCommandInteractionData{ID: "700000000000000001", Name: "faq", Options: []*discordgo.ApplicationCommandInteractionDataOption{
				{Name: "question", Type: discordgo.ApplicationCommandOptionString, Focused: true, Value: strings.Repeat("printer ", 10000)},
			}},
		}
		body, _ := json.Marshal(i)
		req, err := rig.fake.Sign(context.Background(), rig.url, body, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%d bytes -> %d, want 413", len(body), resp.StatusCode)
		}
		if lines := rig.logs.lines("bad signature"); len(lines) > 0 {
			t.Errorf("a genuine request too large was logged as a forgery: %s", lines[0])
		}
		// Signed with another key, the same body is refused as well.
		other := discordfake.New(t, discordfake.Options{InteractionKey: newKey(t)})
		req, _ = other.Sign(context.Background(), rig.url, body, time.Now())
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("forged oversized body -> %d, want 401 or 413", resp.StatusCode)
		}
		if sent := rig.fake.Sent(); len(sent) != 0 {
			t.Errorf("%d messages sent for refused requests", len(sent))
		}
	})
}

// newKey returns a fresh Ed25519 private key.
func newKey(t testing.TB) ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

package slack_test

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/bot/slack/slackfake"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/internal/changes"
)

// pingToken matches anything Slack would turn into a mention or a channel
// link: <!channel>, <!here>, <!everyone>, <@U…>, <!subteam^…>, <#C…>.
var pingToken = regexp.MustCompile(`<[!@#]`)

// checkPingsNobody checks that a reply can notify nobody.
func checkPingsNobody(t *testing.T, r slackfake.Request) {
	t.Helper()
	if m := pingToken.FindString(r.AllText()); m != "" {
		t.Errorf("%s reply contains %q, which pings:\n%s", r.Method, m, r.AllText())
	}
	if v := r.Param("link_names"); v != "" {
		t.Errorf("link_names = %q; it must not be set", v)
	}
	if r.Method != "response_url" && r.Param("parse") != "none" {
		t.Errorf("parse = %q, want none", r.Param("parse"))
	}
	for _, b := range r.Blocks() {
		if t2, ok := b["text"].(map[string]any); ok && t2["type"] == "mrkdwn" && t2["verbatim"] != true {
			t.Errorf("a mrkdwn block is not verbatim, so Slack would parse mentions in it: %v", b)
		}
	}
}

func TestEveryoneBaitPingsNobody(t *testing.T) {
	t.Parallel()
	bait := "<!everyone> <!here> <!channel> <@U0BOSS> <!subteam^S0ADMINS|@admins> &lt;!channel&gt; "
	for _, tc := range []struct {
		name string
		send func(h *harness)
		want string
	}{
		{"mention quoting bait, answered with an answer holding bait", func(h *harness) {
			h.fake.SendMention(t, slackfake.Message{Text: bait + "Where can I park my car?"})
		}, "&lt;!channel&gt; or @everyone or &lt;@U0BOSS&gt; or &lt;!subteam^S0ADMINS&gt;"},
		{"/faq why echoes the question", func(h *harness) {
			h.fake.SendSlashCommand(t, slackfake.Command{Text: "why " + bait + "wifi password"})
		}, "Matches for"},
		{"/faq show echoes nothing raw", func(h *harness) {
			h.fake.SendSlashCommand(t, slackfake.Command{Text: "show <!channel>"})
		}, "There is no entry"},
		{"DM with only bait", func(h *harness) {
			h.fake.SendMessage(t, slackfake.Message{Channel: dmChan, Text: bait + "?"})
		}, ""},
		{"listening channel", func(h *harness) {
			h.fake.SendMessage(t, slackfake.Message{Channel: listenChan, Text: bait + "Where can I park my car?"})
		}, "a card &amp; a &lt;b&gt;badge&lt;/b&gt;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{})
			tc.send(h)
			h.waitJobs(1)
			r := h.onlyReply()
			checkPingsNobody(t, r)
			if !strings.Contains(r.AllText(), tc.want) {
				t.Errorf("reply lacks %q:\n%s", tc.want, r.AllText())
			}
		})
	}
}

func TestHugeMessageIsHandledSafely(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, text string
	}{
		{"a question and 40,000 characters", wifiQuestion + " " + strings.Repeat("and more words ", 40000/15)},
		{"40,000 characters of mentions", strings.Repeat("<!channel> ", 40000/11) + "?"},
		{"one 40,000-character word", strings.Repeat("x", 40000) + "?"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{})
			d := h.fake.SendMessage(t, slackfake.Message{Channel: dmChan, Text: tc.text})
			h.fake.WaitAck(t, d.EnvelopeID)
			if got := h.waitJobs(1); got[0] != "event:answered" {
				t.Fatalf("outcome = %v", got)
			}
			r := h.onlyReply()
			checkPingsNobody(t, r)
			if n := len(r.Text()); n > 3000*4 {
				t.Errorf("fallback text of %d bytes", n)
			}
			for _, b := range r.Blocks() {
				if t2, ok := b["text"].(map[string]any); ok && len([]rune(t2["text"].(string))) > 3000 {
					t.Errorf("a section over 3000 characters")
				}
			}
		})
	}
}

func TestRefusedTokenStopsRunWithoutLeakingIt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, secret string
		o            options
		want         []string
	}{
		{"bot token", "wrongbotvalue", options{botToken: "xoxb-9999-8888-wrongbotvalue"}, []string{"invalid_auth", "slack.bot_token"}},
		{"app token", "wrongappvalue", options{appToken: "xapp-1-A0FAKE-9999-wrongappvalue"}, []string{"invalid_auth", "slack.app_token"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := &harness{t: t, fake: slackfake.New(t), logs: &changes.Buffer{}, jobs: newJobLog()}
			a, err := h.build(tc.o)
			if err != nil {
				t.Fatal(err)
			}
			err = a.Run(context.Background())
			if err == nil {
				t.Fatal("Run accepted a token Slack refused")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
			if strings.Contains(err.Error()+h.logs.String(), tc.secret) {
				t.Errorf("the refused token leaked:\nerror: %v\nlogs:\n%s", err, h.logs.String())
			}
			checkNoSecrets(t, h.logs.String())
		})
	}
}

func TestNewRefusesMissingCredentials(t *testing.T) {
	t.Parallel()
	kb, err := bot.LoadBase(knowledgeKB)
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(kb, bot.Options{Threshold: 0.5})
	for _, tc := range []struct {
		name string
		cfg  config.Slack
		want string
	}{
		{"no bot token", config.Slack{Enabled: true}, "slack.bot_token"},
		{"unknown mode", config.Slack{Enabled: true, Mode: "carrier-pigeon"}, "not one of socket, http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := slack.New(tc.cfg, b, slog.New(slog.DiscardHandler))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want an error about %s", err, tc.want)
			}
		})
	}
}

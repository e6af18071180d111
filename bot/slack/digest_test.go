package slack_test

import (
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/bottest"
	"github.com/faqbot/faqbot/bot/slack/slackfake"
)

// TestStaleDigest runs the stale digest on a fake clock: nothing is
// posted before a period ends, then the list is posted once per period in
// the digest channel through chat.postMessage; the owner written as a
// Slack mention is mentioned only when mentions are allowed, and every
// owner is shown defused.
func TestStaleDigest(t *testing.T) {
	t.Parallel()
	const channel, every = "C0DIGEST", 168 * time.Hour
	for _, tc := range []struct {
		name    string
		mention bool
	}{
		{"owners shown", false},
		{"owners mentioned", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{kb: "testdata/stale.yaml"})
			clock := bottest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
			d := bot.Digest{Every: every, Days: 90, MentionOwners: tc.mention, Channels: map[string]string{"slack": channel, "discord": "123"}}
			stop := bottest.StartDigest(t, h.bot, d, h.adapter, clock)

			clock.Advance(every - time.Minute)
			clock.Advance(time.Minute)
			first := h.fake.WaitReply(t, "the first digest", func(r slackfake.Request) bool { return r.Channel() == channel })
			clock.Advance(every + every/2)
			second := h.fake.WaitReply(t, "the second digest", func(r slackfake.Request) bool {
				return r.Channel() == channel && r.Seq > first.Seq
			})
			stop()

			var posts []slackfake.Request
			for _, r := range h.replies() {
				if r.Channel() == channel {
					posts = append(posts, r)
				}
			}
			if len(posts) != 2 {
				t.Fatalf("%d digests posted over two periods; want 2: %s", len(posts), describe(posts))
			}
			for i, r := range []slackfake.Request{first, second} {
				if r.Method != "chat.postMessage" || r.Param("parse") != "none" {
					t.Errorf("posted with %s, parse %q; want chat.postMessage, parse none", r.Method, r.Param("parse"))
				}
				txt := r.BlockText()
				for _, want := range []string{
					"2 entries may want a look",
					// The clock read one period, then two and a half.
					"`vpn-setup` (owner ‹@\u2060U0ANN&gt;): updated 2025-01-10, " + []string{"697", "707"}[i] + " days ago",
					"`wifi-password` (owner @\u2060bob ‹!channel&gt;)",
				} {
					if !strings.Contains(txt, want) {
						t.Errorf("the digest lacks %q:\n%s", want, txt)
					}
				}
				if strings.Contains(txt, "expense-report") || strings.Contains(txt, "<!channel>") {
					t.Errorf("the digest lists a fresh entry or pings the channel:\n%s", txt)
				}
				mentioned := strings.Contains(txt, "cc <@U0ANN>")
				if mentioned != tc.mention || strings.Count(txt, "<@") != strings.Count(txt, "cc <@U0ANN>") {
					t.Errorf("mention_owners %v: the digest mentions %v:\n%s", tc.mention, mentioned, txt)
				}
			}
		})
	}
}

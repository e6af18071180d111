package discord

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/bottest"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
)

// TestStaleDigest runs the stale digest on a fake clock: once per period
// the list goes to the digest channel; with mention_owners the owners
// written as Discord mentions, a user and a role, are in the content and
// the allowed mentions, and nobody else ("@everyone" as an owner is
// shown defused); without, the allowed mentions name nobody.
func TestStaleDigest(t *testing.T) {
	t.Parallel()
	const digestID, every = "500000000000000088", 24 * time.Hour
	for _, tc := range []struct {
		name    string
		mention bool
	}{
		{"owners shown", false},
		{"owners mentioned", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, func(s *setup) {
				g := s.fake.Guilds[0]
				g.Channels = append(g.Channels, &discordgo.Channel{ID: digestID, GuildID: guildID, Name: "faq-digest", Type: discordgo.ChannelTypeGuildText})
				s.kb = "testdata/stale.yaml"
				s.pingsIn = digestID
			})
			clock := bottest.NewClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
			d := bot.Digest{Every: every, Days: 90, MentionOwners: tc.mention, Channels: map[string]string{"discord": digestID, "slack": "C0DIGEST"}}
			stop := bottest.StartDigest(t, h.bot, d, h.a, clock)
			// The clock reads one day after the start, then two.
			for _, age := range []string{"691", "692"} {
				clock.Advance(every)
				h.fake.WaitSent(t, "the digest at "+age+" days", func(s discordfake.Sent) bool {
					return s.Channel == digestID && strings.Contains(text(s), "updated 2025-01-10, "+age+" days ago")
				})
			}
			stop()

			var posts []discordfake.Sent
			for _, s := range h.fake.Sent() {
				if s.Channel == digestID {
					posts = append(posts, s)
				}
			}
			if len(posts) != 2 {
				t.Fatalf("%d digests posted over two periods; want 2", len(posts))
			}
			for _, p := range posts {
				var am struct {
					Parse []string `json:"parse"`
					Users []string `json:"users"`
					Roles []string `json:"roles"`
				}
				if err := json.Unmarshal(p.AllowedMentions, &am); err != nil {
					t.Fatalf("allowed_mentions %s: %v", p.AllowedMentions, err)
				}
				var users, roles []string
				if tc.mention {
					users, roles = []string{"300000000000000011"}, []string{"600000000000000001"}
				}
				if am.Parse == nil || len(am.Parse) != 0 || !slices.Equal(am.Users, users) || !slices.Equal(am.Roles, roles) {
					t.Errorf("allowed_mentions %s; want parse [], users %v, roles %v", p.AllowedMentions, users, roles)
				}
				cc := "cc <@300000000000000011> <@&600000000000000001>"
				if strings.Contains(p.Content, cc) != tc.mention {
					t.Errorf("mention_owners %v, content:\n%s", tc.mention, p.Content)
				}
				all := text(p)
				for _, want := range []string{"3 entries may want a look", "`vpn-setup`", "`parking` (owner @\u2060everyone)"} {
					if !strings.Contains(all, want) {
						t.Errorf("the digest lacks %q:\n%s", want, all)
					}
				}
				if strings.Contains(all, "expense-report") {
					t.Errorf("the digest lists a fresh entry:\n%s", all)
				}
			}
		})
	}
}

// text is a sent message's content and embeds' descriptions.
func text(s discordfake.Sent) string {
	all := s.Content
	for _, e := range s.Embeds {
		all += "\n" + e.Description
	}
	return all
}

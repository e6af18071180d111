package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/discord"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/config"
)

// claimLog is a bot.Claims that records the keys claimed and takes each
// as new.
type claimLog struct {
	mu   sync.Mutex
	keys []string
}

func (c *claimLog) Claim(_ context.Context, key string, _ time.Time) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys = append(c.keys, key)
	return true, nil
}

// TestBuildPlatformsSharesClaimsWithDiscord: the Discord adapter that
// buildPlatforms builds claims what it handles in the replicas' shared
// record when there is one, here a signed request to its interactions
// endpoint, and keeps to its own memory when there is none.
func TestBuildPlatformsSharesClaimsWithDiscord(t *testing.T) {
	t.Parallel()
	kb, err := bot.LoadBase(testKB)
	if err != nil {
		t.Fatal(err)
	}
	fake := discordfake.New(t, discordfake.Options{})
	for _, tc := range []struct {
		name   string
		shared bool
	}{
		{"no shared record", false},
		{"a shared record", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &config.Config{Discord: config.Discord{Enabled: true, APIURL: fake.URL(), InteractionsEndpoint: true, PublicKey: fake.PublicKey()}}
			cfg.Discord.SetToken(fake.Token())
			claims := &claimLog{}
			var c bot.Claims
			if tc.shared {
				c = claims
			}
			mux := http.NewServeMux()
			if _, err := buildPlatforms(cfg, bot.New(kb, bot.Options{}), c, nil, mux); err != nil {
				t.Fatal(err)
			}
			body, _ := json.Marshal(&discordgo.Interaction{ID: "1100000000000000001", Type: discordgo.InteractionPing})
			req, err := fake.Sign(context.Background(), "http://faqbot"+discord.InteractionsPath, body, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("PING: status %d %s", rec.Code, rec.Body)
			}
			claims.mu.Lock()
			defer claims.mu.Unlock()
			claimed := len(claims.keys) == 1 && strings.HasPrefix(claims.keys[0], "discord:signature:")
			if claimed != tc.shared {
				t.Errorf("claimed %q; want a discord:signature: key claimed: %v", claims.keys, tc.shared)
			}
		})
	}
}

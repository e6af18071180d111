package discord

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
)

func TestRedirect(t *testing.T) {
	t.Parallel()
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Method + " " + r.Host + r.URL.RequestURI()
		io.WriteString(w, `{}`)
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	rt, err := newRedirect(srv.URL+"/proxy/", "ws://127.0.0.1:1/ws")
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: rt}
	for _, tc := range []struct {
		name, url, want, body string
	}{
		{"REST goes to api_url, under its path", discordgo.EndpointChannelMessages("1") + "?limit=1", "GET " + host + "/proxy/api/v9/channels/1/messages?limit=1", "{}"},
		{"gateway discovery answers gateway_url", discordgo.EndpointGateway, "", `"url":"ws://127.0.0.1:1/ws"`},
		{"gateway/bot too", discordgo.EndpointGatewayBot, "", `"url":"ws://127.0.0.1:1/ws"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got = ""
			resp, err := client.Get(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if got != tc.want || !strings.Contains(string(body), tc.body) {
				t.Errorf("GET %s reached %q with body %s, want %q with %s", tc.url, got, body, tc.want, tc.body)
			}
		})
	}
	t.Run("other hosts are refused", func(t *testing.T) {
		if _, err := client.Get("https://cdn.discordapp.com/avatars/1/2.png"); err == nil || !strings.Contains(err.Error(), "refusing a request to cdn.discordapp.com") {
			t.Errorf("err = %v", err)
		}
	})
	for _, bad := range []string{"discord.com", "ftp://x", "http://"} {
		if _, err := newRedirect(bad, ""); err == nil {
			t.Errorf("newRedirect(%q) accepted", bad)
		}
	}
}

func TestGatewayURLOverride(t *testing.T) {
	t.Parallel()
	var fake *discordfake.Server
	h := start(t, func(s *setup) {
		s.before = func(f *discordfake.Server) {
			fake = f
			s.cfg.GatewayURL = f.GatewayURL()
		}
	})
	if got := h.replyTo(h.say(generalID, "how do I reset my password?", true)); !strings.Contains(got.Content, "Settings > Account") {
		t.Errorf("reply = %q", got.Content)
	}
	for _, r := range fake.Requests() {
		if strings.HasPrefix(r.Path, "/api/v9/gateway") {
			t.Errorf("the bot asked the API for the gateway (%s) although gateway_url is set", r.Path)
		}
	}
}

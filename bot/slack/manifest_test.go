package slack_test

import (
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/faqbot/faqbot/bot/slack"
)

// manifestView is the part of a manifest the tests read back.
type manifestView struct {
	Features struct {
		AppHome struct {
			MessagesTabEnabled         bool `yaml:"messages_tab_enabled"`
			MessagesTabReadOnlyEnabled bool `yaml:"messages_tab_read_only_enabled"`
		} `yaml:"app_home"`
		BotUser struct {
			DisplayName string `yaml:"display_name"`
		} `yaml:"bot_user"`
		SlashCommands []struct {
			Command string `yaml:"command"`
			URL     string `yaml:"url"`
		} `yaml:"slash_commands"`
	} `yaml:"features"`
	OAuthConfig struct {
		Scopes struct {
			Bot  []string `yaml:"bot"`
			User []string `yaml:"user"`
		} `yaml:"scopes"`
	} `yaml:"oauth_config"`
	Settings struct {
		EventSubscriptions struct {
			RequestURL string   `yaml:"request_url"`
			BotEvents  []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			IsEnabled  bool   `yaml:"is_enabled"`
			RequestURL string `yaml:"request_url"`
		} `yaml:"interactivity"`
		SocketModeEnabled bool `yaml:"socket_mode_enabled"`
	} `yaml:"settings"`
}

func TestManifest(t *testing.T) {
	wantScopes := []string{"app_mentions:read", "channels:history", "chat:write", "commands", "groups:history", "im:history", "usergroups:read"}
	wantEvents := []string{"app_mention", "message.channels", "message.groups", "message.im"}
	for _, tc := range []struct {
		name      string
		opts      slack.ManifestOptions
		socket    bool
		urlPrefix string
		command   string
		botName   string
	}{
		{"socket mode", slack.ManifestOptions{}, true, "", "/faq", "faqbot"},
		{"http mode", slack.ManifestOptions{URL: "https://faq.example.com/"}, false, "https://faq.example.com", "/faq", "faqbot"},
		{"renamed", slack.ManifestOptions{Name: "helpdesk", Command: "/ask"}, true, "", "/ask", "helpdesk"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := slack.Manifest(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var m manifestView
			if err := yaml.Unmarshal(out, &m); err != nil {
				t.Fatalf("the manifest is not YAML: %v\n%s", err, out)
			}
			if !slices.Equal(m.OAuthConfig.Scopes.Bot, wantScopes) || len(m.OAuthConfig.Scopes.User) != 0 {
				t.Errorf("scopes = %v, user %v; want exactly %v", m.OAuthConfig.Scopes.Bot, m.OAuthConfig.Scopes.User, wantScopes)
			}
			if !slices.Equal(m.Settings.EventSubscriptions.BotEvents, wantEvents) {
				t.Errorf("events = %v, want %v", m.Settings.EventSubscriptions.BotEvents, wantEvents)
			}
			if m.Settings.SocketModeEnabled != tc.socket || !m.Settings.Interactivity.IsEnabled {
				t.Errorf("socket_mode_enabled = %v, interactivity %v", m.Settings.SocketModeEnabled, m.Settings.Interactivity.IsEnabled)
			}
			if !m.Features.AppHome.MessagesTabEnabled || m.Features.AppHome.MessagesTabReadOnlyEnabled {
				t.Error("direct messages to the bot are not enabled")
			}
			if len(m.Features.SlashCommands) != 1 || m.Features.SlashCommands[0].Command != tc.command || m.Features.BotUser.DisplayName != tc.botName {
				t.Errorf("command %+v, bot %q", m.Features.SlashCommands, m.Features.BotUser.DisplayName)
			}
			urls := map[string]string{
				slack.EventsPath:      m.Settings.EventSubscriptions.RequestURL,
				slack.CommandsPath:    m.Features.SlashCommands[0].URL,
				slack.InteractivePath: m.Settings.Interactivity.RequestURL,
			}
			for path, got := range urls {
				want := ""
				if tc.urlPrefix != "" {
					want = tc.urlPrefix + path
				}
				if got != want {
					t.Errorf("URL for %s = %q, want %q", path, got, want)
				}
			}
		})
	}
}

func TestManifestRefusesBadOptions(t *testing.T) {
	for _, o := range []slack.ManifestOptions{
		{URL: "http://faq.example.com"},
		{URL: "faq.example.com"},
		{Command: "faq"},
		{Command: "/f a q"},
	} {
		if _, err := slack.Manifest(o); err == nil || !strings.Contains(err.Error(), "must") {
			t.Errorf("Manifest(%+v) = %v, want an error saying what is required", o, err)
		}
	}
}

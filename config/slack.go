package config

import (
	"net/url"
	"regexp"
	"strings"
)

// Slack modes: how Slack delivers events to faqbot.
const (
	// SlackSocket is Socket Mode: faqbot opens a websocket to Slack with an
	// app-level token, so it needs no public URL.
	SlackSocket = "socket"
	// SlackHTTP is the Events API over HTTP: Slack calls faqbot's own HTTP
	// listener, and every request is checked with the signing secret.
	SlackHTTP = "http"
)

// DefaultSlackAPIURL is the Slack Web API that faqbot talks to unless
// api_url points it elsewhere, such as at a fake Slack in tests.
const DefaultSlackAPIURL = "https://slack.com/api/"

// Slack configures the Slack adapter. It is off unless Enabled. After Load,
// the three credentials are resolved from their environment variables or
// files and are available from BotTokenValue, AppTokenValue and
// SigningSecretValue.
type Slack struct {
	Enabled bool `yaml:"enabled"`
	// Mode is "socket" (the default) or "http".
	Mode string `yaml:"mode"`

	// BotToken is the bot user's OAuth token, xoxb-…; BotTokenFile names a
	// file holding it instead.
	BotToken     Secret `yaml:"bot_token"`
	BotTokenFile string `yaml:"bot_token_file"`
	// AppToken is the app-level token with connections:write, xapp-…,
	// needed in Socket Mode; AppTokenFile names a file holding it instead.
	AppToken     Secret `yaml:"app_token"`
	AppTokenFile string `yaml:"app_token_file"`
	// SigningSecret verifies requests in HTTP mode; SigningSecretFile names
	// a file holding it instead.
	SigningSecret     Secret `yaml:"signing_secret"`
	SigningSecretFile string `yaml:"signing_secret_file"`

	// Admins are the Slack user ids (U…/W…) allowed to run /faq reload.
	Admins []string `yaml:"admins"`
	// AdminGroup is the id (S…) of a Slack user group whose members are
	// admins too.
	AdminGroup string `yaml:"admin_group"`
	// ListeningChannels are the ids (C…/G…) of channels where the bot
	// answers questions nobody addressed to it, when it is confident.
	ListeningChannels []string `yaml:"listening_channels"`
	// EphemeralAnswers makes /faq answers visible only to the asker, with
	// a "Share in channel" button. Nil means the default, true; read it
	// with Ephemeral.
	EphemeralAnswers *bool `yaml:"ephemeral_answers"`
	// APIURL is the Slack Web API base URL; empty means
	// DefaultSlackAPIURL. After Load it always ends in "/".
	APIURL string `yaml:"api_url"`

	botToken, appToken, signingSecret string
}

// Ephemeral reports whether /faq answers are shown to the asker only.
func (s *Slack) Ephemeral() bool { return s.EphemeralAnswers == nil || *s.EphemeralAnswers }

// BotTokenValue returns the resolved bot token, or "" before Load.
func (s *Slack) BotTokenValue() string { return s.botToken }

// AppTokenValue returns the resolved app-level token, or "" before Load.
func (s *Slack) AppTokenValue() string { return s.appToken }

// SigningSecretValue returns the resolved signing secret, or "" before Load.
func (s *Slack) SigningSecretValue() string { return s.signingSecret }

// API returns the Web API base URL, ending in "/".
func (s *Slack) API() string {
	if s.APIURL == "" {
		return DefaultSlackAPIURL
	}
	if !strings.HasSuffix(s.APIURL, "/") {
		return s.APIURL + "/"
	}
	return s.APIURL
}

var (
	slackUserID    = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)
	slackGroupID   = regexp.MustCompile(`^S[A-Z0-9]{2,}$`)
	slackChannelID = regexp.MustCompile(`^[CG][A-Z0-9]{2,}$`)
)

func (s *Slack) check(c *Config, p *problems) {
	switch s.Mode {
	case "":
		s.Mode = SlackSocket
	case SlackSocket, SlackHTTP:
	default:
		p.add(c.line("slack", "mode"), "slack.mode: %q is not one of socket, http (socket needs no public URL)", s.Mode)
	}
	if s.APIURL != "" {
		u, err := url.Parse(s.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.add(c.line("slack", "api_url"), "slack.api_url: %q is not an http(s) URL; leave it out to use %s", s.APIURL, DefaultSlackAPIURL)
		}
		s.APIURL = s.API()
	}
	for i, id := range s.Admins {
		if !slackUserID.MatchString(id) {
			p.add(c.line("slack", "admins"), "slack.admins[%d]: %q is not a Slack user id; copy the member id (U…) from the user's profile, under ⋮ > Copy member ID", i, id)
		}
	}
	if s.AdminGroup != "" && !slackGroupID.MatchString(s.AdminGroup) {
		p.add(c.line("slack", "admin_group"), "slack.admin_group: %q is not a Slack user group id; it starts with S (find it in the group's URL in Slack's People > User groups)", s.AdminGroup)
	}
	for i, id := range s.ListeningChannels {
		if !slackChannelID.MatchString(id) {
			p.add(c.line("slack", "listening_channels"), "slack.listening_channels[%d]: %q is not a channel id; use the id (C…) shown at the bottom of the channel's details, not its name", i, id)
		}
	}
	for _, pair := range []struct {
		key  string
		set  bool
		file string
	}{
		{"bot_token", s.BotToken.Set(), s.BotTokenFile},
		{"app_token", s.AppToken.Set(), s.AppTokenFile},
		{"signing_secret", s.SigningSecret.Set(), s.SigningSecretFile},
	} {
		if pair.set && pair.file != "" {
			p.add(c.line("slack", pair.key+"_file"), "slack.%s and slack.%s_file are both set; keep one", pair.key, pair.key)
		}
	}
	if !s.Enabled {
		return
	}
	socket, http := s.Mode == SlackSocket, s.Mode == SlackHTTP
	s.botToken = c.resolveSecret(p, s.BotToken, s.BotTokenFile, true, "slack", "bot_token")
	s.appToken = c.resolveSecret(p, s.AppToken, s.AppTokenFile, socket, "slack", "app_token")
	s.signingSecret = c.resolveSecret(p, s.SigningSecret, s.SigningSecretFile, http, "slack", "signing_secret")
	if s.botToken != "" && !strings.HasPrefix(s.botToken, "xoxb-") {
		p.add(c.secretLine("slack", "bot_token"), "slack.bot_token: this is not a bot token, which starts with xoxb-; copy the Bot User OAuth Token from the app's OAuth & Permissions page")
	}
	if socket && s.appToken != "" && !strings.HasPrefix(s.appToken, "xapp-") {
		p.add(c.secretLine("slack", "app_token"), "slack.app_token: this is not an app-level token, which starts with xapp-; create one with the connections:write scope under the app's Basic Information")
	}
	if http && c.HTTP.Listen == "" {
		p.add(c.line("slack", "mode"), "slack.mode: http needs the shared HTTP listener: set http.listen, for example 127.0.0.1:8080 behind your TLS proxy")
	}
}

// secretLine returns the line of a secret's key, or of its _file variant
// when that is the one written.
func (c *Config) secretLine(path ...string) int {
	file := append(path[:len(path)-1:len(path)-1], path[len(path)-1]+"_file")
	if l := c.line(file...); l > c.line(path[:len(path)-1]...) {
		return l
	}
	return c.line(path...)
}

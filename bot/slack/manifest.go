package slack

import (
	"bytes"
	"errors"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"
)

// Scopes are the bot token scopes the adapter needs, and why:
//
//	app_mentions:read  app_mention events: questions that mention the bot
//	channels:history   message events in public listening channels
//	groups:history     message events in private listening channels
//	im:history         message events in direct messages with the bot
//	chat:write         posting, updating and ephemeral answers
//	commands           the /faq slash command
//	usergroups:read    usergroups.users.list, for slack.admin_group
func Scopes() []string {
	return []string{"app_mentions:read", "channels:history", "chat:write", "commands", "groups:history", "im:history", "usergroups:read"}
}

// Events are the bot events the adapter subscribes to.
func Events() []string {
	return []string{"app_mention", "message.channels", "message.groups", "message.im"}
}

// ManifestOptions shapes the app manifest.
type ManifestOptions struct {
	// Name is the app's and the bot user's name; empty means "faqbot".
	Name string
	// Command is the slash command; empty means "/faq".
	Command string
	// URL is the public https base URL of faqbot's HTTP listener, for HTTP
	// mode; empty makes a Socket Mode app.
	URL string
}

type manifest struct {
	DisplayInformation displayInformation `yaml:"display_information"`
	Features           features           `yaml:"features"`
	OAuthConfig        oauthConfig        `yaml:"oauth_config"`
	Settings           settings           `yaml:"settings"`
}

type displayInformation struct {
	Name            string `yaml:"name"`
	Description     string `yaml:"description"`
	LongDescription string `yaml:"long_description"`
	BackgroundColor string `yaml:"background_color"`
}

type features struct {
	AppHome       appHome        `yaml:"app_home"`
	BotUser       botUser        `yaml:"bot_user"`
	SlashCommands []slashCommand `yaml:"slash_commands"`
}

type appHome struct {
	HomeTabEnabled             bool `yaml:"home_tab_enabled"`
	MessagesTabEnabled         bool `yaml:"messages_tab_enabled"`
	MessagesTabReadOnlyEnabled bool `yaml:"messages_tab_read_only_enabled"`
}

type botUser struct {
	DisplayName  string `yaml:"display_name"`
	AlwaysOnline bool   `yaml:"always_online"`
}

type slashCommand struct {
	Command      string `yaml:"command"`
	URL          string `yaml:"url,omitempty"`
	Description  string `yaml:"description"`
	UsageHint    string `yaml:"usage_hint"`
	ShouldEscape bool   `yaml:"should_escape"`
}

type oauthConfig struct {
	Scopes struct {
		Bot []string `yaml:"bot"`
	} `yaml:"scopes"`
}

type settings struct {
	EventSubscriptions struct {
		RequestURL string   `yaml:"request_url,omitempty"`
		BotEvents  []string `yaml:"bot_events"`
	} `yaml:"event_subscriptions"`
	Interactivity struct {
		IsEnabled  bool   `yaml:"is_enabled"`
		RequestURL string `yaml:"request_url,omitempty"`
	} `yaml:"interactivity"`
	OrgDeployEnabled     bool `yaml:"org_deploy_enabled"`
	SocketModeEnabled    bool `yaml:"socket_mode_enabled"`
	TokenRotationEnabled bool `yaml:"token_rotation_enabled"`
}

// Manifest returns the Slack app manifest, in YAML, with exactly the
// scopes, events, slash command and interactivity the adapter uses. Paste
// it at https://api.slack.com/apps > Create New App > From a manifest.
func Manifest(o ManifestOptions) ([]byte, error) {
	if o.Name == "" {
		o.Name = "faqbot"
	}
	if o.Command == "" {
		o.Command = "/faq"
	}
	if !strings.HasPrefix(o.Command, "/") || strings.ContainsAny(o.Command, " \t\n") {
		return nil, errors.New("the slash command must start with / and hold no spaces, such as /faq")
	}
	base := ""
	if o.URL != "" {
		u, err := url.Parse(o.URL)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" {
			return nil, errors.New("the public URL must be an https URL such as https://faq.example.com; Slack calls only https endpoints")
		}
		base = strings.TrimSuffix(u.String(), "/")
	}
	var m manifest
	m.DisplayInformation = displayInformation{
		Name:            o.Name,
		Description:     "Answers your team's questions from its FAQ.",
		LongDescription: "Mention the bot, message it, or type " + o.Command + " followed by a question: it answers from a knowledge file kept in git, shows where the answer comes from, and says when it does not know. It can also answer questions it overhears in the channels it is told to listen to, when it is sure. Built with faqbot.",
		BackgroundColor: "#2c2d30",
	}
	m.Features.AppHome = appHome{MessagesTabEnabled: true}
	m.Features.BotUser = botUser{DisplayName: o.Name, AlwaysOnline: true}
	cmd := slashCommand{
		Command:     o.Command,
		Description: "Ask the FAQ a question",
		UsageHint:   "[question] | list [filter] | show <id> | why <question> | help | reload",
	}
	m.OAuthConfig.Scopes.Bot = Scopes()
	m.Settings.EventSubscriptions.BotEvents = Events()
	m.Settings.Interactivity.IsEnabled = true
	if base == "" {
		m.Settings.SocketModeEnabled = true
	} else {
		cmd.URL = base + CommandsPath
		m.Settings.EventSubscriptions.RequestURL = base + EventsPath
		m.Settings.Interactivity.RequestURL = base + InteractivePath
	}
	m.Features.SlashCommands = []slashCommand{cmd}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

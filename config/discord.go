package config

import (
	"encoding/hex"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// DefaultDiscordAPIURL is the Discord API that faqbot talks to unless
// api_url points it elsewhere, such as at a fake Discord in tests.
const DefaultDiscordAPIURL = "https://discord.com"

// Discord configures the Discord adapter. It is off unless Enabled. After
// Load the bot token is resolved from its environment variable or file and
// available from TokenValue.
type Discord struct {
	Enabled bool `yaml:"enabled"`

	// Token is the bot token from the Developer Portal (Bot > Reset
	// Token), written as ${ENV_VAR}; TokenFile names a file holding it
	// instead.
	Token     Secret `yaml:"token"`
	TokenFile string `yaml:"token_file"`
	// ApplicationID is the application's id (General Information >
	// Application ID). Optional for "faqbot run", which learns it from
	// Discord; needed by "faqbot discord invite".
	ApplicationID string `yaml:"application_id"`

	// Guilds are the ids of servers to register /faq in, which takes
	// effect at once; empty registers it globally, for every server.
	Guilds []string `yaml:"guilds"`
	// RemoveCommandsOnShutdown deletes /faq when faqbot stops.
	RemoveCommandsOnShutdown bool `yaml:"remove_commands_on_shutdown"`

	// Admins are the user ids allowed to run /faq reload; AdminRoles are
	// role ids whose members may too. Members with the Manage Server
	// permission always may.
	Admins     []string `yaml:"admins"`
	AdminRoles []string `yaml:"admin_roles"`
	// ListeningChannels are channel ids where the bot answers, unasked,
	// messages that look like questions, when it is confident.
	ListeningChannels []string `yaml:"listening_channels"`
	// MessageContent requests the privileged Message Content intent. Nil
	// means the default, true; read it with ReadsMessages.
	MessageContent *bool `yaml:"message_content"`
	// EphemeralAnswers shows /faq answers to the asker only, with a "Post
	// publicly" button. Nil means the default, true; read it with
	// Ephemeral.
	EphemeralAnswers *bool `yaml:"ephemeral_answers"`

	// InteractionsEndpoint serves Discord's HTTP interactions endpoint at
	// /discord/interactions on the shared HTTP listener; PublicKey (hex,
	// from General Information > Public Key) verifies the requests.
	InteractionsEndpoint bool   `yaml:"interactions_endpoint"`
	PublicKey            string `yaml:"public_key"`

	// ShardID and ShardCount split the bot's servers over several
	// processes: process i of n runs with shard_id i and shard_count n.
	ShardID    int `yaml:"shard_id"`
	ShardCount int `yaml:"shard_count"`

	// APIURL replaces https://discord.com for the REST API and gateway
	// discovery, to point faqbot at a fake Discord; GatewayURL, if set,
	// is the websocket to use instead of the one the API names.
	APIURL     string `yaml:"api_url"`
	GatewayURL string `yaml:"gateway_url"`

	token string
}

// TokenValue returns the resolved bot token, or "" before Load.
func (d *Discord) TokenValue() string { return d.token }

// SetToken sets the bot token, for programs and tests that build a Discord
// section without loading a file.
func (d *Discord) SetToken(token string) { d.token = token }

// ReadsMessages reports whether the bot requests the Message Content intent.
func (d *Discord) ReadsMessages() bool { return d.MessageContent == nil || *d.MessageContent }

// Ephemeral reports whether /faq answers are shown to the asker only.
func (d *Discord) Ephemeral() bool { return d.EphemeralAnswers == nil || *d.EphemeralAnswers }

// API returns the base URL standing in for https://discord.com, without a
// trailing slash.
func (d *Discord) API() string {
	if d.APIURL == "" {
		return DefaultDiscordAPIURL
	}
	return strings.TrimSuffix(d.APIURL, "/")
}

// Shards returns the shard id and count, with a count of at least 1.
func (d *Discord) Shards() (id, count int) {
	if d.ShardCount < 1 {
		return d.ShardID, 1
	}
	return d.ShardID, d.ShardCount
}

var snowflake = regexp.MustCompile(`^[0-9]{15,21}$`)

func (d *Discord) check(c *Config, p *problems) {
	ids := []struct {
		key  string
		list []string
		what string
	}{
		{"guilds", d.Guilds, "a server id; turn on Developer Mode (User Settings > Advanced) and right-click the server > Copy Server ID"},
		{"admins", d.Admins, "a user id; with Developer Mode on, right-click the user > Copy User ID"},
		{"admin_roles", d.AdminRoles, "a role id; with Developer Mode on, Server Settings > Roles, right-click the role > Copy Role ID"},
		{"listening_channels", d.ListeningChannels, "a channel id, not its name; with Developer Mode on, right-click the channel > Copy Channel ID"},
	}
	for _, k := range ids {
		for i, id := range k.list {
			if !snowflake.MatchString(id) {
				p.add(c.line("discord", k.key), "discord.%s[%d]: %q is not %s", k.key, i, id, k.what)
			}
		}
	}
	if d.ApplicationID != "" && !snowflake.MatchString(d.ApplicationID) {
		p.add(c.line("discord", "application_id"), "discord.application_id: %q is not an application id; copy it from the Developer Portal, General Information > Application ID", d.ApplicationID)
	}
	if d.PublicKey != "" {
		if k, err := hex.DecodeString(d.PublicKey); err != nil || len(k) != 32 {
			p.add(c.line("discord", "public_key"), "discord.public_key: not a public key: it is 64 hex digits, from the Developer Portal, General Information > Public Key")
		}
	}
	if d.InteractionsEndpoint {
		if d.PublicKey == "" {
			p.add(c.line("discord", "interactions_endpoint"), "discord.interactions_endpoint needs discord.public_key to verify Discord's requests")
		}
		if c.HTTP.Listen == "" {
			p.add(c.line("discord", "interactions_endpoint"), "discord.interactions_endpoint needs http.listen: the endpoint is served on faqbot's HTTP listener at /discord/interactions")
		}
	}
	if len(d.ListeningChannels) > 0 && !d.ReadsMessages() {
		p.add(c.line("discord", "listening_channels"), "discord.listening_channels needs message_content: true: without the Message Content intent Discord sends the bot empty messages except mentions and DMs")
	}
	if d.ShardCount < 0 || d.ShardID < 0 || (d.ShardCount > 0 && d.ShardID >= d.ShardCount) || (d.ShardCount == 0 && d.ShardID != 0) {
		p.add(c.line("discord", "shard_id"), "discord.shard_id: %d is not in [0, shard_count) with shard_count %d; process i of n runs with shard_id: i and shard_count: n", d.ShardID, d.ShardCount)
	}
	for _, u := range []struct{ key, value, schemes string }{{"api_url", d.APIURL, "https http"}, {"gateway_url", d.GatewayURL, "wss ws"}} {
		if u.value == "" {
			continue
		}
		parsed, err := url.Parse(u.value)
		secure, plain, _ := strings.Cut(u.schemes, " ")
		switch {
		case err != nil || parsed.Host == "" || (parsed.Scheme != secure && parsed.Scheme != plain):
			p.add(c.line("discord", u.key), "discord.%s: %q is not a %s:// or %s:// URL; leave it out to use Discord itself", u.key, u.value, secure, plain)
		case parsed.Scheme == plain && !loopback(parsed.Hostname()):
			p.add(c.line("discord", u.key), "discord.%s: %s:// sends the bot token unencrypted, so it is only allowed to this machine (127.0.0.1, ::1, localhost); use %s://", u.key, plain, secure)
		}
	}
	if d.Token.Set() && d.TokenFile != "" {
		p.add(c.line("discord", "token_file"), "discord.token and discord.token_file are both set; keep one")
	}
	if !d.Enabled {
		return
	}
	d.token = strings.TrimPrefix(c.resolveSecret(p, d.Token, d.TokenFile, true, "discord", "token"), "Bot ")
	if d.token != "" && strings.Count(d.token, ".") != 2 {
		p.add(c.secretLine("discord", "token"), "discord.token: this does not look like a bot token (three parts separated by dots); copy it from the Developer Portal, Bot > Reset Token, not the client secret or public key")
	}
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

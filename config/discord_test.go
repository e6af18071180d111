package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestDiscordSection(t *testing.T) {
	dir, file := secretFiles(t)
	token := file("token", "MTAwMDAwMDAwMDAwMDAwMDAx.GsecrT.secretdiscordtoken")
	notToken := file("secret", "secretclientsecret")
	on := "discord:\n  enabled: true\n  token_file: " + token + "\n"
	const key = "7d2d3a3b7bd2b6c6b1f3bd0bd44f6b1f0dc9bb5bd35a7b3c05c0d4c3a8e2f901"

	for _, tc := range []struct {
		name  string
		yaml  string
		want  []string // in the error, in order; none for success
		check func(t *testing.T, d *Discord)
	}{
		{"defaults", on, nil, func(t *testing.T, d *Discord) {
			if d.TokenValue() != "MTAwMDAwMDAwMDAwMDAwMDAx.GsecrT.secretdiscordtoken" {
				t.Errorf("token %q", d.TokenValue())
			}
			if !d.Ephemeral() || !d.ReadsMessages() || d.API() != DefaultDiscordAPIURL {
				t.Errorf("ephemeral %v, message content %v, api %q; want the defaults", d.Ephemeral(), d.ReadsMessages(), d.API())
			}
			if id, n := d.Shards(); id != 0 || n != 1 {
				t.Errorf("shards %d/%d, want 0/1", id, n)
			}
		}},
		{"everything set", on + "  application_id: \"900000000000000001\"\n  guilds: [\"400000000000000001\"]\n  admins: [\"300000000000000001\"]\n  admin_roles: [\"600000000000000001\"]\n  listening_channels: [\"500000000000000001\"]\n  ephemeral_answers: false\n  interactions_endpoint: true\n  public_key: " + key + "\n  shard_id: 1\n  shard_count: 2\n  api_url: http://127.0.0.1:9/\n  gateway_url: ws://localhost:9/ws\nhttp:\n  listen: 127.0.0.1:8080\n", nil, func(t *testing.T, d *Discord) {
			if d.Ephemeral() || d.API() != "http://127.0.0.1:9" {
				t.Errorf("ephemeral %v, api %q", d.Ephemeral(), d.API())
			}
			if id, n := d.Shards(); id != 1 || n != 2 {
				t.Errorf("shards %d/%d, want 1/2", id, n)
			}
		}},
		{"off, nothing is required", "discord:\n  enabled: false\n", nil, nil},
		{"a token written as Bot <token>", "discord:\n  enabled: true\n  token_file: " + file("bot", "Bot MTAw.Gs.secretdiscordtoken") + "\n", nil, func(t *testing.T, d *Discord) {
			if d.TokenValue() != "MTAw.Gs.secretdiscordtoken" {
				t.Errorf("token %q, want it without Bot", d.TokenValue())
			}
		}},
		{"no token", "discord:\n  enabled: true\n", []string{"c.yaml:1: discord.token is required: write token: ${ENV_VAR} or token_file: PATH"}, nil},
		{"unset environment variable", "discord:\n  enabled: true\n  token: ${FAQBOT_TEST_DISCORD_UNSET}\n", []string{"c.yaml:3: discord.token: the environment variable FAQBOT_TEST_DISCORD_UNSET is empty or unset"}, nil},
		{"not a bot token", "discord:\n  enabled: true\n  token_file: " + notToken + "\n", []string{"c.yaml:3: discord.token: this does not look like a bot token"}, nil},
		{"bad ids", "discord:\n  guilds: [acme]\n  admins: [alice]\n  admin_roles: [mods]\n  listening_channels: ['#help']\n  application_id: faqbot\n",
			[]string{`discord.guilds[0]: "acme" is not a server id`, `discord.admins[0]: "alice" is not a user id`, `discord.admin_roles[0]: "mods" is not a role id`, `discord.listening_channels[0]: "#help" is not a channel id`, `c.yaml:6: discord.application_id: "faqbot" is not an application id`}, nil},
		{"endpoint without key or listener", on + "  interactions_endpoint: true\n", []string{"discord.interactions_endpoint needs discord.public_key", "discord.interactions_endpoint needs http.listen"}, nil},
		{"bad public key", "discord:\n  public_key: abc\n", []string{"c.yaml:2: discord.public_key: not a public key"}, nil},
		{"listening without message content", on + "  listening_channels: [\"500000000000000001\"]\n  message_content: false\n", []string{"discord.listening_channels needs message_content: true"}, nil},
		{"shard out of range", "discord:\n  shard_id: 2\n  shard_count: 2\n", []string{"discord.shard_id: 2 is not in [0, shard_count)"}, nil},
		{"plain http to another machine", "discord:\n  api_url: http://fake.example\n  gateway_url: ws://fake.example/ws\n", []string{"discord.api_url: http:// sends the bot token unencrypted", "discord.gateway_url: ws:// sends the bot token unencrypted"}, nil},
		{"not a URL", "discord:\n  api_url: discord.com\n", []string{`c.yaml:2: discord.api_url: "discord.com" is not a https:// or http:// URL`}, nil},
		{"both a token and its file", "discord:\n  enabled: true\n  token: ${FAQBOT_TEST_DISCORD_UNSET}\n  token_file: " + token + "\n", []string{"discord.token and discord.token_file are both set; keep one"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(filepath.Join(dir, "c.yaml"), []byte(tc.yaml))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error:\n%v", err)
				}
				if tc.check != nil {
					tc.check(t, &c.Discord)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			msg := err.Error()
			containsInOrder(t, msg, tc.want)
			if strings.Contains(msg, "secretdiscordtoken") || strings.Contains(msg, "secretclientsecret") {
				t.Errorf("the error quotes a secret: %s", msg)
			}
		})
	}
}

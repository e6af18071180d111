package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestSlackSection(t *testing.T) {
	dir, file := secretFiles(t)
	bot := file("bot", "xoxb-1-2-secretbot")
	app := file("app", "xapp-1-A1-2-secretapp")
	secret := file("secret", "s3cr3tsigning")
	user := file("user", "xoxp-1-2-secretuser")
	tokens := "  bot_token_file: " + bot + "\n  app_token_file: " + app + "\n"

	for _, tc := range []struct {
		name  string
		yaml  string
		want  []string // in the error, in order; none for success
		check func(t *testing.T, s *Slack)
	}{
		{"socket mode with token files", "slack:\n  enabled: true\n" + tokens, nil, func(t *testing.T, s *Slack) {
			if s.Mode != SlackSocket || s.BotTokenValue() != "xoxb-1-2-secretbot" || s.AppTokenValue() != "xapp-1-A1-2-secretapp" {
				t.Errorf("mode %q, tokens %q %q", s.Mode, s.BotTokenValue(), s.AppTokenValue())
			}
			if s.API() != DefaultSlackAPIURL || !s.Ephemeral() {
				t.Errorf("api %q, ephemeral %v; want the defaults", s.API(), s.Ephemeral())
			}
		}},
		{"http mode", "slack:\n  enabled: true\n  mode: http\n  bot_token_file: " + bot + "\n  signing_secret_file: " + secret + "\n  ephemeral_answers: false\n  api_url: http://127.0.0.1:9/api\nhttp:\n  listen: 127.0.0.1:8080\n", nil, func(t *testing.T, s *Slack) {
			if s.SigningSecretValue() != "s3cr3tsigning" || s.Ephemeral() || s.API() != "http://127.0.0.1:9/api/" {
				t.Errorf("secret %q, ephemeral %v, api %q", s.SigningSecretValue(), s.Ephemeral(), s.API())
			}
		}},
		{"off, nothing is required", "slack:\n  enabled: false\n  mode: http\n", nil, nil},
		{"ids", "slack:\n  enabled: true\n" + tokens + "  admins: [U0123ABC, W0456]\n  admin_group: S0ADMINS\n  listening_channels: [C0GENERAL, G0PRIVATE]\n", nil, nil},
		{"not a bot token", "slack:\n  enabled: true\n  bot_token_file: " + user + "\n  app_token_file: " + app + "\n",
			[]string{"c.yaml:3: slack.bot_token: this is not a bot token, which starts with xoxb-"}, nil},
		{"a bot token where the app token goes", "slack:\n  enabled: true\n  bot_token_file: " + bot + "\n  app_token_file: " + bot + "\n",
			[]string{"c.yaml:4: slack.app_token: this is not an app-level token, which starts with xapp-"}, nil},
		{"socket mode without app token", "slack:\n  enabled: true\n  bot_token_file: " + bot + "\n",
			[]string{"c.yaml:1: slack.app_token is required: write app_token: ${ENV_VAR} or app_token_file: PATH"}, nil},
		{"no bot token", "slack:\n  enabled: true\n  mode: http\n  signing_secret_file: " + secret + "\nhttp:\n  listen: :8080\n",
			[]string{"c.yaml:1: slack.bot_token is required"}, nil},
		{"http mode without secret or listener", "slack:\n  enabled: true\n  mode: http\n  bot_token_file: " + bot + "\n",
			[]string{"slack.signing_secret is required", "c.yaml:3: slack.mode: http needs the shared HTTP listener: set http.listen"}, nil},
		{"unset environment variable", "slack:\n  enabled: true\n  bot_token: ${FAQBOT_TEST_SLACK_UNSET}\n  app_token_file: " + app + "\n",
			[]string{"c.yaml:3: slack.bot_token: the environment variable FAQBOT_TEST_SLACK_UNSET is empty or unset"}, nil},
		{"both a token and its file", "slack:\n  enabled: true\n  bot_token: ${FAQBOT_TEST_SLACK_UNSET}\n  bot_token_file: " + bot + "\n  app_token_file: " + app + "\n",
			[]string{"c.yaml:4: slack.bot_token and slack.bot_token_file are both set; keep one"}, nil},
		{"missing token file", "slack:\n  enabled: true\n  bot_token_file: " + filepath.Join(dir, "nope") + "\n  app_token_file: " + app + "\n",
			[]string{"c.yaml:3: slack.bot_token_file: open ", "no such file"}, nil},
		{"unknown mode, even when off", "slack:\n  mode: websocket\n",
			[]string{`c.yaml:2: slack.mode: "websocket" is not one of socket, http`}, nil},
		{"bad ids", "slack:\n  admins: [alice]\n  admin_group: admins\n  listening_channels: ['#general']\n",
			[]string{`slack.admins[0]: "alice" is not a Slack user id`, `slack.admin_group: "admins" is not a Slack user group id`, `slack.listening_channels[0]: "#general" is not a channel id`}, nil},
		{"bad api_url", "slack:\n  api_url: ftp://slack.example\n",
			[]string{`c.yaml:2: slack.api_url: "ftp://slack.example" is not an http(s) URL`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(filepath.Join(dir, "c.yaml"), []byte(tc.yaml))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error:\n%v", err)
				}
				if tc.check != nil {
					tc.check(t, &c.Slack)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			msg := err.Error()
			containsInOrder(t, msg, tc.want)
			for _, secret := range []string{"secretbot", "secretapp", "s3cr3tsigning", "secretuser"} {
				if strings.Contains(msg, secret) {
					t.Errorf("the error quotes a secret: %s", msg)
				}
			}
		})
	}
}

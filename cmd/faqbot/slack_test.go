package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/bot/slack/slackfake"
)

// TestRunServesSlack runs "faqbot run" in-process with the Slack section
// pointed at a fake Slack, in both modes, and asks it a question.
func TestRunServesSlack(t *testing.T) {
	t.Parallel()
	kb, err := filepath.Abs("../../bot/slack/testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const secret = "e2e-signing-secret"
	for _, mode := range []string{"socket", "http"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			fake := slackfake.New(t)
			dir := t.TempDir()
			for name, v := range map[string]string{"bot": slackfake.BotToken, "app": slackfake.AppToken, "secret": secret} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(v), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cfg := fmt.Sprintf(`knowledge: %s
log:
  format: json
  level: debug
slack:
  enabled: true
  mode: %s
  bot_token_file: %s
  app_token_file: %s
  signing_secret_file: %s
  api_url: %s
http:
  listen: 127.0.0.1:0
`, kb, mode, filepath.Join(dir, "bot"), filepath.Join(dir, "app"), filepath.Join(dir, "secret"), fake.URL())
			path := filepath.Join(dir, "config.yaml")
			if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			logs := &runLogs{}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan int, 1)
			go func() { done <- run(ctx, []string{"run", "--config", path}, strings.NewReader(""), io.Discard, logs) }()
			defer func() {
				cancel()
				select {
				case code := <-done:
					if code != 0 {
						t.Errorf("faqbot run exited %d:\n%s", code, logs.String())
					}
				case <-time.After(slackfake.Timeout):
					t.Errorf("faqbot run did not stop")
				}
				for _, s := range []string{slackfake.BotToken, slackfake.AppToken, secret} {
					if strings.Contains(logs.String(), s) {
						t.Errorf("a secret reached the logs: %s", s)
					}
				}
			}()
			listening := logs.wait(t, `"msg":"listening"`)
			_, after, _ := strings.Cut(listening, `"addr":"`)
			addr, _, _ := strings.Cut(after, `"`)
			logs.wait(t, `"msg":"serving Slack"`)

			m := slackfake.Message{Text: slackfake.WithMention("How do I set up the VPN?"), TS: fake.NewTS()}
			if mode == "socket" {
				fake.WaitConnections(t, 1)
				fake.SendMention(t, m)
			} else {
				body, _ := fake.EventPayload("app_mention", m)
				req, _ := http.NewRequest(http.MethodPost, "http://"+addr+slack.EventsPath, bytes.NewReader(body))
				ts, sig := slackfake.Sign(secret, time.Now(), body)
				req.Header.Set("X-Slack-Request-Timestamp", ts)
				req.Header.Set("X-Slack-Signature", sig)
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("POST %s: %d", slack.EventsPath, resp.StatusCode)
				}
			}
			r := fake.WaitReply(t, "the answer", func(r slackfake.Request) bool { return r.Method == "chat.postMessage" })
			if r.ThreadTS() != m.TS || !strings.Contains(r.BlockText(), "*GlobalConnect*") {
				t.Errorf("reply in thread %q: %s", r.ThreadTS(), r.BlockText())
			}
			resp, err := http.Get("http://" + addr + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("/readyz: %d while Slack is connected", resp.StatusCode)
			}
		})
	}
}

func TestSlackManifestCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, text := range map[string]string{
		"http.yaml":   "slack:\n  mode: http\n",
		"socket.yaml": "slack:\n  mode: socket\n",
		"broken.yaml": "slack:\n  mode: carrier-pigeon\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	httpCfg, socketCfg, broken := filepath.Join(dir, "http.yaml"), filepath.Join(dir, "socket.yaml"), filepath.Join(dir, "broken.yaml")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"slack", "manifest"}, 0, "socket_mode_enabled: true"},
		{[]string{"slack", "manifest", "--url", "https://faq.example.com"}, 0, "request_url: https://faq.example.com/slack/events"},
		{[]string{"slack", "manifest", "--url", "http://faq.example.com"}, 2, "must be an https URL"},
		{[]string{"slack"}, 2, "usage: faqbot slack manifest"},
		{[]string{"slack", "manifest", "--config", socketCfg}, 0, "socket_mode_enabled: true"},
		{[]string{"slack", "manifest", "--config", socketCfg, "--url", "https://faq.example.com"}, 0, "note: " + socketCfg + " sets slack.mode: socket; set slack.mode: http"},
		{[]string{"slack", "manifest", "--config", httpCfg, "--url", "https://faq.example.com"}, 0, "url: https://faq.example.com/slack/commands"},
		{[]string{"slack", "manifest", "--config", httpCfg}, 2, httpCfg + " sets slack.mode: http, so Slack calls faqbot at its public URL: give it with --url"},
		{[]string{"slack", "manifest", "--config", broken}, 2, "broken.yaml:2"},
		{[]string{"slack", "manifest", "--config", filepath.Join(dir, "none.yaml")}, 2, "read config"},
		{[]string{"slack", "manifest", "--knowledge", testKB}, 0, "socket_mode_enabled: true"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr)
			if code != tc.code || !strings.Contains(stdout.String()+stderr.String(), tc.want) {
				t.Errorf("exit %d, output:\n%s%s\nwant exit %d with %q", code, stdout.String(), stderr.String(), tc.code, tc.want)
			}
		})
	}
}

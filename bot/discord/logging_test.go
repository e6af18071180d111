package discord

import (
	"bytes"
	"context"
	"log"
	"log/slog"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/internal/changes"
)

// TestLibraryLogsGoToSlog has the fake close the gateway connection, which
// discordgo logs as a warning, and checks that the line reaches the
// adapter's slog handler, at the level it takes, and not the standard
// library's logger. It does not run in parallel: it swaps the standard
// logger's output, and discordgo's lines go to the adapter that has been
// running longest.
func TestLibraryLogsGoToSlog(t *testing.T) {
	var std changes.Buffer
	prev := log.Writer()
	log.SetOutput(&std)
	t.Cleanup(func() { log.SetOutput(prev) })
	for _, tc := range []struct {
		name    string
		level   slog.Level
		warning bool // the warning about the closed connection is logged
		debug   bool // discordgo's informational lines are logged
	}{
		{"debug", slog.LevelDebug, true, true},
		{"info", slog.LevelInfo, true, false},
		{"error", slog.LevelError, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := discordfake.New(t, discordfake.Options{Intents: Intents(true)})
			cfg := config.Discord{Enabled: true, APIURL: fake.URL()}
			cfg.SetToken(fake.Token())
			var out changes.Buffer
			logger := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: tc.level, AddSource: true}))
			a, err := New(cfg, newBot(t, kbPath, nil), logger)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- a.Run(ctx) }()
			fake.WaitReady(t, 1)
			fake.CloseGateway(discordfake.CloseUnknownError)
			// discordgo logs the closed connection before it reports the
			// disconnection that makes the adapter connect again.
			fake.WaitFrame(t, "RESUME on a new connection", func(f discordfake.Frame) bool { return f.In && f.Op == 6 && f.Conn == 2 })
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("Run: %v", err)
			}

			var warning string
			debug := false
			for _, line := range strings.Split(out.String(), "\n") {
				if !strings.Contains(line, "library=discordgo") {
					continue
				}
				if !strings.Contains(line, "component=discord") || !strings.Contains(line, "bwmarrin/discordgo") {
					t.Errorf("line %q lacks the adapter's attributes or a discordgo source", line)
				}
				if strings.Contains(line, "error reading from gateway") {
					warning = line
				}
				debug = debug || strings.Contains(line, "level=DEBUG")
			}
			if got := warning != ""; got != tc.warning {
				t.Errorf("the warning about the closed connection logged: %v, want %v; log:\n%s", got, tc.warning, out.String())
			}
			if tc.warning && (!strings.Contains(warning, "level=WARN") || !strings.Contains(warning, "close 4000") || !strings.Contains(warning, "wsapi.go")) {
				t.Errorf("warning %q, want level WARN, the close code, and discordgo's wsapi.go as the source", warning)
			}
			if debug != tc.debug {
				t.Errorf("discordgo's informational lines logged at DEBUG: %v, want %v", debug, tc.debug)
			}
			if strings.Contains(out.String(), fake.Token()) {
				t.Error("the bot token reached the log")
			}
			if strings.Contains(out.String(), "RawData") {
				t.Error("a raw gateway event reached the log")
			}
		})
	}
	if s := std.String(); s != "" {
		t.Errorf("the standard logger got:\n%s", s)
	}
}

func TestLibraryLevel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		level slog.Level
		want  int
	}{
		{slog.LevelDebug - 8, discordgo.LogInformational},
		{slog.LevelDebug, discordgo.LogInformational},
		{slog.LevelInfo, discordgo.LogWarning},
		{slog.LevelWarn, discordgo.LogWarning},
		{slog.LevelError, discordgo.LogError},
	} {
		logger := slog.New(slog.NewTextHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: tc.level}))
		if got := libraryLevel(logger); got != tc.want {
			t.Errorf("libraryLevel(%v) = %d, want %d", tc.level, got, tc.want)
		}
	}
}

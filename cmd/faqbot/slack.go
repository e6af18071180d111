package main

import (
	"context"
	"fmt"

	"github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/config"
)

// cmdSlack runs the Slack subcommands; "manifest" prints the app manifest
// with exactly the scopes, events and slash command the adapter needs, for
// the mode the config's slack section sets.
func cmdSlack(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 || args[0] != "manifest" {
		return &exitError{code: 2, err: fmt.Errorf("usage: faqbot slack manifest [--config FILE] [--name NAME] [--command /faq] [--url https://PUBLIC-HOST]")}
	}
	fs := c.newFlagSet("slack manifest")
	var sf setupFlags
	sf.register(fs)
	var o slack.ManifestOptions
	fs.StringVar(&o.Name, "name", "faqbot", "the app's and the bot user's name in Slack")
	fs.StringVar(&o.Command, "command", "/faq", "the slash command")
	fs.StringVar(&o.URL, "url", "", "the public https URL of faqbot's HTTP listener, for HTTP mode (slack.mode: http); leave it out for Socket Mode")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "slack manifest takes no arguments")
	}
	cfg, err := sf.loadConfig()
	if err != nil {
		return err
	}
	switch {
	case cfg.Slack.Mode == config.SlackHTTP && o.URL == "":
		return &exitError{code: 2, err: fmt.Errorf("%s sets slack.mode: http, so Slack calls faqbot at its public URL: give it with --url https://PUBLIC-HOST (or set slack.mode: socket for a Socket Mode app)", configName(cfg))}
	case cfg.Slack.Mode == config.SlackSocket && o.URL != "":
		fmt.Fprintf(c.stderr, "note: %s sets slack.mode: socket; set slack.mode: http (and signing_secret, http.listen) to serve this HTTP mode app\n", configName(cfg))
	}
	out, err := slack.Manifest(o)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	fmt.Fprintln(c.stdout, "# Slack app manifest for faqbot: paste it at https://api.slack.com/apps")
	fmt.Fprintln(c.stdout, "# > Create New App > From a manifest. Set-up steps: docs/slack.md.")
	_, err = c.stdout.Write(out)
	return err
}

// configName names the config file in messages, or "the default config"
// when none was read.
func configName(cfg *config.Config) string {
	if cfg.Path == "" {
		return "the default config"
	}
	return cfg.Path
}

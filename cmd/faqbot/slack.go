package main

import (
	"context"
	"fmt"

	"github.com/faqbot/faqbot/bot/slack"
)

// cmdSlack runs the Slack subcommands; "manifest" prints the app manifest
// with exactly the scopes, events and slash command the adapter needs.
func cmdSlack(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 || args[0] != "manifest" {
		return &exitError{code: 2, err: fmt.Errorf("usage: faqbot slack manifest [--name NAME] [--command /faq] [--url https://PUBLIC-HOST]")}
	}
	fs := c.newFlagSet("slack manifest")
	var o slack.ManifestOptions
	fs.StringVar(&o.Name, "name", "faqbot", "the app's and the bot user's name in Slack")
	fs.StringVar(&o.Command, "command", "/faq", "the slash command")
	fs.StringVar(&o.URL, "url", "", "the public https URL of faqbot's HTTP listener, for HTTP mode; leave it out for Socket Mode")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "slack manifest takes no arguments")
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

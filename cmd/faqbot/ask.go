package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/console"
)

// cmdAsk answers one question. It exits 0 when it answered, 1 when it had no
// confident answer (printing the fallback and the suggestions), 2 on error.
func cmdAsk(ctx context.Context, c *cli, args []string) error {
	return c.oneShot(ctx, "ask", args, true, func(fs *flag.FlagSet, words []string) (bot.Message, error) {
		question := strings.TrimSpace(strings.Join(words, " "))
		if question == "" {
			return bot.Message{}, usageError(fs, "no question: write faqbot ask \"your question\"")
		}
		// The question is asked as it would be in chat, but never as a
		// command: "faqbot ask list" asks about lists.
		return bot.Message{Text: question, Origin: bot.Direct}, nil
	})
}

// oneShot runs a command that sends the bot one message, made by message
// from the command's words, as a person who is not an admin would in chat,
// and prints the reply. With needsAnswer, a reply that is not an entry's
// answer exits 1.
func (c *cli) oneShot(ctx context.Context, name string, args []string, needsAnswer bool, message func(fs *flag.FlagSet, words []string) (bot.Message, error)) error {
	fs := c.newFlagSet(name)
	var sf setupFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "print one JSON object")
	words, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	m, err := message(fs, words)
	if err != nil {
		return err
	}
	cfg, kb, err := sf.loadAll()
	if err != nil {
		return err
	}
	cfg.Log.Level = "warn"
	b := bot.New(kb, sf.options(cfg, newLogger(cfg.Log, c.stderr)))
	m.Platform, m.Channel, m.User = "cli", "cli", userName()
	r, _ := b.Handle(ctx, m)
	if err := c.writeReply(r, *asJSON); err != nil {
		return err
	}
	if needsAnswer && r.Kind != bot.Answer {
		return &exitError{code: 1}
	}
	return nil
}

// writeReply prints the reply of a one-shot command: as one indented JSON
// object, or rendered for standard output with the faqbot commands that do
// what the /faq commands it names do.
func (c *cli) writeReply(r bot.Reply, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(console.NewJSONReply(r))
	}
	_, err := fmt.Fprintln(c.stdout, console.Render(r, c.style(), console.CommandLine))
	return err
}

package main

import (
	"context"
	"flag"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// cmdList prints the questions the knowledge file answers, with their ids,
// fuzzy-filtered by the words given: what /faq list shows in chat.
func cmdList(ctx context.Context, c *cli, args []string) error {
	return c.oneShot(ctx, "list", args, false, func(_ *flag.FlagSet, words []string) (bot.Message, error) {
		return bot.Message{Text: strings.TrimSpace("list " + strings.Join(words, " ")), Origin: bot.Command}, nil
	})
}

// cmdShow prints one entry by its id, as /faq show does in chat; it exits
// 1 when there is no such entry.
func cmdShow(ctx context.Context, c *cli, args []string) error {
	return c.oneShot(ctx, "show", args, true, func(fs *flag.FlagSet, words []string) (bot.Message, error) {
		if len(words) != 1 {
			return bot.Message{}, usageError(fs, "show takes one entry id; faqbot list shows them")
		}
		return bot.Message{Text: "show " + words[0], Origin: bot.Command}, nil
	})
}

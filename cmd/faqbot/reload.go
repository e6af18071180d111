package main

import (
	"context"

	"github.com/faqbot/faqbot/bot"
)

// knowledgeLoader returns the bot's Loader for the knowledge file at path:
// the same function that loaded it at start, so a reload checks exactly what
// "faqbot check" checks.
func knowledgeLoader(path string) bot.Loader {
	return func(context.Context) (*bot.Base, error) { return bot.LoadBase(path) }
}

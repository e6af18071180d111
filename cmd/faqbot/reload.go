package main

import (
	"context"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge"
)

// knowledgeLoader returns the bot's Loader for the knowledge file at path:
// the same function that loaded it at start, so a reload checks exactly what
// "faqbot check" checks.
func knowledgeLoader(path string) bot.Loader {
	return func(context.Context) (*knowledge.Base, error) { return knowledge.Load(path) }
}

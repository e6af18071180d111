package main

import (
	"context"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
)

// knowledgeLoader returns the bot's Loader for the knowledge file the
// config names: the same function that loaded it at start, so a reload
// checks exactly what "faqbot check" checks.
func knowledgeLoader(cfg *config.Config) bot.Loader {
	path, limit := cfg.Knowledge, cfg.Limits.KnowledgeBytes()
	return func(context.Context) (*bot.Base, error) { return bot.LoadBaseLimit(path, limit) }
}

package main

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/knowledge/match"
)

// knowledgeLoader returns the bot's Loader for the knowledge file the
// config names: the same function that loaded it at start, so a reload
// checks exactly what "faqbot check" checks, building on a core fewer
// (see bot.Loading.Reloading).
func knowledgeLoader(cfg *config.Config, log *slog.Logger) bot.Loader {
	path, l := cfg.Knowledge, loading(cfg, log).Reloading()
	return func(_ context.Context, serving *bot.Base) (*bot.Base, error) { return l.LoadReplacing(path, serving) }
}

// classifiersKept is how many trained classifiers the state folder keeps:
// those of the knowledge files most recently loaded.
const classifiersKept = 16

// loading returns how the config's knowledge bases are loaded: at most
// limits.knowledge_mb, their trained classifiers kept in classifiers/ next
// to the SQLite state database, so that a restart or a reload of a file
// loaded before does not train its classifier again. With PostgreSQL or
// no state there is no state folder, and classifiers are trained at each
// load. log says what could not be kept.
func loading(cfg *config.Config, log *slog.Logger) bot.Loading {
	l := bot.Loading{MaxBytes: cfg.Limits.KnowledgeBytes()}
	if cfg.Store.Driver == "sqlite" && cfg.Store.Path != "" {
		l.Cache = match.NewDirCache(filepath.Join(filepath.Dir(cfg.Store.Path), "classifiers"), classifiersKept, log)
	}
	return l
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	iofs "io/fs"
	"log/slog"
	"os"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/console"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/store"
)

// openHistory opens the state database that the config names, or the
// SQLite file path when it is not "", to read what it holds. Unlike
// openStore, a database that is missing or cannot be opened is an error.
func openHistory(ctx context.Context, cfg *config.Config, path string, log *slog.Logger) (*store.Store, error) {
	opts, ok := storeOptions(cfg, log, nil)
	if path != "" {
		opts, ok = store.Options{Driver: store.SQLite, Path: path, Logger: opts.Logger}, true
	}
	if !ok {
		return nil, errors.New("store.driver is none in the config, so no questions are kept")
	}
	if opts.Driver == store.SQLite {
		if _, err := os.Stat(opts.Path); errors.Is(err, iofs.ErrNotExist) {
			if path != "" {
				return nil, fmt.Errorf("there is no state database at %s", path)
			}
			return nil, fmt.Errorf("there is no state database at %s yet: faqbot run (or chat) makes it when it first answers; check store.path in %s", opts.Path, cfg.Path)
		}
	}
	return store.Open(ctx, opts)
}

// cmdStats prints what the state database holds: the statistics of
// /faq stats and the questions of /faq unanswered, over the last days.
func cmdStats(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlagSet("stats")
	var sf setupFlags
	sf.register(fs)
	days := fs.Int("days", bot.DefaultStatsDays, "look back this many `days`")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "stats takes no arguments")
	}
	if *days < 1 {
		return usageError(fs, "--days must be at least 1")
	}
	cfg, err := sf.loadConfig()
	if err != nil {
		return err
	}
	log := newLogger(cfg.Log, c.stderr)
	st, err := openHistory(ctx, cfg, "", log)
	if err != nil {
		return err
	}
	defer st.Close()
	// The statistics are in the database; the knowledge file adds the
	// entries never asked and today's best guesses, when it is there.
	kb, err := loading(cfg, log).Load(cfg.Knowledge)
	if errors.Is(err, iofs.ErrNotExist) {
		fmt.Fprintf(c.stderr, "faqbot stats: there is no knowledge file at %s, so the entries never asked are left out and each unanswered question shows the best guess it had when asked; name the file with --knowledge or --config\n", cfg.Knowledge)
		kb = nil
	} else if err != nil {
		return err
	}
	// Every base's records, or with --base one base's.
	var records bot.Store = st
	if sf.base != "" {
		records = st.Base(sf.selected.Name)
	}
	b := bot.New(kb, bot.Options{Threshold: cfg.Matcher.Threshold, Store: records, Logger: log})
	report, err := b.Stats(ctx, *days)
	if err != nil {
		return err
	}
	groups, nowAnswered, err := b.Unanswered(ctx, *days)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if groups == nil {
			groups = []bot.UnansweredGroup{}
		}
		return enc.Encode(struct {
			bot.StatsReport
			Unanswered  []bot.UnansweredGroup `json:"unanswered"`
			NowAnswered int                   `json:"now_answered"`
		}{report, groups, nowAnswered})
	}
	fmt.Fprintln(c.stdout, console.Markdown(bot.FormatStats(report), c.style()))
	fmt.Fprintln(c.stdout)
	fmt.Fprintln(c.stdout, console.Markdown(bot.FormatUnanswered(groups, nowAnswered, *days, false), c.style()))
	return nil
}

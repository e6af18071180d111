package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/store"
)

// storeOptions returns the store's options from the config, and false when
// the config keeps no state.
func storeOptions(cfg *config.Config, log *slog.Logger, onError func(op string)) (store.Options, bool) {
	s := cfg.Store
	if s.Driver == "none" {
		return store.Options{}, false
	}
	return store.Options{
		Driver:    s.Driver,
		Path:      s.Path,
		DSN:       s.DSNValue(),
		Retention: time.Duration(s.RetentionDays) * 24 * time.Hour,
		Logger:    log.With("component", "store"),
		OnError:   onError,
	}, true
}

// sharedClaims returns the record of handled events that replicas share:
// the state database when it is PostgreSQL, which several processes use at
// once. SQLite serves one process, whose own memory is enough: nil.
func sharedClaims(cfg *config.Config, st *store.Store) bot.Claims {
	if st == nil || cfg.Store.Driver != store.Postgres {
		return nil
	}
	return st
}

// openStore opens the state database the config names, for a command
// that uses it at once: it waits until the database answers or ctx is
// done. It returns nil, after logging why, when the config keeps no state
// or the database cannot be opened: the bot answers without one rather
// than not at all. Close the result (nil is fine) to write what is queued.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger, onError func(op string)) *store.Store {
	return stateStore(cfg, log, onError, func(opts store.Options) (*store.Store, error) { return store.Open(ctx, opts) })
}

// startStore starts the state database the config names for "faqbot
// run", without waiting for it: a database that is down or late at start
// is reached as soon as it answers (see store.Start). It returns nil,
// after logging why, when the config keeps no state or names a database
// no retry can open.
func startStore(cfg *config.Config, log *slog.Logger, onError func(op string)) *store.Store {
	return stateStore(cfg, log, onError, store.Start)
}

// stateStore opens the state database the config names with open, or
// returns nil, after logging why.
func stateStore(cfg *config.Config, log *slog.Logger, onError func(op string), open func(store.Options) (*store.Store, error)) *store.Store {
	opts, ok := storeOptions(cfg, log, onError)
	if !ok {
		return nil
	}
	st, err := open(opts)
	if err != nil {
		if onError != nil {
			onError("open")
		}
		log.Error("the state database is not available; answering anyway, without /faq unanswered, /faq stats or /faq promote", "error", err)
		return nil
	}
	return st
}

// withState makes opts record into st and serve the admin commands from
// it, as the knowledge base opts.Name (see store.Store.Base); wrap, if not nil, wraps the Recorder (for metrics). A nil st leaves
// opts as they are.
func withState(opts bot.Options, st *store.Store, wrap func(bot.Recorder) bot.Recorder) bot.Options {
	if st == nil {
		return opts
	}
	view := st.Base(opts.Name)
	opts.Store = view
	opts.Recorder = view
	if wrap != nil {
		opts.Recorder = wrap(view)
	}
	return opts
}

// reloadGate returns the gate the config asks for, or nil.
func reloadGate(cfg *config.Config) bot.Gate {
	if cfg.Reload.RequireCases == "" {
		return nil
	}
	return bot.CasesGate(cfg.Reload.RequireCases, cfg.Reload.MinAccuracy, cfg.Matcher.Threshold)
}

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/discord"
	"github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/metrics"
	"github.com/faqbot/faqbot/store"
)

// cmdRun serves the platforms enabled in the config until ctx is cancelled
// (SIGINT or SIGTERM). SIGHUP reloads the knowledge file.
func cmdRun(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlagSet("run")
	var sf setupFlags
	sf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "run takes no arguments")
	}
	if sf.base != "" {
		return usageError(fs, "run serves every knowledge base of the config; --base is for the other commands")
	}
	cfg, kb, err := sf.loadAll()
	if err != nil {
		return err
	}
	if !cfg.Slack.Enabled && !cfg.Discord.Enabled {
		// Said before the state database is opened, and closed again at
		// once, which would only add its warnings to the error.
		return errors.New("no platform is enabled: set slack.enabled or discord.enabled in the config (see README), or chat in the terminal with \"faqbot chat\"")
	}
	log := newLogger(cfg.Log, c.stderr)
	m := metrics.New(version)
	st := startStore(cfg, log, m.DatabaseError)
	defer st.Close() // when serve did not: it writes what the last replies queued
	common := runOptions(cfg, log, m)
	b := bot.New(kb, withSource(withState(common, st, m.Recorder), sf.source))
	followCtx, stopFollowing := context.WithCancel(ctx)
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		followSource(followCtx, cfg, sf.source, b, log)
	}()
	defer func() { stopFollowing(); <-followed }()
	bases, served, err := buildBases(cfg, b, func(bc config.Base) bot.Options {
		return baseOptions(common, cfg, bc, st, m.Recorder)
	})
	if err != nil {
		return err
	}
	// A git source's SIGHUP fetches: the default base reloads whatever
	// its checked-out file looks like.
	served[0].always = sf.source != nil

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	if cfg.Reload.Watch {
		for _, sb := range served {
			stop, err := watchKnowledge(ctx, sb.cfg.Knowledge, log, func(ctx context.Context) {
				sb.reloadIfChanged(ctx, "file watch", log)
			})
			if err != nil {
				return err
			}
			defer stop()
		}
	}
	if st != nil {
		if err := m.TrackDatabase(func() bool { return st.Health().Up }, func() int { return st.Health().Waiting }, func() uint64 { return st.Health().Dropped }); err != nil {
			return err
		}
	}
	return serve(ctx, cfg, bases, served, sharedClaims(cfg, st), st, m, log, hup)
}

// serve runs the platforms and the HTTP listener the config enables until
// ctx is done or one of them fails, reloads the knowledge base on every
// value from reload, and shuts down gracefully (see server.run). claims,
// if not nil, is the record of handled events shared with other replicas;
// st, if not nil, the state database that /readyz reports on, written and
// closed as the shutdown's last step.
func serve(ctx context.Context, cfg *config.Config, bases *bot.Bases, served []*servedBase, claims bot.Claims, st *store.Store, m *metrics.Metrics, log *slog.Logger, reload <-chan os.Signal) error {
	mux := http.NewServeMux()
	platforms, err := buildPlatforms(cfg, bases, claims, log, mux)
	if err != nil {
		return err
	}
	s := &server{cfg: cfg, bot: bases.Default(), bases: bases, served: served, metrics: m, log: log, reload: reload, mux: mux, platforms: platforms}
	if st != nil {
		s.store, s.flush = st, st.Shutdown
	}
	return s.run(ctx)
}

// answerer is what the platforms need of the bot: *bot.Bot for one
// knowledge base, *bot.Bases for several.
type answerer interface {
	slack.Answerer
	discord.Bot
}

// buildPlatforms builds an adapter for every platform the config enables,
// mounting HTTP routes on mux where the adapter has some, and sharing
// claims, if not nil, with them.
func buildPlatforms(cfg *config.Config, b answerer, claims bot.Claims, log *slog.Logger, mux *http.ServeMux) ([]bot.Platform, error) {
	var out []bot.Platform
	if cfg.Slack.Enabled {
		a, err := slack.New(cfg.Slack, b, log)
		if err != nil {
			return nil, fmt.Errorf("slack: %w", err)
		}
		if claims != nil {
			a.Share(claims)
		}
		a.Routes(mux)
		out = append(out, a)
	}
	if cfg.Discord.Enabled {
		a, err := discord.New(cfg.Discord, b, log)
		if err != nil {
			return nil, fmt.Errorf("discord: %w", err)
		}
		if claims != nil {
			a.Share(claims)
		}
		a.Routes(mux)
		out = append(out, a)
	}
	return out, nil
}

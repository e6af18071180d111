package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/store"
)

// loadConfigBase loads one knowledge base of the config, its file or its
// folder, as l says (see loading), with the base's fallback in place of the file's when it sets one.
// It is the loader of the base's reloads too, which replace serving (nil
// at the first load; see bot.Loading.LoadReplacing).
func loadConfigBase(b config.Base, l bot.Loading, serving *bot.Base) (*bot.Base, error) {
	kb, err := l.LoadReplacing(b.Knowledge, serving)
	if err != nil {
		return nil, err
	}
	// An unchanged file gives serving back, which has the fallback
	// already and is being read.
	if b.Fallback != "" && kb != serving {
		kb.File.Fallback = b.Fallback
	}
	return kb, nil
}

// servedBase is one knowledge base of "faqbot run" with what its file (or
// folder) was like when it was last loaded, so that SIGHUP reloads only
// the bases that changed.
type servedBase struct {
	cfg config.Base
	bot *bot.Bot
	// always reloads whatever the files look like: the bot's loader
	// fetches them (a git source).
	always bool

	mu   sync.Mutex
	last string
}

// reloadIfChanged reloads the base when its file or folder changed since
// it was last loaded, and reports whether it tried.
func (s *servedBase) reloadIfChanged(ctx context.Context, by string, log *slog.Logger) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := baseFingerprint(s.cfg.Knowledge)
	if now == s.last && !s.always {
		return false
	}
	if _, err := s.bot.Reload(ctx, by); err != nil {
		log.Error("reload failed; the base's previous knowledge keeps serving", "base", s.bot.BaseName(), "by", by, "error", err)
		return true
	}
	s.last = now
	return true
}

// reloadChanged reloads each base whose file or folder changed, each on
// its own: one that fails to load keeps its old knowledge and stops no
// other.
func reloadChanged(ctx context.Context, bases []*servedBase, by string, log *slog.Logger) {
	n := 0
	for _, b := range bases {
		if b.reloadIfChanged(ctx, by, log) {
			n++
		}
	}
	if n == 0 {
		log.Info("no knowledge base changed since it was loaded; nothing to reload", "by", by)
	}
}

// baseFingerprint describes a knowledge file, or the knowledge files of a
// folder, as they are now.
func baseFingerprint(path string) string {
	st, err := os.Stat(path)
	if err != nil || !st.IsDir() {
		return fmt.Sprint(fingerprint(path))
	}
	var sb strings.Builder
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
		case p != path && strings.HasPrefix(d.Name(), "."):
			if d.IsDir() {
				return filepath.SkipDir
			}
		case !d.IsDir():
			fmt.Fprintln(&sb, p, fingerprint(p))
		}
		return nil
	})
	return sb.String()
}

// buildBases builds a bot for each scoped base of the config, loading
// each, next to def, the default base's bot; opts returns a base's
// options. A base that fails to load stops the start with its errors: a
// running faqbot never serves a scope without its knowledge.
func buildBases(cfg *config.Config, def *bot.Bot, opts func(config.Base) bot.Options) (*bot.Bases, []*servedBase, error) {
	defCfg, _ := cfg.FindBase(config.DefaultBase)
	served := []*servedBase{{cfg: defCfg, bot: def, last: baseFingerprint(defCfg.Knowledge)}}
	var scoped []bot.Scoped
	var errs []error
	for _, bc := range cfg.Bases {
		last := baseFingerprint(bc.Knowledge)
		o := opts(bc)
		kb, err := loadConfigBase(bc, loading(cfg, o.Logger), nil)
		if err != nil {
			errs = append(errs, fmt.Errorf("knowledge base %s: %w", bc.Name, err))
			continue
		}
		b := bot.New(kb, o)
		served = append(served, &servedBase{cfg: bc, bot: b, last: last})
		scoped = append(scoped, bot.Scoped{
			Bot:      b,
			Spaces:   map[string][]string{"slack": bc.Slack.Workspaces, "discord": bc.Discord.Guilds},
			Channels: map[string][]string{"slack": bc.Slack.Channels, "discord": bc.Discord.Channels},
			Admins:   map[string][]string{"slack": bc.Slack.Admins, "discord": bc.Discord.Admins},
		})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return bot.NewBases(def, scoped...), served, nil
}

// baseOptions returns the options of one scoped base: common's, with the
// base's name, threshold and loader, and its own view of the state
// database st (nil for none), its Recorder wrapped by wrap if not nil.
// Reload gates (reload.require_cases) hold for the default base only.
func baseOptions(common bot.Options, cfg *config.Config, b config.Base, st *store.Store, wrap func(bot.Recorder) bot.Recorder) bot.Options {
	opts := common
	opts.Name = b.Name
	opts.Experts = b.Experts.Channels()
	opts.Threshold = b.ThresholdOr(cfg.Matcher.Threshold)
	l := loading(cfg, common.Logger).Reloading()
	opts.Load = func(_ context.Context, serving *bot.Base) (*bot.Base, error) { return loadConfigBase(b, l, serving) }
	opts.Gate = nil
	opts.Store, opts.Recorder = nil, nil
	return withState(opts, st, wrap)
}

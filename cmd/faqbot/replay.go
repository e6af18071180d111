package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/faqbot/faqbot/bot"
)

// cmdReplay asks the questions stored in the state database of the last
// days of two knowledge files, the one the config serves and a new one,
// and reports the replies that differ. With --max-changed or
// --min-answered it exits 1 beyond the limit, for CI.
func cmdReplay(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlagSet("replay")
	var sf setupFlags
	sf.register(fs)
	against := fs.String("against", "", "the old knowledge `file` (default: the config's)")
	days := fs.Int("days", bot.DefaultReplayDays, "replay the questions of the last `days`")
	state := fs.String("state", "", "read the questions from this SQLite state database `file` instead of the config's store")
	format := fs.String("format", "text", "text, markdown (for a pull-request comment) or json")
	maxChanged := fs.Int("max-changed", -1, "exit 1 when more than `N` questions lose their answer or get another one")
	minAnswered := fs.Float64("min-answered", 0, "exit 1 when the new file answers less than this `share` of the questions, from 0 to 1")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "replay takes no arguments: name the new file with --knowledge and the old one with --against")
	}
	if *days < 1 {
		return usageError(fs, "--days must be at least 1")
	}
	if *minAnswered < 0 || *minAnswered > 1 {
		return usageError(fs, "--min-answered must be a share from 0 to 1, such as 0.6")
	}
	if *format != "text" && *format != "markdown" && *format != "json" {
		return usageError(fs, "--format must be text, markdown or json, not %q", *format)
	}
	newPath := sf.knowledge
	sf.knowledge = ""
	cfg, err := sf.loadConfig()
	if err != nil {
		return err
	}
	oldPath := *against
	if oldPath == "" {
		oldPath = cfg.Knowledge
	}
	if newPath == "" {
		newPath = cfg.Knowledge
	}
	if filepath.Clean(oldPath) == filepath.Clean(newPath) {
		return usageError(fs, "the old and the new knowledge file are both %s: name the new one with --knowledge, or the old one with --against", oldPath)
	}
	l := loading(cfg, newLogger(cfg.Log, c.stderr))
	old, err := l.Load(oldPath)
	if err != nil {
		return fmt.Errorf("the old knowledge file: %w", err)
	}
	next, err := l.Load(newPath)
	if err != nil {
		return fmt.Errorf("the new knowledge file: %w", err)
	}
	st, err := openHistory(ctx, cfg, *state, newLogger(cfg.Log, c.stderr))
	if err != nil {
		return err
	}
	defer st.Close()
	var asked bot.History = st
	if sf.base != "" {
		asked = st.Base(sf.selected.Name)
	}
	rep, err := bot.ReplayHistory(ctx, asked, old, next, cfg.Matcher.Threshold, *days)
	if err != nil {
		return err
	}
	if err := bot.WriteReplay(c.stdout, rep, *format); err != nil {
		return err
	}
	if *maxChanged >= 0 && rep.Lost() > *maxChanged {
		return &exitError{code: 1, err: fmt.Errorf("%d questions lose their answer or get another one, more than --max-changed %d", rep.Lost(), *maxChanged)}
	}
	if rep.Questions > 0 && rep.ShareAfter() < *minAnswered {
		return &exitError{code: 1, err: fmt.Errorf("the new file answers %.1f%% of the questions, below --min-answered %.1f%%", 100*rep.ShareAfter(), 100**minAnswered)}
	}
	return nil
}

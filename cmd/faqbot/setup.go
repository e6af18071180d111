package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/console"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/gitsource"
)

// defaultConfig is the config file used when --config is not given.
const defaultConfig = "config.yaml"

// setupFlags are the flags every command takes, and what loading them
// found.
type setupFlags struct {
	config    string
	knowledge string
	base      string
	// selected is the knowledge base the command works on, once the
	// config is loaded.
	selected config.Base
	// stderr receives what loading logs.
	stderr io.Writer
	// source is the git repository the knowledge comes from, or nil.
	source *gitsource.Source
}

func (f *setupFlags) register(fs *flag.FlagSet) {
	f.stderr = fs.Output()
	fs.StringVar(&f.config, "config", defaultConfig, "the configuration `file`")
	fs.StringVar(&f.knowledge, "knowledge", "", "the knowledge `file` or folder (overrides the config's)")
	fs.StringVar(&f.base, "base", "", "the knowledge base `NAME` of the config's bases to work on (default: the top-level knowledge file)")
}

// newFlagSet returns a flag set for the named command that reports to c.
func (c *cli) newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("faqbot "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	return fs
}

// parseInterspersed parses flags that may come before or after the
// positional arguments, as in "import FILE -o OUT" or "ask QUESTION --json", and returns
// the positional ones. Arguments after "--" are all positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// loadConfig loads the configuration named by the flags. When --config was
// left at its default and there is no such file, the built-in defaults are
// used, so that faqbot runs from any folder with --knowledge.
func (f *setupFlags) loadConfig() (*config.Config, error) {
	cfg, err := config.Load(f.config)
	if err != nil {
		if f.config == defaultConfig && errors.Is(err, fs.ErrNotExist) {
			cfg = config.Default()
		} else {
			return nil, err
		}
	}
	sel, err := cfg.FindBase(f.base)
	if err != nil {
		return nil, fmt.Errorf("--base: %w", err)
	}
	if f.knowledge != "" {
		sel.Knowledge = f.knowledge
	}
	// The rest of the command works on the selected base as on the
	// config's one knowledge file.
	cfg.Knowledge = sel.Knowledge
	cfg.Matcher.Threshold = sel.ThresholdOr(cfg.Matcher.Threshold)
	if sel.Name == config.DefaultBase {
		sel.Name = ""
	}
	f.selected = sel
	return cfg, nil
}

// loadAll loads the configuration and the knowledge base it names. When
// the config follows a git repository (and --knowledge does not name a
// file), it clones or fetches it first and keeps it in f.source.
func (f *setupFlags) loadAll() (*config.Config, *bot.Base, error) {
	cfg, err := f.loadConfig()
	if err != nil {
		return nil, nil, err
	}
	if cfg.Source.Git != nil && f.knowledge == "" && f.selected.Name == "" {
		src, err := openGitSource(cfg, newLogger(cfg.Log, f.stderr))
		if err != nil {
			return nil, nil, err
		}
		kb, err := src.LoadCheckedOut()
		if err != nil {
			return nil, nil, err
		}
		f.source = src
		return cfg, kb, nil
	}
	kb, err := loadConfigBase(f.selected, loading(cfg, newLogger(cfg.Log, f.stderr)), nil)
	if err != nil {
		return nil, nil, err
	}
	return cfg, kb, nil
}

// options returns the bot's options from the config for the selected
// base, for the commands other than run.
func (f *setupFlags) options(cfg *config.Config, log *slog.Logger) bot.Options {
	opts := botOptions(cfg, log)
	sel := f.selected
	opts.Name = sel.Name
	opts.Experts = sel.Experts.Channels()
	l := loading(cfg, log).Reloading()
	opts.Load = func(_ context.Context, serving *bot.Base) (*bot.Base, error) { return loadConfigBase(sel, l, serving) }
	return opts
}

// newLogger returns the logger the config asks for, writing to w.
func newLogger(cfg config.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.Level)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// botOptions returns the bot's options from the config, for every command.
func botOptions(cfg *config.Config, log *slog.Logger) bot.Options {
	return bot.Options{
		Threshold:     cfg.Matcher.Threshold,
		QuestionWords: cfg.Listening.QuestionWords,
		Load:          knowledgeLoader(cfg, log),
		Logger:        log,
		LogText:       cfg.Log.QuestionText,
		Gate:          reloadGate(cfg),
		MaxChanged:    cfg.Reload.MaxChanged,
		Experts:       cfg.Experts.Channels(),
	}
}

// userName names the person at the terminal, for logs.
func userName() string {
	for _, k := range []string{"USER", "LOGNAME"} {
		if u := os.Getenv(k); u != "" {
			return u
		}
	}
	return "terminal"
}

// style returns how replies are marked up on standard output: with ANSI
// escape sequences on a terminal (unless NO_COLOR is set), plain text
// otherwise.
func (c *cli) style() console.Style {
	if isTerminal(c.stdout) && os.Getenv("NO_COLOR") == "" {
		return console.ANSI
	}
	return console.Plain
}

// isTerminal reports whether r (a file) is an interactive terminal.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func usageError(fs *flag.FlagSet, format string, args ...any) error {
	fs.Usage()
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

package main

import (
	"context"
	"fmt"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/match"
)

// cmdCheck checks the configuration and the knowledge file with the very
// loaders "faqbot run" uses, and reports every problem. It exits 1 when there
// is any. It also warns of every phrasing that, asked word for word, the bot
// would not answer with its own entry (see bot.Base.Confusions).
func cmdCheck(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlagSet("check")
	var sf setupFlags
	sf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "check takes no arguments; name the file with --knowledge")
	}
	cfg, err := sf.loadConfig()
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return &exitError{code: 1}
	}
	bases := []config.Base{sf.selected}
	if sf.base == "" && sf.knowledge == "" {
		bases = cfg.AllBases()
	}
	failed := false
	for _, b := range bases {
		name := ""
		if len(bases) > 1 {
			name = " " + b.Name
		}
		load := func() (*bot.Base, error) { return loadConfigBase(b, loading(cfg, newLogger(cfg.Log, c.stderr))) }
		if b.Name == config.DefaultBase || b.Name == "" {
			// The default base may come from a git repository.
			load = func() (*bot.Base, error) { _, kb, err := sf.loadAll(); return kb, err }
		}
		if !checkBase(c, load, b.ThresholdOr(cfg.Matcher.Threshold), name) {
			failed = true
		}
	}
	if failed {
		return &exitError{code: 1}
	}
	return nil
}

// checkBase checks one knowledge base and prints what it found; name,
// when not "", is the base's name with a leading space, for configs with
// several. It reports whether the base loaded.
func checkBase(c *cli, load func() (*bot.Base, error), threshold float64, name string) bool {
	kb, err := load()
	if err != nil {
		if name != "" {
			fmt.Fprintf(c.stderr, "knowledge base%s:\n", name)
		}
		fmt.Fprintln(c.stderr, err)
		return false
	}
	cs := kb.Confusions(threshold)
	for _, cf := range cs {
		fmt.Fprintln(c.stderr, confusionWarning(kb.Path, cf))
	}
	fmt.Fprintf(c.stdout, "ok%s: %d entries, %d phrasings", name, kb.Len(), kb.Phrasings())
	switch len(cs) {
	case 0:
		fmt.Fprintln(c.stdout)
	case 1:
		fmt.Fprintln(c.stdout, "; 1 warning")
	default:
		fmt.Fprintf(c.stdout, "; %d warnings\n", len(cs))
	}
	return true
}

// confusionWarning says which phrasing of the knowledge file at path (or
// of one of the files of the folder at path) is answered with another
// entry, and what to do.
func confusionWarning(path string, cf match.Confusion) string {
	what := "is answered with"
	if cf.Tied {
		what = "cannot be told from"
	}
	where := func(e *knowledge.Entry) string {
		if e.File == "" {
			return fmt.Sprintf("%s:%d", path, e.Line)
		}
		return fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	other := fmt.Sprintf("line %d", cf.Other.Line)
	if cf.Other.File != cf.Entry.File {
		other = where(cf.Other)
	}
	return fmt.Sprintf("warning: %s: entry %s: %q %s entry %s (%q, %s): reword one of them so that a word tells them apart, or merge the two entries",
		where(cf.Entry), cf.Entry.ID, cf.Phrasing, what, cf.Other.ID, cf.OtherPhrasing, other)
}

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
// is any. It also warns of the phrasings that, asked word for word, the bot
// would answer with a near entry, or could not tell from one (see
// match.Index.Confusions): the first --warnings of them, and how many more;
// with --strict, a warning fails the check too. The knowledge file or
// folder may be named as the one argument, as with --knowledge.
func cmdCheck(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlagSet("check")
	var sf setupFlags
	sf.register(fs)
	shown := fs.Int("warnings", defaultWarnings, "how many warnings to print; the rest are counted (0 prints them all)")
	strict := fs.Bool("strict", false, "exit 1 when there are warnings too, for CI")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 1:
		return usageError(fs, "check takes one knowledge file or folder at most")
	case fs.NArg() == 1 && sf.knowledge != "":
		return usageError(fs, "name the knowledge file either with --knowledge or as the argument, not both")
	case fs.NArg() == 1:
		sf.knowledge = fs.Arg(0)
	}
	if *shown < 0 {
		return usageError(fs, "--warnings is a number of warnings, 0 for all")
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
	failed, warned := false, false
	for _, b := range bases {
		name := ""
		if len(bases) > 1 {
			name = " " + b.Name
		}
		load := func() (*bot.Base, error) { return loadConfigBase(b, loading(cfg, newLogger(cfg.Log, c.stderr)), nil) }
		if b.Name == config.DefaultBase || b.Name == "" {
			// The default base may come from a git repository.
			load = func() (*bot.Base, error) { _, kb, err := sf.loadAll(); return kb, err }
		}
		ok, warnings := checkBase(c, load, b.ThresholdOr(cfg.Matcher.Threshold), name, *shown)
		failed = failed || !ok
		warned = warned || warnings > 0
	}
	if failed || *strict && warned {
		return &exitError{code: 1}
	}
	return nil
}

// defaultWarnings is how many warnings faqbot check prints unless told:
// a screen's worth. A large file built from a template may have thousands
// of near duplicates, which are one problem many times over.
const defaultWarnings = 20

// checkBase checks one knowledge base and prints what it found: the
// first shown warnings (all when shown is 0), and how many more there are.
// name, when not "", is the base's name with a leading space, for configs
// with several. It reports whether the base loaded, and how many warnings
// it has.
func checkBase(c *cli, load func() (*bot.Base, error), threshold float64, name string, shown int) (bool, int) {
	kb, err := load()
	if err != nil {
		if name != "" {
			fmt.Fprintf(c.stderr, "knowledge base%s:\n", name)
		}
		fmt.Fprintln(c.stderr, err)
		return false, 0
	}
	cs := kb.Confusions(threshold)
	if shown == 0 {
		shown = len(cs)
	}
	for _, cf := range cs[:min(len(cs), shown)] {
		fmt.Fprintln(c.stderr, confusionWarning(kb.Path, cf))
	}
	if more := len(cs) - shown; more > 0 {
		entries := "1 entry"
		if n := entriesOf(cs[shown:]); n != 1 {
			entries = fmt.Sprintf("%d entries", n)
		}
		fmt.Fprintf(c.stderr, "warning: and %d more, of %s (--warnings 0 prints them all)\n", more, entries)
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
	return true, len(cs)
}

// entriesOf counts the entries whose phrasings the confusions cs are.
func entriesOf(cs []match.Confusion) int {
	seen := map[*knowledge.Entry]bool{}
	for _, cf := range cs {
		seen[cf.Entry] = true
	}
	return len(seen)
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

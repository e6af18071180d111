package main

import (
	"context"
	"fmt"
)

// cmdCheck checks the configuration and the knowledge file with the very
// loaders "faqbot run" uses, and reports every problem. It exits 1 when there
// is any.
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
	_, kb, err := sf.loadAll()
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return &exitError{code: 1}
	}
	fmt.Fprintf(c.stdout, "ok: %d entries, %d phrasings\n", kb.Len(), kb.Phrasings())
	return nil
}

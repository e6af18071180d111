package main

import (
	"context"
	"fmt"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/console"
)

// cmdChat chats with the bot in the terminal. From a pipe it writes one reply
// per input line and nothing else: each followed by an empty line, or with
// --json, one JSON object a line.
func cmdChat(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlagSet("chat")
	var sf setupFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "write each reply as one line of JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs, "chat takes no arguments; to ask one question use faqbot ask")
	}
	cfg, kb, err := sf.loadAll()
	if err != nil {
		return err
	}
	// Logs go to stderr and would interleave with the chat: keep them to
	// warnings unless the config asks for debug.
	if cfg.Log.Level != "debug" {
		cfg.Log.Level = "warn"
	}
	log := newLogger(cfg.Log, c.stderr)
	st := openStore(ctx, cfg, log, nil)
	defer st.Close()
	b := bot.New(kb, withSource(withState(sf.options(cfg, log), st, nil), sf.source))
	cc := console.Config{User: userName(), Style: c.style(), JSON: *asJSON}
	if isTerminal(c.stdin) && !cc.JSON {
		title := kb.Title()
		if title == "" {
			title = "faqbot"
		}
		fmt.Fprintf(c.stdout, "%s: %d entries. Ask a question, or type /faq help. Ctrl-D quits.\n", title, kb.Len())
		cc.Prompt = "> "
	}
	return console.New(b, c.stdin, c.stdout, cc).Run(ctx)
}

// Command faqbot is an FAQ bot for Slack, Discord and the terminal. It answers
// questions from a knowledge file kept in git.
//
// Usage:
//
//	faqbot <command> [flags] [arguments]
//
// Run "faqbot help" for the list of commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := context.Background(), func() {}
	if len(os.Args) > 1 {
		if cmd, ok := findCommand(os.Args[1]); ok && cmd.onSignal == finishCleanly {
			ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		}
	}
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// cli is what every command gets: the process's standard streams.
type cli struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one faqbot subcommand.
type command struct {
	name     string
	usage    string
	summary  string
	run      func(ctx context.Context, c *cli, args []string) error
	onSignal onSignal
}

// onSignal says what SIGINT (Ctrl-C) or SIGTERM does to a command.
type onSignal int

const (
	// endAtOnce leaves the signal to end the process, as it does any
	// program: the command reads, computes and prints, and a file it
	// writes is renamed into place whole, so there is nothing to finish.
	endAtOnce onSignal = iota
	// finishCleanly cancels the command's context instead: the command
	// watches it, and stops soon after, closing what it holds (the
	// platforms' connections, the state database).
	finishCleanly
)

// commands lists the subcommands in the order "faqbot help" shows them.
func commands() []command {
	return []command{
		{"run", "run [--config FILE] [--knowledge FILE]", "serve the platforms enabled in the config until SIGINT or SIGTERM", cmdRun, finishCleanly},
		{"chat", "chat [--json]", "chat with the bot in the terminal; from a pipe, one reply per question line, each followed by an empty line (--json: one JSON object a line)", cmdChat, finishCleanly},
		{"ask", "ask [--json] QUESTION...", "answer one question; exit 1 when there is no confident answer", cmdAsk, endAtOnce},
		{"list", "list [--json] [FILTER...]", "list the questions the knowledge file answers, with their ids, fuzzy-filtered (/faq list)", cmdList, endAtOnce},
		{"show", "show [--json] ID", "print one entry (/faq show); exit 1 when there is none", cmdShow, endAtOnce},
		{"check", "check [--config FILE] [--knowledge FILE]", "check the config and the knowledge file, reporting every error", cmdCheck, endAtOnce},
		{"import", "import [--format F] FILE [-o OUT]", "turn an FAQ document (Markdown, HTML, wiki, YAML/JSON data, CSV, ...) into a knowledge file: to stdout, OUT, or the --knowledge or --config one", cmdImport, endAtOnce},
		{"export", "export [--format F] [-o OUT] [FILE]", "write the knowledge file as QnA Maker TSV, QnABot JSON, CSV or Markdown", cmdExport, endAtOnce},
		{"eval", "eval --cases FILE [--threshold T | --tune DEV] [--json] [--min-accuracy A]", "measure answers and refusals on a file of test questions", cmdEval, endAtOnce},
		{"stats", "stats [--days N] [--json]", "print questions per day, top entries, votes and what went unanswered", cmdStats, endAtOnce},
		{"replay", "replay --knowledge NEW [--against OLD] [--days N] [--format text|markdown|json] [--max-changed N] [--min-answered X]", "ask the questions of the last days of the old and the new knowledge file; report the answers that change", cmdReplay, endAtOnce},
		{"healthcheck", "healthcheck [--config FILE] [--url URL]", "exit 0 when a running faqbot answers /readyz with 200, for Docker's HEALTHCHECK", cmdHealthcheck, endAtOnce},
		{"slack", "slack manifest [--name NAME] [--url URL]", "print the Slack app manifest with the scopes, events and /faq command faqbot needs, for the config's slack.mode", cmdSlack, endAtOnce},
		{"discord", "discord invite [--guild ID]", "print the URL that adds the Discord bot to a server with exactly the permissions it needs", cmdDiscord, endAtOnce},
		{"version", "version", "print the version", cmdVersion, endAtOnce},
	}
}

// exitError makes run exit with code after printing err, when err has text.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// run runs the command named by args[0] and returns the process exit code:
// 0 on success, 2 on usage or other errors, and what a command chose besides.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	if cmd, ok := findCommand(args[0]); ok {
		err := cmd.run(ctx, c, args[1:])
		if err == nil {
			return 0
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.err != nil {
				fmt.Fprintf(stderr, "faqbot %s: %v\n", cmd.name, ee.err)
			}
			return ee.code
		}
		fmt.Fprintf(stderr, "faqbot %s: %v\n", cmd.name, err)
		return 2
	}
	fmt.Fprintf(stderr, "faqbot: unknown command %q; run \"faqbot help\" for the list\n", args[0])
	return 2
}

// findCommand returns the command called name.
func findCommand(name string) (command, bool) {
	for _, cmd := range commands() {
		if cmd.name == name {
			return cmd, true
		}
	}
	return command{}, false
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "faqbot answers questions from a knowledge file, in Slack, Discord or the terminal.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  faqbot %-44s %s\n", cmd.usage, cmd.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Every command takes --config (default ./config.yaml) and --knowledge (overrides the config's knowledge file).")
}

// Package console is the terminal adapter: the bot with no chat platform at
// all. It reads one message per line and writes one reply per message, so it
// serves both a person at a terminal and a pipe.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// Answerer is what the console needs of the bot.
type Answerer interface {
	Handle(ctx context.Context, m bot.Message) (bot.Reply, bool)
	Show(id string) (bot.Reply, bool)
}

// maxLine is the longest input line read; longer lines are cut by the bot.
const maxLine = 1 << 20

// Adapter chats on a pair of streams.
type Adapter struct {
	bot    Answerer
	in     io.Reader
	out    io.Writer
	user   string
	prompt string
}

var _ bot.Platform = (*Adapter)(nil)

// New returns an Adapter that reads questions from in and writes replies to
// out. user names the person for the bot's logs; prompt, if not empty, is
// written before each line is read (for a person at a terminal).
func New(b Answerer, in io.Reader, out io.Writer, user, prompt string) *Adapter {
	return &Adapter{bot: b, in: in, out: out, user: user, prompt: prompt}
}

// Name returns "console".
func (a *Adapter) Name() string { return "console" }

// Run answers each line until the input ends or ctx is cancelled. Typing the
// number of a suggestion shows that entry; "quit" or "exit" ends the chat.
func (a *Adapter) Run(ctx context.Context) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(a.in)
		sc.Buffer(make([]byte, 64*1024), maxLine)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
	}()
	var last []bot.Suggestion
	for n := 1; ; n++ {
		if a.prompt != "" {
			fmt.Fprint(a.out, a.prompt)
		}
		var line string
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			if err != nil {
				return fmt.Errorf("read input: %w", err)
			}
			return nil
		case line = <-lines:
		}
		text := strings.TrimSpace(line)
		switch strings.ToLower(text) {
		case "":
			continue
		case "quit", "exit":
			return nil
		}
		var r bot.Reply
		if i, err := strconv.Atoi(text); err == nil && i >= 1 && i <= len(last) {
			r, _ = a.bot.Show(last[i-1].ID)
		} else {
			var ok bool
			r, ok = a.bot.Handle(ctx, bot.Message{
				Platform: "console", ID: strconv.Itoa(n), Channel: "terminal",
				User: a.user, Text: text, Origin: bot.Direct, Admin: true,
			})
			if !ok {
				continue
			}
		}
		last = r.Suggestions
		fmt.Fprintln(a.out, Render(r))
	}
}

// Render formats a reply as plain text for a terminal.
func Render(r bot.Reply) string {
	var sb strings.Builder
	sb.WriteString(strings.TrimSpace(r.Text))
	if e := r.Entry; e != nil && (e.Source != "" || e.Updated != "") {
		sb.WriteString("\n  — ")
		sb.WriteString(provenance(e.Source, e.Updated))
	}
	if len(r.Related) > 0 {
		sb.WriteString("\nRelated:")
		for _, s := range r.Related {
			fmt.Fprintf(&sb, "\n  • %s (/faq show %s)", s.Question, s.ID)
		}
	}
	if len(r.Suggestions) > 0 {
		sb.WriteString("\nDid you mean:")
		for i, s := range r.Suggestions {
			fmt.Fprintf(&sb, "\n  %d) %s", i+1, s.Question)
		}
		sb.WriteString("\n(type a number to see that answer)")
	}
	return sb.String()
}

func provenance(source, updated string) string {
	switch {
	case source == "":
		return "updated " + updated
	case updated == "":
		return "Source: " + source
	}
	return "Source: " + source + ", updated " + updated
}

// Package console is the terminal adapter: the bot with no chat platform at
// all. It reads one message per line and writes one reply per message, so it
// serves both a person at a terminal and a pipe.
package console

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// Answerer is what the console needs of the bot.
type Answerer interface {
	Handle(ctx context.Context, m bot.Message) (bot.Reply, bool)
	Show(s bot.Scope, id string) (bot.Reply, bool)
	Vote(ctx context.Context, v bot.Vote) bot.Reply
	SubmitEntry(ctx context.Context, m bot.Message, f bot.EntryForm) bot.Reply
}

// maxLine is the most of an input line read, in bytes: the rest of a
// longer line is skipped, and the bot cuts what was read to its own limit.
const maxLine = 1 << 20

// Adapter chats on a pair of streams.
type Adapter struct {
	bot Answerer
	in  io.Reader
	out io.Writer
	cfg Config
}

var _ bot.Platform = (*Adapter)(nil)

// Config says who is chatting and how replies are written.
type Config struct {
	// User names the person, for the bot's logs.
	User string
	// Prompt, if not empty, is written before each line is read (for a
	// person at a terminal).
	Prompt string
	// Style marks up replies: Plain for a pipe, ANSI for a terminal.
	Style Style
	// JSON writes each reply as one line of JSON (a JSONReply) instead.
	JSON bool
}

// New returns an Adapter that reads questions from in and writes replies to
// out as cfg says.
func New(b Answerer, in io.Reader, out io.Writer, cfg Config) *Adapter {
	return &Adapter{bot: b, in: in, out: out, cfg: cfg}
}

// readLine returns the next line of r without its end ("\n" or "\r\n"),
// the last one even with no end, and io.EOF after it. Of a line longer
// than maxLine it keeps the first maxLine bytes, less a character cut in
// two, and skips the rest.
func readLine(r *bufio.Reader) (string, error) {
	var line []byte
	cut := false
	for {
		frag, err := r.ReadSlice('\n')
		if room := maxLine - len(line); len(frag) > room {
			frag, cut = frag[:room], true
		}
		line = append(line, frag...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && len(line) > 0 {
			err = nil
		}
		if err != nil {
			return "", err
		}
		if cut {
			return strings.ToValidUTF8(string(line), ""), nil
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		return string(bytes.TrimSuffix(line, []byte("\r"))), nil
	}
}

// Name returns "console".
func (a *Adapter) Name() string { return "console" }

// Run answers each line until the input ends or ctx is cancelled. Each
// reply is followed by an empty line (a reply has none inside), or, with
// JSON, is one line. Typing the number of a suggestion shows that entry;
// "quit" or "exit" ends the chat.
func (a *Adapter) Run(ctx context.Context) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		r := bufio.NewReaderSize(a.in, 64<<10)
		for {
			line, err := readLine(r)
			if err == io.EOF {
				errc <- nil
				return
			}
			if err != nil {
				errc <- err
				return
			}
			select {
			case lines <- line:
			case <-ctx.Done():
				return
			}
		}
	}()
	var last []bot.Suggestion
	var rate rating
	var form filling
	for n := 1; ; n++ {
		if a.cfg.Prompt != "" {
			fmt.Fprint(a.out, a.cfg.Prompt)
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
		if r, ok := form.take(ctx, a, line); ok {
			if r.Text != "" {
				if err := a.write(r); err != nil {
					return err
				}
			}
			continue
		}
		if r, ok := rate.take(ctx, a, text); ok {
			if err := a.write(r); err != nil {
				return err
			}
			continue
		}
		switch strings.ToLower(text) {
		case "":
			continue
		case "quit", "exit":
			return nil
		}
		var r bot.Reply
		if i, err := strconv.Atoi(text); err == nil {
			// A number picks a suggestion; it is never a question.
			r = a.pick(last, i)
		} else {
			var ok bool
			r, ok = a.bot.Handle(ctx, bot.Message{
				Platform: "console", ID: strconv.Itoa(n), Channel: "terminal",
				User: a.cfg.User, UserName: a.cfg.User, Text: text, Origin: bot.Direct, Admin: true,
			})
			if !ok {
				continue
			}
			if r.Kind != bot.Info {
				// Help, lists and courtesies leave the suggestions
				// of the last question to pick from.
				last = r.Suggestions
			}
		}
		rate.answered(r)
		if err := a.write(r); err != nil {
			return err
		}
		if r.Form != nil {
			if err := a.write(bot.Reply{Kind: bot.Info, Text: form.start(r.Form)}); err != nil {
				return err
			}
		}
	}
}

// pick returns the answer of suggestion i of the last question's reply,
// or says which numbers there are.
func (a *Adapter) pick(last []bot.Suggestion, i int) bot.Reply {
	switch {
	case len(last) == 0:
		return bot.Reply{Kind: bot.Info, Text: "There are no suggestions to pick from: ask a question first."}
	case i < 1 || i > len(last):
		return bot.Reply{Kind: bot.Info, Text: fmt.Sprintf("Type a number from 1 to %d to see a suggestion.", len(last)), Suggestions: last}
	}
	r, _ := a.bot.Show(bot.Scope{Platform: "console", Direct: true}, last[i-1].ID)
	return r
}

// write writes one reply as the config says.
func (a *Adapter) write(r bot.Reply) error {
	if a.cfg.JSON {
		return json.NewEncoder(a.out).Encode(NewJSONReply(r))
	}
	_, err := fmt.Fprintf(a.out, "%s\n\n", Render(r, a.cfg.Style, Chat))
	return err
}

// Where says where a rendered reply is read, and so how its commands are
// typed.
type Where int

const (
	// Chat is "faqbot chat": /faq commands work, and a suggestion is picked
	// by its number.
	Chat Where = iota
	// CommandLine is one faqbot command such as "faqbot ask": the
	// equivalent faqbot commands are named instead.
	CommandLine
)

// commandLine names, in a reply's text, the faqbot commands that do what
// the /faq commands do in chat.
var commandLine = strings.NewReplacer("/faq list", "faqbot list", "/faq show", "faqbot show")

// Render formats a reply as text with no empty line, its Markdown
// rendered in style, for where it is read.
func Render(r bot.Reply, style Style, where Where) string {
	show := "/faq show"
	txt := r.Text
	if where == CommandLine {
		show = "faqbot show"
		txt = commandLine.Replace(txt)
	}
	lines := []string{Markdown(txt, style)}
	if e := r.Entry; e != nil && (e.Source != "" || e.Updated != "") {
		lines = append(lines, "  — "+provenance(Markdown(e.Source, style), e.Updated))
	}
	if len(r.Related) > 0 {
		lines = append(lines, "Related:")
		for _, s := range r.Related {
			lines = append(lines, fmt.Sprintf("  • %s (%s %s)", s.Question, show, s.ID))
		}
	}
	if len(r.Suggestions) > 0 {
		lines = append(lines, "Did you mean:")
		for i, s := range r.Suggestions {
			if where == CommandLine {
				lines = append(lines, fmt.Sprintf("  %d) %s (%s %s)", i+1, s.Question, show, s.ID))
			} else {
				lines = append(lines, fmt.Sprintf("  %d) %s", i+1, s.Question))
			}
		}
		if where == Chat {
			lines = append(lines, "(type a number to see that answer)")
		}
	}
	return strings.Join(nonEmpty(lines), "\n")
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

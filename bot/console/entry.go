package console

import (
	"context"
	"fmt"
	"strings"

	"github.com/faqbot/faqbot/bot"
)

// filling asks for the fields of an entry form one line at a time: the
// terminal's form for /faq add and /faq edit. Enter keeps a field's value
// (empty for a new entry); the answer takes lines until one holding a
// single ".".
type filling struct {
	form   *bot.EntryForm
	step   int
	answer []string
}

// formSteps are the fields asked for, in order.
var formSteps = []struct {
	prompt string
	field  func(f *bot.EntryForm) *string
}{
	{"Id (Enter: made from the question)", func(f *bot.EntryForm) *string { return &f.ID }},
	{"Question", func(f *bot.EntryForm) *string { return &f.Question }},
	{"Other ways to ask it, separated by |", func(f *bot.EntryForm) *string { return &f.Alternates }},
	{"Answer (Markdown), as many lines as it takes, then a line with a single .", func(f *bot.EntryForm) *string { return &f.Answer }},
	{"Tags, separated by commas", func(f *bot.EntryForm) *string { return &f.Tags }},
}

// start begins filling in form, and returns the first prompt.
func (fl *filling) start(form *bot.EntryForm) string {
	f := *form
	f.Alternates = strings.ReplaceAll(f.Alternates, "\n", " | ")
	*fl = filling{form: &f}
	return fl.prompt()
}

// prompt returns the prompt of the current field, with its value.
func (fl *filling) prompt() string {
	s := formSteps[fl.step]
	if v := *s.field(fl.form); v != "" {
		return fmt.Sprintf("%s [%s]:", s.prompt, strings.ReplaceAll(v, "\n", " / "))
	}
	return s.prompt + ":"
}

// take handles a line while a form is being filled in, and returns what to
// write: the next prompt, or the reply to the sent form.
func (fl *filling) take(ctx context.Context, a *Adapter, line string) (bot.Reply, bool) {
	if fl.form == nil {
		return bot.Reply{}, false
	}
	field := formSteps[fl.step].field(fl.form)
	if fl.step == 3 { // the answer, many lines
		if strings.TrimSpace(line) != "." {
			fl.answer = append(fl.answer, line)
			return bot.Reply{}, true
		}
		if len(fl.answer) > 0 {
			*field = strings.Join(fl.answer, "\n")
		}
	} else if strings.TrimSpace(line) != "" {
		*field = strings.TrimSpace(line)
	}
	fl.step++
	if fl.step < len(formSteps) {
		return bot.Reply{Kind: bot.Info, Text: fl.prompt()}, true
	}
	f := *fl.form
	fl.form = nil
	f.Alternates = strings.ReplaceAll(f.Alternates, "|", "\n")
	m := bot.Message{Platform: "console", Channel: "terminal", User: a.cfg.User, UserName: a.cfg.User, Origin: bot.Direct, Admin: true}
	return a.bot.SubmitEntry(ctx, m, f), true
}

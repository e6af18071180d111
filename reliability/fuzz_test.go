package reliability

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/faqbot/faqbot/bot"
)

// rawMention matches what would ping on Slack or Discord if an adapter
// sent it as is: mention markup, and @everyone, @here or @channel not
// broken by Defuse's word joiner.
var rawMention = regexp.MustCompile(`<[!@#]|@(?i:everyone|here|channel)\b`)

// FuzzHandle hands the bot core any text, from any origin and any user,
// admin or not, as every adapter does with what people write. The bot
// never panics; it answers in valid UTF-8; and a reply that is not an
// entry's answer, which is where the bot repeats what people wrote, holds
// no mention and no Markdown link with a label of the writer's choosing.
func FuzzHandle(f *testing.F) {
	for _, q := range hostileQuestions() {
		f.Add(q.text, uint8(bot.Mention), false)
	}
	for _, c := range hostileCommands("U1", "U2") {
		f.Add(c.text, uint8(bot.Command), c.user == "U2")
	}
	f.Add("/faq why [x](https://evil.example) @everyone", uint8(bot.Direct), false)
	f.Add("/faq show ](", uint8(bot.Overheard), true)
	b := newBot(f, botSetup{limits: bot.Limits{MaxConcurrent: 4}})
	f.Fuzz(func(t *testing.T, text string, origin uint8, admin bool) {
		m := bot.Message{Platform: "fuzz", ID: "1", Channel: "C1", User: "U1", Text: text, Origin: bot.Origin(origin % 4), Admin: admin}
		r, ok := b.Handle(context.Background(), m)
		if !ok {
			return
		}
		if !utf8.ValidString(r.Text) {
			t.Fatalf("the reply is not valid UTF-8: %q", r.Text)
		}
		if r.Kind == bot.Answer {
			return
		}
		if loc := rawMention.FindStringIndex(r.Text); loc != nil {
			t.Fatalf("the %s reply to %q repeats a mention: %q", r.Kind, text, r.Text)
		}
		if strings.Contains(text, "](") && maskedMarkdown.MatchString(r.Text) {
			t.Fatalf("the %s reply to %q makes a link the writer labelled: %q", r.Kind, text, r.Text)
		}
	})
}

// maskedMarkdown matches a Markdown link [label](target).
var maskedMarkdown = regexp.MustCompile(`\[[^\]\n]*\]\(`)

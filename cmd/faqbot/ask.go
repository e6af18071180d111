package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/console"
)

// askJSON is the object "faqbot ask --json" prints.
type askJSON struct {
	Answered    bool             `json:"answered"`
	ID          string           `json:"id"`
	Question    string           `json:"question"`
	Answer      string           `json:"answer"`
	Confidence  float64          `json:"confidence"`
	Source      string           `json:"source,omitempty"`
	Updated     string           `json:"updated,omitempty"`
	Suggestions []suggestionJSON `json:"suggestions"`
}

type suggestionJSON struct {
	ID         string  `json:"id"`
	Question   string  `json:"question"`
	Confidence float64 `json:"confidence"`
}

// cmdAsk answers one question. It exits 0 when it answered, 1 when it had no
// confident answer (printing the fallback and the suggestions), 2 on error.
func cmdAsk(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlagSet("ask")
	var sf setupFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "print one JSON object")
	words, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	question := strings.TrimSpace(strings.Join(words, " "))
	if question == "" {
		return usageError(fs, "no question: write faqbot ask \"your question\"")
	}
	cfg, kb, err := sf.loadAll()
	if err != nil {
		return err
	}
	cfg.Log.Level = "warn"
	b := newBot(cfg, kb, newLogger(cfg.Log, c.stderr))
	// The question is asked as it would be in chat, but never as a command:
	// "faqbot ask list" asks about lists.
	r, _ := b.Handle(ctx, bot.Message{Platform: "cli", Channel: "cli", User: userName(), Text: question, Origin: bot.Direct, Admin: false})
	if *asJSON {
		out := askJSON{Answered: r.Kind == bot.Answer, Suggestions: []suggestionJSON{}}
		if r.Entry != nil {
			out.ID, out.Question, out.Answer = r.Entry.ID, r.Entry.Question, r.Entry.Answer
			out.Source, out.Updated, out.Confidence = r.Entry.Source, r.Entry.Updated, r.Confidence
		} else {
			out.Answer = r.Text
		}
		for _, s := range r.Suggestions {
			out.Suggestions = append(out.Suggestions, suggestionJSON(s))
		}
		if !out.Answered {
			out.Confidence = r.Confidence
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(c.stdout, console.Render(r))
	}
	if r.Kind != bot.Answer {
		return &exitError{code: 1}
	}
	return nil
}

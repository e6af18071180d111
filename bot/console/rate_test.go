package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot/bottest"
)

// TestRateInTheTerminal rates answers in the terminal: 👍 and 👎 after an
// answer, the 👎 followed by its reason on the next line, which /faq
// unanswered then shows; a vote with no answer before it is refused.
func TestRateInTheTerminal(t *testing.T) {
	b, _ := bottest.Editable(t, "../testdata/kb.yaml", "")
	got := chatWith(t, b,
		"👎",
		"What is the wifi password?", "👍",
		"Where can I park my car?", "-1", "the garage is closed on Sundays",
		"/faq unanswered",
	)
	for _, want := range []string{
		"There is no answer to rate",
		"Thanks for the feedback!",
		"What was wrong with the answer?",
		"“Where can I park my car?” answered with parking: 👎 ×1 (“the garage is closed on Sundays”)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the chat lacks %q:\n%s", want, got)
		}
	}
	r, err := b.Stats(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	votes := map[string][2]int{}
	for _, e := range r.Entries {
		votes[e.ID] = [2]int{e.Up, e.Down}
	}
	if votes["wifi-password"] != [2]int{1, 0} || votes["parking"] != [2]int{0, 1} {
		t.Errorf("votes recorded: %v", votes)
	}
}

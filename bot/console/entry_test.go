package console_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/bottest"
	"github.com/faqbot/faqbot/bot/console"
)

// TestAddEntryByPrompts adds an entry in the terminal: /faq add asks for
// each field on its own line, writes the entry into the knowledge file and
// answers with it at once; /faq history then lists it.
func TestAddEntryByPrompts(t *testing.T) {
	b, path := bottest.Editable(t, "../testdata/kb.yaml", "")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := chatWith(t, b,
		"/faq add",
		"",                            // id: made from the question
		"Can I bring my dog to work?", // question
		"Are pets allowed? | Can I bring a pet to the office?",
		"Only guide dogs.", "Other pets stay at home.", ".",
		"office",
		"are pets allowed?",
		"/faq history",
	)
	for _, want := range []string{
		"Id (Enter: made from the question):",
		"Answer (Markdown), as many lines as it takes",
		"Saved entry can-i-bring-my-dog-to in kb.yaml",
		"Only guide dogs.\nOther pets stay at home.",
		"console:tester can-i-bring-my-dog-to: new entry: Can I bring my dog to work?",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the chat lacks %q:\n%s", want, got)
		}
	}
	after, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(after), string(data)) || !strings.Contains(string(after), "- Can I bring a pet to the office?") {
		t.Errorf("the file:\n%s", after)
	}
}

// chatWith runs the console on the lines of input with b, and returns what
// it wrote.
func chatWith(t *testing.T, b *bot.Bot, input ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := console.New(b, strings.NewReader(strings.Join(input, "\n")+"\n"), &out, console.Config{User: "tester"}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

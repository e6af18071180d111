package console_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/console"
)

func newBot(t *testing.T) *bot.Bot {
	t.Helper()
	kb, err := bot.LoadBase("../testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(kb, bot.Options{Threshold: 0.5})
}

// chat runs the console on input and returns what it wrote.
func chat(t *testing.T, input, prompt string) string {
	t.Helper()
	var out bytes.Buffer
	if err := console.New(newBot(t), strings.NewReader(input), &out, "tester", prompt).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestRun(t *testing.T) {
	tests := []struct {
		name, input string
		want        []string
		not         []string
	}{
		{"one reply per line", "What is the wifi password?\nWhere can I park my car?\n",
			[]string{"Office-Guest", "Source: Office handbook, updated 2026-01-15", "• How do I connect to the printer? (/faq show printer)", "garage"}, nil},
		{"blank lines are skipped", "\n   \n/faq show holidays\n", []string{"25 days"}, []string{"I answer questions"}},
		{"a number picks a suggestion", "/faq show wif\n1\n", []string{"Did you mean:\n  1) What is the wifi password?", "Office-Guest"}, nil},
		{"a number with no suggestions is a question", "7\n", []string{"I don't know that one yet"}, nil},
		{"quit ends the chat", "quit\nWhat is the wifi password?\n", nil, []string{"Office-Guest"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := chat(t, tt.input, "")
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(out, n) {
					t.Errorf("output has %q:\n%s", n, out)
				}
			}
		})
	}
}

func TestPromptOnlyWhenAsked(t *testing.T) {
	if out := chat(t, "What is the wifi password?\n", "> "); !strings.HasPrefix(out, "> ") || strings.Count(out, "> ") != 2 {
		t.Errorf("with a prompt:\n%q", out)
	}
	if out := chat(t, "What is the wifi password?\n", ""); strings.Contains(out, "> ") {
		t.Errorf("without a prompt:\n%q", out)
	}
}

func TestRunStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// A reader that never ends: only the context can stop the chat.
	r, w := io.Pipe()
	defer w.Close()
	if err := console.New(newBot(t), r, &bytes.Buffer{}, "tester", "").Run(ctx); err != nil {
		t.Errorf("Run after cancel = %v", err)
	}
}

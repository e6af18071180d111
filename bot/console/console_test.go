package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/console"
)

func newBot(t *testing.T) *bot.Bot {
	t.Helper()
	return newRecordingBot(t, nil)
}

// newRecordingBot returns a bot that records the questions it is asked in
// rec, when rec is not nil.
func newRecordingBot(t *testing.T, rec bot.Recorder) *bot.Bot {
	t.Helper()
	kb, err := bot.LoadBase("../testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(kb, bot.Options{Threshold: 0.5, Recorder: rec})
}

// recorder keeps the questions the bot records.
type recorder struct{ questions []string }

func (r *recorder) RecordQuestion(_ context.Context, q bot.Asked) error {
	r.questions = append(r.questions, q.Text)
	return nil
}
func (r *recorder) RecordVote(context.Context, bot.Vote) error       { return nil }
func (r *recorder) RecordReload(context.Context, bot.Reloaded) error { return nil }

// chat runs the console on input and returns what it wrote.
func chat(t *testing.T, input, prompt string) string {
	t.Helper()
	var out bytes.Buffer
	if err := console.New(newBot(t), strings.NewReader(input), &out, console.Config{User: "tester", Prompt: prompt}).Run(context.Background()); err != nil {
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
		{"numbers pick from the last question's suggestions", "/faq show wif\n1\n/faq help\n1\n", []string{"Office-Guest"}, []string{"no suggestions"}},
		{"a number with no suggestions is not a question", "7\n", []string{"There are no suggestions to pick from: ask a question first."}, []string{"I don't know that one yet"}},
		{"a number out of range", "/faq show wif\n9\n", []string{"Type a number from 1 to"}, nil},
		{"Markdown is rendered", "Where can I park my car?\nHow do I connect to the printer?\n", []string{"named Floor2 from"}, []string{"*Floor2*"}},
		{"quit ends the chat", "quit\nWhat is the wifi password?\n", nil, []string{"Office-Guest"}},
		{"a line past the longest read is cut, and the chat goes on", "What is the wifi password?\n" + strings.Repeat("é", 600_000) + "\nWhere can I park my car?",
			[]string{"Office-Guest", "I don't know that one yet", "garage"}, nil},
		{"the last line may lack its end, and CRLF ends a line", "/faq show holidays\r\nWhat is the wifi password?", []string{"25 days", "Office-Guest"}, nil},
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
	if err := console.New(newBot(t), r, &bytes.Buffer{}, console.Config{User: "tester"}).Run(ctx); err != nil {
		t.Errorf("Run after cancel = %v", err)
	}
}

// TestNumbersAreNotRecorded checks that a number typed to pick a
// suggestion, with or without suggestions pending, is never recorded as a
// question (it would show as unanswered).
func TestNumbersAreNotRecorded(t *testing.T) {
	rec := &recorder{}
	var out bytes.Buffer
	in := "1\nWhat is the wifi password?\n2\n/faq show wif\n1\n"
	if err := console.New(newRecordingBot(t, rec), strings.NewReader(in), &out, console.Config{User: "tester"}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := []string{"What is the wifi password?"}; !slices.Equal(rec.questions, want) {
		t.Errorf("recorded %q, want %q\n%s", rec.questions, want, out.String())
	}
}

// TestRepliesAreSeparatedByAnEmptyLine checks the piped output's shape:
// one block per reply, an empty line after each and none inside, even for
// answers of several paragraphs; and with JSON, one object per line.
func TestRepliesAreSeparatedByAnEmptyLine(t *testing.T) {
	in := "What is the wifi password?\n/faq help\nWho won the football world cup in 1966?\n/faq list\n"
	out := chat(t, in, "")
	if !strings.HasSuffix(out, "\n\n") {
		t.Errorf("the output does not end with an empty line: %q", out)
	}
	blocks := strings.Split(strings.TrimSuffix(out, "\n\n"), "\n\n")
	if len(blocks) != 4 {
		t.Fatalf("%d blocks, want 4 replies:\n%s", len(blocks), out)
	}
	for i, want := range []string{"Office-Guest", "/faq list", "I don't know that one yet", "wifi-password"} {
		if !strings.Contains(blocks[i], want) {
			t.Errorf("reply %d lacks %q:\n%s", i+1, want, blocks[i])
		}
	}

	var buf bytes.Buffer
	if err := console.New(newBot(t), strings.NewReader(in), &buf, console.Config{JSON: true}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines of JSON, want 4:\n%s", len(lines), buf.String())
	}
	var first console.JSONReply
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || !first.Answered || first.ID != "wifi-password" {
		t.Errorf("first line = %+v, %v", first, err)
	}
}

func TestMarkdown(t *testing.T) {
	for _, tc := range []struct {
		name, md    string
		plain, ansi string
	}{
		{"emphasis and code", "**Last 30 days**: *five* `questions`, ~~none~~",
			"Last 30 days: five questions, none",
			"\x1b[1mLast 30 days\x1b[22m: \x1b[3mfive\x1b[23m \x1b[36mquestions\x1b[39m, \x1b[9mnone\x1b[29m"},
		{"links", "See the [portal](https://example.com/a?b=1&c=2), <https://example.com> or [https://x.org](https://x.org).",
			"See the portal (https://example.com/a?b=1&c=2), https://example.com or https://x.org.", ""},
		{"paragraphs and lists, no empty line", "Then:\n\n- one\n- two\n  1. nested\n\nDone.",
			"Then:\n  • one\n  • two\n      1. nested\nDone.", ""},
		{"ordered list from 3", "3. c\n4. d", "  3. c\n  4. d", ""},
		{"heading, quote, rule", "# Title\n\n> said\n\n---", "Title\n│ said\n───", "\x1b[1mTitle\x1b[22m\n│ said\n───"},
		{"code block keeps its lines", "```\na\n\n  b\n```", "    a\n      b", ""},
		{"escapes and entities", "\\*not bold\\* &amp; &#169;", "*not bold* & ©", ""},
		{"html is shown as written", "a <b>badge</b>", "a <b>badge</b>", ""},
		{"table and tasks", "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo", "a | b\n1 | 2\n  • ☑ done\n  • ☐ todo", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := console.Markdown(tc.md, console.Plain); got != tc.plain {
				t.Errorf("plain:\n got %q\nwant %q", got, tc.plain)
			}
			if tc.ansi == "" {
				return
			}
			if got := console.Markdown(tc.md, console.ANSI); got != tc.ansi {
				t.Errorf("ansi:\n got %q\nwant %q", got, tc.ansi)
			}
		})
	}
}

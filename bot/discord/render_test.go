package discord

import (
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge"
)

func TestMarkdown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain text is kept", "Open **Settings** and *Account*.", "Open **Settings** and *Account*."},
		{"shallow headings are kept", "## Install", "## Install"},
		{"deep headings become bold", "#### Step two ####", "**Step two**"},
		{"__bold__ is bold, not underline", "a __big__ deal", "a **big** deal"},
		{"images become links", "![logo](https://acme.example/logo.png)", "[logo](https://acme.example/logo.png)"},
		{"rules are drawn", "---", "────────"},
		{"br is a line break", "one<br>two<BR/>three", "one\ntwo\nthree"},
		{"@everyone and @here are broken", "hi @everyone and @here", "hi @\u2060everyone and @\u2060here"},
		{"code spans are left alone", "run `__init__ @everyone` now", "run `__init__ @everyone` now"},
		{"code blocks are left alone", "```\n#### x\n__y__\n```", "```\n#### x\n__y__\n```"},
		{"~~~ fences become ```", "~~~go\nx := 1\n~~~", "```go\nx := 1\n```"},
		{"CRLF becomes LF", "a\r\nb", "a\nb"},
		{"invalid UTF-8 is repaired", "a\xffb", "a\uFFFDb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Markdown(tc.in); got != tc.want {
				t.Errorf("Markdown(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestLayout(t *testing.T) {
	t.Parallel()
	entry := &knowledge.Entry{ID: "e", Question: "Q?", Source: "Handbook", Updated: "2026-01-02"}
	answer := func(text string) bot.Reply { return bot.Reply{Kind: bot.Answer, Text: text, Entry: entry} }
	for _, tc := range []struct {
		name     string
		reply    bot.Reply
		messages int
		embed    bool
		footer   string // in the content of the last message, or the embed footer
	}{
		{"short answer", answer("Yes."), 1, false, "\n-# Source: Handbook · updated 2026-01-02"},
		{"answer just too long for content", answer(strings.Repeat("a", 1990)), 1, true, "Source: Handbook · updated 2026-01-02"},
		{"answer too long for an embed", answer(strings.Repeat("word ", 1000)), 3, false, "\n-# Source: Handbook · updated 2026-01-02"},
		{"info without footer", bot.Reply{Kind: bot.Info, Text: strings.Repeat("x", 2000)}, 1, false, ""},
		{"astral characters count twice", bot.Reply{Kind: bot.Info, Text: strings.Repeat("😀", 1001)}, 1, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msgs := render(tc.reply, false)
			if len(msgs) != tc.messages {
				t.Fatalf("%d messages, want %d", len(msgs), tc.messages)
			}
			last := msgs[len(msgs)-1]
			if tc.embed {
				if len(last.Embeds) != 1 || last.Content != "" {
					t.Fatalf("want one embed and no content, got %q and %d embeds", last.Content, len(last.Embeds))
				}
				if tc.footer != "" && (last.Embeds[0].Footer == nil || last.Embeds[0].Footer.Text != tc.footer) {
					t.Errorf("embed footer %+v, want %q", last.Embeds[0].Footer, tc.footer)
				}
				return
			}
			if tc.footer != "" && !strings.HasSuffix(last.Content, tc.footer) {
				t.Errorf("last message ends %q, want the footer %q", tail(last.Content), tc.footer)
			}
			for i, m := range msgs {
				if n := units(m.Content); n > maxContent || len(m.Embeds) != 0 {
					t.Errorf("message %d: %d units, %d embeds", i, n, len(m.Embeds))
				}
			}
		})
	}
}

func tail(s string) string {
	if len(s) > 60 {
		return "…" + s[len(s)-60:]
	}
	return s
}

func TestSplit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"fits", "one two", 20, []string{"one two"}},
		{"at a paragraph", "aaaa aaaa\n\nbbbb bbbb", 12, []string{"aaaa aaaa", "bbbb bbbb"}},
		{"at a line", "aaaa aaaa\nbbbb bbbb", 12, []string{"aaaa aaaa", "bbbb bbbb"}},
		{"at a space", "aaaa bbbb cccc", 10, []string{"aaaa bbbb ", "cccc"}},
		{"inside a word as a last resort", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"code blocks are closed and reopened", "```go\na()\nb()\nc()\n```", 17, []string{"```go\na()\nb()\n```", "```go\nc()\n```"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := split(tc.text, tc.limit)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("split(%q, %d) = %q, want %q", tc.text, tc.limit, got, tc.want)
			}
			for _, p := range got {
				if units(p) > tc.limit {
					t.Errorf("piece %q is longer than %d", p, tc.limit)
				}
			}
		})
	}
}

func TestComponents(t *testing.T) {
	t.Parallel()
	e := &knowledge.Entry{ID: "a", Question: "A?"}
	long := strings.Repeat("very long question ", 10)
	r := bot.Reply{Kind: bot.Answer, Text: "x", Entry: e, Related: []bot.Suggestion{{ID: "b", Question: long}, {ID: "b", Question: "dup"}, {ID: strings.Repeat("z", 100), Question: "too long an id"}}}
	got := render(r, true)[0]
	var ids []string
	for _, row := range got.Components {
		for _, c := range rowButtons(row) {
			ids = append(ids, c.CustomID)
			if units(c.Label) > maxLabel {
				t.Errorf("label %q is longer than %d", c.Label, maxLabel)
			}
		}
	}
	want := []string{"faq:vote:up:a", "faq:vote:down:a", "faq:post:a", "faq:show:b"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("buttons %v, want %v (duplicates and over-long ids dropped)", ids, want)
	}
}

func TestStripMention(t *testing.T) {
	t.Parallel()
	const self = "900000000000000002"
	for _, tc := range []struct{ in, want string }{
		{"<@900000000000000002> how do I reset?", "how do I reset?"},
		{"<@!900000000000000002>how do I reset?", "how do I reset?"},
		{"@everyone @here <@&123> <@456> <#789> <:party:1011> <a:dance:1213> how?", "how?"},
		{"email me@example.com about <3", "email me@example.com about <3"},
	} {
		if got := strings.Join(strings.Fields(stripMention(tc.in, self)), " "); got != tc.want {
			t.Errorf("stripMention(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestUnsureWithoutSuggestions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		reply bot.Reply
		want  string
	}{
		{"fallback, no suggestions", bot.Reply{Kind: bot.Unsure, Text: "I don't know that one yet."}, "I don't know that one yet."},
		{"empty suggestion list", bot.Reply{Kind: bot.Unsure, Text: "I don't know.", Suggestions: []bot.Suggestion{}}, "I don't know."},
		{"no fallback text either", bot.Reply{Kind: bot.Unsure}, "(no text)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msgs := render(tc.reply, false)
			if len(msgs) != 1 || msgs[0].Content == "" {
				t.Fatalf("render gave %d messages, the first %+v; want one with text", len(msgs), msgs[0])
			}
			if !strings.HasPrefix(msgs[0].Content, tc.want) {
				t.Errorf("content %q, want it to start with %q", msgs[0].Content, tc.want)
			}
			if strings.Contains(msgs[0].Content, "Did you mean") {
				t.Errorf("content %q offers suggestions it does not have", msgs[0].Content)
			}
			for i, row := range msgs[0].Components {
				if len(rowButtons(row)) == 0 {
					t.Errorf("action row %d is empty; Discord refuses it with 400", i)
				}
			}
		})
	}
}

package slack

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMrkdwn(t *testing.T) {
	for _, tc := range []struct {
		name, md, want string
	}{
		{"bold", "**bold** and __also__", "*bold* and *also*"},
		{"italics", "*it* and _this_", "_it_ and _this_"},
		{"bold around italics", "***both***", "*_both_*"},
		{"snake_case stays", "set max_open_files to 10", "set max_open_files to 10"},
		{"lone asterisk stays", "2 * 3 = 6", "2 * 3 = 6"},
		{"strike", "~~gone~~", "~gone~"},
		{"link", "[the site](https://x.example/a?b=1&c=2)", "<https://x.example/a?b=1&amp;c=2|the site>"},
		{"link with title", `[site](https://x.example "Title")`, "<https://x.example|site>"},
		{"link label with a pipe", "[a | b](https://x.example)", "<https://x.example|a ¦ b>"},
		{"link label with markup", "[**big** `code`](https://x.example)", "<https://x.example|big code>"},
		{"mailto", "[mail us](mailto:help@x.example)", "<mailto:help@x.example|mail us>"},
		{"image", "![logo](https://x.example/l.png)", "<https://x.example/l.png|logo>"},
		{"javascript link is text", "[click](javascript:alert(1))", "click (javascript:alert(1))"},
		{"link to a mention is text", "[everyone](!everyone)", "everyone (!everyone)"},
		{"autolink", "<https://x.example/p>", "<https://x.example/p>"},
		{"bare URL", "see https://x.example/path.", "see <https://x.example/path>."},
		{"bare URL in parentheses", "(https://x.example/a_(b))", "(<https://x.example/a_(b)>)"},
		{"heading", "## Getting started ##", "*Getting started*"},
		{"bullets", "- one\n* two\n+ three", "• one\n• two\n• three"},
		{"nested bullet", "- one\n  - inner", "• one\n    • inner"},
		{"tasks", "- [x] done\n- [ ] todo", "☑ done\n☐ todo"},
		{"ordered", "1. first\n2) second", "1. first\n2. second"},
		{"quote", "> quoted *it*", "> quoted _it_"},
		{"rule", "---", "───"},
		{"code span", "run `a < b && c`", "run `a &lt; b &amp;&amp; c`"},
		{"code span keeps markup", "`**not bold**`", "`**not bold**`"},
		{"code block", "```go\nif a < b && c > d {\n**x**\n```", "```\nif a &lt; b &amp;&amp; c &gt; d {\n**x**\n```"},
		{"unclosed code block is closed", "```\ncode", "```\ncode\n```"},
		{"escapes", "a < b & c > d", "a &lt; b &amp; c &gt; d"},
		{"mentions cannot form", "<!channel> <!here> <@U1> <!subteam^S1|x> <#C1>", "&lt;!channel&gt; &lt;!here&gt; &lt;@U1&gt; &lt;!subteam^S1|x&gt; &lt;#C1&gt;"},
		{"entities are shown as written", "&amp; &lt;", "&amp;amp; &amp;lt;"},
		{"backslash escape", `1\. not a list \<b\>`, "1. not a list &lt;b&gt;"},
		{"CRLF", "a\r\nb", "a\nb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Mrkdwn(tc.md); got != tc.want {
				t.Errorf("Mrkdwn(%q)\n got %q\nwant %q", tc.md, got, tc.want)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	const self = "U0FAQBOT"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"own mention removed", "<@U0FAQBOT> how do I?", "how do I?"},
		{"own mention with name", "<@U0FAQBOT|faqbot> hi", "hi"},
		{"other mentions", "ask <@U123> or <@U456|bob>", "ask @U123 or @bob"},
		{"channel", "see <#C1|general>", "see #general"},
		{"specials", "<!here> <!channel> <!everyone>", "@here @channel @everyone"},
		{"user group", "<!subteam^S1|@team> and <!subteam^S2>", "@team and @subteam"},
		{"link with label", "<https://x.example|the site>", "the site"},
		{"bare link", "<https://x.example>", "https://x.example"},
		{"mailto", "<mailto:a@b.example>", "a@b.example"},
		{"escapes undone once", "a &lt; b &amp;&gt; c &amp;lt;", "a < b &> c &lt;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PlainText(tc.in, self); got != tc.want {
				t.Errorf("PlainText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSplit(t *testing.T) {
	para := strings.Repeat("word ", 100) // 500 characters
	for _, tc := range []struct {
		name  string
		in    string
		limit int
		parts int
		check func(t *testing.T, parts []string)
	}{
		{"short text is one part", "hello", 100, 1, nil},
		{"paragraphs", strings.Repeat(para+"\n\n", 10), 1200, 5, func(t *testing.T, parts []string) {
			for _, p := range parts {
				if strings.HasPrefix(p, " ") || strings.HasSuffix(p, " ") || strings.HasPrefix(p, "\n") {
					t.Errorf("part not cut at a break: %q…", p[:20])
				}
			}
		}},
		{"code block across a cut", "```\n" + strings.Repeat("line of code\n", 30) + "```", 100, 0, func(t *testing.T, parts []string) {
			for _, p := range parts {
				if !strings.HasPrefix(p, "```") || !strings.HasSuffix(p, "```") {
					t.Errorf("part does not open and close its code block: %q", p)
				}
			}
		}},
		{"escapes are not cut", strings.Repeat("&amp;", 100), 64, 0, func(t *testing.T, parts []string) {
			for _, p := range parts {
				if strings.Count(p, "&") != strings.Count(p, "&amp;") {
					t.Errorf("an escape was cut: %q", p)
				}
			}
		}},
		{"links are not cut", strings.Repeat("<https://x.example/page|a page> ", 20), 100, 0, func(t *testing.T, parts []string) {
			for _, p := range parts {
				if strings.Count(p, "<") != strings.Count(p, ">") {
					t.Errorf("a link was cut: %q", p)
				}
			}
		}},
		{"one long word", strings.Repeat("é", 250), 100, 3, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := Split(tc.in, tc.limit)
			if tc.parts > 0 && len(parts) != tc.parts {
				t.Errorf("%d parts, want %d", len(parts), tc.parts)
			}
			checkSplit(t, tc.in, parts, tc.limit)
			if tc.check != nil {
				tc.check(t, parts)
			}
		})
	}
}

// checkSplit checks Split's promises: every part within the limit, and
// nothing lost but white space and the code fences it adds.
func checkSplit(t *testing.T, in string, parts []string, limit int) {
	t.Helper()
	for i, p := range parts {
		if n := utf8.RuneCountInString(p); n > limit {
			t.Errorf("part %d has %d characters, over %d", i, n, limit)
		}
	}
	// squash drops white space and the code fence lines Split adds.
	squash := func(s string) string {
		var sb strings.Builder
		for line := range strings.Lines(s) {
			if strings.TrimSpace(line) != "```" {
				sb.WriteString(strings.Join(strings.Fields(line), ""))
			}
		}
		return sb.String()
	}
	var joined strings.Builder
	for _, p := range parts {
		joined.WriteString(squash(p))
	}
	if got, want := joined.String(), squash(in); got != want {
		t.Errorf("the parts do not add up to the text:\n got %.200q\nwant %.200q", got, want)
	}
}

// linkOrEscape matches what may follow a '<' in Mrkdwn's output: a link
// Mrkdwn made to an http, https or mailto URL.
var linkStart = regexp.MustCompile(`(?i)^<(https?://|mailto:)[^<>|\s]+(\|[^<>]*)?>`)

func FuzzMrkdwn(f *testing.F) {
	for _, s := range []string{
		"**bold** [x](https://x.example) <!channel>", "```\n<@U1>\n```", "[a](!channel)", "<https://x|y>",
		"[<!here>](https://x.example)", "![<@U1>](mailto:<!channel>)", "*_~`[]()<>&", "- [x] <b>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		if !utf8.ValidString(md) {
			return
		}
		out := Mrkdwn(md)
		for i := strings.IndexByte(out, '<'); i >= 0; i = nextLT(out, i) {
			if !linkStart.MatchString(out[i:]) {
				t.Fatalf("Mrkdwn(%q) = %q: a '<' at %d starts no link", md, out, i)
			}
		}
		parts := Split(out, 64)
		checkSplit(t, out, parts, 64)
	})
}

func nextLT(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '<')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

func FuzzPlainTextEscaped(f *testing.F) {
	for _, s := range []string{"<@U0FAQBOT> hi", "&lt;!channel&gt;", "<!subteam^S1|@x>", "&amp;lt;!here&amp;gt;", "<<@U1>>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if out := Escape(PlainText(s, "U0FAQBOT")); strings.ContainsAny(out, "<>") {
			t.Fatalf("Escape(PlainText(%q)) = %q still holds < or >", s, out)
		}
	})
}

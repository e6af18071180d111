package slack

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape makes text safe to put in Slack mrkdwn: it escapes &, < and >, so
// that no mention (<!channel>, <!everyone>, <@U…>, <!subteam^…>) and no
// link can form from it.
func Escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return mrkdwnEscaper.Replace(s)
}

var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Mrkdwn converts the Markdown of an answer to Slack mrkdwn: bold, italics,
// strike-through, links, headings, lists, quotes and code. Every piece of
// text from the Markdown is escaped, so the only <…> tokens in the result
// are links to http, https and mailto URLs that Mrkdwn made itself: the
// result can never mention anyone.
func Mrkdwn(md string) string {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	var out []string
	fence := false
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			// Slack code blocks take no language tag.
			fence = !fence
			out = append(out, "```")
			continue
		}
		if fence {
			out = append(out, Escape(line))
			continue
		}
		out = append(out, mrkdwnLine(line))
	}
	if fence {
		out = append(out, "```")
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n ")
}

var (
	heading   = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$`)
	bullet    = regexp.MustCompile(`^(\s*)[-*+]\s+(.*)$`)
	ordered   = regexp.MustCompile(`^(\s*)(\d{1,9})[.)]\s+(.*)$`)
	quote     = regexp.MustCompile(`^\s{0,3}>\s?(.*)$`)
	rule      = regexp.MustCompile(`^\s{0,3}([-*_])(\s*[-*_]){2,}\s*$`)
	checkItem = regexp.MustCompile(`^\[([ xX])\]\s+(.*)$`)
)

// mrkdwnLine converts one line outside code blocks.
func mrkdwnLine(line string) string {
	if m := heading.FindStringSubmatch(line); m != nil {
		if m[1] == "" {
			return ""
		}
		return "*" + inline(m[1]) + "*"
	}
	if rule.MatchString(line) {
		return "───"
	}
	if m := bullet.FindStringSubmatch(line); m != nil {
		item := m[2]
		mark := "•"
		if c := checkItem.FindStringSubmatch(item); c != nil {
			mark, item = "☐", c[2]
			if c[1] != " " {
				mark = "☑"
			}
		}
		return indent(m[1]) + mark + " " + inline(item)
	}
	if m := ordered.FindStringSubmatch(line); m != nil {
		return indent(m[1]) + m[2] + ". " + inline(m[3])
	}
	if m := quote.FindStringSubmatch(line); m != nil {
		// The one raw '>' Mrkdwn writes: a quote marker at the start of a
		// line, which cannot close a token because every '<' is escaped.
		return ">" + " " + mrkdwnLine(m[1])
	}
	return inline(line)
}

// indent keeps list nesting visible: Slack shows leading spaces.
func indent(ws string) string {
	n := 0
	for _, r := range ws {
		if r == '\t' {
			n += 4
		} else {
			n++
		}
	}
	return strings.Repeat("    ", n/2)
}

// inline converts the inline Markdown of one line.
func inline(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isPunct(s[i+1]):
			b.WriteString(Escape(s[i+1 : i+2]))
			i += 2
		case c == '`':
			n := runLen(s, i, '`')
			if j := findRun(s, i+n, '`', n); j >= 0 {
				code := s[i+n : j]
				if len(code) > 2 && code[0] == ' ' && code[len(code)-1] == ' ' {
					code = code[1 : len(code)-1]
				}
				if strings.TrimSpace(code) != "" {
					b.WriteString("`" + Escape(strings.ReplaceAll(code, "`", "ˋ")) + "`")
				}
				i = j + n
				continue
			}
			b.WriteString(s[i : i+n])
			i += n
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if label, target, end, ok := parseLink(s, i+1); ok {
				b.WriteString(link(label, target))
				i = end
				continue
			}
			b.WriteByte('!')
			i++
		case c == '[':
			if label, target, end, ok := parseLink(s, i); ok {
				b.WriteString(link(label, target))
				i = end
				continue
			}
			b.WriteByte('[')
			i++
		case c == '<':
			if j := strings.IndexByte(s[i:], '>'); j > 1 {
				if u := s[i+1 : i+j]; safeURL(u) && !strings.ContainsAny(u, " \t<") {
					b.WriteString("<" + escapeURL(u) + ">")
					i += j + 1
					continue
				}
			}
			b.WriteString("&lt;")
			i++
		case c == '>':
			b.WriteString("&gt;")
			i++
		case c == '&':
			b.WriteString("&amp;")
			i++
		case c == '*' || c == '_':
			n := runLen(s, i, c)
			if out, end, ok := emphasis(s, i, c, n); ok {
				b.WriteString(out)
				i = end
				continue
			}
			b.WriteString(s[i : i+n])
			i += n
		case c == '~' && strings.HasPrefix(s[i:], "~~"):
			if j := strings.Index(s[i+2:], "~~"); j > 0 {
				b.WriteString("~" + inline(s[i+2:i+2+j]) + "~")
				i += j + 4
				continue
			}
			b.WriteString("~~")
			i += 2
		case c == 'h' || c == 'H':
			if u := bareURL(s, i); u != "" {
				b.WriteString("<" + escapeURL(u) + ">")
				i += len(u)
				continue
			}
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// emphasis converts a run of n delimiters c at s[i] and its closing run:
// two or more make bold (*…* in mrkdwn), one makes italics (_…_).
func emphasis(s string, i int, c byte, n int) (out string, end int, ok bool) {
	if c == '_' && i > 0 && isWordByte(s[i-1]) {
		return "", 0, false // snake_case, not emphasis
	}
	open := i + n
	if open >= len(s) || s[open] == ' ' {
		return "", 0, false
	}
	if n >= 2 {
		// Bold: the closing "**" is the last two of a run, so that
		// ***both*** nests as bold around italics.
		for j := open + 1; j+1 < len(s); j++ {
			if s[j] == c && s[j+1] == c && (j+2 == len(s) || s[j+2] != c) && s[j-1] != ' ' {
				inner := s[i+2 : j]
				if c == '_' && j+2 < len(s) && isWordByte(s[j+2]) {
					continue
				}
				return "*" + inline(inner) + "*", j + 2, true
			}
		}
		return "", 0, false
	}
	for j := open + 1; j < len(s); j++ {
		if s[j] == c && s[j-1] != ' ' && (j+1 == len(s) || s[j+1] != c) {
			if c == '_' && j+1 < len(s) && isWordByte(s[j+1]) {
				continue
			}
			return "_" + inline(s[open:j]) + "_", j + 1, true
		}
	}
	return "", 0, false
}

// parseLink parses [label](target "title") at s[i].
func parseLink(s string, i int) (label, target string, end int, ok bool) {
	depth := 0
	j := i
	for ; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
			continue
		case '[':
			depth++
		case ']':
			depth--
		}
		if depth == 0 {
			break
		}
	}
	if j >= len(s) || j+1 >= len(s) || s[j+1] != '(' {
		return "", "", 0, false
	}
	label = s[i+1 : j]
	depth = 0
	k := j + 1
	for ; k < len(s); k++ {
		if s[k] == '(' {
			depth++
		} else if s[k] == ')' {
			depth--
			if depth == 0 {
				break
			}
		}
	}
	if k >= len(s) {
		return "", "", 0, false
	}
	target = strings.TrimSpace(s[j+2 : k])
	if sp := strings.IndexAny(target, " \t"); sp >= 0 {
		target = target[:sp] // drop a "title"
	}
	target = strings.TrimSuffix(strings.TrimPrefix(target, "<"), ">")
	return label, target, k + 1, true
}

// link renders a Markdown link. Only http, https and mailto targets become
// Slack links; anything else (such as "!channel") is shown as text.
func link(label, target string) string {
	text := plainLabel(label)
	if !safeURL(target) {
		if text == "" {
			return Escape(target)
		}
		return Escape(text) + " (" + Escape(target) + ")"
	}
	if text == "" || text == target {
		return "<" + escapeURL(target) + ">"
	}
	// In a label, '|' and '>' would end it early; Escape handles '>'.
	return "<" + escapeURL(target) + "|" + Escape(strings.ReplaceAll(text, "|", "¦")) + ">"
}

// plainLabel strips the inline formatting characters from a link label.
func plainLabel(s string) string {
	s = strings.NewReplacer("**", "", "__", "", "`", "", "\\", "").Replace(s)
	return strings.TrimSpace(s)
}

// safeURL reports whether u is an absolute http, https or mailto URL with
// no white space or control characters in it.
func safeURL(u string) bool {
	if strings.IndexFunc(u, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError }) >= 0 {
		return false
	}
	switch {
	case hasPrefixFold(u, "https://"), hasPrefixFold(u, "http://"):
		return len(u) > len("https://")
	case hasPrefixFold(u, "mailto:"):
		return len(u) > len("mailto:")
	}
	return false
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// escapeURL makes a URL safe inside <…>: the characters that would end or
// split the token are percent-encoded and & is escaped.
func escapeURL(u string) string {
	return strings.NewReplacer("&", "&amp;", "<", "%3C", ">", "%3E", "|", "%7C", " ", "%20", "\"", "%22").Replace(u)
}

// bareURL returns the URL starting at s[i], if any, without trailing
// punctuation, so that plain URLs stay clickable in verbatim text.
func bareURL(s string, i int) string {
	if i > 0 && (isWordByte(s[i-1]) || s[i-1] == '/') {
		return ""
	}
	rest := s[i:]
	if !hasPrefixFold(rest, "https://") && !hasPrefixFold(rest, "http://") {
		return ""
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == '<' || r == '>' || r == '"' })
	if end < 0 {
		end = len(rest)
	}
	u := strings.TrimRight(rest[:end], ".,;:!?'")
	for strings.HasSuffix(u, ")") && strings.Count(u, "(") < strings.Count(u, ")") {
		u = u[:len(u)-1]
	}
	if !safeURL(u) || !utf8.ValidString(u) {
		return ""
	}
	return u
}

func runLen(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// findRun finds the next run of exactly n bytes c from s[from:].
func findRun(s string, from int, c byte, n int) int {
	for j := from; j < len(s); {
		if s[j] != c {
			j++
			continue
		}
		m := runLen(s, j, c)
		if m == n {
			return j
		}
		j += m
	}
	return -1
}

func isPunct(c byte) bool {
	return c < utf8.RuneSelf && unicode.IsPunct(rune(c)) || strings.IndexByte("`*_{}[]()#+-.!|<>~^$=", c) >= 0
}

func isWordByte(c byte) bool {
	return c >= utf8.RuneSelf || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuestion is the number of characters of a message the bot reads as a
// question; the rest of a longer message is ignored.
const MaxQuestion = 1000

// Clean makes user text safe to match and to quote: it repairs invalid
// UTF-8, removes control, zero-width and bidirectional formatting
// characters, folds runs of white space, and cuts the text to MaxQuestion
// characters.
func Clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	var sb strings.Builder
	sb.Grow(min(len(s), 4*MaxQuestion))
	n, space := 0, false
	for _, r := range s {
		if n >= MaxQuestion {
			break
		}
		switch {
		case unicode.IsSpace(r):
			space = sb.Len() > 0
			continue
		case unicode.Is(unicode.Cf, r) || unicode.IsControl(r):
			continue
		}
		if space {
			if n+1 >= MaxQuestion {
				break
			}
			sb.WriteByte(' ')
			n++
			space = false
		}
		sb.WriteRune(r)
		n++
	}
	return sb.String()
}

// Defuse neutralises mentions and links in text that the bot repeats, so
// that quoting a user's "@everyone" or "@here" can ping nobody on any
// platform, and a user's [label](url) cannot become a link with a label of
// their choosing in the bot's own message. Adapters still send their
// platform's own no-mention settings; this is the second line of defence.
func Defuse(s string) string {
	if !strings.ContainsAny(s, "@<]") {
		return s
	}
	// A zero-width joiner after "@" keeps the text readable but breaks the
	// mention; "<" is replaced by a look-alike so that <!channel>, <@U1>,
	// <@&role> and Slack's <url|label> never form a token; a joiner inside
	// "](" breaks Markdown's [label](url).
	r := strings.NewReplacer("@", "@\u2060", "<", "\u2039", "](", "]\u2060(")
	return r.Replace(s)
}

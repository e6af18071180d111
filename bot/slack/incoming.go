package slack

import (
	"regexp"
	"strings"
)

// slackToken matches Slack's markup in message text: <@U…>, <#C…|name>,
// <!here>, <!subteam^S…|@team>, <https://…|label>.
var slackToken = regexp.MustCompile(`<([^<>\n]*)>`)

var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// PlainText turns the text of a Slack message into what its author typed:
// the mention of the bot (user id self) is removed, other mentions and
// channels become @name and #name, links become their label, and Slack's
// escapes are undone. The result is for the bot to read; it is escaped
// again before it is ever sent back.
func PlainText(s, self string) string {
	s = slackToken.ReplaceAllStringFunc(s, func(tok string) string {
		target, label, _ := strings.Cut(tok[1:len(tok)-1], "|")
		switch {
		case strings.HasPrefix(target, "@"):
			if self != "" && target[1:] == self {
				return " "
			}
			if label != "" {
				return "@" + strings.TrimPrefix(label, "@")
			}
			return target
		case strings.HasPrefix(target, "#"):
			if label != "" {
				return "#" + label
			}
			return target
		case strings.HasPrefix(target, "!"):
			if label != "" {
				return label
			}
			name, _, _ := strings.Cut(target[1:], "^")
			return "@" + name
		case label != "":
			return label
		}
		return strings.TrimPrefix(target, "mailto:")
	})
	return strings.TrimSpace(unescaper.Replace(s))
}

// mentions reports whether Slack text mentions the user id self.
func mentions(s, self string) bool {
	return self != "" && (strings.Contains(s, "<@"+self+">") || strings.Contains(s, "<@"+self+"|"))
}

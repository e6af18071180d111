package discord

import (
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
)

// Discord's limits, counted in UTF-16 code units as Discord's clients
// count them (stricter than counting characters).
const (
	maxContent     = 2000
	maxDescription = 4096
	maxTitle       = 256
	maxFooter      = 2048
	maxLabel       = 80
	maxCustomID    = 100
	maxButtons     = 5
	maxChoiceName  = 100
	maxChoices     = 25
	maxFenceLine   = 64
)

// Button custom ids. An entry id follows the prefix.
const (
	idShow     = "faq:show:"
	idPost     = "faq:post:"
	idVoteUp   = "faq:vote:up:"
	idVoteDown = "faq:vote:down:"
	// idCommand is followed by a command the button runs, as the clicker.
	idCommand = "faq:cmd:"
)

// maxActionRows is the most rows of command buttons under one reply;
// Discord allows five rows in all.
const maxActionRows = 4

// outgoing is one Discord message, ready to send as a channel message, an
// interaction response or a follow-up.
type outgoing struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
}

// units returns the length of s as Discord counts it.
func units(s string) int {
	n := 0
	for _, r := range s {
		if utf16.RuneLen(r) == 2 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// truncate cuts s to at most limit units, ending with "…" when cut.
func truncate(s string, limit int) string {
	if units(s) <= limit {
		return s
	}
	n := 0
	for i, r := range s {
		w := units(string(r))
		if n+w > limit-1 {
			return strings.TrimRight(s[:i], " \n") + "…"
		}
		n += w
	}
	return s
}

// render turns a reply into one or more Discord messages. Text up to 2,000
// units is sent as content; longer text up to 4,096 as an embed; longer
// still is split cleanly into several messages. The provenance of an
// answer goes in the footer: a subtext line, or the embed's footer. The
// buttons (votes, "Post publicly", related questions, "Did you mean…")
// go under the last message. post adds the "Post publicly" button to an
// answer.
func render(r bot.Reply, post bool) []outgoing {
	body := Markdown(r.Text)
	if r.Kind == bot.Unsure && len(r.Suggestions) > 0 {
		body = strings.TrimRight(body, "\n") + "\n\nDid you mean one of these?"
	}
	if strings.TrimSpace(body) == "" {
		body = "(no text)"
	}
	title, footer := "", ""
	if r.Kind == bot.Answer && r.Entry != nil {
		title = truncate(Markdown(r.Entry.Question), maxTitle)
		footer = provenance(r.Entry.Source, r.Entry.Updated)
	}
	msgs := layout(body, title, footer)
	msgs[len(msgs)-1].Components = components(r, post)
	return msgs
}

// provenance says where an answer comes from and when it was checked.
func provenance(source, updated string) string {
	source = strings.Join(strings.Fields(Markdown(source)), " ")
	updated = strings.Join(strings.Fields(Markdown(updated)), " ")
	switch {
	case source != "" && updated != "":
		return truncate("Source: "+source+" · updated "+updated, maxFooter)
	case source != "":
		return truncate("Source: "+source, maxFooter)
	case updated != "":
		return "Updated " + truncate(updated, maxFooter-8)
	}
	return ""
}

// layout places body (and the footer, if any) in as few messages as fit.
func layout(body, title, footer string) []outgoing {
	subtext := ""
	if footer != "" {
		subtext = "\n-# " + footer
	}
	if units(body+subtext) <= maxContent {
		return []outgoing{{Content: body + subtext}}
	}
	if units(body) <= maxDescription {
		e := &discordgo.MessageEmbed{Title: title, Description: body}
		if footer != "" {
			e.Footer = &discordgo.MessageEmbedFooter{Text: footer}
		}
		return []outgoing{{Embeds: []*discordgo.MessageEmbed{e}}}
	}
	var out []outgoing
	for _, chunk := range split(body, maxContent) {
		out = append(out, outgoing{Content: chunk})
	}
	if subtext != "" {
		last := &out[len(out)-1]
		if units(last.Content+subtext) <= maxContent {
			last.Content += subtext
		} else {
			out = append(out, outgoing{Content: strings.TrimPrefix(subtext, "\n")})
		}
	}
	return out
}

// split cuts text into pieces of at most limit units, at a paragraph break
// if there is one in the second half of a piece, else at a line break or a
// space, and at a character only as a last resort. A code block cut in two
// is closed at the end of one piece and reopened at the start of the next.
func split(text string, limit int) []string {
	const closeFence = "\n```"
	var out []string
	fence := ""
	for text != "" {
		prefix := ""
		if fence != "" {
			prefix = fence + "\n"
		}
		if units(prefix+text) <= limit {
			out = append(out, prefix+text)
			break
		}
		budget := limit - units(prefix)
		cut := cutPoint(text, budget)
		open := fenceAfter(fence, text[:cut])
		if open != "" {
			// Leave room to close the code block.
			cut = cutPoint(text, budget-units(closeFence))
			open = fenceAfter(fence, text[:cut])
		}
		chunk := strings.TrimRight(text[:cut], "\n")
		text = strings.TrimLeft(text[cut:], "\n")
		piece := prefix + chunk
		if open != "" {
			piece += closeFence
		}
		if strings.TrimSpace(piece) != "" {
			out = append(out, piece)
		}
		fence = open
	}
	return out
}

// cutPoint returns the byte index at which to cut text so that the piece
// before it takes at most budget units; it is always at least one rune.
func cutPoint(text string, budget int) int {
	end, n := 0, 0
	for i, r := range text {
		w := units(string(r))
		if n+w > budget {
			break
		}
		n += w
		end = i + utf8.RuneLen(r)
	}
	if end == 0 {
		_, size := utf8.DecodeRuneInString(text)
		return size
	}
	if end == len(text) || text[end] == '\n' || text[end] == ' ' {
		return end // the piece ends at a natural break already
	}
	head := text[:end]
	for _, sep := range []struct {
		s   string
		min int
	}{{"\n\n", end / 2}, {"\n", end / 3}, {" ", end / 3}} {
		if i := strings.LastIndex(head, sep.s); i > 0 && i >= sep.min {
			return i + len(sep.s)
		}
	}
	return end
}

// fenceAfter returns the opening line of the code block still open at the
// end of chunk, given the one open at its start, or "" if none is.
func fenceAfter(open, chunk string) string {
	for _, line := range strings.Split(chunk, "\n") {
		t := strings.TrimLeft(line, " ")
		if !strings.HasPrefix(t, "```") {
			continue
		}
		if open != "" {
			open = ""
			continue
		}
		open = strings.TrimRight(t, " ")
		if units(open) > maxFenceLine || strings.Contains(open[3:], "`") {
			open = "```"
		}
	}
	return open
}

// Patterns of the Markdown that Discord reads differently.
var (
	image      = regexp.MustCompile(`!\[([^\]\n]*)\]\(([^)\s]+)\)`)
	underscore = regexp.MustCompile(`__([^_\n]+)__`)
	deepHead   = regexp.MustCompile(`^ {0,3}#{4,6}\s+(.*?)\s*#*\s*$`)
	rule       = regexp.MustCompile(`^ {0,3}([-*_])( *[-*_]){2,} *$`)
	lineBreak  = regexp.MustCompile(`(?i)<br\s*/?>`)
	everyone   = strings.NewReplacer("@everyone", "@\u2060everyone", "@here", "@\u2060here")
)

// Markdown turns the knowledge file's Markdown into Discord's dialect:
// headings deeper than ### become bold lines, __bold__ becomes **bold**
// (Discord reads __ as underline), images become links, ~~~ fences
// become ``` fences, rules and <br> are rewritten, and @everyone and @here
// are broken with a word joiner so they can never ping, even if quoted
// where allowed mentions do not apply. Code is left alone.
func Markdown(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	inCode := false
	for i, line := range lines {
		t := strings.TrimLeft(line, " ")
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			if strings.HasPrefix(t, "~~~") {
				line = strings.Replace(line, "~~~", "```", 1)
			}
			inCode = !inCode
			lines[i] = line
			continue
		}
		if inCode {
			continue
		}
		switch {
		case deepHead.MatchString(line):
			line = "**" + deepHead.FindStringSubmatch(line)[1] + "**"
		case rule.MatchString(line):
			line = "────────"
		}
		lines[i] = inline(line)
	}
	return strings.Join(lines, "\n")
}

// inline rewrites one line outside code blocks, leaving `code spans` alone.
func inline(line string) string {
	parts := strings.Split(line, "`")
	for i := 0; i < len(parts); i += 2 {
		p := image.ReplaceAllString(parts[i], "[$1]($2)")
		p = underscore.ReplaceAllString(p, "**$1**")
		p = lineBreak.ReplaceAllString(p, "\n")
		parts[i] = everyone.Replace(p)
	}
	return strings.Join(parts, "`")
}

// components builds the buttons under a reply.
func components(r bot.Reply, post bool) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	used := make(map[string]bool)
	button := func(label, id string, style discordgo.ButtonStyle, emoji string) (discordgo.MessageComponent, bool) {
		if len(id) > maxCustomID || used[id] {
			return nil, false
		}
		used[id] = true
		b := discordgo.Button{Label: truncate(strings.Join(strings.Fields(label), " "), maxLabel), Style: style, CustomID: id}
		if emoji != "" {
			b.Emoji = &discordgo.ComponentEmoji{Name: emoji}
		}
		return b, true
	}
	row := func(bs []discordgo.MessageComponent) {
		if len(bs) > 0 {
			rows = append(rows, discordgo.ActionsRow{Components: bs})
		}
	}
	choices := func(ss []bot.Suggestion, style discordgo.ButtonStyle) {
		var bs []discordgo.MessageComponent
		for _, s := range ss {
			if len(bs) == maxButtons {
				break
			}
			if b, ok := button(s.Question, idShow+s.ID, style, ""); ok {
				bs = append(bs, b)
			}
		}
		row(bs)
	}
	switch r.Kind {
	case bot.Answer:
		if r.Entry == nil {
			break
		}
		var bs []discordgo.MessageComponent
		if b, ok := button("Helpful", idVoteUp+r.Entry.ID, discordgo.SecondaryButton, "👍"); ok {
			bs = append(bs, b)
		}
		if b, ok := button("Not helpful", idVoteDown+r.Entry.ID, discordgo.SecondaryButton, "👎"); ok {
			bs = append(bs, b)
		}
		if post {
			if b, ok := button("Post publicly", idPost+r.Entry.ID, discordgo.PrimaryButton, ""); ok {
				bs = append(bs, b)
			}
		}
		row(bs)
		choices(r.Related, discordgo.SecondaryButton)
	case bot.Unsure, bot.Clarify:
		choices(r.Suggestions, discordgo.PrimaryButton)
	}
	var bs []discordgo.MessageComponent
	for _, act := range r.Actions {
		if len(rows) == maxActionRows {
			break
		}
		if b, ok := button(act.Label, idCommand+act.Command, discordgo.SecondaryButton, ""); ok {
			bs = append(bs, b)
		}
		if len(bs) == maxButtons {
			row(bs)
			bs = nil
		}
	}
	row(bs)
	return rows
}

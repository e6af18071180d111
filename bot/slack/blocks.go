package slack

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge"
)

// Block and action ids of the buttons the adapter puts under its replies.
// A click comes back with the action id; the button's value is an entry id.
const (
	blockFeedback  = "faq_feedback"
	blockSuggest   = "faq_suggest"
	blockRelated   = "faq_related"
	blockSource    = "faq_source"
	actionVoteUp   = "faq_vote_up"
	actionVoteDown = "faq_vote_down"
	actionShare    = "faq_share"
	actionPick     = "faq_pick_"    // followed by the suggestion's index
	actionRelated  = "faq_related_" // followed by the related entry's index
	blockCommands  = "faq_commands"
	actionCommand  = "faq_command_" // followed by the action's index; the value is the command
)

// Slack's limits, from its Block Kit reference, and the adapter's own.
const (
	// sectionLimit is the most characters a section block's text takes.
	sectionLimit = 3000
	// sectionsPerMessage keeps a message well under Slack's 50 blocks and
	// its 40,000-character message limit; longer replies become several
	// messages.
	sectionsPerMessage = 12
	// buttonTextLimit is the most characters a button's label takes.
	buttonTextLimit = 75
	// contextLimit is the most characters a context element takes.
	contextLimit = 2000
	// maxButtons is the most buttons the adapter puts in one actions block.
	maxButtons = 5
)

// message is one Slack message to send: the fallback text that
// notifications show, and the blocks.
type message struct {
	text   string
	blocks []slack.Block
}

// render turns a reply into the Slack messages that show it: its text as
// mrkdwn sections, split at Slack's limits; for answers, a context block
// with the provenance, related questions and 👍/👎 buttons (and "Share in
// channel" when share is set, for ephemeral answers); for unsure replies, a
// button per suggestion. Buttons go on the last message.
func render(r bot.Reply, share bool) []message {
	chunks := Split(Mrkdwn(r.Text), sectionLimit)
	if len(chunks) == 0 {
		chunks = []string{"…"}
	}
	var msgs []message
	for i := 0; i < len(chunks); i += sectionsPerMessage {
		group := chunks[i:min(i+sectionsPerMessage, len(chunks))]
		m := message{text: group[0]}
		for _, c := range group {
			m.blocks = append(m.blocks, slack.NewSectionBlock(mrkdwnText(c), nil, nil))
		}
		msgs = append(msgs, m)
	}
	last := &msgs[len(msgs)-1]
	switch r.Kind {
	case bot.Answer:
		if r.Entry != nil {
			last.blocks = append(last.blocks, slack.NewContextBlock(blockSource, mrkdwnText(provenance(r.Entry))))
			buttons := []slack.BlockElement{
				button(actionVoteUp, r.Entry.ID, "👍 Helpful", ""),
				button(actionVoteDown, r.Entry.ID, "👎 Not helpful", ""),
			}
			if share {
				buttons = append(buttons, button(actionShare, r.Entry.ID, "Share in channel", slack.StylePrimary))
			}
			if b := suggestionButtons(blockRelated, actionRelated, r.Related); b != nil {
				last.blocks = append(last.blocks, b)
			}
			last.blocks = append(last.blocks, slack.NewActionBlock(blockFeedback, buttons...))
		}
	case bot.Unsure, bot.Clarify:
		if b := suggestionButtons(blockSuggest, actionPick, r.Suggestions); b != nil {
			if r.Kind == bot.Unsure {
				last.blocks = append(last.blocks, slack.NewSectionBlock(mrkdwnText("*Did you mean…*"), nil, nil))
			}
			last.blocks = append(last.blocks, b)
		}
	}
	last.blocks = append(last.blocks, actionButtons(r.Actions)...)
	return msgs
}

// maxActions is the most command buttons shown under one reply.
const maxActions = 20

// actionButtons returns actions blocks with one button per action of the
// reply, each running the action's command when clicked.
func actionButtons(as []bot.Action) []slack.Block {
	var blocks []slack.Block
	var els []slack.BlockElement
	for i, a := range as[:min(len(as), maxActions)] {
		els = append(els, button(actionCommand+strconv.Itoa(i), a.Command, a.Label, ""))
		if len(els) == maxButtons || i == min(len(as), maxActions)-1 {
			blocks = append(blocks, slack.NewActionBlock(blockCommands+"_"+strconv.Itoa(len(blocks)), els...))
			els = nil
		}
	}
	return blocks
}

// provenance says where an answer comes from, for its context block.
func provenance(e *knowledge.Entry) string {
	parts := []string{"From the FAQ: `" + Escape(e.ID) + "`"}
	if e.Source != "" {
		parts = append(parts, "Source: "+inline(e.Source))
	}
	if e.Updated != "" {
		parts = append(parts, "Updated "+Escape(e.Updated))
	}
	s := strings.Join(parts, " · ")
	if utf8.RuneCountInString(s) > contextLimit {
		s = firstRunes(strings.Join(parts[:1], ""), contextLimit)
	}
	return s
}

// suggestionButtons returns an actions block with one button per
// suggestion, or nil when there are none.
func suggestionButtons(blockID, actionPrefix string, ss []bot.Suggestion) *slack.ActionBlock {
	var els []slack.BlockElement
	for i, s := range ss {
		if i == maxButtons {
			break
		}
		els = append(els, button(actionPrefix+strconv.Itoa(i), s.ID, s.Question, ""))
	}
	if els == nil {
		return nil
	}
	return slack.NewActionBlock(blockID, els...)
}

func button(actionID, value, label string, style slack.Style) *slack.ButtonBlockElement {
	label = strings.TrimSpace(label)
	if utf8.RuneCountInString(label) > buttonTextLimit {
		label = firstRunes(label, buttonTextLimit-1) + "…"
	}
	b := slack.NewButtonBlockElement(actionID, value, slack.NewTextBlockObject(slack.PlainTextType, label, true, false))
	if style != "" {
		b = b.WithStyle(style)
	}
	return b
}

// mrkdwnText is a mrkdwn text object marked verbatim, so that Slack does
// not look for mentions or channel names in it.
func mrkdwnText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, true)
}

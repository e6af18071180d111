// Package bot is the platform-neutral core of faqbot: it takes a Message from
// a chat platform adapter, runs the command or question it carries against
// the knowledge base, and returns a Reply for the adapter to render.
package bot

import "github.com/faqbot/faqbot/knowledge"

// Origin says how a message reached the bot.
type Origin int

const (
	// Direct is a direct (private) message to the bot.
	Direct Origin = iota
	// Mention is a channel message that mentions the bot.
	Mention
	// Command is a /faq slash command; Text holds what follows "/faq".
	Command
	// Overheard is a message in a listening channel that nobody addressed to
	// the bot. The bot answers it only when it looks like a question and the
	// answer is confident, and otherwise stays quiet.
	Overheard
)

// String returns the origin's name as used in logs.
func (o Origin) String() string {
	switch o {
	case Direct:
		return "direct"
	case Mention:
		return "mention"
	case Command:
		return "command"
	default:
		return "overheard"
	}
}

// Message is one message from a chat platform, as the adapter understood it.
type Message struct {
	// Platform names the platform: "slack", "discord" or "console".
	Platform string
	// ID identifies the message on its platform, for logs and deduplication.
	ID string
	// Channel, Thread and User identify where the message was written and by
	// whom, in the platform's own ids.
	Channel string
	Thread  string
	User    string
	// Space is the Slack workspace (team id) or Discord server (guild id)
	// the message was written in, "" when there is none (a Discord DM).
	// With Channel it picks the knowledge base that answers (see Bases).
	Space string
	// UserName is the user's name as the platform gives it with the
	// message, or "": it names the author of edits made from chat.
	UserName string
	// Text is the message with the bot's own mention removed.
	Text   string
	Origin Origin
	// FromBot is true when a bot wrote the message, the bot itself included.
	// The bot never answers a bot.
	FromBot bool
	// Admin is true when the adapter has established that the user is one of
	// the configured admins.
	Admin bool
}

// Kind says what a Reply holds.
type Kind int

const (
	// Answer is an answer from the knowledge base: Entry is set.
	Answer Kind = iota
	// Unsure means no entry fitted well enough: Text holds the fallback and
	// Suggestions the best guesses ("Did you mean…").
	Unsure
	// Clarify means two or more entries fit equally well: Text asks which one
	// was meant and Suggestions lists them.
	Clarify
	// Info is any other reply, such as help, a list or a reload report, as
	// Markdown in Text.
	Info
	// Refusal is a polite refusal or an error the user should see, in Text.
	Refusal
)

// String returns the kind's name as used in logs.
func (k Kind) String() string {
	return [...]string{"answer", "unsure", "clarify", "info", "refusal"}[k]
}

// Suggestion is an entry offered to the user as a question to pick.
type Suggestion struct {
	ID         string
	Question   string
	Confidence float64
}

// Reply is the bot's answer to a Message, for the adapter to render in the
// platform's own format.
type Reply struct {
	Kind Kind
	// Text is Markdown. For an Answer it is the entry's answer.
	Text string
	// Entry is the entry answered with, for Answer replies.
	Entry *knowledge.Entry
	// Confidence is the matcher's confidence in Entry, or for Unsure and
	// Clarify replies in the best candidate, offered or not, rounded to
	// three decimals.
	Confidence float64
	// Suggestions are offered as "Did you mean…" choices.
	Suggestions []Suggestion
	// Related are follow-up questions offered under an answer.
	Related []Suggestion
	// Actions are buttons offered with the reply, each running a command
	// (see Action); adapters without buttons may ignore them.
	Actions []Action
	// Private asks the adapter to show the reply only to the user who asked,
	// where the platform can: admin output and refusals are private.
	Private bool
	// Escalate, if not nil, asks the adapter to post a question to an
	// experts channel (see Escalation).
	Escalate *Escalation
	// Mentions are the people and groups a posted reply may notify, as
	// the knowledge file names them (an entry's owner). An adapter
	// mentions those written in its platform's own mention syntax, and
	// no one else; Text never mentions anyone.
	Mentions []string
	// Form, if not nil, is an entry to fill in: adapters show it as a
	// form where they can, and hand what was typed to SubmitEntry.
	Form *EntryForm
}

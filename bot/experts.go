package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Escalation asks the adapter to post a question to an experts channel,
// then to tell the bot where it posted it (Escalated), so that an expert's
// answer in that thread reaches the asker (ExpertAnswered).
type Escalation struct {
	// Key names the escalation in Escalated.
	Key string
	// Channel is the experts channel.
	Channel string
	// Question is what was asked; Asked is where and by whom, with ID the
	// message asked in ("" when there is none to link to, as for a slash
	// command).
	Question string
	Asked    Message
}

// Notice is a message an adapter posts where a question was asked: an
// expert's answer to it.
type Notice struct {
	Channel, Thread, User string
	// Message is the message asked in, to reply to, or "" (a slash
	// command's question).
	Message string
	// Direct is true when Channel is a direct message.
	Direct bool
	Reply  Reply
	// Expert is the reply to post under the expert's answer, in the
	// experts channel: that it was passed on, with a button for admins
	// that makes it an entry.
	Expert Reply
}

// memory bounds of "Ask a person".
const (
	// maxPending is how many unanswered questions are remembered for an
	// "Ask a person" button, and maxEscalations how many posted questions
	// for their experts' answers; the oldest are forgotten first.
	maxPending     = 5000
	maxEscalations = 5000
	// humanCommand is the command the button runs.
	humanCommand = "ask-person"
)

// experts holds what "Ask a person" remembers: the questions that may be
// escalated, by key, and the escalations posted, by where.
type experts struct {
	channels map[string]string // experts channel by platform
	mu       sync.Mutex
	pending  bounded[Escalation]
	posted   bounded[Escalation]
	// answers are the questions answered, by platform, channel, user
	// and entry, for an "Ask a person" button after a 👎.
	answers bounded[Escalation]
	// answered are the escalations an expert answered, by key, with the
	// answer, for "/faq add <key>".
	answered bounded[answered]
}

// answered is an escalated question and an expert's answer to it.
type answered struct {
	question, answer string
}

// bounded is a map that forgets its oldest keys beyond a size.
type bounded[V any] struct {
	m     map[string]V
	order []string
}

func (b *bounded[V]) put(key string, v V, limit int) {
	if b.m == nil {
		b.m = map[string]V{}
	}
	if _, ok := b.m[key]; !ok {
		b.order = append(b.order, key)
	}
	b.m[key] = v
	for len(b.order) > limit {
		delete(b.m, b.order[0])
		b.order = b.order[1:]
	}
}

func (b *bounded[V]) get(key string) (V, bool) {
	v, ok := b.m[key]
	return v, ok
}

// offerExpert adds an "Ask a person" button to a reply that does not
// answer m, when the bot has an experts channel on m's platform; an
// answer is remembered, for the button after a 👎 on it.
func (b *Bot) offerExpert(r Reply, m Message, question string) Reply {
	channel := b.experts.channels[m.Platform]
	if channel == "" || m.Origin == Overheard {
		return r
	}
	e := Escalation{Channel: channel, Question: question, Asked: m}
	switch r.Kind {
	case Unsure, Clarify:
		r.Actions = append(r.Actions, b.askPerson(e))
	case Answer:
		b.experts.mu.Lock()
		b.experts.answers.put(answerKey(m.Platform, m.Channel, m.User, r.Entry.ID), e, maxPending)
		b.experts.mu.Unlock()
	}
	return r
}

// answerKey names an answer given with entry to user in channel.
func answerKey(platform, channel, user, entry string) string {
	return platform + "\x00" + channel + "\x00" + user + "\x00" + entry
}

// askPerson remembers escalation e, and returns the button that sends it.
func (b *Bot) askPerson(e Escalation) Action {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%s\x00%s\x00%d", e.Asked.Platform, e.Asked.Channel, e.Asked.User, e.Question, time.Now().UnixNano()))
	e.Key = hex.EncodeToString(sum[:])[:keyLen]
	b.experts.mu.Lock()
	b.experts.pending.put(e.Key, e, maxPending)
	b.experts.mu.Unlock()
	return Action{Label: "Ask a person", Command: "/faq " + humanCommand + " " + e.Key}
}

// offerExpertAfterVote adds an "Ask a person" button to the thanks for a
// 👎 on an answer the bot remembers giving to the voter.
func (b *Bot) offerExpertAfterVote(r Reply, v Vote) Reply {
	if v.Up || b.experts.channels[v.Platform] == "" {
		return r
	}
	b.experts.mu.Lock()
	e, ok := b.experts.answers.get(answerKey(v.Platform, v.Channel, v.User, v.EntryID))
	b.experts.mu.Unlock()
	if ok {
		r.Actions = append(r.Actions, b.askPerson(e))
	}
	return r
}

// humanCommandRun takes a press of "Ask a person": the question goes to the
// experts channel, and the asker is told.
func (b *Bot) humanCommandRun(_ context.Context, m Message, args string) Reply {
	b.experts.mu.Lock()
	e, ok := b.experts.pending.get(strings.TrimSpace(args))
	b.experts.mu.Unlock()
	switch {
	case !ok:
		return Reply{Kind: Refusal, Private: true, Text: "I no longer have that question: ask it again, then press “Ask a person”."}
	case e.Asked.User != m.User || e.Asked.Platform != m.Platform:
		return Reply{Kind: Refusal, Private: true, Text: "Only the person who asked can send their question to the experts."}
	}
	return Reply{Kind: Info, Private: true, Text: "I asked the experts. When one answers, I'll tell you here.", Escalate: &e}
}

// Escalated records that the adapter posted escalation key as message post
// of its experts channel, so that replies to it reach the asker.
func (b *Bot) Escalated(key, post string) {
	b.experts.mu.Lock()
	defer b.experts.mu.Unlock()
	e, ok := b.experts.pending.get(key)
	if !ok {
		return
	}
	b.experts.posted.put(e.Asked.Platform+":"+e.Channel+":"+post, e, maxEscalations)
}

// ExpertAnswered takes a reply written under post, a message of an
// experts channel: when post is a question the bot escalated, it returns
// the notice to post where the question was asked.
func (b *Bot) ExpertAnswered(platform, channel, post, expert, text string) (Notice, bool) {
	b.experts.mu.Lock()
	e, ok := b.experts.posted.get(platform + ":" + channel + ":" + post)
	b.experts.mu.Unlock()
	if !ok || strings.TrimSpace(text) == "" {
		return Notice{}, false
	}
	b.log.Info("an expert answered an escalated question", "platform", platform, "channel", channel, "expert", expert)
	b.experts.mu.Lock()
	b.experts.answered.put(e.Key, answered{question: e.Question, answer: strings.TrimSpace(text)}, maxEscalations)
	b.experts.mu.Unlock()
	a := e.Asked
	n := Notice{
		Channel: a.Channel, Thread: a.Thread, User: a.User, Direct: a.Origin == Direct,
		Reply: Reply{Kind: Info, Text: fmt.Sprintf("An expert answered your question “%s”:\n\n%s", Defuse(e.Question), Defuse(text))},
		Expert: Reply{Kind: Info, Text: "Thanks: I passed this on to the person who asked. An admin can make it an entry of the knowledge base.",
			Actions: []Action{{Label: "Add as an entry", Command: "/faq add " + e.Key + b.baseSuffix()}}},
	}
	if a.Origin != Command {
		n.Message = a.ID
	}
	return n, true
}

// EscalationText is the message posted in the experts channel for e, with
// link, if not "", pointing at the original message.
func EscalationText(e Escalation, link string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Someone asked a question I could not answer:\n> %s\n", Defuse(e.Question))
	if link != "" {
		fmt.Fprintf(&sb, "Asked here: %s\n", link)
	}
	sb.WriteString("Answer in this thread and I'll pass it on.")
	return sb.String()
}

// expertEntry returns the form of a new entry made of the question
// escalated as key and the expert's answer to it.
func (b *Bot) expertEntry(key string) (EntryForm, bool) {
	b.experts.mu.Lock()
	defer b.experts.mu.Unlock()
	a, ok := b.experts.answered.get(key)
	return EntryForm{Question: a.question, Answer: a.answer}, ok
}

// baseSuffix is what a button's command adds to act on this bot's base
// wherever it is pressed: " base:NAME", or "" for the default base.
func (b *Bot) baseSuffix() string {
	if b.name == "" {
		return ""
	}
	return " base:" + b.name
}

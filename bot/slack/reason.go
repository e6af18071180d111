package slack

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
)

// The 👎 reason modal.
const (
	// reasonCallback is the callback id of the modal that asks why an
	// answer did not help.
	reasonCallback = "faq_vote_reason"
	// reasonBlock and reasonAction name its one text input.
	reasonBlock  = "reason"
	reasonAction = "reason_text"
	// maxReason is the longest reason taken, in characters.
	maxReason = 500
)

// voteDown is what the reason modal carries in its private_metadata: the
// vote it completes.
type voteDown struct {
	Entry   string `json:"e"`
	Team    string `json:"t,omitempty"`
	Channel string `json:"c"`
	Thread  string `json:"th,omitempty"`
}

// reasonView is the modal that asks, optionally, why the answer of entry
// did not help. Sending it, or closing it, records the 👎.
func reasonView(v voteDown) slack.ModalViewRequest {
	meta, _ := json.Marshal(v)
	input := slack.NewPlainTextInputBlockElement(slack.NewTextBlockObject(slack.PlainTextType, "What were you looking for?", false, false), reasonAction)
	input.Multiline = true
	input.MaxLength = maxReason
	block := slack.NewInputBlock(reasonBlock, slack.NewTextBlockObject(slack.PlainTextType, "What was wrong with the answer? (optional)", false, false), nil, input)
	block.Optional = true
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      reasonCallback,
		Title:           slack.NewTextBlockObject(slack.PlainTextType, "Not helpful", false, false),
		Submit:          slack.NewTextBlockObject(slack.PlainTextType, "Send", false, false),
		Close:           slack.NewTextBlockObject(slack.PlainTextType, "Skip", false, false),
		Blocks:          slack.Blocks{BlockSet: []slack.Block{block}},
		PrivateMetadata: string(meta),
		NotifyOnClose:   true,
	}
}

// askReason answers a 👎 click by opening the reason modal; when Slack
// refuses to open it, the vote is taken at once, without a reason.
func (a *Adapter) askReason(ctx context.Context, ic slack.InteractionCallback, scope bot.Scope, entry string, private destination) string {
	v := voteDown{Entry: entry, Team: scope.Space, Channel: scope.Channel, Thread: ic.Container.ThreadTs}
	if _, err := a.api.OpenViewContext(ctx, ic.TriggerID, reasonView(v)); err != nil {
		a.log.Warn("could not open the 👎 reason form; taking the vote without a reason", "error", a.redact(err))
		r := a.bot.Vote(ctx, bot.Vote{Platform: "slack", Space: scope.Space, Channel: scope.Channel, Direct: scope.Direct, User: ic.User.ID, EntryID: entry})
		return a.deliver(ctx, private, render(r, false))
	}
	return outcomeAnswered
}

// handleReason takes the reason modal, sent or closed: the 👎 it completes,
// with the reason typed, if any, and thanks the voter where they voted.
func (a *Adapter) handleReason(ctx context.Context, ic slack.InteractionCallback) string {
	var v voteDown
	if err := json.Unmarshal([]byte(ic.View.PrivateMetadata), &v); err != nil || v.Entry == "" || v.Channel == "" {
		a.log.Warn("ignored a 👎 reason form with no vote in it", "user", ic.User.ID)
		return outcomeIgnored
	}
	if !a.seen.First("view:" + ic.View.ID) {
		return outcomeDuplicate
	}
	reason := ""
	if ic.Type == slack.InteractionTypeViewSubmission && ic.View.State != nil {
		reason = ic.View.State.Values[reasonBlock][reasonAction].Value
	}
	reason = clipRunes(strings.TrimSpace(reason), maxReason)
	r := a.bot.Vote(ctx, bot.Vote{Platform: "slack", Space: v.Team, Channel: v.Channel, Direct: isDM(v.Channel), User: ic.User.ID, EntryID: v.Entry, Reason: reason})
	return a.deliver(ctx, destination{channel: v.Channel, thread: v.Thread, user: ic.User.ID, ephemeral: !isDM(v.Channel)}, render(r, false))
}

// clipRunes cuts s to at most n runes.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

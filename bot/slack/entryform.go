package slack

import (
	"context"
	"encoding/json"

	"github.com/slack-go/slack"

	"github.com/faqbot/faqbot/bot"
)

// The entry form of /faq add and /faq edit.
const (
	// entryCallback is the callback id of the entry modal.
	entryCallback = "faq_entry"
	// entryAction is the action id of every input of the entry modal;
	// the block ids name the fields.
	entryAction = "value"
)

// entryMeta is what the entry modal carries in its private_metadata.
type entryMeta struct {
	Replace string `json:"r,omitempty"`
	Version string `json:"v,omitempty"`
	Base    string `json:"b,omitempty"`
	Team    string `json:"t,omitempty"`
	Channel string `json:"c"`
}

// entryFields are the entry modal's inputs: block id, label, whether it
// may be left empty, whether it is several lines, and the longest value.
var entryFields = []struct {
	block, label string
	optional     bool
	multiline    bool
	max          int
}{
	{"id", "Id (letters, digits, - _ .; empty: made from the question)", true, false, 64},
	{"question", "Question", false, false, 500},
	{"alternates", "Other ways to ask it, one a line", true, true, 3000},
	{"answer", "Answer (Markdown)", false, true, 3000},
	{"tags", "Tags, separated by commas", true, false, 200},
}

// entryView is the modal that shows form f.
func entryView(f *bot.EntryForm, meta entryMeta) slack.ModalViewRequest {
	raw, _ := json.Marshal(meta)
	initial := map[string]string{"id": f.ID, "question": f.Question, "alternates": f.Alternates, "answer": f.Answer, "tags": f.Tags}
	var blocks []slack.Block
	for _, fl := range entryFields {
		in := slack.NewPlainTextInputBlockElement(nil, entryAction)
		in.Multiline, in.MaxLength, in.InitialValue = fl.multiline, fl.max, initial[fl.block]
		b := slack.NewInputBlock(fl.block, slack.NewTextBlockObject(slack.PlainTextType, fl.label, false, false), nil, in)
		b.Optional = fl.optional
		blocks = append(blocks, b)
	}
	title := "New entry"
	if f.Replace != "" {
		title = "Edit entry"
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      entryCallback,
		Title:           slack.NewTextBlockObject(slack.PlainTextType, title, false, false),
		Submit:          slack.NewTextBlockObject(slack.PlainTextType, "Save", false, false),
		Close:           slack.NewTextBlockObject(slack.PlainTextType, "Cancel", false, false),
		Blocks:          slack.Blocks{BlockSet: blocks},
		PrivateMetadata: string(raw),
	}
}

// openEntryForm shows a reply's entry form as a modal, and reports whether
// it could: without a trigger id, or when Slack refuses, the reply is
// sent as it is, with its button that opens the form.
func (a *Adapter) openEntryForm(ctx context.Context, trigger string, scope bot.Scope, r bot.Reply) bool {
	if r.Form == nil || trigger == "" {
		return false
	}
	meta := entryMeta{Replace: r.Form.Replace, Version: r.Form.Version, Base: r.Form.Base, Team: scope.Space, Channel: scope.Channel}
	if _, err := a.api.OpenViewContext(ctx, trigger, entryView(r.Form, meta)); err != nil {
		a.log.Warn("could not open the entry form", "error", a.redact(err))
		return false
	}
	return true
}

// handleEntryForm takes a sent entry modal and tells the admin, privately,
// what became of it.
func (a *Adapter) handleEntryForm(ctx context.Context, ic slack.InteractionCallback) string {
	var meta entryMeta
	if err := json.Unmarshal([]byte(ic.View.PrivateMetadata), &meta); err != nil || meta.Channel == "" {
		a.log.Warn("ignored an entry form with no channel in it", "user", ic.User.ID)
		return outcomeIgnored
	}
	if !a.seen.First("view:" + ic.View.ID) {
		return outcomeDuplicate
	}
	value := func(block string) string {
		if ic.View.State == nil {
			return ""
		}
		return ic.View.State.Values[block][entryAction].Value
	}
	f := bot.EntryForm{
		Replace: meta.Replace, Version: meta.Version, Base: meta.Base,
		ID: value("id"), Question: value("question"), Alternates: value("alternates"), Answer: value("answer"), Tags: value("tags"),
	}
	m := bot.Message{Platform: "slack", ID: ic.View.ID, Space: meta.Team, Channel: meta.Channel, User: ic.User.ID, UserName: ic.User.Name, Origin: bot.Command, Admin: a.admins.is(ctx, ic.User.ID)}
	r := a.bot.SubmitEntry(ctx, m, f)
	return a.deliver(ctx, destination{channel: meta.Channel, user: ic.User.ID, ephemeral: !isDM(meta.Channel)}, render(r, false))
}

package discord

import (
	"context"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
)

// idEntry prefixes the custom id of the entry form of /faq add and /faq
// edit; the file's version, the base and the id of the entry edited follow,
// separated by colons.
const idEntry = "faq:entry:"

// entryInputs are the entry form's text inputs: custom id, label, style,
// whether it is required, the longest value.
var entryInputs = []struct {
	id, label string
	style     discordgo.TextInputStyle
	required  bool
	max       int
}{
	{"id", "Id (empty: made from the question)", discordgo.TextInputShort, false, 64},
	{"question", "Question", discordgo.TextInputShort, true, 500},
	{"alternates", "Other ways to ask it, one a line", discordgo.TextInputParagraph, false, 3000},
	{"answer", "Answer (Markdown)", discordgo.TextInputParagraph, true, 4000},
	{"tags", "Tags, separated by commas", discordgo.TextInputShort, false, 200},
}

// entryForm is the modal that shows form f, or nil when its custom id
// would be too long for Discord.
func entryForm(f *bot.EntryForm) *discordgo.InteractionResponse {
	custom := idEntry + f.Version + ":" + f.Base + ":" + f.Replace
	if len(custom) > 100 {
		return nil
	}
	values := map[string]string{"id": f.ID, "question": f.Question, "alternates": f.Alternates, "answer": f.Answer, "tags": f.Tags}
	var rows []discordgo.MessageComponent
	for _, in := range entryInputs {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: in.id, Label: in.label, Style: in.style, Required: in.required, MaxLength: in.max, Value: truncate(values[in.id], in.max),
		}}})
	}
	title := "New entry"
	if f.Replace != "" {
		title = "Edit entry " + f.Replace
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{CustomID: custom, Title: truncate(title, 45), Components: rows},
	}
}

// formOrMessage answers with reply's entry form when it has one that fits
// in a modal, and with the reply as a message otherwise.
func (a *Adapter) formOrMessage(reply bot.Reply, ephemeral, post bool) answer {
	if reply.Form != nil {
		if form := entryForm(reply.Form); form != nil {
			return answer{Response: form}
		}
	}
	return a.message(reply, ephemeral, post)
}

// entrySent takes a sent entry form and tells the admin, privately, what
// became of it.
func (a *Adapter) entrySent(ctx context.Context, i *discordgo.Interaction, d discordgo.ModalSubmitInteractionData, userID string, admin bool) answer {
	parts := strings.SplitN(strings.TrimPrefix(d.CustomID, idEntry), ":", 3)
	if len(parts) != 3 {
		return a.message(bot.Reply{Kind: bot.Refusal, Private: true, Text: "This form no longer does anything."}, true, false)
	}
	values := map[string]string{}
	for _, c := range d.Components {
		if row, ok := c.(*discordgo.ActionsRow); ok {
			for _, in := range row.Components {
				if t, ok := in.(*discordgo.TextInput); ok {
					values[t.CustomID] = t.Value
				}
			}
		}
	}
	f := bot.EntryForm{
		Version: parts[0], Base: parts[1], Replace: parts[2],
		ID: values["id"], Question: values["question"], Alternates: values["alternates"], Answer: values["answer"], Tags: values["tags"],
	}
	s := scopeOf(i)
	m := bot.Message{Platform: platform, ID: i.ID, Space: s.Space, Channel: s.Channel, User: userID, Origin: bot.Command, Admin: admin}
	return a.message(a.bot.SubmitEntry(ctx, m, f), true, false)
}

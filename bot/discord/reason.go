package discord

import (
	"context"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
)

// The 👎 reason form.
const (
	// idReason prefixes the custom id of the form that asks why an
	// answer did not help; the entry's id follows.
	idReason = "faq:why:"
	// idReasonText is the custom id of its text input.
	idReasonText = "reason"
	// maxReason is the longest reason taken, in characters.
	maxReason = 500
)

// reasonForm is the interaction response that asks, optionally, why the
// answer of entry did not help. The 👎 counts when the form is sent, with
// or without a reason.
func reasonForm(entry string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{
			CustomID: idReason + entry,
			Title:    "Not helpful",
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.TextInput{
					CustomID: idReasonText, Label: "What was wrong with the answer? (optional)",
					Style: discordgo.TextInputParagraph, Placeholder: "What were you looking for?",
					Required: false, MaxLength: maxReason,
				},
			}}},
		},
	}
}

// reasonSent takes a sent reason form: the 👎 on its entry, with the
// reason typed, and thanks the voter, privately.
func (a *Adapter) reasonSent(ctx context.Context, i *discordgo.Interaction, d discordgo.ModalSubmitInteractionData, userID string) answer {
	entry, ok := strings.CutPrefix(d.CustomID, idReason)
	if !ok || entry == "" {
		return a.message(bot.Reply{Kind: bot.Refusal, Private: true, Text: "This form no longer does anything."}, true, false)
	}
	reason := ""
	for _, c := range d.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, in := range row.Components {
			if t, ok := in.(*discordgo.TextInput); ok && t.CustomID == idReasonText {
				reason = t.Value
			}
		}
	}
	reason = truncate(strings.TrimSpace(reason), maxReason)
	s := scopeOf(i)
	r := a.bot.Vote(ctx, bot.Vote{Platform: platform, Space: s.Space, Channel: s.Channel, Direct: s.Direct, User: userID, EntryID: entry, Reason: reason})
	return a.message(r, true, false)
}

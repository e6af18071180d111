package discord

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/knowledge"
)

// rowButtons returns the buttons of an action row.
func rowButtons(c discordgo.MessageComponent) []discordgo.Button {
	row, ok := c.(discordgo.ActionsRow)
	if !ok {
		return nil
	}
	var out []discordgo.Button
	for _, b := range row.Components {
		if b, ok := b.(discordgo.Button); ok {
			out = append(out, b)
		}
	}
	return out
}

// checkOutgoing asserts that messages respect Discord's limits.
func checkOutgoing(t *testing.T, msgs []outgoing) {
	t.Helper()
	if len(msgs) == 0 {
		t.Fatal("no message")
	}
	for i, m := range msgs {
		if n := units(m.Content); n > maxContent {
			t.Errorf("message %d: content has %d units", i, n)
		}
		if m.Content == "" && len(m.Embeds) == 0 {
			t.Errorf("message %d is empty", i)
		}
		if !utf8.ValidString(m.Content) {
			t.Errorf("message %d is not valid UTF-8", i)
		}
		for _, e := range m.Embeds {
			if units(e.Description) > maxDescription || units(e.Title) > maxTitle || (e.Footer != nil && units(e.Footer.Text) > maxFooter) {
				t.Errorf("message %d: embed over Discord's limits", i)
			}
		}
		if len(m.Components) > 5 {
			t.Errorf("message %d: %d rows", i, len(m.Components))
		}
		seen := map[string]bool{}
		for _, row := range m.Components {
			bs := rowButtons(row)
			if len(bs) == 0 || len(bs) > maxButtons {
				t.Errorf("message %d: a row of %d buttons", i, len(bs))
			}
			for _, b := range bs {
				if units(b.Label) > maxLabel || len(b.CustomID) > maxCustomID || b.CustomID == "" || seen[b.CustomID] {
					t.Errorf("message %d: bad button %+v", i, b)
				}
				seen[b.CustomID] = true
			}
		}
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"Open **Settings**.", "#### deep\n__u__ ![i](u) @everyone", "```go\n" + strings.Repeat("x := 1\n", 400) + "```",
		strings.Repeat("😀", 3000), strings.Repeat("a", 5000), "```\n" + strings.Repeat("```\n", 700),
	} {
		f.Add(s, "How?", "src", false)
	}
	f.Fuzz(func(t *testing.T, text, question, source string, post bool) {
		e := &knowledge.Entry{ID: "id", Question: question, Source: source, Updated: "2026-01-01"}
		for _, r := range []bot.Reply{
			{Kind: bot.Answer, Text: text, Entry: e, Related: []bot.Suggestion{{ID: "r", Question: question}}},
			{Kind: bot.Unsure, Text: text, Suggestions: []bot.Suggestion{{ID: "s", Question: text}}},
			{Kind: bot.Info, Text: text},
		} {
			checkOutgoing(t, render(r, post))
		}
		if strings.Contains(Markdown(text), "@everyone") && !strings.Contains(text, "`") {
			t.Errorf("Markdown(%q) keeps @everyone outside code", text)
		}
	})
}

// fuzzAdapter returns an adapter that is never started: interact needs no
// connection for commands, autocomplete and buttons. Each call is a new
// adapter, so that no interaction is dropped as a repeat.
func fuzzAdapter(t testing.TB, b Bot) *Adapter {
	cfg := config.Discord{Enabled: true, Admins: []string{adminUserID}}
	cfg.SetToken("MTIz.fuzz.token")
	a, err := New(cfg, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func FuzzInteraction(f *testing.F) {
	seeds := []*discordgo.Interaction{
		slashInteraction(aliceID, nil, 0, strOpt("question", "How do I reset my password?")),
		slashInteraction(adminUserID, nil, 0, boolOpt("reload")),
		slashInteraction(aliceID, nil, 0, strOpt("list", "*"), boolOpt("public")),
		{Type: discordgo.InteractionPing},
	}
	auto := slashInteraction(aliceID, nil, 0, &discordgo.ApplicationCommandInteractionDataOption{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: "pass", Focused: true})
	auto.Type = discordgo.InteractionApplicationCommandAutocomplete
	seeds = append(seeds, auto, &discordgo.Interaction{
		Type: discordgo.InteractionMessageComponent, User: userOf(aliceID),
		Data: discordgo.MessageComponentInteractionData{CustomID: "faq:vote:up:refund", ComponentType: discordgo.ButtonComponent},
	})
	for n, i := range seeds {
		i.ID, i.Token = "1"+strings.Repeat("0", n), "token"
		body, err := json.Marshal(i)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Add([]byte(`{"id":"1","type":2,"data":{"name":"faq","options":[{"name":"question","type":3,"value":12}]}}`))
	f.Add([]byte(`{"id":"1","type":3,"member":{"user":{"id":"2"}},"data":{"custom_id":"faq:show:"}}`))
	b := newBot(f, kbPath, nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		i, err := ParseInteraction(body)
		if err != nil {
			return
		}
		ans, ok := fuzzAdapter(t, b).interact(context.Background(), i)
		if !ok {
			return
		}
		out, err := json.Marshal(ans.Response)
		if err != nil {
			t.Fatalf("the response does not encode: %v", err)
		}
		var resp struct {
			Type int `json:"type"`
			Data *struct {
				Content         string `json:"content"`
				AllowedMentions *struct {
					Parse []string `json:"parse"`
				} `json:"allowed_mentions"`
				Choices []json.RawMessage `json:"choices"`
			} `json:"data"`
		}
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		switch resp.Type {
		case 1:
		case 4:
			if resp.Data == nil || resp.Data.AllowedMentions == nil || resp.Data.AllowedMentions.Parse == nil || len(resp.Data.AllowedMentions.Parse) != 0 {
				t.Errorf("a message response allows mentions: %s", out)
			}
			if units(resp.Data.Content) > maxContent {
				t.Errorf("content over the limit")
			}
		case 8:
			if resp.Data == nil || resp.Data.Choices == nil || len(resp.Data.Choices) > maxChoices {
				t.Errorf("bad autocomplete response %s", out)
			}
		default:
			t.Errorf("response type %d", resp.Type)
		}
	})
}

package discordfake

import (
	"encoding/json"
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// destination says where a message body goes; the rules differ slightly.
type destination int

// The destinations of a message body.
const (
	toChannel destination = iota
	toInteraction
	toEdit
)

// Discord's limits on a message, from its API reference.
const (
	maxContent          = 2000
	maxEmbeds           = 10
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFooter      = 2048
	maxEmbedTotal       = 6000
	maxRows             = 5
	maxButtons          = 5
	maxLabel            = 80
	maxCustomID         = 100
)

// checkMessage returns why Discord would refuse the message body m, or "".
func checkMessage(m message, to destination) string {
	if n := utf8.RuneCountInString(m.Content); n > maxContent {
		return fmt.Sprintf("content: Must be %d or fewer in length, not %d", maxContent, n)
	}
	if to != toEdit && m.Content == "" && len(m.Embeds) == 0 && len(m.Components) == 0 {
		return "Cannot send an empty message (code 50006)"
	}
	if len(m.Embeds) > maxEmbeds {
		return fmt.Sprintf("embeds: Must be %d or fewer in length", maxEmbeds)
	}
	total := 0
	for i, e := range m.Embeds {
		if e == nil {
			return fmt.Sprintf("embeds[%d]: null", i)
		}
		title, desc := utf8.RuneCountInString(e.Title), utf8.RuneCountInString(e.Description)
		footer := 0
		if e.Footer != nil {
			footer = utf8.RuneCountInString(e.Footer.Text)
		}
		switch {
		case title > maxEmbedTitle:
			return fmt.Sprintf("embeds[%d].title: Must be %d or fewer in length", i, maxEmbedTitle)
		case desc > maxEmbedDescription:
			return fmt.Sprintf("embeds[%d].description: Must be %d or fewer in length, not %d", i, maxEmbedDescription, desc)
		case footer > maxEmbedFooter:
			return fmt.Sprintf("embeds[%d].footer.text: Must be %d or fewer in length", i, maxEmbedFooter)
		case title+desc+footer == 0 && len(e.Fields) == 0:
			return fmt.Sprintf("embeds[%d]: an embed needs a title, description, footer or fields", i)
		}
		total += title + desc + footer
	}
	if total > maxEmbedTotal {
		return fmt.Sprintf("embeds: Embed size exceeds maximum size of %d", maxEmbedTotal)
	}
	if msg := checkComponents(m.Components); msg != "" {
		return msg
	}
	if a := m.AllowedMentions; a != nil {
		for _, p := range a.Parse {
			if p != "roles" && p != "users" && p != "everyone" {
				return fmt.Sprintf("allowed_mentions.parse: %q is not a mention type", p)
			}
		}
	}
	allowed := discordgo.MessageFlagsSuppressEmbeds | discordgo.MessageFlagsSuppressNotifications
	if to != toChannel {
		allowed |= discordgo.MessageFlagsEphemeral
	}
	if m.Flags&^int(allowed) != 0 {
		return fmt.Sprintf("flags: %d holds flags that cannot be set here", m.Flags)
	}
	if to != toChannel && m.Reference != nil {
		return "message_reference: interaction responses cannot reply to a message"
	}
	return ""
}

// checkComponents checks action rows of buttons.
func checkComponents(rows []json.RawMessage) string {
	if len(rows) > maxRows {
		return fmt.Sprintf("components: Must be %d or fewer in length", maxRows)
	}
	ids := make(map[string]bool)
	for i, raw := range rows {
		var row struct {
			Type       int `json:"type"`
			Components []struct {
				Type     int    `json:"type"`
				Style    int    `json:"style"`
				Label    string `json:"label"`
				CustomID string `json:"custom_id"`
				URL      string `json:"url"`
				Emoji    *struct {
					Name string `json:"name"`
				} `json:"emoji"`
			} `json:"components"`
		}
		if err := json.Unmarshal(raw, &row); err != nil {
			return fmt.Sprintf("components[%d]: %v", i, err)
		}
		if row.Type != int(discordgo.ActionsRowComponent) {
			return fmt.Sprintf("components[%d].type: top-level components must be action rows (1), not %d", i, row.Type)
		}
		if n := len(row.Components); n < 1 || n > maxButtons {
			return fmt.Sprintf("components[%d].components: Must be between 1 and %d in length, not %d", i, maxButtons, n)
		}
		for j, b := range row.Components {
			at := fmt.Sprintf("components[%d].components[%d]", i, j)
			if b.Type != int(discordgo.ButtonComponent) {
				return fmt.Sprintf("%s.type: the fake only knows buttons (2), not %d", at, b.Type)
			}
			if b.Style < 1 || b.Style > 5 {
				return fmt.Sprintf("%s.style: %d is not a button style", at, b.Style)
			}
			if n := utf8.RuneCountInString(b.Label); n > maxLabel {
				return fmt.Sprintf("%s.label: Must be %d or fewer in length, not %d", at, maxLabel, n)
			}
			if b.Label == "" && b.Emoji == nil {
				return fmt.Sprintf("%s: a button needs a label or an emoji", at)
			}
			if b.Style == int(discordgo.LinkButton) {
				if b.URL == "" || b.CustomID != "" {
					return fmt.Sprintf("%s: a link button has a url and no custom_id", at)
				}
				continue
			}
			if n := len(b.CustomID); n < 1 || n > maxCustomID {
				return fmt.Sprintf("%s.custom_id: Must be between 1 and %d in length, not %d", at, maxCustomID, n)
			}
			if ids[b.CustomID] {
				return fmt.Sprintf("%s.custom_id: Component custom id cannot be duplicated (%q)", at, b.CustomID)
			}
			ids[b.CustomID] = true
		}
	}
	return ""
}

var commandName = regexp.MustCompile(`^[-_\p{Ll}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

// checkCommands checks a bulk overwrite of application commands.
func checkCommands(cmds []*discordgo.ApplicationCommand) string {
	if len(cmds) > 100 {
		return "Must be 100 or fewer in length"
	}
	names := make(map[string]bool)
	for i, c := range cmds {
		at := fmt.Sprintf("%d", i)
		if c == nil {
			return at + ": null"
		}
		if !commandName.MatchString(c.Name) {
			return fmt.Sprintf("%s.name: %q does not match %s", at, c.Name, commandName)
		}
		if names[c.Name] {
			return fmt.Sprintf("%s.name: Application command names must be unique (%q)", at, c.Name)
		}
		names[c.Name] = true
		if c.Type == 0 || c.Type == discordgo.ChatApplicationCommand {
			if n := utf8.RuneCountInString(c.Description); n < 1 || n > 100 {
				return fmt.Sprintf("%s.description: Must be between 1 and 100 in length, not %d", at, n)
			}
		}
		if msg := checkOptions(at+".options", c.Options, 0); msg != "" {
			return msg
		}
	}
	return ""
}

func checkOptions(at string, opts []*discordgo.ApplicationCommandOption, depth int) string {
	if len(opts) > 25 {
		return at + ": Must be 25 or fewer in length"
	}
	names := make(map[string]bool)
	optional, subs, values := false, 0, 0
	for i, o := range opts {
		oat := fmt.Sprintf("%s[%d]", at, i)
		if o == nil {
			return oat + ": null"
		}
		if !commandName.MatchString(o.Name) {
			return fmt.Sprintf("%s.name: %q does not match %s", oat, o.Name, commandName)
		}
		if names[o.Name] {
			return fmt.Sprintf("%s.name: option names must be unique (%q)", oat, o.Name)
		}
		names[o.Name] = true
		if n := utf8.RuneCountInString(o.Description); n < 1 || n > 100 {
			return fmt.Sprintf("%s.description: Must be between 1 and 100 in length, not %d", oat, n)
		}
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
			subs++
			if depth >= 2 || (o.Type == discordgo.ApplicationCommandOptionSubCommandGroup && depth >= 1) {
				return oat + ": subcommands nest too deep"
			}
			if msg := checkOptions(oat+".options", o.Options, depth+1); msg != "" {
				return msg
			}
			continue
		}
		values++
		if o.Required && optional {
			return oat + ".required: Required options must be placed before non-required options"
		}
		optional = optional || !o.Required
		if o.Autocomplete {
			switch o.Type {
			case discordgo.ApplicationCommandOptionString, discordgo.ApplicationCommandOptionInteger, discordgo.ApplicationCommandOptionNumber:
			default:
				return oat + ".autocomplete: only string, integer and number options autocomplete"
			}
			if len(o.Choices) > 0 {
				return oat + ".autocomplete: Autocomplete cannot be set with choices"
			}
		}
		if len(o.Choices) > 25 {
			return oat + ".choices: Must be 25 or fewer in length"
		}
		if o.MaxLength > 6000 {
			return oat + ".max_length: Must be 6000 or less"
		}
	}
	if subs > 0 && values > 0 {
		return at + ": subcommands cannot be mixed with other options"
	}
	return ""
}

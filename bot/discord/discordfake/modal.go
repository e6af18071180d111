package discordfake

import (
	"encoding/json"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// SendModalSubmit delivers the submission of a modal over the gateway: i
// (its user, channel and server) with type 5 and data holding customID and
// one action row per text input, values by the inputs' custom ids.
// discordgo does not marshal a modal's components, so the payload is
// written here as Discord sends it.
func (s *Server) SendModalSubmit(i *discordgo.Interaction, customID string, values map[string]string) *discordgo.Interaction {
	i.Type = discordgo.InteractionModalSubmit
	i.Data = discordgo.ModalSubmitInteractionData{CustomID: customID}
	s.prepare(i, false)
	raw, _ := json.Marshal(i)
	var m map[string]any
	json.Unmarshal(raw, &m)
	var rows []any
	for id, v := range values {
		rows = append(rows, map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": id, "value": v}}})
	}
	m["data"] = map[string]any{"custom_id": customID, "components": rows}
	s.Dispatch("INTERACTION_CREATE", m)
	return i
}

// checkModal checks a modal response (type 9) against Discord's rules.
func checkModal(data json.RawMessage) string {
	var d struct {
		CustomID   string `json:"custom_id"`
		Title      string `json:"title"`
		Components []struct {
			Type       int `json:"type"`
			Components []struct {
				Type      int    `json:"type"`
				CustomID  string `json:"custom_id"`
				Label     string `json:"label"`
				Style     int    `json:"style"`
				MaxLength int    `json:"max_length"`
			} `json:"components"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return "data: " + err.Error()
	}
	title := len([]rune(d.Title))
	switch {
	case len(d.CustomID) < 1 || len(d.CustomID) > 100:
		return fmt.Sprintf("data.custom_id: Must be between 1 and 100 in length, not %d", len(d.CustomID))
	case title < 1 || title > 45:
		return fmt.Sprintf("data.title: Must be between 1 and 45 in length, not %d", title)
	case len(d.Components) < 1 || len(d.Components) > 5:
		return fmt.Sprintf("data.components: Must be between 1 and 5 in length, not %d", len(d.Components))
	}
	for i, row := range d.Components {
		if row.Type != 1 || len(row.Components) != 1 {
			return fmt.Sprintf("data.components[%d]: a modal row is an action row (1) holding one text input", i)
		}
		in := row.Components[0]
		at := fmt.Sprintf("data.components[%d].components[0]", i)
		label := len([]rune(in.Label))
		switch {
		case in.Type != 4:
			return fmt.Sprintf("%s.type: a modal holds text inputs (4), not %d", at, in.Type)
		case len(in.CustomID) < 1 || len(in.CustomID) > 100:
			return at + ".custom_id: Must be between 1 and 100 in length"
		case label < 1 || label > 45:
			return fmt.Sprintf("%s.label: Must be between 1 and 45 in length, not %d", at, label)
		case in.Style != 1 && in.Style != 2:
			return fmt.Sprintf("%s.style: %d is not 1 (short) or 2 (paragraph)", at, in.Style)
		case in.MaxLength > 4000:
			return at + ".max_length: Must be 4000 or less"
		}
	}
	return ""
}

// Posted returns the ids of the messages the bot created in channel, in
// order, so that a test can reply to one.
func (s *Server) Posted(channel string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.posted[channel]...)
}

package discordfake

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Sent is one message body the bot sent, whichever way: a channel message,
// an interaction response, a follow-up or an edit.
type Sent struct {
	// Via is "channel", "callback", "followup" or "edit".
	Via     string
	Request Request
	// Channel is the channel of a channel message.
	Channel string
	// Interaction is the id of the interaction answered, for callbacks,
	// follow-ups and edits.
	Interaction string
	// CallbackType is the interaction response type of a callback: 4 for a
	// message, 7 for an update, 8 for autocomplete choices, 9 for a modal.
	CallbackType int
	Content      string
	Embeds       []*discordgo.MessageEmbed
	Components   []Row
	Flags        int
	Reference    *discordgo.MessageReference
	// AllowedMentions is the allowed_mentions object exactly as sent, or
	// nil when absent.
	AllowedMentions json.RawMessage
	// Choices are the autocomplete choices of a type 8 callback.
	Choices []*discordgo.ApplicationCommandOptionChoice
	// CustomID and Title are those of a modal (a type 9 callback).
	CustomID, Title string
}

// Row is an action row of buttons.
type Row struct {
	Buttons []Button `json:"components"`
}

// Button is a button as sent.
type Button struct {
	Type     int    `json:"type"`
	Style    int    `json:"style"`
	Label    string `json:"label"`
	CustomID string `json:"custom_id"`
	URL      string `json:"url"`
	// Value is a modal's text input's value as sent.
	Value string `json:"value"`
	Emoji *struct {
		Name string `json:"name"`
	} `json:"emoji"`
}

// Ephemeral reports whether the message is shown only to the user who
// triggered the interaction.
func (m Sent) Ephemeral() bool { return m.Flags&int(discordgo.MessageFlagsEphemeral) != 0 }

// Text returns the content and every embed's title, description and footer,
// for assertions on what a user reads.
func (m Sent) Text() string {
	parts := []string{m.Content}
	for _, e := range m.Embeds {
		parts = append(parts, e.Title, e.Description)
		if e.Footer != nil {
			parts = append(parts, e.Footer.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// Buttons returns every button, row by row.
func (m Sent) Buttons() []Button {
	var out []Button
	for _, r := range m.Components {
		out = append(out, r.Buttons...)
	}
	return out
}

// Button returns the button with the given custom id.
func (m Sent) Button(customID string) (Button, bool) {
	for _, b := range m.Buttons() {
		if b.CustomID == customID {
			return b, true
		}
	}
	return Button{}, false
}

// Sent returns every message body the bot sent and the fake accepted, in
// order.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Sent
	for _, r := range s.requests {
		if m, ok := decodeSent(r, s.tokens); ok {
			out = append(out, m)
		}
	}
	return out
}

// decodeSent reads a message body from an accepted request. The caller
// holds the lock guarding tokens.
func decodeSent(r Request, tokens map[string]*interaction) (Sent, bool) {
	if r.Status >= 300 {
		return Sent{}, false
	}
	parts := strings.Split(strings.TrimPrefix(r.Path, api+"/"), "/")
	m := Sent{Request: r}
	body := r.Body
	switch {
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "channels" && parts[2] == "messages":
		m.Via, m.Channel = "channel", parts[1]
	case r.Method == http.MethodPost && len(parts) == 4 && parts[0] == "interactions" && parts[3] == "callback":
		m.Via, m.Interaction = "callback", parts[1]
		var cb struct {
			Type int             `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(body, &cb) != nil {
			return Sent{}, false
		}
		m.CallbackType, body = cb.Type, cb.Data
	case r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "webhooks":
		m.Via = "followup"
		if in := tokens[parts[2]]; in != nil {
			m.Interaction = in.id
		}
	case r.Method == http.MethodPatch && len(parts) == 5 && parts[0] == "webhooks":
		m.Via = "edit"
		if in := tokens[parts[2]]; in != nil {
			m.Interaction = in.id
		}
	default:
		return Sent{}, false
	}
	if len(body) == 0 || string(body) == "null" {
		return m, true
	}
	var d struct {
		Content         string                                      `json:"content"`
		Embeds          []*discordgo.MessageEmbed                   `json:"embeds"`
		Components      []Row                                       `json:"components"`
		Flags           int                                         `json:"flags"`
		Reference       *discordgo.MessageReference                 `json:"message_reference"`
		AllowedMentions json.RawMessage                             `json:"allowed_mentions"`
		Choices         []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
		CustomID        string                                      `json:"custom_id"`
		Title           string                                      `json:"title"`
	}
	if json.Unmarshal(body, &d) != nil {
		return Sent{}, false
	}
	m.Content, m.Embeds, m.Components, m.Flags = d.Content, d.Embeds, d.Components, d.Flags
	m.Reference, m.AllowedMentions, m.Choices = d.Reference, d.AllowedMentions, d.Choices
	m.CustomID, m.Title = d.CustomID, d.Title
	return m, true
}

// SignedRequest builds a POST of the interaction i to an HTTP interactions
// endpoint, signed as Discord signs it with the fake's key at time at. The
// interaction is registered first, so the bot's follow-ups are accepted.
func (s *Server) SignedRequest(ctx context.Context, endpoint string, i *discordgo.Interaction, at time.Time) (*http.Request, error) {
	s.prepare(i, true)
	body, err := json.Marshal(i)
	if err != nil {
		return nil, err
	}
	return s.Sign(ctx, endpoint, body, at)
}

// Sign builds a POST of body to endpoint with Discord's signature headers,
// X-Signature-Ed25519 and X-Signature-Timestamp, for time at.
func (s *Server) Sign(ctx context.Context, endpoint string, body []byte, at time.Time) (*http.Request, error) {
	ts := strconv.FormatInt(at.Unix(), 10)
	sig := ed25519.Sign(s.key, append([]byte(ts), body...))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	req.Header.Set("X-Signature-Timestamp", ts)
	return req, nil
}

// PostInteraction delivers the interaction i to the bot's HTTP interactions
// endpoint, signed with the fake's key, as Discord does when an
// interactions endpoint URL is configured. It returns the status and body
// of the bot's answer. The answer counts as the interaction's initial
// response, so follow-ups are accepted afterwards.
func (s *Server) PostInteraction(ctx context.Context, endpoint string, i *discordgo.Interaction) (int, []byte, error) {
	req, err := s.SignedRequest(ctx, endpoint, i, time.Now())
	if err != nil {
		return 0, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("post the interaction: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, nil, err
	}
	if resp.StatusCode == http.StatusOK {
		s.mu.Lock()
		if in := s.tokens[i.Token]; in != nil {
			if in.answered {
				s.errorf("interaction %s answered both over HTTP and with a callback", i.ID)
			}
			in.answered = true
		}
		s.mu.Unlock()
	}
	return resp.StatusCode, body, nil
}

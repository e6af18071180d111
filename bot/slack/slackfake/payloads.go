package slackfake

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Defaults for the people and places in payloads.
const (
	DefaultUser    = "U0ALICE"
	DefaultChannel = "C0GENERAL"
)

// Message is a user's message, for the events the fake delivers. Empty
// fields get defaults: DefaultChannel, DefaultUser, a fresh TS, and a
// channel type derived from the channel id (D… is "im", G… "group").
type Message struct {
	Channel     string
	ChannelType string
	User        string
	Text        string
	TS          string
	ThreadTS    string
	BotID       string
	Subtype     string
	// Edited marks an app_mention of an edited message.
	Edited bool
}

func (s *Server) fill(m Message) Message {
	if m.Channel == "" {
		m.Channel = DefaultChannel
	}
	if m.User == "" && m.BotID == "" {
		m.User = DefaultUser
	}
	if m.TS == "" {
		m.TS = s.NewTS()
	}
	if m.ChannelType == "" {
		switch m.Channel[0] {
		case 'D':
			m.ChannelType = "im"
		case 'G':
			m.ChannelType = "group"
		default:
			m.ChannelType = "channel"
		}
	}
	return m
}

// EventPayload returns an Events API event_callback carrying a "message"
// or "app_mention" event for m, and its event_id. The same body is the
// payload of a Socket Mode events_api envelope and the body of an HTTP
// Events API request.
func (s *Server) EventPayload(eventType string, m Message) (payload []byte, eventID string) {
	m = s.fill(m)
	inner := map[string]any{
		"type": eventType, "text": m.Text, "ts": m.TS, "channel": m.Channel, "event_ts": m.TS,
	}
	if m.User != "" {
		inner["user"] = m.User
	}
	if eventType == "message" {
		inner["channel_type"] = m.ChannelType
	}
	if m.ThreadTS != "" {
		inner["thread_ts"] = m.ThreadTS
	}
	if m.BotID != "" {
		inner["bot_id"] = m.BotID
	}
	if m.Subtype != "" {
		inner["subtype"] = m.Subtype
	}
	if m.Edited {
		inner["edited"] = map[string]any{"user": m.User, "ts": s.NewTS()}
	}
	return s.EventCallback(inner)
}

// EventCallback wraps an Events API event, such as one copied from Slack's
// documentation, in an event_callback with a fresh event_id, and returns
// it with that id.
func (s *Server) EventCallback(inner map[string]any) (payload []byte, eventID string) {
	s.mu.Lock()
	s.seq++
	eventID = "Ev" + strconv.Itoa(s.seq)
	s.mu.Unlock()
	outer := map[string]any{
		"token": "legacy-verification-token", "team_id": TeamID, "api_app_id": AppID,
		"event": inner, "type": "event_callback", "event_id": eventID,
		"event_time":     time.Now().Unix(),
		"authorizations": []any{map[string]any{"team_id": TeamID, "user_id": BotUserID, "is_bot": true}},
	}
	payload, _ = json.Marshal(outer)
	return payload, eventID
}

// SendMessage delivers a "message" event for m over Socket Mode.
func (s *Server) SendMessage(t testing.TB, m Message) Delivery {
	t.Helper()
	body, id := s.EventPayload("message", m)
	d := s.Send(t, "events_api", body)
	d.EventID = id
	return d
}

// SendMention delivers an "app_mention" event for m over Socket Mode. The
// bot's mention is put in front of the text unless the text has it.
func (s *Server) SendMention(t testing.TB, m Message) Delivery {
	t.Helper()
	m.Text = WithMention(m.Text)
	body, id := s.EventPayload("app_mention", m)
	d := s.Send(t, "events_api", body)
	d.EventID = id
	return d
}

// WithMention puts the bot's mention in front of text unless it has one.
func WithMention(text string) string {
	if strings.Contains(text, "<@"+BotUserID) {
		return text
	}
	return "<@" + BotUserID + "> " + text
}

// Command is a slash command invocation. Empty fields get defaults: the
// command "/faq", DefaultChannel, DefaultUser, a fresh response_url and
// trigger_id.
type Command struct {
	Command     string
	Channel     string
	User        string
	Text        string
	ResponseURL string
	TriggerID   string
}

func (s *Server) fillCommand(c Command) Command {
	if c.Command == "" {
		c.Command = "/faq"
	}
	if c.Channel == "" {
		c.Channel = DefaultChannel
	}
	if c.User == "" {
		c.User = DefaultUser
	}
	if c.ResponseURL == "" {
		c.ResponseURL = s.NewResponseURL()
	}
	if c.TriggerID == "" {
		c.TriggerID = "trig-" + s.NewTS()
	}
	return c
}

// CommandForm returns the fields of a slash command, filled in, as Slack
// posts them in HTTP mode.
func (s *Server) CommandForm(c Command) (url.Values, Command) {
	c = s.fillCommand(c)
	return url.Values{
		"token": {"legacy-verification-token"}, "team_id": {TeamID}, "team_domain": {"fake"},
		"channel_id": {c.Channel}, "channel_name": {"general"}, "user_id": {c.User}, "user_name": {"alice"},
		"command": {c.Command}, "text": {c.Text}, "api_app_id": {AppID},
		"response_url": {c.ResponseURL}, "trigger_id": {c.TriggerID},
	}, c
}

// SendSlashCommand delivers a slash command over Socket Mode.
func (s *Server) SendSlashCommand(t testing.TB, c Command) Delivery {
	t.Helper()
	form, c := s.CommandForm(c)
	fields := map[string]string{}
	for k := range form {
		fields[k] = form.Get(k)
	}
	body, _ := json.Marshal(fields)
	d := s.Send(t, "slash_commands", body)
	d.ResponseURL = c.ResponseURL
	return d
}

// Action is a click on a button. Empty fields get defaults: DefaultUser,
// DefaultChannel, a fresh response_url and trigger_id.
type Action struct {
	User      string
	Channel   string
	ActionID  string
	BlockID   string
	Value     string
	Text      string
	MessageTS string
	ThreadTS  string
	// Ephemeral marks a click on an ephemeral message.
	Ephemeral   bool
	ResponseURL string
	TriggerID   string
}

// Click returns the Action of a user clicking button b of a reply the bot
// sent in channel.
func Click(reply Request, b Button, user, channel string) Action {
	return Action{
		User: user, Channel: channel, ActionID: b.ActionID, BlockID: b.BlockID, Value: b.Value, Text: b.Text,
		MessageTS: reply.ReplyTS, ThreadTS: reply.ThreadTS(), Ephemeral: reply.Ephemeral(),
	}
}

// ActionPayload returns the block_actions interaction payload for a, and a
// filled in. In HTTP mode Slack posts it as the form field "payload".
func (s *Server) ActionPayload(a Action) ([]byte, Action) {
	if a.User == "" {
		a.User = DefaultUser
	}
	if a.Channel == "" {
		a.Channel = DefaultChannel
	}
	if a.ResponseURL == "" {
		a.ResponseURL = s.NewResponseURL()
	}
	if a.TriggerID == "" {
		a.TriggerID = "trig-" + s.NewTS()
	}
	if a.MessageTS == "" {
		a.MessageTS = s.NewTS()
	}
	container := map[string]any{"type": "message", "message_ts": a.MessageTS, "channel_id": a.Channel, "is_ephemeral": a.Ephemeral}
	if a.ThreadTS != "" {
		container["thread_ts"] = a.ThreadTS
	}
	p := map[string]any{
		"type": "block_actions", "token": "legacy-verification-token", "api_app_id": AppID,
		"team":      map[string]any{"id": TeamID, "domain": "fake"},
		"user":      map[string]any{"id": a.User, "username": "alice", "team_id": TeamID},
		"channel":   map[string]any{"id": a.Channel, "name": "general"},
		"container": container, "trigger_id": a.TriggerID, "response_url": a.ResponseURL,
		"actions": []any{map[string]any{
			"type": "button", "action_id": a.ActionID, "block_id": a.BlockID, "value": a.Value,
			"text": map[string]any{"type": "plain_text", "text": a.Text}, "action_ts": s.NewTS(),
		}},
	}
	if !a.Ephemeral {
		p["message"] = map[string]any{"type": "message", "user": BotUserID, "bot_id": BotID, "ts": a.MessageTS, "text": "…"}
	}
	body, _ := json.Marshal(p)
	return body, a
}

// SendBlockAction delivers a button click over Socket Mode.
func (s *Server) SendBlockAction(t testing.TB, a Action) Delivery {
	t.Helper()
	body, a := s.ActionPayload(a)
	d := s.Send(t, "interactive", body)
	d.ResponseURL = a.ResponseURL
	return d
}

// Sign returns the X-Slack-Request-Timestamp and X-Slack-Signature headers
// Slack sends with body at time ts, signed with secret.
func Sign(secret string, ts time.Time, body []byte) (timestamp, signature string) {
	timestamp = strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	return timestamp, "v0=" + hex.EncodeToString(mac.Sum(nil))
}

package slackfake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Request is one request the fake received, with what it answered.
type Request struct {
	// Seq numbers requests and acks in the order they arrived, from 1.
	Seq int
	// At is when the request arrived.
	At time.Time
	// Method is the Web API method ("chat.postMessage"), "response_url",
	// "ack" for a Socket Mode acknowledgement, or "unknown".
	Method string
	Path   string
	Header http.Header
	// Form is the decoded body of a form post; JSON that of a JSON post.
	Form url.Values
	JSON map[string]any
	Body []byte
	// Status is the HTTP status the fake answered; Error the Slack error
	// code in an ok:false answer.
	Status int
	Error  string
	// EnvelopeID is the envelope an ack acknowledges.
	EnvelopeID string
	// ReplyTS is the ts of the message a post created or an update
	// changed, as the fake answered it.
	ReplyTS string
}

// IsReply reports whether the request posts or changes a message.
func (r Request) IsReply() bool {
	switch r.Method {
	case "chat.postMessage", "chat.postEphemeral", "chat.update", "response_url":
		return true
	}
	return false
}

// field returns a top-level field of the form or JSON body as a string.
func (r Request) field(name string) string {
	if v := r.Form.Get(name); v != "" {
		return v
	}
	switch v := r.JSON[name].(type) {
	case string:
		return v
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	return ""
}

// Text returns the message's text field.
func (r Request) Text() string { return r.field("text") }

// Channel returns the channel the message was posted to.
func (r Request) Channel() string { return r.field("channel") }

// ThreadTS returns the thread_ts the message was posted in, or "".
func (r Request) ThreadTS() string { return r.field("thread_ts") }

// TS returns the ts of the message chat.update replaces.
func (r Request) TS() string { return r.field("ts") }

// User returns the user an ephemeral message was posted to.
func (r Request) User() string { return r.field("user") }

// Param returns any other top-level field, such as "parse" or
// "link_names", as a string.
func (r Request) Param(name string) string { return r.field(name) }

// ResponseType returns "ephemeral" or "in_channel" for a response_url post.
func (r Request) ResponseType() string { return r.field("response_type") }

// ReplaceOriginal reports whether a response_url post replaces the message
// the action came from.
func (r Request) ReplaceOriginal() bool { return r.field("replace_original") == "true" }

// DeleteOriginal reports whether a response_url post deletes the message
// the action came from.
func (r Request) DeleteOriginal() bool { return r.field("delete_original") == "true" }

// Ephemeral reports whether the message is visible to one user only.
func (r Request) Ephemeral() bool {
	switch r.Method {
	case "chat.postEphemeral":
		return true
	case "response_url":
		return r.ResponseType() != "in_channel"
	}
	return false
}

// Blocks returns the message's blocks as decoded JSON.
func (r Request) Blocks() []map[string]any {
	var raw any
	if s := r.Form.Get("blocks"); s != "" {
		if err := json.Unmarshal([]byte(s), &raw); err != nil {
			return nil
		}
	} else {
		raw = r.JSON["blocks"]
	}
	list, _ := raw.([]any)
	var out []map[string]any
	for _, b := range list {
		if m, ok := b.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// BlockText returns the text of the section and context blocks, one block
// a line.
func (r Request) BlockText() string {
	var lines []string
	for _, b := range r.Blocks() {
		if t, ok := b["text"].(map[string]any); ok {
			lines = append(lines, str(t["text"]))
		}
		if els, ok := b["elements"].([]any); ok && b["type"] == "context" {
			for _, e := range els {
				if m, ok := e.(map[string]any); ok {
					lines = append(lines, str(m["text"]))
				}
			}
		}
	}
	return strings.Join(lines, "\n")
}

// Button is a button in a message's actions block.
type Button struct {
	BlockID, ActionID, Value, Text string
}

// Buttons returns the buttons of the message's actions blocks.
func (r Request) Buttons() []Button {
	var out []Button
	for _, b := range r.Blocks() {
		if b["type"] != "actions" {
			continue
		}
		els, _ := b["elements"].([]any)
		for _, e := range els {
			m, ok := e.(map[string]any)
			if !ok || m["type"] != "button" {
				continue
			}
			text, _ := m["text"].(map[string]any)
			out = append(out, Button{BlockID: str(b["block_id"]), ActionID: str(m["action_id"]), Value: str(m["value"]), Text: str(text["text"])})
		}
	}
	return out
}

// Button returns the first button whose action id starts with prefix.
func (r Request) Button(prefix string) (Button, bool) {
	for _, b := range r.Buttons() {
		if strings.HasPrefix(b.ActionID, prefix) {
			return b, true
		}
	}
	return Button{}, false
}

// AllText returns every piece of text in the message, the text field and
// all block text, for assertions that something appears nowhere.
func (r Request) AllText() string {
	var sb strings.Builder
	sb.WriteString(r.Text())
	sb.WriteByte('\n')
	sb.WriteString(r.BlockText())
	for _, b := range r.Buttons() {
		sb.WriteByte('\n')
		sb.WriteString(b.Text)
	}
	return sb.String()
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

package slackfake

import (
	"encoding/json"
	"strings"
	"testing"
)

// viewsOpen serves views.open: it checks the trigger id and the view, and
// answers with the view as opened, its id in ReplyTS.
func (s *Server) viewsOpen(r *Request) (any, string) {
	if !botAuth(r) {
		return nil, "invalid_auth"
	}
	var body struct {
		TriggerID string         `json:"trigger_id"`
		View      map[string]any `json:"view"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		return nil, "invalid_json"
	}
	if body.TriggerID == "" {
		return nil, "invalid_trigger_id"
	}
	if body.View["type"] != "modal" || body.View["title"] == nil {
		return nil, "invalid_arguments"
	}
	r.ReplyTS = "V" + s.NewTS()
	view := map[string]any{"id": r.ReplyTS, "team_id": TeamID}
	for k, v := range body.View {
		view[k] = v
	}
	return map[string]any{"ok": true, "view": view}, ""
}

// View returns the view that a views.open request opened, as sent.
func (r Request) View() map[string]any {
	var body struct {
		View map[string]any `json:"view"`
	}
	json.Unmarshal(r.Body, &body)
	return body.View
}

// ViewPayload returns the interaction payload of a user sending
// (view_submission) or closing (view_closed) the view that opened
// opened, with values as the state of its inputs: block id, then action
// id, then the typed value.
func (s *Server) ViewPayload(opened Request, kind, user string, values map[string]map[string]string) []byte {
	view := opened.View()
	if user == "" {
		user = DefaultUser
	}
	state := map[string]any{}
	for block, actions := range values {
		m := map[string]any{}
		for id, v := range actions {
			m[id] = map[string]any{"type": "plain_text_input", "value": v}
		}
		state[block] = m
	}
	p := map[string]any{
		"type": kind, "token": "legacy-verification-token", "api_app_id": AppID,
		"team": map[string]any{"id": TeamID, "domain": "fake"},
		"user": map[string]any{"id": user, "username": "alice", "team_id": TeamID},
		"view": map[string]any{
			"id": opened.ReplyTS, "type": "modal", "callback_id": view["callback_id"],
			"private_metadata": view["private_metadata"], "state": map[string]any{"values": state},
		},
	}
	body, _ := json.Marshal(p)
	return body
}

// SendView delivers a view_submission or view_closed payload (see
// ViewPayload) over Socket Mode.
func (s *Server) SendView(t testing.TB, opened Request, kind, user string, values map[string]map[string]string) Delivery {
	t.Helper()
	return s.Send(t, "interactive", s.ViewPayload(opened, kind, user, values))
}

// permalink serves chat.getPermalink: a link to the message, in the form
// Slack gives.
func (s *Server) permalink(r *Request) (any, string) {
	if !botAuth(r) {
		return nil, "invalid_auth"
	}
	channel, ts := r.Form.Get("channel"), r.Form.Get("message_ts")
	if channel == "" || ts == "" {
		return nil, "message_not_found"
	}
	return map[string]any{"ok": true, "channel": channel, "permalink": Permalink(channel, ts)}, ""
}

// Permalink is the link chat.getPermalink gives for message ts of channel.
func Permalink(channel, ts string) string {
	return "https://fake.slack.com/archives/" + channel + "/p" + strings.ReplaceAll(ts, ".", "")
}

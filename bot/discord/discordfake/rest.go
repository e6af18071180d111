package discordfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// api is the REST API's path prefix.
const api = "/api/v9"

func (s *Server) routes() {
	s.mux.HandleFunc("GET "+api+"/gateway", s.gateway)
	s.mux.HandleFunc("GET "+api+"/gateway/bot", s.gatewayBot)
	s.mux.HandleFunc("POST "+api+"/channels/{channel}/messages", s.createMessage)
	s.mux.HandleFunc("POST "+api+"/users/@me/channels", s.createDM)
	s.mux.HandleFunc("POST "+api+"/interactions/{id}/{token}/callback", s.callback)
	s.mux.HandleFunc("POST "+api+"/webhooks/{app}/{token}", s.followup)
	s.mux.HandleFunc("PATCH "+api+"/webhooks/{app}/{token}/messages/{message}", s.editFollowup)
	s.mux.HandleFunc("PUT "+api+"/applications/{app}/commands", s.overwriteCommands)
	s.mux.HandleFunc("PUT "+api+"/applications/{app}/guilds/{guild}/commands", s.overwriteCommands)
	s.mux.HandleFunc("GET "+api+"/applications/{app}/commands", s.listCommands)
	s.mux.HandleFunc("GET "+api+"/applications/{app}/guilds/{guild}/commands", s.listCommands)
	s.mux.HandleFunc("GET /ws/{$}", s.websocket)
	s.mux.HandleFunc("GET /ws", s.websocket)
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status and writes it.
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records an implicit 200 and writes b.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// serve records the request, applies injected failures and authentication,
// and hands it to its route; unknown routes fail the test.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	_, pattern := s.mux.Handler(r)
	if pattern == "GET /ws/{$}" || pattern == "GET /ws" {
		s.mux.ServeHTTP(w, r) // the websocket takes over the connection
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	sw := &statusWriter{ResponseWriter: w}
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body, Route: pattern, At: time.Now()}
	defer func() {
		rec.Status = sw.status
		s.mu.Lock()
		s.requests = append(s.requests, rec)
		s.notify()
		s.mu.Unlock()
	}()

	if pattern == "" {
		s.errorf("unknown route %s %s: the bot called an endpoint the fake does not serve (body %.200s)", r.Method, r.URL.Path, body)
		writeJSON(sw, http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0})
		return
	}
	webhook := strings.HasPrefix(r.URL.Path, api+"/webhooks/") || strings.HasPrefix(r.URL.Path, api+"/interactions/")
	if !webhook && r.URL.Path != api+"/gateway" && r.Header.Get("Authorization") != "Bot "+s.opts.Token {
		writeJSON(sw, http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0})
		return
	}
	s.mu.Lock()
	f := s.failure(r)
	s.mu.Unlock()
	if f != nil {
		s.writeFailure(sw, f)
		return
	}
	if !s.held(r) {
		sw.WriteHeader(statusGaveUp)
		return
	}
	rateLimitHeaders(sw.Header(), pattern)
	s.mux.ServeHTTP(sw, r)
}

// rateLimitHeaders adds headers like Discord's to a successful answer: a
// bucket with room to spare.
func rateLimitHeaders(h http.Header, route string) {
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "4")
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(time.Second).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", "1.000")
	h.Set("X-RateLimit-Bucket", fmt.Sprintf("%x", len(route)*7919))
}

func (s *Server) writeFailure(w http.ResponseWriter, f *Failure) {
	if f.Status != http.StatusTooManyRequests {
		writeJSON(w, f.Status, map[string]any{"message": fmt.Sprintf("%d: %s", f.Status, http.StatusText(f.Status)), "code": 0})
		return
	}
	secs := f.RetryAfter.Seconds()
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	h.Set("X-RateLimit-Limit", "5")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	h.Set("X-RateLimit-Scope", "user")
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": secs, "global": false, "code": 0})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// refuse answers 400 as Discord does for an invalid body, and fails the
// test: the bot sent something real Discord would not accept.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, code int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.errorf("%s %s refused: %s", r.Method, r.URL.Path, msg)
	writeJSON(w, http.StatusBadRequest, map[string]any{"message": msg, "code": code})
}

func (s *Server) gateway(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"url": s.GatewayURL()})
}

func (s *Server) gatewayBot(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"url":    s.GatewayURL(),
		"shards": 1,
		"session_start_limit": map[string]int{
			"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1,
		},
	})
}

// message is a message body as the bot sends it to any endpoint.
type message struct {
	Content         string                      `json:"content"`
	Embeds          []*discordgo.MessageEmbed   `json:"embeds"`
	Components      []json.RawMessage           `json:"components"`
	AllowedMentions *allowedMentions            `json:"allowed_mentions"`
	Reference       *discordgo.MessageReference `json:"message_reference"`
	Flags           int                         `json:"flags"`
}

type allowedMentions struct {
	Parse       []string `json:"parse"`
	Roles       []string `json:"roles"`
	Users       []string `json:"users"`
	RepliedUser bool     `json:"replied_user"`
}

// readMessage decodes and checks a message body sent to dest, refusing
// the request as Discord does when it is not valid JSON or not a valid
// message.
func (s *Server) readMessage(w http.ResponseWriter, r *http.Request, dest destination) (message, bool) {
	var m message
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		s.refuse(w, r, 50109, "The request body contains invalid JSON: %v", err)
		return m, false
	}
	if msg := checkMessage(m, dest); msg != "" {
		s.refuse(w, r, 50035, "Invalid Form Body: %s", msg)
		return m, false
	}
	return m, true
}

func (s *Server) createMessage(w http.ResponseWriter, r *http.Request) {
	m, ok := s.readMessage(w, r, toChannel)
	if !ok {
		return
	}
	channel := r.PathValue("channel")
	s.mu.Lock()
	if ref := m.Reference; ref != nil {
		if ref.ChannelID != "" && ref.ChannelID != channel {
			s.mu.Unlock()
			s.refuse(w, r, 50035, "Invalid Form Body: message_reference.channel_id %s is not the channel %s", ref.ChannelID, channel)
			return
		}
		if !s.messages[ref.MessageID] && (ref.FailIfNotExists == nil || *ref.FailIfNotExists) {
			s.mu.Unlock()
			s.refuse(w, r, 50035, "Invalid Form Body: message_reference: Unknown message %s", ref.MessageID)
			return
		}
	}
	id := s.snowflake()
	s.messages[id] = true
	s.posted[channel] = append(s.posted[channel], id)
	s.mu.Unlock()
	typ := 0
	if m.Reference != nil {
		typ = 19
	}
	writeJSON(w, http.StatusOK, s.messageJSON(id, channel, m, typ))
}

// createDM opens (or finds) the DM channel with a user, as
// POST /users/@me/channels does.
func (s *Server) createDM(w http.ResponseWriter, r *http.Request) {
	var req struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		s.refuse(w, r, 50109, "The request body contains invalid JSON: %v", err)
		return
	}
	if _, err := strconv.ParseUint(req.RecipientID, 10, 64); err != nil {
		s.refuse(w, r, 50035, "Invalid Form Body: recipient_id: Value %q is not snowflake.", req.RecipientID)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id":         s.DMChannel(req.RecipientID),
		"type":       int(discordgo.ChannelTypeDM),
		"recipients": []any{map[string]any{"id": req.RecipientID, "username": "user"}},
	})
}

// DMChannel returns the id of the DM channel between the bot and user,
// the one POST /users/@me/channels opens.
func (s *Server) DMChannel(user string) string { return s.stableID(s.dms, user) }

// stableID returns the id that ids holds for key, made up the first time.
func (s *Server) stableID(ids map[string]string, key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := ids[key]
	if !ok {
		id = s.snowflake()
		ids[key] = id
	}
	return id
}

// messageJSON is the Message object Discord answers with.
func (s *Server) messageJSON(id, channel string, m message, typ int) map[string]any {
	out := map[string]any{
		"id":         id,
		"channel_id": channel,
		"content":    m.Content,
		"embeds":     m.Embeds,
		"components": m.Components,
		"author":     map[string]any{"id": s.opts.BotID, "username": s.opts.BotName, "bot": true},
		"timestamp":  time.Now().UTC().Format(time.RFC3339),
		"type":       typ,
		"flags":      m.Flags,
		"mentions":   []any{},
		"tts":        false,
	}
	if m.Embeds == nil {
		out["embeds"] = []any{}
	}
	if m.Components == nil {
		out["components"] = []any{}
	}
	return out
}

// interaction is what the fake knows of an interaction it delivered.
type interaction struct {
	id        string
	typ       discordgo.InteractionType
	channel   string
	delivered time.Time
	answered  bool
	// http is set for interactions delivered to an HTTP endpoint, which
	// are answered in the HTTP response rather than with a callback.
	http bool
}

func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	var resp struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.NewDecoder(r.Body).Decode(&resp); err != nil {
		s.refuse(w, r, 50109, "The request body contains invalid JSON: %v", err)
		return
	}
	s.mu.Lock()
	in := s.tokens[r.PathValue("token")]
	if in == nil || in.id != r.PathValue("id") {
		s.mu.Unlock()
		s.errorf("callback for unknown interaction %s", r.PathValue("id"))
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Unknown interaction", "code": 10062})
		return
	}
	if late := time.Since(in.delivered); late > s.opts.InteractionDeadline {
		s.mu.Unlock()
		s.errorf("interaction %s answered after %v, past Discord's %v deadline", in.id, late, s.opts.InteractionDeadline)
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Unknown interaction", "code": 10062})
		return
	}
	if in.http {
		s.mu.Unlock()
		s.refuse(w, r, 40060, "Interaction has already been acknowledged: it came over HTTP and is answered in the HTTP response")
		return
	}
	if in.answered {
		s.mu.Unlock()
		s.refuse(w, r, 40060, "Interaction has already been acknowledged.")
		return
	}
	in.answered = true
	typ := in.typ
	s.mu.Unlock()
	if msg := checkCallback(typ, resp.Type, resp.Data); msg != "" {
		s.refuse(w, r, 50035, "Invalid Form Body: %s", msg)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// checkCallback checks an interaction response against Discord's rules.
func checkCallback(it discordgo.InteractionType, typ int, data json.RawMessage) string {
	allowed := map[discordgo.InteractionType][]int{
		discordgo.InteractionApplicationCommand:             {4, 5, 9},
		discordgo.InteractionMessageComponent:               {4, 5, 6, 7, 9},
		discordgo.InteractionApplicationCommandAutocomplete: {8},
		discordgo.InteractionModalSubmit:                    {4, 5, 6, 7},
	}
	ok := false
	for _, t := range allowed[it] {
		ok = ok || t == typ
	}
	if !ok {
		return fmt.Sprintf("response type %d is not valid for an interaction of type %d", typ, it)
	}
	switch typ {
	case 9:
		return checkModal(data)
	case 4, 7:
		var m message
		if err := json.Unmarshal(data, &m); err != nil {
			return "data: " + err.Error()
		}
		return checkMessage(m, toInteraction)
	case 8:
		var d struct {
			Choices *[]struct {
				Name  string `json:"name"`
				Value any    `json:"value"`
			} `json:"choices"`
		}
		if err := json.Unmarshal(data, &d); err != nil {
			return "data: " + err.Error()
		}
		if d.Choices == nil {
			return "data.choices: This field is required"
		}
		if len(*d.Choices) > 25 {
			return fmt.Sprintf("data.choices: Must be 25 or fewer in length, not %d", len(*d.Choices))
		}
		for i, c := range *d.Choices {
			if n := len([]rune(c.Name)); n < 1 || n > 100 {
				return fmt.Sprintf("data.choices[%d].name: Must be between 1 and 100 in length, not %d", i, n)
			}
			if v, ok := c.Value.(string); ok && len([]rune(v)) > 100 {
				return fmt.Sprintf("data.choices[%d].value: Must be 100 or fewer in length", i)
			}
		}
	}
	return ""
}

func (s *Server) followup(w http.ResponseWriter, r *http.Request) {
	in, ok := s.answered(w, r)
	if !ok {
		return
	}
	m, ok := s.readMessage(w, r, toInteraction)
	if !ok {
		return
	}
	s.mu.Lock()
	id := s.snowflake()
	s.messages[id] = true
	s.mu.Unlock()
	if r.URL.Query().Get("wait") != "true" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, s.messageJSON(id, in.channel, m, 0))
}

func (s *Server) editFollowup(w http.ResponseWriter, r *http.Request) {
	in, ok := s.answered(w, r)
	if !ok {
		return
	}
	m, ok := s.readMessage(w, r, toEdit)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, s.messageJSON(r.PathValue("message"), in.channel, m, 0))
}

// answered finds the interaction of a webhook token, which must have been
// answered before follow-ups work.
func (s *Server) answered(w http.ResponseWriter, r *http.Request) (*interaction, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.tokens[r.PathValue("token")]
	if r.PathValue("app") != s.opts.AppID || in == nil {
		s.errorf("webhook call for unknown application %s or token", r.PathValue("app"))
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Unknown Webhook", "code": 10015})
		return nil, false
	}
	if !in.answered && !in.http {
		s.errorf("follow-up for interaction %s before its initial response", in.id)
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Unknown Webhook", "code": 10015})
		return nil, false
	}
	return in, true
}

func (s *Server) overwriteCommands(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("app") != s.opts.AppID {
		s.errorf("commands registered for application %s, not %s", r.PathValue("app"), s.opts.AppID)
		writeJSON(w, http.StatusForbidden, map[string]any{"message": "Missing Access", "code": 50001})
		return
	}
	var cmds []*discordgo.ApplicationCommand
	if err := json.NewDecoder(r.Body).Decode(&cmds); err != nil {
		s.refuse(w, r, 50109, "The request body contains invalid JSON: %v", err)
		return
	}
	if msg := checkCommands(cmds); msg != "" {
		s.refuse(w, r, 50035, "Invalid Form Body: %s", msg)
		return
	}
	guild := r.PathValue("guild")
	s.mu.Lock()
	for _, c := range cmds {
		c.ID = s.snowflake()
		c.ApplicationID = s.opts.AppID
		c.GuildID = guild
		c.Version = s.snowflake()
		if c.Type == 0 {
			c.Type = discordgo.ChatApplicationCommand
		}
	}
	if cmds == nil {
		cmds = []*discordgo.ApplicationCommand{}
	}
	s.commands[guild] = cmds
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, cmds)
}

func (s *Server) listCommands(w http.ResponseWriter, r *http.Request) {
	cmds := s.Commands(r.PathValue("guild"))
	if cmds == nil {
		cmds = []*discordgo.ApplicationCommand{}
	}
	writeJSON(w, http.StatusOK, cmds)
}

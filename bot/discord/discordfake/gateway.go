package discordfake

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway close codes the fake uses, as Discord does.
const (
	CloseUnknownError      = 4000
	CloseUnknownOpcode     = 4001
	CloseAuthFailed        = 4004
	CloseInvalidShard      = 4010
	CloseShardingRequired  = 4011
	CloseInvalidAPIVersion = 4012
	CloseInvalidIntents    = 4013
	CloseDisallowedIntents = 4014
)

// closeReason returns the reason Discord gives with a close code.
func closeReason(code int) string {
	switch code {
	case CloseUnknownOpcode:
		return "Unknown opcode."
	case CloseAuthFailed:
		return "Authentication failed."
	case CloseInvalidShard:
		return "Invalid shard."
	case CloseShardingRequired:
		return "Sharding required."
	case CloseInvalidAPIVersion:
		return "Invalid API version."
	case CloseInvalidIntents:
		return "Invalid intent(s)."
	case CloseDisallowedIntents:
		return "Disallowed intent(s)."
	}
	return "Unknown error."
}

// Limits and masks of the fake gateway.
const (
	privileged          = discordgo.IntentGuildMembers | discordgo.IntentGuildPresences | discordgo.IntentMessageContent
	gatewayWriteTimeout = 5 * time.Second
	maxGatewayFrame     = 1 << 20
)

// session is a gateway session: what RESUME can pick up again.
type session struct {
	id    string
	shard [2]int
	seq   int64
	log   []dispatch
}

type dispatch struct {
	seq  int64
	t    string
	data json.RawMessage
}

// conn is one websocket connection.
type conn struct {
	n       int
	ws      *websocket.Conn
	wmu     sync.Mutex
	s       *Server
	session *session
	once    sync.Once
	// order keeps dispatches in order: READY and GUILD_CREATE go out
	// before any event a test sends.
	order sync.Mutex
}

func (c *conn) close() {
	c.once.Do(func() { c.ws.Close() })
}

func (s *Server) websocket(w http.ResponseWriter, r *http.Request) {
	if v := r.URL.Query().Get("v"); v != "" && v != "9" && v != "10" {
		s.errorf("gateway dialled with API version %q", v)
	}
	if e := r.URL.Query().Get("encoding"); e != "" && e != "json" {
		s.errorf("gateway dialled with encoding %q; the fake speaks json", e)
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	ws.SetReadLimit(maxGatewayFrame)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ws.Close()
		return
	}
	s.nconns++
	c := &conn{n: s.nconns, ws: ws, s: s}
	s.conns = append(s.conns, c)
	s.connsWait.Add(1)
	s.mu.Unlock()
	go c.serve()
}

func (c *conn) serve() {
	defer c.s.connsWait.Done()
	defer c.close()
	c.send(10, "", 0, map[string]any{"heartbeat_interval": c.s.opts.HeartbeatInterval.Milliseconds()})
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		var f struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if err := json.Unmarshal(data, &f); err != nil {
			c.s.errorf("gateway frame is not JSON: %v (%.200s)", err, data)
			c.closeWith(CloseUnknownOpcode, "Decode error")
			return
		}
		c.s.record(Frame{Conn: c.n, In: true, Op: f.Op, Data: f.D})
		switch f.Op {
		case 1:
			c.send(11, "", 0, nil)
		case 2:
			if !c.identify(f.D) {
				return
			}
		case 6:
			if !c.resume(f.D) {
				return
			}
		case 3, 4, 8:
			// Presence, voice state and member requests: accepted, unused.
		default:
			c.s.errorf("gateway op %d from the client is not one a bot sends", f.Op)
			c.closeWith(CloseUnknownOpcode, "Unknown opcode.")
			return
		}
	}
}

func (c *conn) identify(raw json.RawMessage) bool {
	var id struct {
		Token   string           `json:"token"`
		Intents discordgo.Intent `json:"intents"`
		Shard   *[2]int          `json:"shard"`
	}
	if err := json.Unmarshal(raw, &id); err != nil {
		c.s.errorf("IDENTIFY is not valid: %v", err)
		c.closeWith(CloseUnknownOpcode, "Decode error")
		return false
	}
	if code := c.s.refusal(); code != 0 {
		c.closeWith(code, closeReason(code))
		return false
	}
	if strings.TrimPrefix(id.Token, "Bot ") != c.s.opts.Token {
		c.closeWith(CloseAuthFailed, closeReason(CloseAuthFailed))
		return false
	}
	if missing := c.s.opts.Intents &^ id.Intents; missing != 0 {
		c.s.errorf("IDENTIFY asked for intents %d, missing %d that the bot needs", id.Intents, missing)
		c.closeWith(CloseInvalidIntents, "Invalid intent(s).")
		return false
	}
	if c.s.opts.DenyPrivileged && id.Intents&privileged != 0 {
		c.closeWith(CloseDisallowedIntents, "Disallowed intent(s).")
		return false
	}
	if sh := id.Shard; sh != nil && (sh[1] < 1 || sh[0] < 0 || sh[0] >= sh[1]) {
		c.s.errorf("IDENTIFY with invalid shard %v", *sh)
		c.closeWith(CloseInvalidShard, "Invalid shard.")
		return false
	}
	shard := [2]int{0, 1}
	if id.Shard != nil {
		shard = *id.Shard
	}
	c.order.Lock()
	defer c.order.Unlock()
	c.s.mu.Lock()
	sess := &session{id: fmt.Sprintf("fake-session-%s", c.s.snowflake()), shard: shard}
	c.s.sessions[sess.id] = sess
	c.session = sess
	// Each shard hears of its own servers only.
	var mine []*discordgo.Guild
	guilds := make([]map[string]any, 0, len(c.s.opts.Guilds))
	for _, g := range c.s.opts.Guilds {
		if Shard(g.ID, shard[1]) == shard[0] {
			mine = append(mine, g)
			guilds = append(guilds, map[string]any{"id": g.ID, "unavailable": true})
		}
	}
	c.s.mu.Unlock()
	c.dispatch("READY", map[string]any{
		"v":                  9,
		"session_id":         sess.id,
		"resume_gateway_url": c.s.GatewayURL(),
		"user":               map[string]any{"id": c.s.opts.BotID, "username": c.s.opts.BotName, "bot": true, "discriminator": "0"},
		"application":        map[string]any{"id": c.s.opts.AppID, "flags": 0},
		"guilds":             guilds,
		"private_channels":   []any{},
		"shard":              shard,
	})
	for _, g := range mine {
		c.dispatch("GUILD_CREATE", c.s.withBotRole(g))
	}
	return true
}

// withBotRole returns guild g as GUILD_CREATE carries it, with the bot's
// own managed role added to its roles as Discord adds it when a bot joins
// a server: tags.bot_id names the bot (discordgo's Role has no tags).
func (s *Server) withBotRole(g *discordgo.Guild) any {
	raw, err := json.Marshal(g)
	if err != nil {
		s.errorf("marshal guild %s: %v", g.ID, err)
		return g
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		s.errorf("unmarshal guild %s: %v", g.ID, err)
		return g
	}
	roles, _ := out["roles"].([]any)
	out["roles"] = append(roles, map[string]any{
		"id": s.BotRole(g.ID), "name": s.opts.BotName, "managed": true, "permissions": "0",
		"tags": map[string]any{"bot_id": s.opts.BotID},
	})
	return out
}

func (c *conn) resume(raw json.RawMessage) bool {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		c.s.errorf("RESUME is not valid: %v", err)
		c.closeWith(CloseUnknownOpcode, "Decode error")
		return false
	}
	if code := c.s.refusal(); code != 0 {
		c.closeWith(code, closeReason(code))
		return false
	}
	if strings.TrimPrefix(r.Token, "Bot ") != c.s.opts.Token {
		c.closeWith(CloseAuthFailed, closeReason(CloseAuthFailed))
		return false
	}
	c.order.Lock()
	defer c.order.Unlock()
	c.s.mu.Lock()
	sess := c.s.sessions[r.SessionID]
	if sess == nil {
		c.s.mu.Unlock()
		c.send(9, "", 0, false)
		return true
	}
	c.session = sess
	var replay []dispatch
	for _, d := range sess.log {
		if d.t != "READY" && d.t != "GUILD_CREATE" && (c.s.opts.ReplayAll || d.seq > r.Seq) {
			replay = append(replay, d)
		}
	}
	c.s.mu.Unlock()
	for _, d := range replay {
		c.send(0, d.t, d.seq, d.data)
	}
	c.dispatch("RESUMED", map[string]any{})
	return true
}

// dispatch sends an op 0 event with the session's next sequence number and
// logs it for RESUME.
func (c *conn) dispatch(t string, d any) {
	data, err := json.Marshal(d)
	if err != nil {
		c.s.errorf("marshal %s: %v", t, err)
		return
	}
	c.s.mu.Lock()
	c.session.seq++
	seq := c.session.seq
	c.session.log = append(c.session.log, dispatch{seq: seq, t: t, data: data})
	c.s.mu.Unlock()
	c.send(0, t, seq, json.RawMessage(data))
}

// send writes one frame, compressed when the fake is set to. The frame is
// recorded with the connection's write lock held, just before it is
// written: a test that waits for it and then sends or closes anything on
// the connection writes after it, so the close that follows a READY never
// overtakes it, and the recorded frames are in the order they were written.
func (c *conn) send(op int, t string, seq int64, d any) {
	f := map[string]any{"op": op, "d": d}
	if op == 0 {
		f["t"], f["s"] = t, seq
	}
	data, err := json.Marshal(f)
	if err != nil {
		c.s.errorf("marshal op %d: %v", op, err)
		return
	}
	raw, _ := json.Marshal(d)
	kind := websocket.TextMessage
	if c.s.opts.Compress {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		_, _ = zw.Write(data)
		_ = zw.Close()
		data, kind = buf.Bytes(), websocket.BinaryMessage
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.s.record(Frame{Conn: c.n, Op: op, T: t, Seq: seq, Data: raw, Compressed: c.s.opts.Compress})
	_ = c.ws.SetWriteDeadline(time.Now().Add(gatewayWriteTimeout))
	_ = c.ws.WriteMessage(kind, data)
}

func (c *conn) closeWith(code int, reason string) {
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	c.wmu.Unlock()
	c.close()
}

func (s *Server) record(f Frame) {
	f.At = time.Now()
	s.mu.Lock()
	s.frames = append(s.frames, f)
	s.notify()
	s.mu.Unlock()
}

// current returns the newest connection with an identified session that
// serves the shard of guild ("" for DMs, which go to shard 0), or fails the
// test. The connection may be closing, during a reconnect: what is sent to
// it is logged in its session and replayed on RESUME.
func (s *Server) current(guild string) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.currentLocked(guild)
}

// targets returns the connections an event of guild goes to: the current
// one, and with Options.EverySession the newest connection of every other
// session that serves the same shard, newest first. The caller holds no
// lock.
func (s *Server) targets(guild string) []*conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.currentLocked(guild)
	if c == nil {
		return nil
	}
	out := []*conn{c}
	if !s.opts.EverySession {
		return out
	}
	done := map[*session]bool{c.session: true}
	for i := len(s.conns) - 1; i >= 0; i-- {
		if sess := s.conns[i].session; sess != nil && !done[sess] && sess.shard == c.session.shard {
			done[sess] = true
			out = append(out, s.conns[i])
		}
	}
	return out
}

// currentLocked is current with s.mu held.
func (s *Server) currentLocked(guild string) *conn {
	count := 0
	for i := len(s.conns) - 1; i >= 0; i-- {
		if sess := s.conns[i].session; sess != nil {
			count = sess.shard[1]
			break
		}
	}
	if count == 0 {
		s.errorf("no gateway client has identified yet: wait with WaitReady first")
		return nil
	}
	target := Shard(guild, count)
	for i := len(s.conns) - 1; i >= 0; i-- {
		if sess := s.conns[i].session; sess != nil && sess.shard[0] == target {
			return s.conns[i]
		}
	}
	s.errorf("no gateway client serves shard %d of %d, which guild %q belongs to", target, count, guild)
	return nil
}

// Shard returns the shard that receives the events of guild when the bot
// runs count shards, as Discord computes it: (guild_id >> 22) % count.
func Shard(guild string, count int) int {
	id, err := strconv.ParseUint(guild, 10, 64)
	if err != nil || count < 2 {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

// Dispatch sends the event t with data d to the client serving the shard
// of d's guild_id (with Options.EverySession, to every client serving it),
// and logs it in the session for RESUME. It returns the sequence number,
// in the newest session when there are several.
func (s *Server) Dispatch(t string, d any) int64 {
	var target struct {
		GuildID string `json:"guild_id"`
	}
	if raw, err := json.Marshal(d); err == nil {
		_ = json.Unmarshal(raw, &target)
	}
	var seq int64
	for i, c := range s.targets(target.GuildID) {
		if n := c.dispatchInOrder(t, d); i == 0 {
			seq = n
		}
	}
	return seq
}

// dispatchInOrder dispatches t after whatever the connection is sending,
// and returns its sequence number.
func (c *conn) dispatchInOrder(t string, d any) int64 {
	c.order.Lock()
	defer c.order.Unlock()
	c.dispatch(t, d)
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return c.session.seq
}

// mentionedRoles returns the ids of the roles mentioned in content as
// <@&id>.
func mentionedRoles(content string) []string {
	out := []string{}
	for {
		_, rest, ok := strings.Cut(content, "<@&")
		if !ok {
			return out
		}
		id, after, ok := strings.Cut(rest, ">")
		if _, err := strconv.ParseUint(id, 10, 64); ok && err == nil {
			out = append(out, id)
			rest = after
		}
		content = rest
	}
}

// SendMessage delivers a MESSAGE_CREATE. Missing ids and the timestamp are
// filled in, and so are the mentioned roles, from the content, as Discord
// fills them in; the message is returned as sent.
func (s *Server) SendMessage(m *discordgo.Message) *discordgo.Message {
	s.mu.Lock()
	if m.ID == "" {
		m.ID = s.snowflake()
	}
	if m.Timestamp.IsZero() {
		m.Timestamp = time.Now().UTC().Truncate(time.Second)
	}
	s.messages[m.ID] = true
	s.mu.Unlock()
	if m.Mentions == nil {
		m.Mentions = []*discordgo.User{}
	}
	if m.MentionRoles == nil {
		m.MentionRoles = mentionedRoles(m.Content)
	}
	s.Dispatch("MESSAGE_CREATE", m)
	return m
}

// prepare fills in an interaction's id, token and application id, and
// registers it so that the bot's callback and follow-ups are accepted.
func (s *Server) prepare(i *discordgo.Interaction, viaHTTP bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i.ID == "" {
		i.ID = s.snowflake()
	}
	if i.Token == "" {
		i.Token = "itoken-" + s.snowflake()
	}
	if i.AppID == "" {
		i.AppID = s.opts.AppID
	}
	if i.Version == 0 {
		i.Version = 1
	}
	s.tokens[i.Token] = &interaction{id: i.ID, typ: i.Type, channel: i.ChannelID, delivered: time.Now(), http: viaHTTP}
}

// SendInteraction delivers an INTERACTION_CREATE over the gateway. The
// interaction's id, token and application id are filled in when empty.
func (s *Server) SendInteraction(i *discordgo.Interaction) *discordgo.Interaction {
	s.prepare(i, false)
	s.Dispatch("INTERACTION_CREATE", i)
	return i
}

// Reconnect sends op 7 to the client of shard 0: it should close and
// RESUME.
func (s *Server) Reconnect() {
	if c := s.current(""); c != nil {
		c.send(7, "", 0, nil)
	}
}

// InvalidSession sends op 9, with d set to resumable, to the client of
// shard 0: it should identify again.
func (s *Server) InvalidSession(resumable bool) {
	if c := s.current(""); c != nil {
		c.send(9, "", 0, resumable)
	}
}

// CloseGateway closes every gateway connection with close code code, as
// Discord does when it drops sessions; a client may connect again and
// RESUME.
func (s *Server) CloseGateway(code int) {
	s.mu.Lock()
	conns := append([]*conn(nil), s.conns...)
	s.mu.Unlock()
	for _, c := range conns {
		c.closeWith(code, closeReason(code))
	}
}

// Refuse closes every gateway connection with close code code and refuses
// every later IDENTIFY and RESUME with it, as Discord does once a running
// bot's token is reset (4004) or its shard or intent settings no longer
// hold (4010 to 4014).
func (s *Server) Refuse(code int) {
	s.mu.Lock()
	s.refused = code
	s.mu.Unlock()
	s.CloseGateway(code)
}

// refusal returns the close code set by Refuse, or 0.
func (s *Server) refusal() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// Connections returns how many websocket connections have been opened.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nconns
}

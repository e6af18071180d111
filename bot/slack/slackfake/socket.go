package slackfake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// socketState is the fake's Socket Mode side: the websocket URLs handed
// out by apps.connections.open and the connections made to them.
type socketState struct {
	mu      sync.Mutex
	minted  map[string]bool
	conns   map[*sockConn]bool
	current *sockConn
	hellos  int
	next    int
	closing bool
	wg      sync.WaitGroup
}

func newSocketState() *socketState {
	return &socketState{minted: map[string]bool{}, conns: map[*sockConn]bool{}}
}

// sockConn is one websocket connection from the client. Writes are
// serialised by wmu; WriteControl may run beside them.
type sockConn struct {
	ws   *websocket.Conn
	wmu  sync.Mutex
	done chan struct{}
	once sync.Once
}

func (c *sockConn) writeJSON(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	return c.ws.WriteJSON(v)
}

func (c *sockConn) close() {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.Close()
	})
}

func (st *socketState) closeAll() {
	st.mu.Lock()
	st.closing = true
	for c := range st.conns {
		c.close()
	}
	st.mu.Unlock()
	st.wg.Wait()
}

func (s *Server) connectionsOpen(r *Request) (any, string) {
	if r.Header.Get("Authorization") != "Bearer "+AppToken {
		return nil, "invalid_auth"
	}
	st := s.sock
	st.mu.Lock()
	st.next++
	id := strconv.Itoa(st.next)
	st.minted[id] = true
	st.mu.Unlock()
	return map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/socket/" + id}, ""
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	st := s.sock
	id := r.PathValue("id")
	st.mu.Lock()
	ok := st.minted[id]
	delete(st.minted, id)
	st.mu.Unlock()
	if !ok {
		s.record(Request{Method: "unknown", Path: r.URL.Path, Header: r.Header.Clone(), Status: http.StatusNotFound})
		s.t.Errorf("slackfake: websocket dialled at %s, which apps.connections.open never handed out (or handed out once already)", r.URL.Path)
		http.NotFound(w, r)
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &sockConn{ws: ws, done: make(chan struct{})}
	st.mu.Lock()
	if st.closing {
		st.mu.Unlock()
		_ = ws.Close()
		return
	}
	st.conns[c] = true
	st.wg.Add(2)
	st.mu.Unlock()

	hello := map[string]any{
		"type": "hello", "num_connections": 1,
		"debug_info":      map[string]any{"host": "slackfake", "approximate_connection_time": 3600},
		"connection_info": map[string]any{"app_id": AppID},
	}
	if err := c.writeJSON(hello); err != nil {
		c.close()
	} else {
		st.mu.Lock()
		st.current = c
		st.hellos++
		st.mu.Unlock()
		s.wake()
	}
	go s.ping(c)
	go s.readAcks(c)
}

// wake wakes every waiter after a change outside s.mu.
func (s *Server) wake() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changedLocked()
}

// ping sends websocket PINGs, as Slack does; the client reconnects when
// they stop.
func (s *Server) ping(c *sockConn) {
	defer s.sock.wg.Done()
	t := time.NewTicker(s.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			if err := c.ws.WriteControl(websocket.PingMessage, []byte("slackfake"), time.Now().Add(5*time.Second)); err != nil {
				c.close()
				return
			}
		}
	}
}

// readAcks records what the client sends: acks of envelopes.
func (s *Server) readAcks(c *sockConn) {
	st := s.sock
	defer st.wg.Done()
	defer func() {
		c.close()
		st.mu.Lock()
		delete(st.conns, c)
		if st.current == c {
			st.current = nil
		}
		st.mu.Unlock()
		s.wake()
	}()
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		var ack struct {
			EnvelopeID string `json:"envelope_id"`
		}
		_ = json.Unmarshal(data, &ack)
		s.record(Request{Method: "ack", Path: "/socket", Body: data, EnvelopeID: ack.EnvelopeID, Status: http.StatusOK})
	}
}

// Connections returns how many Socket Mode connections got their hello.
func (s *Server) Connections() int {
	s.sock.mu.Lock()
	defer s.sock.mu.Unlock()
	return s.sock.hellos
}

// WaitConnections waits until n Socket Mode connections got their hello
// and one of them is still open.
func (s *Server) WaitConnections(t testing.TB, n int) {
	t.Helper()
	s.waitFor(t, strconv.Itoa(n)+" Socket Mode connection(s)", func() bool {
		s.sock.mu.Lock()
		defer s.sock.mu.Unlock()
		return s.sock.hellos >= n && s.sock.current != nil
	})
}

// currentConn waits for an open connection and returns it.
func (s *Server) currentConn(t testing.TB) *sockConn {
	t.Helper()
	var c *sockConn
	s.waitFor(t, "an open Socket Mode connection", func() bool {
		s.sock.mu.Lock()
		defer s.sock.mu.Unlock()
		c = s.sock.current
		return c != nil
	})
	return c
}

// Delivery is an envelope the fake sent over Socket Mode.
type Delivery struct {
	EnvelopeID   string
	Type         string
	Payload      json.RawMessage
	RetryAttempt int
	// EventID is the event_id of an events_api envelope.
	EventID string
	// ResponseURL is the response_url of a slash command or interaction.
	ResponseURL string
}

// Send sends an envelope of the given type ("events_api",
// "slash_commands", "interactive") with payload over the open connection.
func (s *Server) Send(t testing.TB, typ string, payload []byte) Delivery {
	t.Helper()
	return s.send(t, Delivery{Type: typ, Payload: payload})
}

func (s *Server) send(t testing.TB, d Delivery) Delivery {
	t.Helper()
	s.mu.Lock()
	s.seq++
	d.EnvelopeID = "env-" + strconv.Itoa(s.seq)
	s.mu.Unlock()
	env := map[string]any{
		"envelope_id": d.EnvelopeID, "type": d.Type, "payload": d.Payload,
		"accepts_response_payload": d.Type != "events_api",
	}
	if d.RetryAttempt > 0 {
		env["retry_attempt"] = d.RetryAttempt
		env["retry_reason"] = "timeout"
	}
	if err := s.currentConn(t).writeJSON(env); err != nil {
		t.Fatalf("slackfake: sending a %s envelope: %v", d.Type, err)
	}
	return d
}

// Redeliver sends d again as Slack does when an ack comes late: the same
// payload in a new envelope with retry_attempt one higher.
func (s *Server) Redeliver(t testing.TB, d Delivery) Delivery {
	t.Helper()
	d.RetryAttempt++
	return s.send(t, d)
}

// Disconnect sends a disconnect envelope, after which the client is
// expected to open a new connection with apps.connections.open. Until it
// does, Send waits.
func (s *Server) Disconnect(t testing.TB) {
	t.Helper()
	c := s.currentConn(t)
	s.sock.mu.Lock()
	if s.sock.current == c {
		s.sock.current = nil
	}
	s.sock.mu.Unlock()
	msg := map[string]any{"type": "disconnect", "reason": "refresh_requested", "debug_info": map[string]any{"host": "slackfake"}}
	if err := c.writeJSON(msg); err != nil {
		t.Fatalf("slackfake: sending disconnect: %v", err)
	}
}

// WaitAck waits for the acknowledgement of envelope id and returns it.
func (s *Server) WaitAck(t testing.TB, id string) Request {
	t.Helper()
	return s.Wait(t, "the ack of "+id, 1, func(r Request) bool { return r.Method == "ack" && r.EnvelopeID == id })[0]
}

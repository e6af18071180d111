package main

import (
	"container/list"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/faqbot/faqbot/internal/httpbody"
)

// Limits of the HTTP listener. Slack and Discord send small requests and
// send them fast; a client that sends its headers or its body slowly is
// cut off, so that slow clients cannot hold connections, and with them
// file descriptors, for ever.
const (
	// maxConnections is the most connections the listener holds at once
	// (fewer when the process may open few files, see connectionCap).
	// Past it, the connection idle the longest is closed to make room for
	// a new one, or, when none is idle, the new one as soon as it is
	// accepted.
	maxConnections = 4096
	// readHeaderTimeout is how long a client may take to send a
	// request's headers.
	readHeaderTimeout = 5 * time.Second
	// bodyTimeout is how long a handler may take to read a request's
	// body, counted from when the handler starts: Slack's and Discord's
	// bodies (1 MiB and 64 KiB at most) arrive in well under a second.
	bodyTimeout = 5 * time.Second
	// readTimeout bounds reading a whole request, headers and body.
	readTimeout = readHeaderTimeout + bodyTimeout
	// writeTimeout bounds writing a response, counted from the end of
	// reading the request's headers: a Discord interaction is answered
	// within 3 s, and /metrics at once.
	writeTimeout = 30 * time.Second
	// idleTimeout is how long a kept-alive connection may wait for its
	// next request, unless the listener needs its slot first.
	idleTimeout = 60 * time.Second
	// maxHeaderBytes bounds a request's headers, whose memory the server
	// holds while it reads them.
	maxHeaderBytes = 64 << 10
	// maxBodyBytes bounds the bytes of request bodies that handlers hold
	// at once, all connections together (see bodyBudget). Slack's and
	// Discord's requests are a few KiB, and the largest body an endpoint
	// reads is 1 MiB, so 64 MiB holds thousands of genuine requests at
	// once, or 64 of the largest; yet clients that send large bodies and
	// hold the last byte back cost the process about twice that at most
	// (the buffers grow as a body is read), not all its memory.
	maxBodyBytes = 64 << 20
	// bodyWait is how long a read of a body may wait for room among
	// maxBodyBytes before its request is answered 503 with Retry-After,
	// which Slack retries: Slack and Discord want an answer within 3 s.
	bodyWait = time.Second
)

// newHTTPServer returns the server of faqbot's HTTP listener, serving h
// on ln with the timeouts above, a deadline for reading each request's
// body, and bodies held within bodies.
func newHTTPServer(h http.Handler, ln *cappedListener, bodies *bodyBudget, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           withBodyDeadline(bodies.wrap(h)),
		ConnState:         ln.track,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// withBodyDeadline gives every request bodyTimeout, from when its handler
// starts, to send its body: a body that trickles in fails to read, and
// the handler answers it as unreadable.
func withBodyDeadline(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(bodyTimeout))
		h.ServeHTTP(w, r)
	})
}

// bodyBudget bounds the bytes of request bodies that handlers hold at
// once. Each read of a body claims the bytes it brought; a request gives
// its claims back when its handler returns. A read that finds no room
// waits up to bodyWait for some, then fails with httpbody.ErrNoRoom, which
// the endpoints answer 503. Claims follow the bytes read, not the length a
// request announces, so that a client that trickles its body holds only
// what it sent, and a request without a body (GET /healthz, /metrics)
// claims nothing.
type bodyBudget struct {
	room    *semaphore.Weighted
	size    int64
	held    atomic.Int64
	refused atomic.Uint64
	log     *slog.Logger
	// short is set from a refusal until half the room is free again, so
	// that a shortage is logged when it starts, not once a request.
	short atomic.Bool
}

func newBodyBudget(size int64, log *slog.Logger) *bodyBudget {
	return &bodyBudget{room: semaphore.NewWeighted(size), size: size, log: log}
}

// wrap returns h with the bodies of its requests claimed from b.
func (b *bodyBudget) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			h.ServeHTTP(w, r)
			return
		}
		body := &claimedBody{ReadCloser: r.Body, budget: b, ctx: r.Context()}
		r.Body = body
		defer body.release()
		h.ServeHTTP(w, r)
	})
}

// claim takes n bytes of room, waiting up to bodyWait for them.
func (b *bodyBudget) claim(ctx context.Context, n int64) error {
	if !b.room.TryAcquire(n) {
		ctx, cancel := context.WithTimeout(ctx, bodyWait)
		defer cancel()
		if err := b.room.Acquire(ctx, n); err != nil {
			// Counted before the request is answered, so that whoever
			// sees the 503 also sees it counted.
			b.refused.Add(1)
			if b.short.CompareAndSwap(false, true) {
				b.log.Warn("the HTTP listener holds as many bytes of request bodies as it may; answering 503 to requests that find no room within a second", "max_body_bytes", b.size)
			}
			return httpbody.ErrNoRoom
		}
	}
	if held := b.held.Add(n); held < b.size/2 && b.short.CompareAndSwap(true, false) {
		b.log.Info("the HTTP listener has room for request bodies again", "refused_so_far", b.refused.Load())
	}
	return nil
}

// Held returns the bytes of request bodies held.
func (b *bodyBudget) Held() int64 { return b.held.Load() }

// Refused returns the number of requests refused for want of room for
// their bodies.
func (b *bodyBudget) Refused() uint64 { return b.refused.Load() }

// claimedBody is a request's body whose reads claim room from budget.
type claimedBody struct {
	io.ReadCloser
	budget  *bodyBudget
	ctx     context.Context
	claimed int64
	err     error // the claim that failed; every later read fails with it
}

func (c *claimedBody) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.ReadCloser.Read(p)
	if n > 0 {
		if c.err = c.budget.claim(c.ctx, int64(n)); c.err != nil {
			return 0, c.err
		}
		c.claimed += int64(n)
	}
	return n, err
}

// release gives back what the body claimed.
func (c *claimedBody) release() {
	if c.claimed > 0 {
		c.budget.held.Add(-c.claimed)
		c.budget.room.Release(c.claimed)
		c.claimed = 0
	}
}

// connectionCap returns how many connections the listener may hold:
// maxConnections, or half the files the process may open when that is
// less, so that the platforms' connections, the database and the
// knowledge file can always be opened.
func connectionCap() int {
	if n := openFileLimit(); n > 0 && n/2 < maxConnections {
		return int(max(n/2, 1))
	}
	return maxConnections
}

// cappedListener holds at most cap(slots) connections at once. When every
// slot is taken, a new connection takes the slot of the connection idle
// the longest (kept alive between requests, for closeIdleAfter at least),
// which is closed: clients that keep connections open and send nothing
// cannot lock others out. With none idle, the new
// connection is closed at once, so that the excess is refused early
// rather than left waiting in the kernel's queue, and counted. The
// server's ConnState hook must be track, for the listener to know which
// connections are idle.
type cappedListener struct {
	net.Listener
	slots      chan struct{}
	refused    atomic.Uint64
	closedIdle atomic.Uint64
	log        *slog.Logger
	// full is set from when a new connection first finds every slot
	// taken until one finds half of them free, so that a flood is logged
	// once when it starts, not once a connection.
	full atomic.Bool

	mu   sync.Mutex
	idle list.List // of *slotConn, idle the longest first
}

func newCappedListener(ln net.Listener, n int, log *slog.Logger) *cappedListener {
	return &cappedListener{Listener: ln, slots: make(chan struct{}, n), log: log}
}

// Accept returns the next connection for which there is a slot, closing
// idle ones to make room, or, when none is idle, the new ones.
func (l *cappedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.takeSlot() {
			return &slotConn{Conn: c, l: l, release: func() { <-l.slots }}, nil
		}
		// Counted before it is closed, so that whoever sees the
		// connection closed also sees it counted.
		l.refused.Add(1)
		c.Close()
	}
}

// takeSlot takes a slot, closing the connections idle the longest until
// one is free, and reports whether it got one.
func (l *cappedListener) takeSlot() bool {
	select {
	case l.slots <- struct{}{}:
		if len(l.slots) <= cap(l.slots)/2 && l.full.CompareAndSwap(true, false) {
			l.log.Info("the HTTP listener has free connection slots again", "refused_so_far", l.refused.Load(), "idle_closed_so_far", l.closedIdle.Load())
		}
		return true
	default:
	}
	if l.full.CompareAndSwap(false, true) {
		l.log.Warn("the HTTP listener holds as many connections as it may; it closes idle ones, the longest idle first, to take new ones, and refuses new ones while none is idle (a client gets 5 s to send a request's headers and 5 s more for its body)", "max_connections", cap(l.slots))
	}
	for {
		c := l.oldestIdle()
		if c == nil {
			return false
		}
		l.closedIdle.Add(1)
		// Closing it gives its slot back, unless the server closed it
		// first, which gave it back already.
		c.Close()
		select {
		case l.slots <- struct{}{}:
			return true
		default:
		}
	}
}

// closeIdleAfter is how long a connection must have been idle before the
// listener closes it to make room. A client that keeps connections alive
// (a load balancer in front, Slack, Discord) may send its next request on
// one at any moment, and the server counts the connection idle until it
// has read that request's headers: closing one just reused would lose a
// request, which a POST is not sent again for.
const closeIdleAfter = time.Second

// oldestIdle takes the connection idle the longest off the idle list and
// returns it, or nil when none has been idle closeIdleAfter.
func (l *cappedListener) oldestIdle() *slotConn {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.idle.Front()
	if e == nil || time.Since(e.Value.(*slotConn).idleSince) < closeIdleAfter {
		return nil
	}
	c := l.idle.Remove(e).(*slotConn)
	c.idle = nil
	c.waiting.Store(false)
	return c
}

// track is the server's ConnState hook: it keeps the idle connections in
// the order they became idle.
func (l *cappedListener) track(c net.Conn, state http.ConnState) {
	sc, ok := c.(*slotConn)
	if !ok {
		return
	}
	if state == http.StateIdle {
		l.setIdle(sc, true)
		return
	}
	l.setIdle(sc, false)
}

// setIdle puts c on the idle list, or takes it off.
func (l *cappedListener) setIdle(c *slotConn, idle bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.idle != nil {
		l.idle.Remove(c.idle)
		c.idle = nil
	}
	c.waiting.Store(idle)
	if idle {
		c.idleSince = time.Now()
		c.idle = l.idle.PushBack(c)
	}
}

// Open returns the number of connections held.
func (l *cappedListener) Open() int { return len(l.slots) }

// Idle returns the number of connections held that wait for a request.
func (l *cappedListener) Idle() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.idle.Len()
}

// Refused returns the number of connections closed for want of a slot.
func (l *cappedListener) Refused() uint64 { return l.refused.Load() }

// slotConn is a connection that gives its slot back when closed.
type slotConn struct {
	net.Conn
	once    sync.Once
	release func()
	// l is the listener, whose mu guards idle and idleSince.
	l *cappedListener
	// idle is its place among the idle, and idleSince when it became
	// idle; waiting is set while it is on the idle list, for Read to see
	// without the lock.
	idle      *list.Element
	idleSince time.Time
	waiting   atomic.Bool
}

// Read reads from the connection. When the first bytes of its next
// request arrive, it takes the connection off the idle list, so that it
// is no longer closed to make room, and gives the client readHeaderTimeout
// from then to send the rest of the headers, as a new connection gets
// (the server would wait idleTimeout for them).
func (c *slotConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && c.waiting.Load() {
		c.l.setIdle(c, false)
		_ = c.Conn.SetReadDeadline(time.Now().Add(readHeaderTimeout))
	}
	return n, err
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

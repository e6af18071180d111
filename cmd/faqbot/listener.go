package main

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Limits of the HTTP listener. Slack and Discord send small requests and
// send them fast; a client that sends its headers or its body slowly is
// cut off, so that slow clients cannot hold connections, and with them
// file descriptors, for ever.
const (
	// maxConnections is the most connections the listener holds at once
	// (fewer when the process may open few files, see connectionCap).
	// Past it, a new connection is closed as soon as it is accepted.
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
	// next request.
	idleTimeout = 60 * time.Second
	// maxHeaderBytes bounds a request's headers, whose memory the server
	// holds while it reads them.
	maxHeaderBytes = 64 << 10
)

// newHTTPServer returns the server of faqbot's HTTP listener, serving h
// with the timeouts above and a deadline for reading each request's body.
func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           withBodyDeadline(h),
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

// cappedListener holds at most cap(slots) connections at once. A
// connection accepted past that is closed at once, so that the excess is
// refused early rather than left waiting in the kernel's queue, and
// counted.
type cappedListener struct {
	net.Listener
	slots   chan struct{}
	refused atomic.Uint64
	log     *slog.Logger
	// full is set while connections are being refused, so that a flood
	// is logged once when it starts, not once a connection.
	full atomic.Bool
}

func newCappedListener(ln net.Listener, n int, log *slog.Logger) *cappedListener {
	return &cappedListener{Listener: ln, slots: make(chan struct{}, n), log: log}
}

// Accept returns the next connection for which there is a slot, closing
// those that come while every slot is taken.
func (l *cappedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.slots <- struct{}{}:
			if l.full.CompareAndSwap(true, false) {
				l.log.Info("the HTTP listener takes connections again", "refused_so_far", l.refused.Load())
			}
			return &slotConn{Conn: c, release: func() { <-l.slots }}, nil
		default:
			// Counted before it is closed, so that whoever sees the
			// connection closed also sees it counted.
			l.refused.Add(1)
			c.Close()
			if l.full.CompareAndSwap(false, true) {
				l.log.Warn("the HTTP listener holds as many connections as it may; refusing new ones until some close (slow clients are cut off after a few seconds)", "max_connections", cap(l.slots))
			}
		}
	}
}

// Open returns the number of connections held.
func (l *cappedListener) Open() int { return len(l.slots) }

// Refused returns the number of connections closed for want of a slot.
func (l *cappedListener) Refused() uint64 { return l.refused.Load() }

// slotConn is a connection that gives its slot back when closed.
type slotConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

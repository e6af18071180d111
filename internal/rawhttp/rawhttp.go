// Package rawhttp writes HTTP/1.1 requests by hand over one TCP
// connection, for tests of what a server does with a request whose body
// comes late, in part, or never: the headers, some of the body, then
// nothing, as a client that holds the connection would.
package rawhttp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// Conn is one client connection.
type Conn struct {
	net.Conn
	r *bufio.Reader
}

// Dial connects to addr (host:port, or a URL whose host is taken).
func Dial(addr string) (*Conn, error) {
	if _, rest, ok := strings.Cut(addr, "://"); ok {
		addr, _, _ = strings.Cut(rest, "/")
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &Conn{Conn: c, r: bufio.NewReader(c)}, nil
}

// WriteHead writes a request's line and headers, with a Content-Length of
// length (none when negative) and header's fields, and none of its body.
func (c *Conn) WriteHead(method, path string, header http.Header, length int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: faqbot\r\n", method, path)
	if length >= 0 {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", length)
	}
	for k, vs := range header {
		for _, v := range vs {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	_, err := io.WriteString(c, b.String())
	return err
}

// ReadResponse reads the next response, and its body, giving up after
// within.
func (c *Conn) ReadResponse(within time.Duration) (*http.Response, []byte, error) {
	if err := c.SetReadDeadline(time.Now().Add(within)); err != nil {
		return nil, nil, err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// Closed reports whether the server closes the connection, reading and
// dropping what it sends until it does or within has passed.
func (c *Conn) Closed(within time.Duration) bool {
	if err := c.SetReadDeadline(time.Now().Add(within)); err != nil {
		return true
	}
	_, err := io.Copy(io.Discard, c.r)
	var ne net.Error
	return !errors.As(err, &ne) || !ne.Timeout()
}

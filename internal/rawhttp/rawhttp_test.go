package rawhttp

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestHeadThenBody writes a request's head, reads the answer that the
// server gives before the body (it reads none), and sees the server close
// the connection as asked.
func TestHeadThenBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Wanted") != "yes" || r.ContentLength != 1<<20 {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Connection", "close")
		http.Error(w, "not read", http.StatusUnauthorized)
	}))
	defer srv.Close()
	c, err := Dial(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.WriteHead(http.MethodPost, "/x", http.Header{"X-Wanted": {"yes"}}, 1<<20); err != nil {
		t.Fatal(err)
	}
	resp, body, err := c.ReadResponse(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusUnauthorized || string(body) != "not read\n" {
		t.Errorf("%s %q, want 401 \"not read\"", resp.Status, body)
	}
	if !c.Closed(10 * time.Second) {
		t.Error("the connection stayed open")
	}
}

// TestNotClosed sees a kept-alive connection stay open.
func TestNotClosed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	c, err := Dial(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.WriteHead(http.MethodGet, "/", nil, -1); err != nil {
		t.Fatal(err)
	}
	if resp, body, err := c.ReadResponse(10 * time.Second); err != nil || resp.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Fatalf("%v %q %v", resp, body, err)
	}
	if c.Closed(50 * time.Millisecond) {
		t.Error("a kept-alive connection was closed")
	}
}

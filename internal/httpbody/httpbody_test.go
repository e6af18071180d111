package httpbody

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// failing is a body whose reads fail with err after the first byte.
type failing struct {
	err  error
	read bool
}

func (f *failing) Read(p []byte) (int, error) {
	if f.read {
		return 0, f.err
	}
	f.read = true
	p[0] = '{'
	return 1, nil
}

func (f *failing) Close() error { return nil }

func TestRead(t *testing.T) {
	for _, tc := range []struct {
		name       string
		body       io.ReadCloser
		status     int
		retryAfter string
		err        error
	}{
		{"within the limit", io.NopCloser(strings.NewReader("0123456789")), http.StatusOK, "", nil},
		{"over the limit", io.NopCloser(strings.NewReader("0123456789a")), http.StatusRequestEntityTooLarge, "", nil},
		{"no room", &failing{err: fmt.Errorf("claim: %w", ErrNoRoom)}, http.StatusServiceUnavailable, "1", ErrNoRoom},
		{"the client stopped", &failing{err: io.ErrUnexpectedEOF}, http.StatusBadRequest, "", io.ErrUnexpectedEOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.Body = tc.body
				body, err := Read(w, r, 10)
				if tc.err != nil && !errors.Is(err, tc.err) {
					t.Errorf("error %v, want %v", err, tc.err)
				}
				if err == nil {
					w.Write(body)
				}
			}))
			defer srv.Close()
			resp, err := http.Post(srv.URL, "text/plain", strings.NewReader("ignored"))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status || resp.Header.Get("Retry-After") != tc.retryAfter {
				t.Errorf("%s, Retry-After %q; want %d, %q", resp.Status, resp.Header.Get("Retry-After"), tc.status, tc.retryAfter)
			}
		})
	}
}

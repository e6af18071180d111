// Package httpbody reads the request bodies of faqbot's HTTP endpoints and
// answers those it cannot read, so that the Slack and Discord endpoints and
// the HTTP listener that bounds the bodies held at once agree on what each
// failure is answered with.
package httpbody

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// ErrNoRoom is the error a read of a request's body fails with when the
// bodies the HTTP listener lets handlers hold at once take all the room it
// gives them. Read answers it 503 with Retry-After, which Slack retries.
var ErrNoRoom = errors.New("no room for the request body: the HTTP listener holds as many request bodies as it may")

// Read reads r's body, up to limit bytes. When it cannot, it answers the
// request and returns the error: 413 for a body over limit (an
// *http.MaxBytesError), 503 with Retry-After for ErrNoRoom, and 400 for
// anything else, such as a client that stopped sending before the end.
func Read(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err == nil {
		return body, nil
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
	case errors.Is(err, ErrNoRoom):
		w.Header().Set("Retry-After", "1")
		Refuse(w, http.StatusServiceUnavailable, "too many requests at once; try again")
	default:
		http.Error(w, "cannot read the request body", http.StatusBadRequest)
	}
	return nil, err
}

// Refuse answers a request with status and message, and closes the
// connection after the answer without reading, or waiting for, the rest
// of the body: the server would otherwise read up to 256 KiB of it, as
// slowly as the client sends it, to keep the connection.
func Refuse(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Connection", "close")
	_ = http.NewResponseController(w).SetReadDeadline(time.Now())
	http.Error(w, message, status)
}

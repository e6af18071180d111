package discord

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// InteractionsPath is where Routes serves the HTTP interactions endpoint;
// the Developer Portal's Interactions Endpoint URL points at it.
const InteractionsPath = "/discord/interactions"

// Limits of the HTTP interactions endpoint.
const (
	// maxInteractionBody is the largest request body read.
	maxInteractionBody = 64 << 10
	// signatureWindow is how far a request's timestamp may be from now.
	// Discord signs each request as it sends it, so an older one is a
	// replay.
	signatureWindow = 5 * time.Minute
)

// Routes mounts the HTTP interactions endpoint at InteractionsPath on mux,
// when discord.interactions_endpoint is set; otherwise it mounts nothing.
func (a *Adapter) Routes(mux *http.ServeMux) {
	if !a.cfg.InteractionsEndpoint {
		return
	}
	mux.HandleFunc("POST "+InteractionsPath, a.serveInteraction)
}

// serveInteraction verifies a request from Discord and answers it: PING
// with PONG, everything else as over the gateway. The initial response is
// the HTTP response; follow-ups are sent afterwards.
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	ts, err := strconv.ParseInt(r.Header.Get("X-Signature-Timestamp"), 10, 64)
	if err != nil {
		http.Error(w, "missing or invalid X-Signature-Timestamp", http.StatusUnauthorized)
		return
	}
	if age := time.Since(time.Unix(ts, 0)); age > signatureWindow || age < -signatureWindow {
		a.log.Warn("refused an interaction request with a stale timestamp", "age", age.Round(time.Second).String(), "remote", r.RemoteAddr)
		http.Error(w, "stale X-Signature-Timestamp", http.StatusUnauthorized)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxInteractionBody)
	if !discordgo.VerifyInteraction(r, a.publicKey) {
		a.log.Warn("refused an interaction request with a bad signature", "remote", r.RemoteAddr)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	// A valid signature can be replayed within the window: each signed
	// request is served once.
	if !a.seen.First("signature:" + r.Header.Get("X-Signature-Ed25519")) {
		a.log.Warn("refused a replayed interaction request", "remote", r.RemoteAddr)
		http.Error(w, "replayed request", http.StatusUnauthorized)
		return
	}
	i, err := ParseInteraction(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx, done, ok := a.begin(i.Type != discordgo.InteractionApplicationCommandAutocomplete && i.Type != discordgo.InteractionPing)
	if !ok {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	ans, ok := a.interact(ctx, i)
	if !ok {
		done()
		http.Error(w, "interaction already handled", http.StatusConflict)
		return
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(ans.Response); err != nil {
		done()
		http.Error(w, "could not encode the response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(buf.Bytes())
	if len(ans.Followups) == 0 {
		done()
		return
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	go func() {
		defer done()
		a.followUp(ctx, i, ans.Followups)
	}()
}

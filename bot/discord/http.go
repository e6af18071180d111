package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/internal/httpbody"
	"github.com/faqbot/faqbot/internal/logevery"
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

// refusals counts the interaction requests refused by kind, so that each
// kind is logged at most once every logevery.Interval with the number
// refused since its last line: anyone may send requests, and a line for
// each would let one client fill the disk.
type refusals struct {
	stale, unsigned, mismatched, tooLarge, replayed logevery.Counter
}

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
	arrived := time.Now()
	// What the headers alone show is checked before the body is read, so
	// that requests Discord cannot have signed cost no memory.
	if !wellFormedSignature(r.Header.Get("X-Signature-Ed25519")) {
		a.refuseUnsigned(w, r, arrived, "missing or invalid X-Signature-Ed25519")
		return
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-Signature-Timestamp"), 10, 64)
	if err != nil {
		a.refuseUnsigned(w, r, arrived, "missing or invalid X-Signature-Timestamp")
		return
	}
	if age := time.Since(time.Unix(ts, 0)); age > signatureWindow || age < -signatureWindow {
		a.refused.stale.Warn(a.log, arrived, "refused an interaction request with a stale timestamp", "age", age.Round(time.Second).String(), "remote", r.RemoteAddr)
		httpbody.Refuse(w, http.StatusUnauthorized, "stale X-Signature-Timestamp")
		return
	}
	// Read the body within the limit first: a body cut at the limit could
	// only fail the signature check, and be logged as a forgery.
	body, err := httpbody.Read(w, r, maxInteractionBody)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			a.refused.tooLarge.Warn(a.log, time.Now(), "refused an interaction request: body too large", "limit", maxInteractionBody, "remote", r.RemoteAddr)
		}
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if !discordgo.VerifyInteraction(r, a.publicKey) {
		// Logged apart from requests with no signature at all, which
		// anyone sends: when Discord's own requests fail here, the
		// public key is wrong.
		a.refused.mismatched.Warn(a.log, arrived, "refused an interaction request whose signature does not match: if Discord's own requests are refused, check discord.public_key", "remote", r.RemoteAddr)
		httpbody.Refuse(w, http.StatusUnauthorized, "invalid request signature")
		return
	}
	// A valid signature can be replayed within the window: each signed
	// request is served once, in any replica. This is the request's one
	// claim in the replicas' shared record, within bot.ClaimBudget of its
	// arrival: Discord sends an interaction to the endpoint once, so its
	// id is only checked in this process.
	if !a.seen.FirstBy(arrived.Add(bot.ClaimBudget), "signature:"+bot.SignatureKey(r.Header.Get("X-Signature-Ed25519"))) {
		a.refused.replayed.Warn(a.log, arrived, "refused a replayed interaction request", "remote", r.RemoteAddr)
		http.Error(w, "replayed request", http.StatusUnauthorized)
		return
	}
	i, err := ParseInteraction(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	switch a.accept(i, a.seen.FirstHere) {
	case nobody:
		a.log.Warn("refused an interaction request that names no user", "interaction", i.ID, "remote", r.RemoteAddr)
		http.Error(w, "the interaction has neither user nor member: faqbot answers interactions that people trigger", http.StatusBadRequest)
		return
	case fromBot:
		http.Error(w, "the interaction was triggered by a bot: faqbot answers people only", http.StatusBadRequest)
		return
	case repeat:
		http.Error(w, "interaction already handled", http.StatusConflict)
		return
	}
	ctx, done, ok := a.begin(false)
	if !ok {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	ready := a.prepare(ctx, i)
	late, stop := a.deferTimer(i, arrived)
	defer stop()
	select {
	case p := <-ready:
		if !p.ok {
			done()
			http.Error(w, "not an interaction faqbot answers", http.StatusBadRequest)
			return
		}
		if !writeResponse(w, p.answer.Response) || len(p.answer.Followups) == 0 {
			done()
			return
		}
		go func() {
			defer done()
			a.followUp(ctx, i, p.answer.Followups)
		}()
	case <-late:
		a.log.Debug("deferred a slow interaction", "interaction", i.ID, "after", a.deferAfter)
		if !writeResponse(w, a.deferred(i)) {
			go func() { <-ready; done() }()
			return
		}
		go func() {
			defer done()
			if p := <-ready; p.ok {
				a.finish(ctx, i, p.answer)
			}
		}()
	}
}

// refuseUnsigned answers 401 to a request that Discord did not sign, for
// the reason given, and closes its connection.
func (a *Adapter) refuseUnsigned(w http.ResponseWriter, r *http.Request, arrived time.Time, reason string) {
	a.refused.unsigned.Warn(a.log, arrived, "refused an interaction request with a bad signature", "remote", r.RemoteAddr, "reason", reason)
	httpbody.Refuse(w, http.StatusUnauthorized, reason)
}

// wellFormedSignature reports whether sig may be an Ed25519 signature in
// hex, as X-Signature-Ed25519 carries it.
func wellFormedSignature(sig string) bool {
	if len(sig) != 2*ed25519.SignatureSize {
		return false
	}
	_, err := hex.DecodeString(sig)
	return err == nil
}

// writeResponse writes an interaction response as the HTTP answer and
// flushes it, so that Discord has it before any follow-up.
func writeResponse(w http.ResponseWriter, resp any) bool {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(resp); err != nil {
		http.Error(w, "could not encode the response", http.StatusInternalServerError)
		return false
	}
	w.Header().Set("Content-Type", "application/json")
	if _, err := w.Write(buf.Bytes()); err != nil {
		return false
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	return true
}

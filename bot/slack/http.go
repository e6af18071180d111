package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/internal/httpbody"
	"github.com/faqbot/faqbot/internal/logevery"
)

// The HTTP mode endpoints, to enter in the Slack app's settings (the app
// manifest from "faqbot slack manifest --url" has them).
const (
	// EventsPath receives the Events API: the URL verification handshake,
	// app mentions and messages.
	EventsPath = "/slack/events"
	// CommandsPath receives the /faq slash command.
	CommandsPath = "/slack/commands"
	// InteractivePath receives button clicks.
	InteractivePath = "/slack/interactive"
)

const (
	// MaxBody is the largest request body the HTTP endpoints read. Slack
	// caps messages at 40,000 characters; an event carrying one, with its
	// blocks, stays well under this.
	MaxBody = 1 << 20
	// ackWithin is how long after its arrival a request may wait, for the
	// replicas' shared record and for room in the work queue, before the
	// adapter answers it: 503 when there was no room. Slack wants the
	// answer within 3 seconds of sending the request.
	ackWithin = 2 * time.Second
)

// Routes mounts the HTTP mode endpoints on mux: POST EventsPath,
// CommandsPath and InteractivePath. Every request must carry a valid Slack
// signature with a timestamp less than five minutes old, and may be seen
// once; others get 401, before their body is read when their headers show
// that they cannot be signed. The one exception is Slack's certificate
// check on CommandsPath, which gets an empty 200 signed or not (see
// isSSLCheck). Bodies over MaxBody get 413, and those the HTTP listener has
// no room for 503 (see httpbody.Read). In Socket Mode Routes mounts
// nothing.
func (a *Adapter) Routes(mux *http.ServeMux) {
	if a.mode != config.SlackHTTP {
		return
	}
	mux.Handle("POST "+EventsPath, a.verified(a.serveEvents, nil))
	mux.Handle("POST "+CommandsPath, a.verified(a.serveCommand, isSSLCheck))
	mux.Handle("POST "+InteractivePath, a.verified(a.serveInteractive, nil))
}

// refusals counts the requests refused by kind, so that each kind is
// logged at most once every logevery.Interval with the number refused
// since its last line: anyone may send requests, and a line for each would
// let one client fill the disk.
type refusals struct {
	unsigned, mismatched, tooLarge, replayed logevery.Counter
}

// isSSLCheck reports whether body is Slack's certificate check of the slash
// command endpoint: a form post with ssl_check=1, whatever other fields it
// carries. Slack's own Bolt frameworks answer it before they check the
// signature, since it may come unsigned; it asks for nothing but a 200, so
// a forged one gains nothing.
func isSSLCheck(body []byte) bool {
	form, err := url.ParseQuery(string(body))
	return err == nil && form.Get("ssl_check") == "1"
}

// verified checks a request's signature and that it is not a replay,
// puts the body back, and calls next. A request whose headers alone show
// that it cannot be signed (none, malformed, or a timestamp out of Slack's
// five minutes) is refused before its body is read, so that unsigned
// requests cost no memory; a body that unsigned reports true for, when it
// is not nil, gets an empty 200 and goes no further, signed or not, and of
// an unsigned request only sslCheckMax bytes are read to look for one.
func (a *Adapter) verified(next func(w http.ResponseWriter, r *http.Request, in signedRequest), unsigned func(body []byte) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived := time.Now()
		sv, err := slack.NewSecretsVerifier(r.Header, a.secret)
		if err != nil {
			if unsigned != nil && unsigned(readSmall(r)) {
				a.log.Debug("answered Slack's certificate check", "path", r.URL.Path)
				w.WriteHeader(http.StatusOK)
				return
			}
			a.refused.unsigned.Warn(a.log, arrived, "refused a request that Slack did not sign", "path", r.URL.Path, "remote", r.RemoteAddr, "reason", err.Error())
			httpbody.Refuse(w, http.StatusUnauthorized, "invalid or expired Slack signature")
			return
		}
		body, err := httpbody.Read(w, r, MaxBody)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				a.refused.tooLarge.Warn(a.log, time.Now(), "refused a Slack request: body too large", "path", r.URL.Path, "remote", r.RemoteAddr, "limit", MaxBody)
			}
			return
		}
		if unsigned != nil && unsigned(body) {
			a.log.Debug("answered Slack's certificate check", "path", r.URL.Path)
			w.WriteHeader(http.StatusOK)
			return
		}
		_, _ = sv.Write(body)
		if err := sv.Ensure(); err != nil {
			// Logged apart from requests with no signature at all, which
			// anyone sends: when Slack's own requests fail here, the
			// signing secret is wrong.
			a.refused.mismatched.Warn(a.log, arrived, "refused a request whose signature does not match: if Slack's own requests are refused, check slack.signing_secret", "path", r.URL.Path, "remote", r.RemoteAddr, "reason", err.Error())
			httpbody.Refuse(w, http.StatusUnauthorized, "invalid or expired Slack signature")
			return
		}
		// The request's one claim in the replicas' shared record; the
		// event, command or click it carries is claimed later, after
		// Slack has its answer.
		sig, _ := strings.CutPrefix(r.Header.Get("X-Slack-Signature"), "v0=")
		if !a.replays.FirstBy(arrived.Add(bot.ClaimBudget), bot.SignatureKey(sig)) {
			a.refused.replayed.Warn(a.log, arrived, "refused a replayed Slack request", "path", r.URL.Path, "remote", r.RemoteAddr)
			http.Error(w, "replayed request", http.StatusUnauthorized)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next(w, r, signedRequest{body: body, arrived: arrived})
	})
}

// sslCheckMax is the most bytes of an unsigned request's body read to
// look for Slack's certificate check, a short form
// (ssl_check=1&token=…) well under it.
const sslCheckMax = 4 << 10

// readSmall returns r's body when it is at most sslCheckMax bytes, and
// nil otherwise, reading no more than that.
func readSmall(r *http.Request) []byte {
	if r.ContentLength > sslCheckMax {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, sslCheckMax+1))
	if err != nil || len(body) > sslCheckMax {
		return nil
	}
	return body
}

// signedRequest is a request whose signature was verified: its body and
// when it arrived.
type signedRequest struct {
	body    []byte
	arrived time.Time
}

// queue hands work on an event of channel to the pool for a request,
// within ackWithin of the request's arrival.
func (a *Adapter) queue(r *http.Request, in signedRequest, kind, channel string, work func(ctx context.Context) string) error {
	if !a.ready.Load() {
		return errNotServing
	}
	ctx, cancel := context.WithDeadline(r.Context(), in.arrived.Add(ackWithin))
	defer cancel()
	return a.enqueue(ctx, kind, channel, work)
}

func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request, in signedRequest) {
	body := in.body
	if !json.Valid(body) {
		http.Error(w, "the body is not JSON", http.StatusBadRequest)
		return
	}
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		// An event type faqbot does not handle: acknowledge it, or Slack
		// retries it and eventually turns the subscription off.
		a.log.Debug("ignored a Slack event faqbot does not handle", "error", err.Error())
		w.WriteHeader(http.StatusOK)
		return
	}
	switch ev.Type {
	case slackevents.URLVerification:
		uv, ok := ev.Data.(*slackevents.EventsAPIURLVerificationEvent)
		if !ok {
			http.Error(w, "bad url_verification", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, uv.Challenge)
		return
	case slackevents.CallbackEvent, slackevents.AppRateLimited:
		if n := r.Header.Get("X-Slack-Retry-Num"); n != "" {
			a.log.Debug("Slack redelivered an event", "retry_num", n, "retry_reason", r.Header.Get("X-Slack-Retry-Reason"))
		}
		if err := a.queue(r, in, "event", eventChannel(ev), func(ctx context.Context) string { return a.handleEvent(ctx, ev) }); err != nil {
			a.unavailable(w, err)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// serveCommand takes a /faq slash command. Slack's certificate checks
// never reach it (see Routes).
func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, in signedRequest) {
	cmd, err := slack.SlashCommandParse(r)
	if err != nil || cmd.ResponseURL == "" {
		http.Error(w, "not a slash command", http.StatusBadRequest)
		return
	}
	if err := a.queue(r, in, "command", cmd.ChannelID, func(ctx context.Context) string { return a.handleCommand(ctx, cmd) }); err != nil {
		// A slash command gets a visible answer even now.
		a.log.Warn("could not take a slash command", "error", err.Error())
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"response_type": slack.ResponseTypeEphemeral,
			"text":          "Sorry, I'm busy or restarting. Please try again in a moment.",
		})
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (a *Adapter) serveInteractive(w http.ResponseWriter, r *http.Request, in signedRequest) {
	ic, err := slack.InteractionCallbackParse(r)
	if err != nil {
		http.Error(w, "not an interaction payload", http.StatusBadRequest)
		return
	}
	if err := a.queue(r, in, "interaction", ic.Channel.ID, func(ctx context.Context) string { return a.handleInteraction(ctx, ic) }); err != nil {
		a.unavailable(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// unavailable answers 503, after which Slack retries an event.
func (a *Adapter) unavailable(w http.ResponseWriter, err error) {
	a.log.Warn("could not take a Slack request; Slack will retry it", "error", err.Error())
	w.Header().Set("Retry-After", "1")
	http.Error(w, "faqbot is busy or not serving yet", http.StatusServiceUnavailable)
}

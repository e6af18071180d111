package slack_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/bot/slack/slackfake"
	"github.com/faqbot/faqbot/internal/rawhttp"
	"github.com/faqbot/faqbot/store"
)

// signed is a request as Slack would send it to the adapter.
type signed struct {
	path, contentType string
	body              []byte
	at                time.Time // the signature's timestamp; zero means now
	secret            string    // zero means the right one
	header            http.Header
}

// post sends r to the adapter's HTTP endpoints and returns the status and
// body of the answer.
func (h *harness) post(r signed) (int, string) {
	h.t.Helper()
	if r.at.IsZero() {
		r.at = time.Now()
	}
	if r.secret == "" {
		r.secret = testSecret
	}
	req, err := http.NewRequest(http.MethodPost, h.url+r.path, bytes.NewReader(r.body))
	if err != nil {
		h.t.Fatal(err)
	}
	ts, sig := slackfake.Sign(r.secret, r.at, r.body)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sig)
	req.Header.Set("Content-Type", r.contentType)
	for k, v := range r.header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func event(body []byte) signed {
	return signed{path: slack.EventsPath, contentType: "application/json", body: body}
}

func command(form url.Values) signed {
	return signed{path: slack.CommandsPath, contentType: "application/x-www-form-urlencoded", body: []byte(form.Encode())}
}

func interaction(payload []byte) signed {
	return signed{path: slack.InteractivePath, contentType: "application/x-www-form-urlencoded", body: []byte(url.Values{"payload": {string(payload)}}.Encode())}
}

// mentionAnswered posts a mention of the bot asking vpnQuestion as an
// HTTP event, waits until it is answered, and returns the message and the
// event's body.
func (h *harness) mentionAnswered() (slackfake.Message, []byte) {
	h.t.Helper()
	m := slackfake.Message{Text: slackfake.WithMention(vpnQuestion), TS: h.fake.NewTS()}
	body, _ := h.fake.EventPayload("app_mention", m)
	if status, _ := h.post(event(body)); status != http.StatusOK {
		h.t.Fatalf("status %d", status)
	}
	if got := h.waitJobs(1); got[0] != "event:answered" {
		h.t.Fatalf("outcome = %v", got)
	}
	return m, body
}

func TestHTTPURLVerification(t *testing.T) {
	t.Parallel()
	h := start(t, options{http: true})
	const challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
	status, body := h.post(event([]byte(`{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"` + challenge + `","type":"url_verification"}`)))
	if status != http.StatusOK || body != challenge {
		t.Errorf("url_verification: %d %q, want 200 and the challenge", status, body)
	}
	if !h.adapter.Connected() {
		t.Error("Connected() is false while serving in HTTP mode")
	}
}

func TestHTTPMentionIsAnsweredOnceDespiteRetries(t *testing.T) {
	t.Parallel()
	h := start(t, options{http: true})
	m, body := h.mentionAnswered()
	// Slack retries with a fresh timestamp and signature and
	// X-Slack-Retry-Num; the event id is the same.
	for n, reason := range []string{"http_timeout", "http_error"} {
		retry := event(body)
		retry.header = http.Header{"X-Slack-Retry-Num": {string(rune('1' + n))}, "X-Slack-Retry-Reason": {reason}}
		retry.at = time.Now().Add(time.Duration(n+1) * time.Second)
		if status, _ := h.post(retry); status != http.StatusOK {
			t.Errorf("retry %d: status %d, want 200 so Slack stops retrying", n+1, status)
		}
	}
	got := h.waitJobs(3)
	if count(got, "event:duplicate") != 2 {
		t.Errorf("outcomes = %v, want two duplicates", got)
	}
	r := h.onlyReply()
	if r.ThreadTS() != m.TS {
		t.Errorf("thread_ts = %q, want %q", r.ThreadTS(), m.TS)
	}
	checkVPNAnswer(t, r)
}

// TestHTTPRedeliveryToAnotherReplicaIsAnsweredOnce runs two replicas
// sharing one state database behind one Slack app: Slack's retry of an
// event lands on the replica that did not get it first, and is not
// answered again.
func TestHTTPRedeliveryToAnotherReplicaIsAnsweredOnce(t *testing.T) {
	t.Parallel()
	st, err := store.Open(context.Background(), store.Options{Path: filepath.Join(t.TempDir(), "faqbot.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	first := start(t, options{http: true, shared: st})
	second := start(t, options{http: true, shared: st, fake: first.fake})
	_, body := first.mentionAnswered()
	retry := event(body)
	retry.header = http.Header{"X-Slack-Retry-Num": {"1"}, "X-Slack-Retry-Reason": {"http_timeout"}}
	retry.at = time.Now().Add(time.Second)
	if status, _ := second.post(retry); status != http.StatusOK {
		t.Errorf("retry: status %d, want 200 so Slack stops retrying", status)
	}
	if got := second.waitJobs(1); got[0] != "event:duplicate" {
		t.Errorf("second replica: %v, want the retry taken as a duplicate", got)
	}
	checkVPNAnswer(t, first.onlyReply())
}

func TestHTTPSlashCommandAndClick(t *testing.T) {
	t.Parallel()
	h := start(t, options{http: true})
	form, cmd := h.fake.CommandForm(slackfake.Command{Text: vpnQuestion})
	status, body := h.post(command(form))
	if status != http.StatusOK || body != "" {
		t.Fatalf("slash command: %d %q, want an empty 200 (the answer goes to response_url)", status, body)
	}
	h.waitJobs(1)
	r := h.onlyReply()
	if !strings.HasSuffix(cmd.ResponseURL, r.Path) || r.ResponseType() != "ephemeral" {
		t.Errorf("answer at %s type %q, want ephemeral at %s", r.Path, r.ResponseType(), cmd.ResponseURL)
	}
	checkVPNAnswer(t, r)

	b, _ := r.Button("faq_vote_up")
	payload, _ := h.fake.ActionPayload(slackfake.Click(r, b, slackfake.DefaultUser, slackfake.DefaultChannel))
	if status, _ := h.post(interaction(payload)); status != http.StatusOK {
		t.Fatalf("interaction: status %d", status)
	}
	h.waitJobs(2)
	if v := h.replies()[1]; !strings.Contains(v.BlockText(), "Thanks for the feedback!") || v.ResponseType() != "ephemeral" {
		t.Errorf("vote reply: %q (%s)", v.BlockText(), v.ResponseType())
	}
}

func TestHTTPRefusesForgedStaleAndReplayedRequests(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		mangle func(s *signed)
	}{
		{"wrong secret", func(s *signed) { s.secret = "not-the-signing-secret" }},
		{"stale timestamp", func(s *signed) { s.at = time.Now().Add(-6 * time.Minute) }},
		{"timestamp from the future", func(s *signed) { s.at = time.Now().Add(6 * time.Minute) }},
		{"no signature", func(s *signed) { s.header = http.Header{"X-Slack-Signature": {""}} }},
		{"garbage signature", func(s *signed) { s.header = http.Header{"X-Slack-Signature": {"v0=zz"}} }},
		{"signature of another version", func(s *signed) { s.header = http.Header{"X-Slack-Signature": {"v1=00"}} }},
	} {
		for _, endpoint := range []string{"events", "commands", "interactive"} {
			t.Run(tc.name+"/"+endpoint, func(t *testing.T) {
				t.Parallel()
				h := start(t, options{http: true})
				req := h.validRequest(endpoint)
				tc.mangle(&req)
				if status, _ := h.post(req); status != http.StatusUnauthorized {
					t.Errorf("status %d, want 401", status)
				}
				h.checkOnlySentinelAnswered(endpoint)
			})
		}
	}
	// A replay carries the same signature, or the same one with its hex
	// digits in upper case, which the signature check takes as well.
	for name, recase := range map[string]func(string) string{
		"replayed": func(sig string) string { return sig },
		"replayed with the signature in upper case": func(sig string) string { return "v0=" + strings.ToUpper(strings.TrimPrefix(sig, "v0=")) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, endpoint := range []string{"events", "commands", "interactive"} {
				t.Run(endpoint, func(t *testing.T) {
					t.Parallel()
					h := start(t, options{http: true})
					req := h.validRequest(endpoint)
					req.at = time.Now()
					if status, _ := h.post(req); status != http.StatusOK {
						t.Fatalf("first: status %d", status)
					}
					ts, sig := slackfake.Sign(testSecret, req.at, req.body)
					req.header = http.Header{"X-Slack-Request-Timestamp": {ts}, "X-Slack-Signature": {recase(sig)}}
					if status, _ := h.post(req); status != http.StatusUnauthorized {
						t.Errorf("replay: status %d, want 401", status)
					}
					h.waitJobs(1)
					h.post(h.validRequest(endpoint))
					if got := h.waitJobs(2); len(got) != 2 || count(got, got[0]) != 2 {
						t.Errorf("outcomes = %v, want the original and the next request only", got)
					}
					if rs := h.replies(); len(rs) != 2 {
						t.Errorf("replies:\n%s", describe(rs))
					}
				})
			}
		})
	}
	t.Run("body changed after signing", func(t *testing.T) {
		t.Parallel()
		h := start(t, options{http: true})
		req := h.validRequest("events")
		ts, sig := slackfake.Sign(testSecret, time.Now(), req.body)
		req.header = http.Header{"X-Slack-Request-Timestamp": {ts}, "X-Slack-Signature": {sig}}
		req.body = bytes.Replace(req.body, []byte("VPN"), []byte("NPV"), 1)
		if status, _ := h.post(req); status != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", status)
		}
		h.checkOnlySentinelAnswered("events")
	})
}

// TestHTTPRefusalsAreLoggedOnceAnInterval sends floods of forged,
// unsigned, replayed and oversized requests: each is refused, and each
// kind is logged once, not once a request, so that one client cannot fill
// the disk with the log. Signatures that do not match are a kind of their
// own, which a wrong signing secret shows as, among unsigned requests.
func TestHTTPRefusalsAreLoggedOnceAnInterval(t *testing.T) {
	t.Parallel()
	h := start(t, options{http: true})
	const n = 30
	valid := h.validRequest("events")
	valid.at = time.Now()
	if status, _ := h.post(valid); status != http.StatusOK {
		t.Fatalf("valid request: status %d", status)
	}
	for i := range n {
		forged := h.validRequest("events")
		forged.secret = "not-the-signing-secret"
		unsigned := h.validRequest("commands")
		unsigned.header = http.Header{"X-Slack-Signature": {""}}
		for _, tc := range []struct {
			req    signed
			status int
		}{
			{forged, http.StatusUnauthorized},
			{unsigned, http.StatusUnauthorized},
			{valid, http.StatusUnauthorized},
			{event(bytes.Repeat([]byte(" "), slack.MaxBody+1)), http.StatusRequestEntityTooLarge},
		} {
			if status, _ := h.post(tc.req); status != tc.status {
				t.Fatalf("request %d to %s: status %d, want %d", i, tc.req.path, status, tc.status)
			}
		}
	}
	logs := h.logs.String()
	for _, line := range []string{"refused a request that Slack did not sign", "refused a request whose signature does not match: if Slack's own requests are refused, check slack.signing_secret", "refused a replayed Slack request", "refused a Slack request: body too large"} {
		if got := strings.Count(logs, line); got != 1 {
			t.Errorf("%q logged %d times for %d refusals, want once", line, got, n)
		}
	}
	if !strings.Contains(logs, "times=1\n") {
		t.Errorf("the refusals' lines do not count the times: %s", logs)
	}
}

// TestHTTPUnsignedBodiesAreNotRead sends the headers of requests that
// Slack cannot have signed, each announcing a body of 1 MiB, and none of
// the body: each is answered 401 at once and its connection closed, so
// that an unsigned request costs no memory. A certificate check is looked
// for only in a small body.
func TestHTTPUnsignedBodiesAreNotRead(t *testing.T) {
	t.Parallel()
	h := start(t, options{http: true})
	ts, sig := slackfake.Sign(testSecret, time.Now(), nil)
	stale, _ := slackfake.Sign(testSecret, time.Now().Add(-6*time.Minute), nil)
	for _, tc := range []struct {
		name   string
		header http.Header
		length int
	}{
		{"no signature", nil, slack.MaxBody},
		{"no timestamp", http.Header{"X-Slack-Signature": {sig}}, slack.MaxBody},
		{"no signature, with a timestamp", http.Header{"X-Slack-Request-Timestamp": {ts}}, slack.MaxBody},
		{"a malformed signature", http.Header{"X-Slack-Signature": {"v0=zz"}, "X-Slack-Request-Timestamp": {ts}}, slack.MaxBody},
		{"a stale timestamp", http.Header{"X-Slack-Signature": {sig}, "X-Slack-Request-Timestamp": {stale}}, slack.MaxBody},
		{"no signature, a body too long to be a certificate check", nil, 4<<10 + 1},
	} {
		for _, path := range []string{slack.EventsPath, slack.CommandsPath, slack.InteractivePath} {
			t.Run(tc.name+path, func(t *testing.T) {
				t.Parallel()
				c, err := rawhttp.Dial(h.url)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				header := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
				for k, v := range tc.header {
					header[k] = v
				}
				if err := c.WriteHead(http.MethodPost, path, header, tc.length); err != nil {
					t.Fatal(err)
				}
				resp, _, err := c.ReadResponse(slackfake.Timeout)
				if err != nil {
					t.Fatalf("no answer before the body was sent: %v", err)
				}
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("%s, want 401", resp.Status)
				}
				if !c.Closed(slackfake.Timeout) {
					t.Error("the connection was kept open for the body")
				}
			})
		}
	}
}

// TestHTTPSSLCheck sends Slack's certificate check to the slash command
// endpoint: signed or not, it gets an empty 200 and is never taken as a
// command, as Slack's Bolt frameworks answer it before any signature check.
// Only ssl_check=1 is a certificate check: any other value is a request
// like the rest, refused unless signed.
func TestHTTPSSLCheck(t *testing.T) {
	t.Parallel()
	check := url.Values{"token": {"gIkuvaNzQIHg97ATvDxqgjtO"}, "ssl_check": {"1"}}
	forged := func(form url.Values) signed {
		s := command(form)
		s.secret = "not-the-signing-secret"
		return s
	}
	unsigned := func(form url.Values) signed {
		s := command(form)
		s.header = http.Header{"X-Slack-Signature": {""}}
		return s
	}
	withCommand := func(h *harness, value string) url.Values {
		form, _ := h.fake.CommandForm(slackfake.Command{Text: vpnQuestion})
		form.Set("ssl_check", value)
		return form
	}
	for _, tc := range []struct {
		name   string
		req    func(h *harness) signed
		status int
	}{
		{"signed", func(*harness) signed { return command(check) }, http.StatusOK},
		{"forged", func(*harness) signed { return forged(check) }, http.StatusOK},
		{"unsigned", func(*harness) signed { return unsigned(check) }, http.StatusOK},
		{"signed, with a command's fields", func(h *harness) signed { return command(withCommand(h, "1")) }, http.StatusOK},
		{"unsigned, with a command's fields", func(h *harness) signed { return unsigned(withCommand(h, "1")) }, http.StatusOK},
		{"forged, ssl_check=true", func(h *harness) signed { return forged(withCommand(h, "true")) }, http.StatusUnauthorized},
		{"unsigned, ssl_check=0", func(h *harness) signed { return unsigned(withCommand(h, "0")) }, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{http: true})
			status, body := h.post(tc.req(h))
			if status != tc.status {
				t.Errorf("status %d, want %d", status, tc.status)
			}
			if status == http.StatusOK && body != "" {
				t.Errorf("body %q, want none", body)
			}
			h.checkOnlySentinelAnswered("commands")
		})
	}
}

// validRequest returns a correctly signed request for an endpoint that
// gets an answer.
func (h *harness) validRequest(endpoint string) signed {
	switch endpoint {
	case "commands":
		form, _ := h.fake.CommandForm(slackfake.Command{Text: vpnQuestion})
		return command(form)
	case "interactive":
		payload, _ := h.fake.ActionPayload(slackfake.Action{ActionID: "faq_vote_up", BlockID: "faq_feedback", Value: "vpn-setup"})
		return interaction(payload)
	}
	body, _ := h.fake.EventPayload("app_mention", slackfake.Message{Text: slackfake.WithMention(vpnQuestion)})
	return event(body)
}

// checkOnlySentinelAnswered sends a valid request after refused ones and
// checks that it is the only one the adapter worked on: refused requests
// are turned away before they are queued, so they are never worked on. It
// stops the adapter, which finishes every queued event first, so that an
// event queued by mistake is counted too.
func (h *harness) checkOnlySentinelAnswered(endpoint string) {
	h.t.Helper()
	if status, _ := h.post(h.validRequest(endpoint)); status != http.StatusOK {
		h.t.Fatalf("sentinel: status %d", status)
	}
	h.waitJobs(1)
	h.stopRun()
	if got := h.waitJobs(1); len(got) != 1 || !strings.HasSuffix(got[0], ":answered") {
		h.t.Errorf("outcomes = %v, want the sentinel's alone", got)
	}
	h.onlyReply()
}

func TestHTTPBadBodies(t *testing.T) {
	t.Parallel()
	h := start(t, options{http: true})
	reaction, _ := h.fake.EventPayload("reaction_added", slackfake.Message{Text: ""})
	for _, tc := range []struct {
		name   string
		req    signed
		status int
	}{
		{"body over the limit", event(bytes.Repeat([]byte(" "), slack.MaxBody+1)), http.StatusRequestEntityTooLarge},
		{"not JSON", event([]byte("{not json")), http.StatusBadRequest},
		{"an event type faqbot does not handle", event(reaction), http.StatusOK},
		{"a command without response_url", command(url.Values{"text": {"help"}}), http.StatusBadRequest},
		{"an interaction without payload", signed{path: slack.InteractivePath, contentType: "application/x-www-form-urlencoded", body: []byte("x=1")}, http.StatusBadRequest},
		{"an interaction with a broken payload", interaction([]byte("{")), http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if status, _ := h.post(tc.req); status != tc.status {
				t.Errorf("status %d, want %d", status, tc.status)
			}
		})
	}
	if rs := h.replies(); len(rs) != 0 {
		t.Errorf("bad bodies got replies:\n%s", describe(rs))
	}
}

func TestHTTPHugeMessage(t *testing.T) {
	t.Parallel()
	h := start(t, options{http: true})
	text := slackfake.WithMention(wifiQuestion + " " + strings.Repeat("<!everyone> and more ", 40000/21))
	body, _ := h.fake.EventPayload("app_mention", slackfake.Message{Text: text})
	if status, _ := h.post(event(body)); status != http.StatusOK {
		t.Fatalf("status %d for a %d-byte event", status, len(body))
	}
	if got := h.waitJobs(1); got[0] != "event:answered" {
		t.Fatalf("outcome = %v", got)
	}
	checkPingsNobody(t, h.onlyReply())
}

func TestSocketModeMountsNoRoutes(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	mux := http.NewServeMux()
	h.adapter.Routes(mux)
	for _, path := range []string{slack.EventsPath, slack.CommandsPath, slack.InteractivePath} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader("{}")))
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404 in Socket Mode", path, rec.Code)
		}
	}
}

// stalledClaims is the replicas' shared record on a database that accepts
// every query and never answers: each claim waits until its context is
// done. It keeps the deadline of each claim by its key.
type stalledClaims struct {
	mu        sync.Mutex
	deadlines map[string][]time.Time
}

func (c *stalledClaims) Claim(ctx context.Context, key string, _ time.Time) (bool, error) {
	d, _ := ctx.Deadline()
	c.mu.Lock()
	c.deadlines[key] = append(c.deadlines[key], d)
	c.mu.Unlock()
	<-ctx.Done()
	return false, ctx.Err()
}

// TestHTTPStalledDatabase: with the shared record's database hung, a
// request to each endpoint waits for it once before Slack has its answer,
// for its signature, until bot.ClaimBudget after the request's arrival at
// most; it is then answered (the event it carries is claimed after Slack
// has its answer).
func TestHTTPStalledDatabase(t *testing.T) {
	t.Parallel()
	for _, endpoint := range []string{"events", "commands", "interactive"} {
		t.Run(endpoint, func(t *testing.T) {
			t.Parallel()
			claims := &stalledClaims{deadlines: map[string][]time.Time{}}
			h := start(t, options{http: true, shared: claims})
			sent := time.Now()
			status, _ := h.post(h.validRequest(endpoint))
			received := time.Now()
			if status != http.StatusOK {
				t.Fatalf("status %d, want 200", status)
			}
			t.Logf("acknowledged %v after it was sent, with the database hung", received.Sub(sent).Round(time.Millisecond))
			if got := h.waitJobs(1); !strings.HasSuffix(got[0], ":answered") {
				t.Errorf("outcome %v, want answered", got)
			}
			claims.mu.Lock()
			defer claims.mu.Unlock()
			var signature []time.Time
			for key, ds := range claims.deadlines {
				if strings.HasPrefix(key, "slack:signature:") {
					signature = append(signature, ds...)
				}
			}
			if len(signature) != 1 {
				t.Fatalf("the signature was claimed %d times, want once: %v", len(signature), claims.deadlines)
			}
			if d := signature[0]; d.Before(sent.Add(bot.ClaimBudget)) || d.After(received.Add(bot.ClaimBudget)) {
				t.Errorf("the claim waits until %v, want the request's arrival (%v to %v) plus %v", d, sent, received, bot.ClaimBudget)
			}
		})
	}
}

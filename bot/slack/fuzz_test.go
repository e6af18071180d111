package slack_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/bot/slack/slackfake"
	"github.com/faqbot/faqbot/internal/changes"
)

// FuzzHTTPHandlers feeds correctly signed but arbitrary bodies to the three
// HTTP mode endpoints of an adapter that is not serving yet, so that every
// payload is verified and parsed but no reply is sent anywhere. Whatever
// the body, the answer is a clean status and nothing panics.
func FuzzHTTPHandlers(f *testing.F) {
	fake := slackfake.New(f)
	h := &harness{t: f, fake: fake, logs: &changes.Buffer{}, jobs: newJobLog()}
	a, err := h.build(options{http: true})
	if err != nil {
		f.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Routes(mux)

	mention, _ := fake.EventPayload("app_mention", slackfake.Message{Text: slackfake.WithMention(vpnQuestion)})
	dm, _ := fake.EventPayload("message", slackfake.Message{Channel: dmChan, Text: "<!channel> hi"})
	form, _ := fake.CommandForm(slackfake.Command{Text: "why <!here>"})
	action, _ := fake.ActionPayload(slackfake.Action{ActionID: "faq_pick_0", BlockID: "faq_suggest", Value: "vpn-setup", Ephemeral: true})
	f.Add(uint8(0), mention)
	f.Add(uint8(0), dm)
	f.Add(uint8(0), []byte(`{"type":"url_verification","challenge":"abc"}`))
	f.Add(uint8(0), []byte(`{"type":"event_callback","event":null}`))
	f.Add(uint8(0), []byte(`{"type":"app_rate_limited","minute_rate_limited":1}`))
	f.Add(uint8(1), []byte(form.Encode()))
	f.Add(uint8(1), []byte("text=%zz&response_url=x"))
	f.Add(uint8(2), []byte(url.Values{"payload": {string(action)}}.Encode()))
	f.Add(uint8(2), []byte(url.Values{"payload": {`{"type":"block_actions","actions":[{"block_id":1}]}`}}.Encode()))

	paths := []string{slack.EventsPath, slack.CommandsPath, slack.InteractivePath}
	// signed remembers the signatures sent: the same body signed in the
	// same second is a replay, which must get 401.
	signed := map[string]bool{}
	f.Fuzz(func(t *testing.T, endpoint uint8, body []byte) {
		path := paths[int(endpoint)%len(paths)]
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		ctype := "application/x-www-form-urlencoded"
		if path == slack.EventsPath {
			ctype = "application/json"
		}
		req.Header.Set("Content-Type", ctype)
		ts, sig := slackfake.Sign(testSecret, time.Now(), body)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
		replay := signed[sig]
		signed[sig] = true
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		switch {
		case replay && rec.Code != http.StatusUnauthorized:
			t.Fatalf("%s answered %d to a replay", path, rec.Code)
		case replay:
		case rec.Code == http.StatusOK, rec.Code == http.StatusBadRequest, rec.Code == http.StatusServiceUnavailable:
		default:
			t.Fatalf("%s answered %d to %q", path, rec.Code, body)
		}
		if strings.Contains(rec.Body.String(), testSecret) {
			t.Fatalf("the answer quotes the signing secret")
		}
	})
}

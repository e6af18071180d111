package discordfake

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/faqbot/faqbot/internal/recordtb"
)

// call makes one REST request to the fake as discordgo would.
func call(t *testing.T, f *Server, method, path, body string, auth bool) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, "https://discord.com"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth {
		req.Header.Set("Authorization", "Bot "+f.Token())
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: f.Transport()}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestREST(t *testing.T) {
	t.Parallel()
	rec := &recordtb.TB{TB: t}
	f := New(rec, Options{})
	valid := `{"content":"hi","allowed_mentions":{"parse":[]}}`
	for _, tc := range []struct {
		name, method, path, body string
		auth                     bool
		status                   int
		complaint                string // in what the fake reports, "" for none
	}{
		{"gateway discovery", "GET", "/api/v9/gateway", "", false, 200, ""},
		{"gateway with shards", "GET", "/api/v9/gateway/bot", "", true, 200, ""},
		{"a message", "POST", "/api/v9/channels/1/messages", valid, true, 200, ""},
		{"no token", "POST", "/api/v9/channels/1/messages", valid, false, 401, ""},
		{"unknown route", "GET", "/api/v9/users/@me", "", true, 404, "unknown route GET /api/v9/users/@me"},
		{"wrong method", "DELETE", "/api/v9/channels/1/messages", "", true, 404, "unknown route DELETE"},
		{"content too long", "POST", "/api/v9/channels/1/messages", `{"content":"` + strings.Repeat("a", 2001) + `"}`, true, 400, "content: Must be 2000 or fewer"},
		{"empty message", "POST", "/api/v9/channels/1/messages", `{"content":""}`, true, 400, "Cannot send an empty message"},
		{"ephemeral channel message", "POST", "/api/v9/channels/1/messages", `{"content":"x","flags":64}`, true, 400, "flags: 64"},
		{"duplicate button ids", "POST", "/api/v9/channels/1/messages", `{"content":"x","components":[{"type":1,"components":[{"type":2,"style":1,"label":"a","custom_id":"x"},{"type":2,"style":1,"label":"b","custom_id":"x"}]}]}`, true, 400, "cannot be duplicated"},
		{"reply to an unknown message", "POST", "/api/v9/channels/1/messages", `{"content":"x","message_reference":{"message_id":"42"}}`, true, 400, "Unknown message 42"},
		{"commands with a bad name", "PUT", "/api/v9/applications/" + f.AppID() + "/commands", `[{"name":"FAQ","description":"d"}]`, true, 400, "does not match"},
		{"commands for another app", "PUT", "/api/v9/applications/1/commands", `[]`, true, 403, "not " + f.AppID()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := rec.String()
			status, h, body := call(t, f, tc.method, tc.path, tc.body, tc.auth)
			if status != tc.status {
				t.Errorf("-> %d %s, want %d", status, body, tc.status)
			}
			got := strings.TrimPrefix(rec.String(), before)
			if tc.complaint == "" && got != "" {
				t.Errorf("the fake complained: %s", got)
			}
			if tc.complaint != "" && !strings.Contains(got, tc.complaint) {
				t.Errorf("complaints %q lack %q", got, tc.complaint)
			}
			if status == 200 && h.Get("X-RateLimit-Remaining") == "" {
				t.Error("no rate-limit headers")
			}
		})
	}
}

func TestInjectedFailures(t *testing.T) {
	t.Parallel()
	f := New(t, Options{})
	f.Fail(Failure{Method: "POST", Path: "/api/v9/channels/", Status: 429, RetryAfter: 1500 * time.Millisecond, Times: 2})
	f.Fail(Failure{Path: "/api/v9/gateway/bot", Status: 500})
	body := `{"content":"hi"}`
	for i, want := range []int{429, 429, 200} {
		status, h, resp := call(t, f, "POST", "/api/v9/channels/1/messages", body, true)
		if status != want {
			t.Fatalf("request %d -> %d, want %d", i, status, want)
		}
		if status == 429 {
			var rl discordgo.TooManyRequests
			if err := json.Unmarshal([]byte(resp), &rl); err != nil || rl.RetryAfter != 1500*time.Millisecond {
				t.Errorf("429 body %s decodes to %v (%v), want retry_after 1.5 s", resp, rl.RetryAfter, err)
			}
			if h.Get("Retry-After") != "2" || h.Get("X-RateLimit-Remaining") != "0" {
				t.Errorf("429 headers %v", h)
			}
		}
	}
	if status, _, _ := call(t, f, "GET", "/api/v9/gateway/bot", "", true); status != 500 {
		t.Errorf("injected 500 -> %d", status)
	}
	if status, _, _ := call(t, f, "GET", "/api/v9/gateway/bot", "", true); status != 200 {
		t.Errorf("after the injected 500 -> %d", status)
	}
}

func TestCallbacks(t *testing.T) {
	t.Parallel()
	rec := &recordtb.TB{TB: t}
	f := New(rec, Options{})
	// The fake's own registration, without a gateway client.
	i := &discordgo.Interaction{Type: discordgo.InteractionApplicationCommandAutocomplete, ChannelID: "1"}
	f.prepare(i, false)
	path := "/api/v9/interactions/" + i.ID + "/" + i.Token + "/callback"
	for _, tc := range []struct {
		name, body string
		status     int
		complaint  string
	}{
		{"a message is not an autocomplete answer", `{"type":4,"data":{"content":"x"}}`, 400, "not valid for an interaction of type 4"},
		{"choices are required", `{"type":8,"data":{}}`, 400, "choices: This field is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i2 := *i
			i2.ID, i2.Token = "", ""
			f.prepare(&i2, false)
			p := "/api/v9/interactions/" + i2.ID + "/" + i2.Token + "/callback"
			before := rec.String()
			if status, _, body := call(t, f, "POST", p, tc.body, false); status != tc.status {
				t.Errorf("-> %d %s", status, body)
			}
			if got := strings.TrimPrefix(rec.String(), before); !strings.Contains(got, tc.complaint) {
				t.Errorf("complaints %q lack %q", got, tc.complaint)
			}
		})
	}
	if status, _, body := call(t, f, "POST", path, `{"type":8,"data":{"choices":[]}}`, false); status != 204 {
		t.Fatalf("first answer -> %d %s", status, body)
	}
	if status, _, _ := call(t, f, "POST", path, `{"type":8,"data":{"choices":[]}}`, false); status != 400 {
		t.Errorf("second answer -> %d, want 400 already acknowledged", status)
	}
	if !strings.Contains(rec.String(), "already been acknowledged") {
		t.Errorf("complaints %q lack the double answer", rec.String())
	}
}

// TestHold holds the posts to one channel: a post there waits until
// released, or until its client gives up, when it is recorded as not
// sent; posts to other channels are answered at once.
func TestHold(t *testing.T) {
	t.Parallel()
	f := New(t, Options{})
	body := `{"content":"hi"}`
	post := func(ctx context.Context) (int, error) {
		req, err := http.NewRequestWithContext(ctx, "POST", "https://discord.com/api/v9/channels/1/messages", strings.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bot "+f.Token())
		resp, err := (&http.Client{Transport: f.Transport()}).Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	release := f.Hold("1")
	if status, _, resp := call(t, f, "POST", "/api/v9/channels/2/messages", body, true); status != 200 {
		t.Fatalf("a post to another channel -> %d %s, want 200 at once", status, resp)
	}

	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error, 1)
	go func() {
		_, err := post(ctx)
		gaveUp <- err
	}()
	f.WaitHolding(t, "1", 1)
	cancel()
	if err := <-gaveUp; err == nil {
		t.Fatal("a held post was answered before it was released")
	}
	f.WaitRequest(t, "the post given up, recorded", func(r Request) bool { return r.Status == statusGaveUp })
	if waiting, n := f.Holding("1"); waiting != 0 || n != 1 {
		t.Errorf("Holding: %d waiting, %d given up; want 0 and 1", waiting, n)
	}

	answered := make(chan int, 1)
	go func() {
		status, _ := post(context.Background())
		answered <- status
	}()
	f.WaitHolding(t, "1", 1)
	release()
	if status := <-answered; status != 200 {
		t.Errorf("the post released -> %d, want 200", status)
	}
	if n := len(f.Sent()); n != 2 {
		t.Errorf("%d posts count as sent, want 2: the one given up does not", n)
	}
}

// TestCloseFollowsReady closes the gateway as soon as WaitReady returns, as
// tests of reconnecting do, and checks that the client reads READY before
// the close: a client that got the close first would never have connected,
// and could not resume. The race this guards against is narrow, so the
// handshake is repeated.
func TestCloseFollowsReady(t *testing.T) {
	t.Parallel()
	f := New(t, Options{})
	for n := 1; n <= 20; n++ {
		ws, _, err := websocket.DefaultDialer.Dial(f.GatewayURL(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := ws.ReadMessage(); err != nil {
			t.Fatalf("connection %d: HELLO: %v", n, err)
		}
		if err := ws.WriteJSON(map[string]any{"op": 2, "d": map[string]any{"token": "Bot " + f.Token()}}); err != nil {
			t.Fatalf("connection %d: IDENTIFY: %v", n, err)
		}
		f.WaitReady(t, n)
		f.CloseGateway(CloseUnknownError)
		var got struct {
			Op int    `json:"op"`
			T  string `json:"t"`
		}
		if err := ws.ReadJSON(&got); err != nil || got.T != "READY" {
			t.Fatalf("connection %d: read %+v, %v after WaitReady and the close; want READY first", n, got, err)
		}
		if _, _, err := ws.ReadMessage(); !websocket.IsCloseError(err, CloseUnknownError) {
			t.Fatalf("connection %d: after READY: %v, want close %d", n, err, CloseUnknownError)
		}
		ws.Close()
	}
}

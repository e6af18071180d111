package discord

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/internal/changes"
	"github.com/faqbot/faqbot/internal/rawhttp"
)

// endpoint serves an adapter's HTTP interactions endpoint, with a fake
// Discord for its follow-ups. The gateway is not started: interactions
// that arrive over HTTP need only REST.
func endpoint(t *testing.T, b Bot, deferAfter time.Duration, setup ...func(*Adapter)) (*discordfake.Server, string) {
	t.Helper()
	fake := discordfake.New(t, discordfake.Options{})
	cfg := config.Discord{Enabled: true, APIURL: fake.URL(), InteractionsEndpoint: true, PublicKey: fake.PublicKey(), Admins: []string{adminUserID}}
	cfg.SetToken(fake.Token())
	a, err := New(cfg, b, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if deferAfter > 0 {
		a.deferAfter = deferAfter
	}
	for _, f := range setup {
		f(a)
	}
	mux := http.NewServeMux()
	a.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.Close()
		a.stop() // waits for follow-ups in flight
		checkNoPings(t, fake.Sent())
	})
	return fake, srv.URL + InteractionsPath
}

func TestHTTPInteractions(t *testing.T) {
	t.Parallel()
	fake, url := endpoint(t, newBot(t, kbPath, nil), 0)
	ctx := context.Background()
	post := func(t *testing.T, req *http.Request) (int, string) {
		t.Helper()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}

	t.Run("PING gets PONG", func(t *testing.T) {
		status, body, err := fake.PostInteraction(ctx, url, &discordgo.Interaction{Type: discordgo.InteractionPing})
		if err != nil || status != http.StatusOK || strings.TrimSpace(string(body)) != `{"type":1}` {
			t.Errorf("PING -> %d %s %v, want 200 {\"type\":1}", status, body, err)
		}
	})
	t.Run("a question is answered in the HTTP response", func(t *testing.T) {
		status, body, err := fake.PostInteraction(ctx, url, slashInteraction(aliceID, nil, 0, strOpt("question", "How do I reset my password?")))
		if err != nil || status != http.StatusOK {
			t.Fatalf("-> %d %s %v", status, body, err)
		}
		var resp struct {
			Type int `json:"type"`
			Data struct {
				Content         string          `json:"content"`
				Flags           int             `json:"flags"`
				AllowedMentions json.RawMessage `json:"allowed_mentions"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &resp); err != nil {
			t.Fatal(err)
		}
		if resp.Type != 4 || resp.Data.Flags != 64 || !strings.Contains(resp.Data.Content, "Settings > Account") {
			t.Errorf("response %s, want type 4, flags 64 and the answer", body)
		}
		checkNoPings(t, []discordfake.Sent{{Via: "http", AllowedMentions: resp.Data.AllowedMentions}})
	})
	t.Run("autocomplete", func(t *testing.T) {
		i := slashInteraction(aliceID, nil, 0, &discordgo.ApplicationCommandInteractionDataOption{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: "refund", Focused: true})
		i.Type = discordgo.InteractionApplicationCommandAutocomplete
		status, body, err := fake.PostInteraction(ctx, url, i)
		if err != nil || status != http.StatusOK || !strings.Contains(string(body), `"type":8`) || !strings.Contains(string(body), `"value":"entry:refund"`) {
			t.Errorf("-> %d %s %v, want type 8 with the refund entry", status, body, err)
		}
	})
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	body, _ := json.Marshal(&discordgo.Interaction{ID: "1", Type: discordgo.InteractionPing, Token: "t", AppID: fake.AppID(), Version: 1})
	for _, tc := range []struct {
		name string
		req  func() *http.Request
	}{
		{"no signature", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
			return r
		}},
		{"signed with another key", func() *http.Request {
			other := discordfake.New(t, discordfake.Options{InteractionKey: otherKey})
			r, _ := other.Sign(ctx, url, body, time.Now())
			return r
		}},
		{"body changed after signing", func() *http.Request {
			r, _ := fake.Sign(ctx, url, body, time.Now())
			r.Body = io.NopCloser(strings.NewReader(strings.Replace(string(body), `"type":1`, `"type":2`, 1)))
			return r
		}},
		{"stale timestamp", func() *http.Request {
			r, _ := fake.Sign(ctx, url, body, time.Now().Add(-10*time.Minute))
			return r
		}},
		{"timestamp from the future", func() *http.Request {
			r, _ := fake.Sign(ctx, url, body, time.Now().Add(10*time.Minute))
			return r
		}},
	} {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			if status, resp := post(t, tc.req()); status != http.StatusUnauthorized {
				t.Errorf("-> %d %s, want 401", status, resp)
			}
		})
	}
	// A replay carries the same signature, or the same one with its hex
	// digits in another case, which verifies as well.
	// Each case signs another interaction id, so that its first request is
	// new even when the cases run within the same second.
	for n, tc := range []struct {
		name   string
		recase func(string) string
	}{
		{"", func(sig string) string { return sig }},
		{" with the signature in upper case", strings.ToUpper},
	} {
		name, recase := tc.name, tc.recase
		t.Run("refuses a replayed request"+name, func(t *testing.T) {
			body, _ := json.Marshal(&discordgo.Interaction{ID: "replay-" + strconv.Itoa(n), Type: discordgo.InteractionPing, Token: "t", AppID: fake.AppID(), Version: 1})
			first, _ := fake.Sign(ctx, url, body, time.Now())
			again := first.Clone(ctx)
			again.Body = io.NopCloser(strings.NewReader(string(body)))
			again.Header.Set("X-Signature-Ed25519", recase(first.Header.Get("X-Signature-Ed25519")))
			if status, resp := post(t, first); status != http.StatusOK {
				t.Fatalf("first -> %d %s", status, resp)
			}
			if status, resp := post(t, again); status != http.StatusUnauthorized {
				t.Errorf("replay -> %d %s, want 401", status, resp)
			}
		})
	}
}

// TestHTTPUnsignedBodiesAreNotRead sends the headers of interaction
// requests that Discord cannot have signed, each announcing a body of
// 64 KiB, and none of the body: each is answered 401 at once and its
// connection closed, so that an unsigned request costs no memory.
func TestHTTPUnsignedBodiesAreNotRead(t *testing.T) {
	t.Parallel()
	_, url := endpoint(t, newBot(t, kbPath, nil), 0)
	now := strconv.FormatInt(time.Now().Unix(), 10)
	sig := strings.Repeat("ab", ed25519.SignatureSize)
	for _, tc := range []struct {
		name   string
		header http.Header
	}{
		{"no signature", http.Header{"X-Signature-Timestamp": {now}}},
		{"a short signature", http.Header{"X-Signature-Ed25519": {"00"}, "X-Signature-Timestamp": {now}}},
		{"a signature not in hex", http.Header{"X-Signature-Ed25519": {strings.Repeat("zz", ed25519.SignatureSize)}, "X-Signature-Timestamp": {now}}},
		{"no timestamp", http.Header{"X-Signature-Ed25519": {sig}}},
		{"a stale timestamp", http.Header{"X-Signature-Ed25519": {sig}, "X-Signature-Timestamp": {strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := rawhttp.Dial(url)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			tc.header.Set("Content-Type", "application/json")
			if err := c.WriteHead(http.MethodPost, InteractionsPath, tc.header, maxInteractionBody); err != nil {
				t.Fatal(err)
			}
			resp, _, err := c.ReadResponse(20 * time.Second)
			if err != nil {
				t.Fatalf("no answer before the body was sent: %v", err)
			}
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s, want 401", resp.Status)
			}
			if !c.Closed(20 * time.Second) {
				t.Error("the connection was kept open for the body")
			}
		})
	}
}

// TestHTTPRefusalsAreLoggedOnceAnInterval sends floods of stale, forged,
// unsigned, replayed and oversized interaction requests: each is refused,
// and each kind is logged once, not once a request, so that one client
// cannot fill the disk with the log.
func TestHTTPRefusalsAreLoggedOnceAnInterval(t *testing.T) {
	t.Parallel()
	var logs changes.Buffer
	fake, url := endpoint(t, newBot(t, kbPath, nil), 0, func(a *Adapter) {
		a.log = slog.New(slog.NewTextHandler(&logs, nil))
	})
	ctx := context.Background()
	other := discordfake.New(t, discordfake.Options{})
	ping, _ := json.Marshal(&discordgo.Interaction{ID: "1", Type: discordgo.InteractionPing, Token: "t", AppID: fake.AppID(), Version: 1})
	large, _ := json.Marshal(&discordgo.Interaction{ID: "2", Type: discordgo.InteractionPing, Token: strings.Repeat("t", maxInteractionBody), AppID: fake.AppID(), Version: 1})
	first, _ := fake.Sign(ctx, url, ping, time.Now())
	if status := postStatus(t, first); status != http.StatusOK {
		t.Fatalf("a signed PING -> %d", status)
	}
	const n = 30
	for i := range n {
		for _, tc := range []struct {
			req    func() *http.Request
			status int
		}{
			{func() *http.Request { r, _ := fake.Sign(ctx, url, ping, time.Now().Add(-10*time.Minute)); return r }, http.StatusUnauthorized},
			{func() *http.Request { r, _ := other.Sign(ctx, url, ping, time.Now()); return r }, http.StatusUnauthorized},
			{func() *http.Request {
				r, _ := fake.Sign(ctx, url, ping, time.Now())
				r.Header.Del("X-Signature-Ed25519")
				return r
			}, http.StatusUnauthorized},
			{func() *http.Request {
				r := first.Clone(ctx)
				r.Body = io.NopCloser(strings.NewReader(string(ping)))
				return r
			}, http.StatusUnauthorized},
			{func() *http.Request { r, _ := fake.Sign(ctx, url, large, time.Now()); return r }, http.StatusRequestEntityTooLarge},
		} {
			if status := postStatus(t, tc.req()); status != tc.status {
				t.Fatalf("round %d: -> %d, want %d", i, status, tc.status)
			}
		}
	}
	text := logs.String()
	for _, line := range []string{"stale timestamp", "bad signature", "whose signature does not match: if Discord's own requests are refused, check discord.public_key", "replayed interaction", "body too large"} {
		if got := strings.Count(text, line); got != 1 {
			t.Errorf("%q logged %d times for %d refusals or more, want once", line, got, n)
		}
	}
	if !strings.Contains(text, "times=1\n") {
		t.Errorf("the refusals' lines do not count the times:\n%s", text)
	}
}

// postStatus sends req and returns the status of the answer.
func postStatus(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func TestHTTPFollowUps(t *testing.T) {
	t.Parallel()
	fake, url := endpoint(t, newBot(t, longKB(t), nil), 0)
	i := slashInteraction(aliceID, nil, 0, strOpt("question", "What does the long guide say?"))
	status, body, err := fake.PostInteraction(context.Background(), url, i)
	if err != nil || status != http.StatusOK {
		t.Fatalf("-> %d %s %v", status, body, err)
	}
	var first struct {
		Data struct {
			Content string `json:"content"`
			Flags   int    `json:"flags"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &first); err != nil {
		t.Fatal(err)
	}
	pieces := []string{first.Data.Content}
	fake.WaitSent(t, "the last follow-up, with the footer", func(s discordfake.Sent) bool {
		return s.Via == "followup" && s.Interaction == i.ID && strings.Contains(s.Content, "-# Source: The long guide")
	})
	var all []discordfake.Sent
	for _, s := range fake.Sent() {
		if s.Via == "followup" && s.Interaction == i.ID {
			all = append(all, s)
			pieces = append(pieces, s.Content)
			if !s.Ephemeral() {
				t.Errorf("a follow-up of an ephemeral answer is public")
			}
		}
	}
	checkPieces(t, pieces)
	if first.Data.Flags != 64 {
		t.Errorf("first piece flags %d, want 64", first.Data.Flags)
	}
	if !contains(buttonIDs(all[len(all)-1]), "faq:vote:up:long-guide") {
		t.Errorf("the buttons are not under the last piece")
	}
}

func TestHTTPSlowAnswerIsDeferred(t *testing.T) {
	t.Parallel()
	load, release := slowLoader(t)
	fake, url := endpoint(t, newBot(t, kbPath, load), 50*time.Millisecond)
	i := slashInteraction(adminUserID, nil, 0, boolOpt("reload"))
	status, body, err := fake.PostInteraction(context.Background(), url, i)
	if err != nil || status != http.StatusOK || strings.TrimSpace(string(body)) != `{"type":5,"data":{"tts":false,"content":"","components":null,"embeds":null,"allowed_mentions":{"parse":[],"replied_user":false},"flags":64}}` {
		t.Fatalf("-> %d %s %v, want a deferred ephemeral response", status, body, err)
	}
	release()
	edit := fake.WaitSent(t, "the edited response", func(s discordfake.Sent) bool { return s.Via == "edit" && s.Interaction == i.ID })
	if !strings.Contains(edit.Content, "Reloaded:") {
		t.Errorf("edit = %q", edit.Content)
	}
}

// TestHTTPInteractionWithoutUser: an interaction that names neither a user
// nor a member (no person triggered it) gets 400 with a message that says
// so, not "already handled".
func TestHTTPInteractionWithoutUser(t *testing.T) {
	t.Parallel()
	fake, url := endpoint(t, newBot(t, kbPath, nil), 0)
	i := slashInteraction(aliceID, nil, 0, strOpt("question", "How do I reset my password?"))
	i.Member, i.User = nil, nil
	status, body, err := fake.PostInteraction(context.Background(), url, i)
	if err != nil || status != http.StatusBadRequest || !strings.Contains(string(body), "neither user nor member") {
		t.Errorf("-> %d %s %v, want 400 saying the interaction names neither user nor member", status, body, err)
	}
}

// TestHTTPAdminCommandIsDeferredAtOnce: an admin command that may take
// long (here a reload that waits) is deferred at once, not after
// deferAfter, which is made an hour here so that only a deferral at once
// can answer.
func TestHTTPAdminCommandIsDeferredAtOnce(t *testing.T) {
	t.Parallel()
	load, release := slowLoader(t)
	fake, url := endpoint(t, newBot(t, kbPath, load), time.Hour)
	for _, tc := range []struct {
		name string
		i    *discordgo.Interaction
	}{
		{"reload", slashInteraction(adminUserID, nil, 0, boolOpt("reload"))},
		{"reload from a command button", &discordgo.Interaction{
			Type: discordgo.InteractionMessageComponent, GuildID: guildID, ChannelID: generalID,
			Member:  &discordgo.Member{User: userOf(adminUserID)},
			Message: &discordgo.Message{ID: "800000000000000001", ChannelID: generalID, Flags: discordgo.MessageFlagsEphemeral},
			Data:    discordgo.MessageComponentInteractionData{CustomID: idCommand + "reload", ComponentType: discordgo.ButtonComponent},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, err := fake.PostInteraction(context.Background(), url, tc.i)
			if err != nil || status != http.StatusOK || !strings.HasPrefix(string(body), `{"type":5,`) {
				t.Fatalf("-> %d %s %v, want a deferred response at once", status, body, err)
			}
		})
	}
	release()
}

// stalledClaims is the replicas' shared record on a database that accepts
// every query and never answers: each claim waits until its context is
// done. It keeps each claim's key and deadline.
type stalledClaims struct {
	mu     sync.Mutex
	claims []stalledClaim
}

type stalledClaim struct {
	key      string
	deadline time.Time
}

func (c *stalledClaims) Claim(ctx context.Context, key string, _ time.Time) (bool, error) {
	d, _ := ctx.Deadline()
	c.mu.Lock()
	c.claims = append(c.claims, stalledClaim{key, d})
	c.mu.Unlock()
	<-ctx.Done()
	return false, ctx.Err()
}

// TestHTTPStalledDatabase: with the shared record's database hung, a
// question over the HTTP endpoint makes one claim, which waits for
// bot.ClaimBudget from the request's arrival at most, and is then
// answered.
func TestHTTPStalledDatabase(t *testing.T) {
	t.Parallel()
	claims := &stalledClaims{}
	fake, url := endpoint(t, newBot(t, kbPath, nil), 0, func(a *Adapter) { a.Share(claims) })
	var slowest time.Duration
	defer func() {
		t.Logf("3 questions with the database hung: the slowest answered %v after it was sent", slowest.Round(time.Millisecond))
	}()
	for n := range 3 {
		sent := time.Now()
		i := slashInteraction(aliceID, nil, 0, strOpt("question", "How do I reset my password?"))
		status, body, err := fake.PostInteraction(context.Background(), url, i)
		received := time.Now()
		slowest = max(slowest, received.Sub(sent))
		if err != nil || status != http.StatusOK {
			t.Fatalf("question %d: -> %d %s %v", n, status, body, err)
		}
		var resp struct {
			Type discordgo.InteractionResponseType `json:"type"`
			Data *struct {
				Content string `json:"content"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &resp); err != nil {
			t.Fatal(err)
		}
		if resp.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource {
			// A loaded machine may take longer than deferAfter.
			fake.WaitSent(t, "the answer", func(s discordfake.Sent) bool {
				return s.Interaction == i.ID && strings.Contains(s.Content, "Settings > Account")
			})
		} else if resp.Data == nil || !strings.Contains(resp.Data.Content, "Settings > Account") {
			t.Errorf("question %d: response %s, want the answer", n, body)
		}
		claims.mu.Lock()
		got := claims.claims[n:]
		claims.mu.Unlock()
		if len(got) != 1 {
			t.Fatalf("question %d made %d claims %v, want 1", n, len(got), got)
		}
		if d := got[0].deadline; d.Before(sent.Add(bot.ClaimBudget)) || d.After(received.Add(bot.ClaimBudget)) {
			t.Errorf("question %d: the claim waits until %v, want the request's arrival (%v to %v) plus %v", n, d, sent, received, bot.ClaimBudget)
		}
	}
}

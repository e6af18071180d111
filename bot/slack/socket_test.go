package slack_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/bot/slack/slackfake"
)

// checkAnswer checks that r is the VPN answer, rendered in mrkdwn with its
// provenance and its feedback buttons.
func checkVPNAnswer(t *testing.T, r slackfake.Request) {
	t.Helper()
	text := r.BlockText()
	for _, want := range []string{
		"*GlobalConnect*", // **bold** becomes *bold*
		"<https://portal.example.com/vpn?a=1&amp;b=2|software portal>",
		"• sign in with your _work_ account",
		"`EU-West`",
		"`vpn-setup`", // provenance: the entry id
		"<https://handbook.example.com/it|IT handbook>",
		"Updated 2026-01-15",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the answer lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(r.Text(), "GlobalConnect") {
		t.Errorf("the fallback text lacks the answer: %q", r.Text())
	}
	for _, id := range []string{"faq_vote_up", "faq_vote_down"} {
		b, ok := r.Button(id)
		if !ok || b.Value != "vpn-setup" || b.BlockID == "" {
			t.Errorf("button %s = %+v, %v; want one for vpn-setup with a block id", id, b, ok)
		}
	}
	if b, ok := r.Button("faq_related_"); !ok || b.Value != "wifi-password" {
		t.Errorf("related button = %+v, %v; want one for wifi-password", b, ok)
	}
	if r.Param("link_names") != "" {
		t.Errorf("link_names = %q; it must not be set", r.Param("link_names"))
	}
}

func TestMentionIsAnsweredInItsThread(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		thread string // the thread the mention was written in
	}{
		{"top level: the reply starts a thread", ""},
		{"in a thread: the reply joins it", "1690000000.000001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{})
			d := h.fake.SendMention(t, slackfake.Message{Text: vpnQuestion, ThreadTS: tc.thread})
			h.fake.WaitAck(t, d.EnvelopeID)
			if got := h.waitJobs(1); got[0] != "event:answered" {
				t.Fatalf("outcome = %v", got)
			}
			r := h.onlyReply()
			if r.Method != "chat.postMessage" || r.Ephemeral() || r.Channel() != slackfake.DefaultChannel {
				t.Errorf("reply = %s in %s, ephemeral %v; want a public chat.postMessage in %s", r.Method, r.Channel(), r.Ephemeral(), slackfake.DefaultChannel)
			}
			want := tc.thread
			if want == "" {
				want = mentionTS(t, h, d)
			}
			if r.ThreadTS() != want {
				t.Errorf("thread_ts = %q, want %q", r.ThreadTS(), want)
			}
			if r.Param("parse") != "none" {
				t.Errorf("parse = %q, want none", r.Param("parse"))
			}
			if _, ok := r.Button("faq_share"); ok {
				t.Error("a public answer has a Share button")
			}
			checkVPNAnswer(t, r)
		})
	}
}

// mentionTS returns the ts of the message delivered in d.
func mentionTS(t *testing.T, h *harness, d slackfake.Delivery) string {
	t.Helper()
	var env struct {
		Event struct {
			TS string `json:"ts"`
		} `json:"event"`
	}
	if err := json.Unmarshal(d.Payload, &env); err != nil || env.Event.TS == "" {
		t.Fatalf("no ts in the delivered event: %v", err)
	}
	return env.Event.TS
}

func TestMentionAlsoDeliveredAsMessageIsAnsweredOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		channel      string
		mentionFirst bool
	}{
		{"mention first", slackfake.DefaultChannel, true},
		{"message first", slackfake.DefaultChannel, false},
		{"in a listening channel, message first", listenChan, false},
		{"in a listening channel, mention first", listenChan, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{})
			m := slackfake.Message{Channel: tc.channel, Text: slackfake.WithMention(vpnQuestion), TS: h.fake.NewTS()}
			if tc.mentionFirst {
				h.fake.SendMention(t, m)
				h.fake.SendMessage(t, m)
			} else {
				h.fake.SendMessage(t, m)
				h.fake.SendMention(t, m)
			}
			got := h.waitJobs(2)
			if count(got, "event:answered") != 1 {
				t.Errorf("outcomes = %v, want one answered", got)
			}
			r := h.onlyReply()
			if r.ThreadTS() != m.TS {
				t.Errorf("thread_ts = %q, want %q", r.ThreadTS(), m.TS)
			}
		})
	}
}

func TestDirectMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, text, want string
	}{
		{"question", wifiQuestion, "*Office-Guest*"},
		{"command in a DM", "/faq list", "`wifi-password`"},
		{"help", "/faq help", "/faq list"},
		{"help alone", "help", "/faq list"},
		{"thanks", "thanks!", "You're welcome!"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{})
			h.fake.SendMessage(t, slackfake.Message{Channel: dmChan, Text: tc.text})
			if got := h.waitJobs(1); got[0] != "event:answered" {
				t.Fatalf("outcome = %v", got)
			}
			r := h.onlyReply()
			if r.Method != "chat.postMessage" || r.Channel() != dmChan || r.ThreadTS() != "" {
				t.Errorf("reply = %s in %s thread %q; want chat.postMessage in %s outside threads", r.Method, r.Channel(), r.ThreadTS(), dmChan)
			}
			if !strings.Contains(r.BlockText(), tc.want) {
				t.Errorf("reply lacks %q:\n%s", tc.want, r.BlockText())
			}
		})
	}
}

func TestListeningChannel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		channel string
		text    string
		outcome string
		want    string // in the reply; "" for no reply
	}{
		{"confident question is answered in thread", listenChan, vpnQuestion, "event:answered", "GlobalConnect"},
		{"question word without a question mark", listenChan, "how do I set up the vpn", "event:answered", "GlobalConnect"},
		{"unsure question gets silence", listenChan, "Do penguins dream of electric sheep?", "event:silent", ""},
		{"chatter is not a question", listenChan, "lunch was great today", "event:silent", ""},
		{"other channels are not listened to", otherChan, vpnQuestion, "event:ignored", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{})
			m := slackfake.Message{Channel: tc.channel, Text: tc.text, TS: h.fake.NewTS()}
			h.fake.SendMessage(t, m)
			if got := h.waitJobs(1); got[0] != tc.outcome {
				t.Fatalf("outcome = %v, want %s", got, tc.outcome)
			}
			if tc.want == "" {
				if rs := h.replies(); len(rs) != 0 {
					t.Fatalf("the bot spoke:\n%s", describe(rs))
				}
				return
			}
			r := h.onlyReply()
			if r.ThreadTS() != m.TS || r.Ephemeral() || !strings.Contains(r.BlockText(), tc.want) {
				t.Errorf("reply in thread %q (want %q), ephemeral %v: %s", r.ThreadTS(), m.TS, r.Ephemeral(), r.BlockText())
			}
		})
	}
}

func TestIgnoresBotsItselfAndEdits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		event   string
		message slackfake.Message
	}{
		{"another bot's message", "message", slackfake.Message{Channel: dmChan, Text: vpnQuestion, BotID: "B0OTHER", Subtype: "bot_message"}},
		{"a bot's message without subtype", "message", slackfake.Message{Channel: listenChan, User: "U0BOT2", Text: vpnQuestion, BotID: "B0OTHER"}},
		{"its own message", "message", slackfake.Message{Channel: dmChan, User: slackfake.BotUserID, Text: vpnQuestion}},
		{"its own message in a listening channel", "message", slackfake.Message{Channel: listenChan, User: slackfake.BotUserID, Text: vpnQuestion}},
		{"an edit", "message", slackfake.Message{Channel: dmChan, Text: vpnQuestion, Subtype: "message_changed"}},
		{"a join", "message", slackfake.Message{Channel: listenChan, Text: "joined. What?", Subtype: "channel_join"}},
		{"a bot's mention", "app_mention", slackfake.Message{Text: slackfake.WithMention(vpnQuestion), BotID: "B0OTHER", User: "U0BOT2"}},
		{"an edited mention", "app_mention", slackfake.Message{Text: slackfake.WithMention(vpnQuestion), Edited: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{})
			body, _ := h.fake.EventPayload(tc.event, tc.message)
			h.fake.Send(t, "events_api", body)
			if got := h.waitJobs(1); got[0] != "event:ignored" {
				t.Errorf("outcome = %v, want ignored", got)
			}
			if rs := h.replies(); len(rs) != 0 {
				t.Errorf("the bot answered:\n%s", describe(rs))
			}
		})
	}
}

func TestRedeliveredEnvelopeIsAnsweredOnce(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	d := h.fake.SendMention(t, slackfake.Message{Text: vpnQuestion})
	r1 := h.fake.Redeliver(t, d)
	r2 := h.fake.Redeliver(t, r1)
	for _, id := range []string{d.EnvelopeID, r1.EnvelopeID, r2.EnvelopeID} {
		h.fake.WaitAck(t, id)
	}
	got := h.waitJobs(3)
	if count(got, "event:answered") != 1 || count(got, "event:duplicate") != 2 {
		t.Errorf("outcomes = %v, want one answered and two duplicates", got)
	}
	h.onlyReply()
}

func TestReconnectsAfterDisconnect(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.fake.Disconnect(t)
	h.fake.WaitConnections(t, 2)
	d := h.fake.SendMention(t, slackfake.Message{Text: vpnQuestion})
	h.fake.WaitAck(t, d.EnvelopeID)
	if got := h.waitJobs(1); got[0] != "event:answered" {
		t.Fatalf("outcome after reconnecting = %v", got)
	}
	checkVPNAnswer(t, h.onlyReply())
	// The connection event comes before the envelope on the new connection.
	if !h.adapter.Connected() || h.adapter.Reconnects() != 1 {
		t.Errorf("Connected() = %v, Reconnects() = %d; want true, 1", h.adapter.Connected(), h.adapter.Reconnects())
	}
	opens := 0
	for _, r := range h.fake.Requests() {
		if r.Method == "apps.connections.open" {
			opens++
		}
	}
	if opens != 2 {
		t.Errorf("apps.connections.open called %d times, want 2", opens)
	}
}

// TestAcksComeBeforeSlowWork sends a burst of mentions while Slack's Web
// API makes the replies wait, and checks that every envelope is acked at
// once, long before the replies can go out, and that each is answered once.
func TestAcksComeBeforeSlowWork(t *testing.T) {
	t.Parallel()
	const burst = 30
	h := start(t, options{})
	// Every reply's first attempt waits out a 2-second rate limit. The
	// mentions come from as many channels, so that all are worked on at
	// once (see TestHungChannelDoesNotHoldOtherChannels for one channel).
	h.fake.FailNext("chat.postMessage", burst, http.StatusTooManyRequests, 2*time.Second)
	sent := time.Now()
	var envelopes []string
	threads := map[string]bool{}
	for i := range burst {
		m := slackfake.Message{Channel: fmt.Sprintf("C0BURST%d", i), Text: vpnQuestion, TS: h.fake.NewTS(), User: fmt.Sprintf("U0USER%d", i)}
		threads[m.TS] = true
		envelopes = append(envelopes, h.fake.SendMention(t, m).EnvelopeID)
	}
	var lastAck time.Time
	for _, id := range envelopes {
		if at := h.fake.WaitAck(t, id).At; at.After(lastAck) {
			lastAck = at
		}
	}
	got := h.waitJobs(burst)
	if n := count(got, "event:answered"); n != burst {
		t.Errorf("%d of %d answered: %v", n, burst, got)
	}
	replies := h.replies()
	if len(replies) != burst {
		t.Fatalf("%d replies, want %d", len(replies), burst)
	}
	for _, r := range replies {
		if !threads[r.ThreadTS()] {
			t.Errorf("a second reply, or one in an unknown thread: %q", r.ThreadTS())
		}
		delete(threads, r.ThreadTS())
	}
	if first := replies[0].At; !lastAck.Before(first) {
		t.Errorf("the last ack came at +%v, after the first reply at +%v", lastAck.Sub(sent), first.Sub(sent))
	}
	t.Logf("%d envelopes acked within %v; first reply after %v", burst, lastAck.Sub(sent), replies[0].At.Sub(sent))
}

func TestUnreadableEnvelopeIsAckedAndIgnored(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	body, _ := h.fake.EventPayload("an_event_slack_go_does_not_know", slackfake.Message{Text: vpnQuestion})
	d := h.fake.Send(t, "events_api", body)
	h.fake.WaitAck(t, d.EnvelopeID)
	// The connection keeps working.
	h.fake.SendMention(t, slackfake.Message{Text: vpnQuestion})
	if got := h.waitJobs(1); got[0] != "event:answered" {
		t.Errorf("outcomes = %v, want the mention's alone", got)
	}
	h.onlyReply()
}

func TestShutdownSendsRepliesInFlight(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.fake.FailNext("chat.postMessage", 1, http.StatusTooManyRequests, time.Second)
	h.fake.SendMention(t, slackfake.Message{Text: vpnQuestion})
	h.fake.Wait(t, "the rate-limited post", 1, func(r slackfake.Request) bool { return r.Status == http.StatusTooManyRequests })
	h.stopRun()
	// Run returned only after the reply went out.
	checkVPNAnswer(t, h.onlyReply())
	if got := h.waitJobs(1); got[0] != "event:answered" {
		t.Errorf("outcome = %v", got)
	}
}

// TestHungChannelDoesNotHoldOtherChannels makes every post to one channel
// hang, sends that channel more mentions than the adapter has workers, and
// checks that another channel is still answered while the hung posts wait,
// that no more than PerChannel of them are in flight, and that every
// mention of the hung channel is answered once when Slack recovers.
func TestHungChannelDoesNotHoldOtherChannels(t *testing.T) {
	t.Parallel()
	const hung = "C0HUNG"
	burst := slack.Workers + 6
	h := start(t, options{})
	release := h.fake.Hold(hung)
	threads := map[string]bool{}
	for i := range burst {
		m := slackfake.Message{Channel: hung, Text: vpnQuestion, TS: h.fake.NewTS(), User: fmt.Sprintf("U0USER%d", i)}
		threads[m.TS] = true
		h.fake.WaitAck(t, h.fake.SendMention(t, m).EnvelopeID)
	}
	h.fake.WaitHolding(t, hung, slack.PerChannel)

	h.fake.SendMention(t, slackfake.Message{Channel: otherChan, Text: wifiQuestion})
	h.fake.WaitReply(t, "the answer in the other channel", func(r slackfake.Request) bool { return r.Channel() == otherChan })
	if waiting, gaveUp := h.fake.Holding(hung); waiting != slack.PerChannel || gaveUp != 0 {
		t.Errorf("when the other channel was answered, %d posts to %s were in flight and %d had given up; want %d and 0", waiting, hung, gaveUp, slack.PerChannel)
	}

	release()
	got := h.waitJobs(burst + 1)
	if n := count(got, "event:answered"); n != burst+1 {
		t.Errorf("%d of %d answered: %v", n, burst+1, got)
	}
	for _, r := range h.replies() {
		if r.Channel() != hung {
			continue
		}
		if !threads[r.ThreadTS()] {
			t.Errorf("a second reply, or one in an unknown thread: %q", r.ThreadTS())
		}
		delete(threads, r.ThreadTS())
	}
	if len(threads) != 0 {
		t.Errorf("%d mentions in %s were never answered", len(threads), hung)
	}
}

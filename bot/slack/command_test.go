package slack_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/slack"
	"github.com/faqbot/faqbot/bot/slack/slackfake"
)

func TestSlashCommandAnswerIsEphemeralWithShareButton(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	d := h.fake.SendSlashCommand(t, slackfake.Command{Text: vpnQuestion})
	h.fake.WaitAck(t, d.EnvelopeID)
	if got := h.waitJobs(1); got[0] != "command:answered" {
		t.Fatalf("outcome = %v", got)
	}
	r := h.onlyReply()
	if r.Method != "response_url" || r.Path != strings.TrimPrefix(d.ResponseURL, h.fake.URL()[:len(h.fake.URL())-len("/api/")]) {
		t.Errorf("reply went to %s %s, want the command's response_url %s", r.Method, r.Path, d.ResponseURL)
	}
	if r.ResponseType() != "ephemeral" || r.ReplaceOriginal() {
		t.Errorf("response_type = %q, replace_original = %v; want a new ephemeral message", r.ResponseType(), r.ReplaceOriginal())
	}
	checkVPNAnswer(t, r)
	share, ok := r.Button("faq_share")
	if !ok || share.Value != "vpn-setup" {
		t.Fatalf("share button = %+v, %v", share, ok)
	}

	// Sharing posts the answer for everyone and removes the private copy.
	click := slackfake.Click(r, share, slackfake.DefaultUser, slackfake.DefaultChannel)
	h.fake.SendBlockAction(t, click)
	if got := h.waitJobs(2); got[1] != "interaction:answered" {
		t.Fatalf("outcomes = %v", got)
	}
	rs := h.fake.Wait(t, "the shared answer and the deletion", 3, func(r slackfake.Request) bool { return r.Method == "response_url" })
	shared, deleted := rs[1], rs[2]
	if shared.ResponseType() != "in_channel" || shared.ReplaceOriginal() {
		t.Errorf("shared: response_type %q, replace_original %v; want a new in_channel message", shared.ResponseType(), shared.ReplaceOriginal())
	}
	checkVPNAnswer(t, shared)
	if _, ok := shared.Button("faq_share"); ok {
		t.Error("the shared answer still has a Share button")
	}
	if !deleted.DeleteOriginal() {
		t.Errorf("after sharing, the ephemeral copy was not deleted: %s", deleted.Body)
	}
	if n := len(h.replies()); n != 3 {
		t.Errorf("%d replies, want 3:\n%s", n, describe(h.replies()))
	}
}

func TestSlashCommandInChannelWhenEphemeralIsOff(t *testing.T) {
	t.Parallel()
	h := start(t, options{yaml: "  ephemeral_answers: false"})
	h.fake.SendSlashCommand(t, slackfake.Command{Text: vpnQuestion})
	h.waitJobs(1)
	r := h.onlyReply()
	if r.ResponseType() != "in_channel" {
		t.Errorf("response_type = %q, want in_channel", r.ResponseType())
	}
	if _, ok := r.Button("faq_share"); ok {
		t.Error("a public answer has a Share button")
	}
	checkVPNAnswer(t, r)

	// Admin output stays private even so.
	h.fake.SendSlashCommand(t, slackfake.Command{Text: "list"})
	h.waitJobs(2)
	if r := h.replies()[1]; r.ResponseType() != "ephemeral" {
		t.Errorf("/faq list: response_type = %q, want ephemeral", r.ResponseType())
	}
}

func TestSlashSubcommands(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"list", []string{"`vpn-setup`", "`wifi-password`", "`handbook`"}},
		{"list expense", []string{"`expense-report`", "`expense-limit`"}},
		{"show wifi-password", []string{"*Office-Guest*", "`wifi-password`"}},
		{"why how do I set up the vpn", []string{"Matches for", "`vpn-setup`"}},
		{"help", []string{"/faq list", "/faq reload"}},
		{"", []string{"/faq list"}},
		{"show no-such-entry", []string{"There is no entry with that id"}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{})
			h.fake.SendSlashCommand(t, slackfake.Command{Text: tc.text})
			h.waitJobs(1)
			r := h.onlyReply()
			if r.ResponseType() != "ephemeral" {
				t.Errorf("response_type = %q, want ephemeral", r.ResponseType())
			}
			for _, w := range tc.want {
				if !strings.Contains(r.BlockText(), w) {
					t.Errorf("reply lacks %q:\n%s", w, r.BlockText())
				}
			}
		})
	}
}

func TestReloadIsForAdminsOnly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, user, want string
	}{
		{"admin by user id", admin, "Reloaded: 8 entries before, 8 now."},
		{"admin by user group", groupAdmin, "Reloaded: 8 entries before, 8 now."},
		{"anyone else", slackfake.DefaultUser, "only admins can reload"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{})
			h.fake.SendSlashCommand(t, slackfake.Command{User: tc.user, Text: "reload"})
			h.waitJobs(1)
			r := h.onlyReply()
			if r.ResponseType() != "ephemeral" || !strings.Contains(r.BlockText(), tc.want) {
				t.Errorf("reply (%s) = %q, want %q", r.ResponseType(), r.BlockText(), tc.want)
			}
		})
	}
}

func TestAdminGroupIsListedOnceAndCached(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	for i, user := range []string{groupAdmin, slackfake.DefaultUser, groupAdmin} {
		h.fake.SendSlashCommand(t, slackfake.Command{User: user, Text: "reload"})
		h.waitJobs(i + 1)
	}
	lists := 0
	for _, r := range h.fake.Requests() {
		if r.Method == "usergroups.users.list" {
			lists++
			if r.Form.Get("usergroup") != adminGroup {
				t.Errorf("listed group %q, want %s", r.Form.Get("usergroup"), adminGroup)
			}
		}
	}
	if lists != 1 {
		t.Errorf("usergroups.users.list called %d times, want 1", lists)
	}
	rs := h.replies()
	if !strings.Contains(rs[0].BlockText(), "Reloaded") || !strings.Contains(rs[1].BlockText(), "only admins") || !strings.Contains(rs[2].BlockText(), "Reloaded") {
		t.Errorf("replies:\n%s", describe(rs))
	}
}

func TestDidYouMeanButtonsReplaceThePrompt(t *testing.T) {
	t.Parallel()
	t.Run("ephemeral prompt from /faq", func(t *testing.T) {
		t.Parallel()
		h := start(t, options{})
		// "show" with an unknown id offers the entries that match it.
		h.fake.SendSlashCommand(t, slackfake.Command{Text: "show expense"})
		h.waitJobs(1)
		prompt := h.onlyReply()
		if !strings.Contains(prompt.BlockText(), "*Did you mean…*") {
			t.Errorf("the prompt does not ask:\n%s", prompt.BlockText())
		}
		pick := pickButton(t, prompt, "expense-limit")
		h.fake.SendBlockAction(t, slackfake.Click(prompt, pick, slackfake.DefaultUser, slackfake.DefaultChannel))
		h.waitJobs(2)
		r := h.replies()[1]
		if r.Method != "response_url" || !r.ReplaceOriginal() || r.ResponseType() != "ephemeral" {
			t.Errorf("answer: %s replace_original %v type %q; want an ephemeral replacement", r.Method, r.ReplaceOriginal(), r.ResponseType())
		}
		if !strings.Contains(r.BlockText(), "40 euros") {
			t.Errorf("the replacement is not the picked answer:\n%s", r.BlockText())
		}
		if b, ok := r.Button("faq_share"); !ok || b.Value != "expense-limit" {
			t.Errorf("the private answer has no Share button: %+v", r.Buttons())
		}
	})
	t.Run("public prompt from a mention", func(t *testing.T) {
		t.Parallel()
		question := unsureQuestion(t)
		h := start(t, options{})
		m := slackfake.Message{Text: question, TS: h.fake.NewTS()}
		h.fake.SendMention(t, m)
		h.waitJobs(1)
		prompt := h.onlyReply()
		if prompt.Method != "chat.postMessage" || prompt.ThreadTS() != m.TS {
			t.Fatalf("prompt: %s in thread %q", prompt.Method, prompt.ThreadTS())
		}
		if text := strings.ToLower(prompt.BlockText()); !strings.Contains(text, "did you mean") {
			t.Errorf("the prompt does not ask:\n%s", prompt.BlockText())
		}
		pick, ok := prompt.Button("faq_pick_1")
		if !ok {
			t.Fatalf("no second suggestion in %+v", prompt.Buttons())
		}
		h.fake.SendBlockAction(t, slackfake.Click(prompt, pick, "U0BOB", slackfake.DefaultChannel))
		h.waitJobs(2)
		r := h.replies()[1]
		if r.Method != "chat.update" || r.TS() != prompt.ReplyTS || r.Channel() != slackfake.DefaultChannel {
			t.Errorf("answer: %s of ts %q in %s; want chat.update of the prompt %q", r.Method, r.TS(), r.Channel(), prompt.ReplyTS)
		}
		if want := answerOf(t, pick.Value); !strings.Contains(r.BlockText(), want) {
			t.Errorf("the update is not the answer of %s:\n%s\nwant:\n%s", pick.Value, r.BlockText(), want)
		}
		if _, ok := r.Button("faq_pick_"); ok {
			t.Error("the answer still offers suggestions")
		}
		if len(h.replies()) != 2 {
			t.Errorf("replies:\n%s", describe(h.replies()))
		}
	})
}

// unsureQuestion returns a question the bot is unsure of, with at least two
// suggestions. The matcher is tuned by others, so the test takes the first
// of a few vague questions that the matcher of the day is unsure of, and
// fails, naming the fix, when there is none.
func unsureQuestion(t *testing.T) string {
	t.Helper()
	candidates := []string{"reset password", "tell me about expenses", "something about the vpn, the wifi and expenses", "meal receipts from my holiday", "is there anything about money"}
	for _, q := range candidates {
		if r := askHarnessBot(t, q); r.Kind == bot.Unsure && len(r.Suggestions) >= 2 {
			return q
		}
	}
	t.Fatalf("the bot is sure of, or has fewer than two guesses for, every one of %q; add a vaguer question", candidates)
	return ""
}

// askHarnessBot asks a bot built as the harness builds it, outside Slack.
func askHarnessBot(t *testing.T, question string) bot.Reply {
	t.Helper()
	kb, err := bot.LoadBase(knowledgeKB)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := bot.New(kb, bot.Options{Threshold: 0.5}).Handle(context.Background(), bot.Message{Text: question, Origin: bot.Direct})
	return r
}

// TestUnsureWithoutSuggestionsIsTheFallbackAlone checks that a question
// too far off for any guess is answered with the fallback in one section
// and no empty "Did you mean" prompt or actions block.
func TestUnsureWithoutSuggestionsIsTheFallbackAlone(t *testing.T) {
	t.Parallel()
	const question = "Who won the football world cup in 1966?"
	if r := askHarnessBot(t, question); r.Kind != bot.Unsure || len(r.Suggestions) != 0 {
		t.Fatalf("the bot answers %q with %v and %d suggestions; pick a question with none", question, r.Kind, len(r.Suggestions))
	}
	h := start(t, options{})
	h.fake.SendMention(t, slackfake.Message{Text: question, TS: h.fake.NewTS()})
	h.waitJobs(1)
	r := h.onlyReply()
	blocks := r.Blocks()
	if len(blocks) != 1 || blocks[0]["type"] != "section" {
		t.Errorf("blocks = %v, want one section", blocks)
	}
	if want := "Sorry, I don't know that one."; !strings.HasPrefix(r.BlockText(), want) || !strings.HasPrefix(r.Text(), want) {
		t.Errorf("text %q, blocks %q; want the fallback", r.Text(), r.BlockText())
	}
	if strings.Contains(strings.ToLower(r.AllText()), "did you mean") || len(r.Buttons()) != 0 {
		t.Errorf("the reply offers nothing but asks:\n%s\nbuttons %+v", r.AllText(), r.Buttons())
	}
}

// answerOf returns an entry's answer as the adapter renders it.
func answerOf(t *testing.T, id string) string {
	t.Helper()
	kb, err := bot.LoadBase(knowledgeKB)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := kb.Entry(id)
	if !ok {
		t.Fatalf("no entry %s", id)
	}
	return slack.Mrkdwn(e.Answer)
}

// pickButton returns the "Did you mean" button for entry id.
func pickButton(t *testing.T, r slackfake.Request, id string) slackfake.Button {
	t.Helper()
	for _, b := range r.Buttons() {
		if strings.HasPrefix(b.ActionID, "faq_pick_") && b.Value == id {
			return b
		}
	}
	t.Fatalf("no suggestion for %s in %+v\n%s", id, r.Buttons(), r.BlockText())
	return slackfake.Button{}
}

func TestVotesRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		button, want string
	}{
		{"faq_vote_up", "Thanks for the feedback!"},
	} {
		t.Run(tc.button, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{})
			h.fake.SendMention(t, slackfake.Message{Text: vpnQuestion})
			h.waitJobs(1)
			answer := h.onlyReply()
			b, ok := answer.Button(tc.button)
			if !ok {
				t.Fatalf("no %s button", tc.button)
			}
			d := h.fake.SendBlockAction(t, slackfake.Click(answer, b, "U0BOB", slackfake.DefaultChannel))
			h.fake.WaitAck(t, d.EnvelopeID)
			h.waitJobs(2)
			r := h.replies()[1]
			if r.Method != "response_url" || r.ResponseType() != "ephemeral" || r.ReplaceOriginal() {
				t.Errorf("vote reply: %s type %q replace %v; want a new ephemeral message", r.Method, r.ResponseType(), r.ReplaceOriginal())
			}
			if !strings.Contains(r.BlockText(), tc.want) {
				t.Errorf("vote reply = %q, want %q", r.BlockText(), tc.want)
			}
			if !strings.Contains(h.logs.String(), "entry=vpn-setup") {
				t.Error("the vote was not logged with its entry")
			}
		})
	}
}

// TestVoteDownAsksWhy clicks 👎: a form asks what was wrong; sending it
// takes the vote with the reason typed, closing it takes the vote
// without one, and a form Slack refuses to open takes the vote at once.
func TestVoteDownAsksWhy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, kind, reason string
		fail               bool
		logged             string
	}{
		{"sent with a reason", "view_submission", "I asked about the <!channel> office VPN", false, "reason=true"},
		{"closed", "view_closed", "", false, "reason=false"},
		{"the form fails", "", "", true, "reason=false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := start(t, options{})
			h.fake.SendMention(t, slackfake.Message{Text: vpnQuestion})
			h.waitJobs(1)
			answer := h.onlyReply()
			b, ok := answer.Button("faq_vote_down")
			if !ok {
				t.Fatal("no 👎 button")
			}
			if tc.fail {
				h.fake.FailNext("views.open", 1, http.StatusOK, 0)
			}
			d := h.fake.SendBlockAction(t, slackfake.Click(answer, b, "U0BOB", slackfake.DefaultChannel))
			h.fake.WaitAck(t, d.EnvelopeID)
			opened := h.fake.Wait(t, "views.open", 1, func(r slackfake.Request) bool { return r.Method == "views.open" })[0]
			if !tc.fail {
				if v := opened.View(); v["callback_id"] != "faq_vote_reason" || v["notify_on_close"] != true {
					t.Errorf("the form: %v", v)
				}
				sent := h.fake.SendView(t, opened, tc.kind, "U0BOB", map[string]map[string]string{"reason": {"reason_text": tc.reason}})
				h.fake.WaitAck(t, sent.EnvelopeID)
			}
			r := h.fake.WaitReply(t, "the thanks", func(r slackfake.Request) bool { return strings.Contains(r.BlockText()+r.Text(), "/faq unanswered") })
			if !r.Ephemeral() {
				t.Errorf("the thanks went to everyone: %s", r.Method)
			}
			if r.Method == "chat.postEphemeral" && (r.Channel() != slackfake.DefaultChannel || r.User() != "U0BOB") {
				t.Errorf("the thanks went to %s in %s", r.User(), r.Channel())
			}
			logs := h.logs.String()
			if !strings.Contains(logs, "entry=vpn-setup") || !strings.Contains(logs, tc.logged) {
				t.Errorf("the vote was not logged with its entry and %s:\n%s", tc.logged, logs)
			}
		})
	}
}

func TestRelatedButtonShowsThatAnswer(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.fake.SendMention(t, slackfake.Message{Text: vpnQuestion})
	h.waitJobs(1)
	answer := h.onlyReply()
	b, _ := answer.Button("faq_related_")
	h.fake.SendBlockAction(t, slackfake.Click(answer, b, "U0BOB", slackfake.DefaultChannel))
	h.waitJobs(2)
	r := h.replies()[1]
	if r.ResponseType() != "ephemeral" || !strings.Contains(r.BlockText(), "Office-Guest") {
		t.Errorf("related: type %q, %s", r.ResponseType(), r.BlockText())
	}
}

func TestRateLimitIsRetriedAfterRetryAfter(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.fake.FailNext("chat.postMessage", 1, http.StatusTooManyRequests, time.Second)
	h.fake.SendMention(t, slackfake.Message{Text: vpnQuestion})
	if got := h.waitJobs(1); got[0] != "event:answered" {
		t.Fatalf("outcome = %v", got)
	}
	posts := h.fake.Wait(t, "two posts", 2, func(r slackfake.Request) bool { return r.Method == "chat.postMessage" })
	if posts[0].Status != http.StatusTooManyRequests || posts[1].Status != http.StatusOK {
		t.Errorf("statuses = %d, %d; want 429 then 200", posts[0].Status, posts[1].Status)
	}
	if gap := posts[1].At.Sub(posts[0].At); gap < time.Second {
		t.Errorf("retried after %v, before Retry-After's 1s", gap)
	}
	checkVPNAnswer(t, h.onlyReply())
}

func TestServerErrorIsLoggedAndTheBotKeepsServing(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.fake.FailNext("chat.postMessage", 1, http.StatusInternalServerError, 0)
	h.fake.SendMention(t, slackfake.Message{Text: vpnQuestion})
	if got := h.waitJobs(1); got[0] != "event:failed" {
		t.Fatalf("outcome = %v, want failed", got)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "could not send a reply to Slack") || !strings.Contains(logs, "500") {
		t.Errorf("the 500 was not logged:\n%s", logs)
	}
	h.fake.SendMention(t, slackfake.Message{Text: wifiQuestion})
	if got := h.waitJobs(2); got[1] != "event:answered" {
		t.Fatalf("after the 500: outcome = %v", got)
	}
	if r := h.onlyReply(); !strings.Contains(r.BlockText(), "Office-Guest") {
		t.Errorf("reply after the 500: %s", r.BlockText())
	}
}

func TestLongAnswerIsSplitAtSlackLimits(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.fake.SendMessage(t, slackfake.Message{Channel: dmChan, Text: "What does the employee handbook say?"})
	h.waitJobs(1)
	r := h.onlyReply()
	sections := 0
	var all strings.Builder
	for _, b := range r.Blocks() {
		if b["type"] != "section" {
			continue
		}
		sections++
		text := b["text"].(map[string]any)["text"].(string)
		if n := len([]rune(text)); n > 3000 {
			t.Errorf("section %d has %d characters, over Slack's 3000", sections, n)
		}
		all.WriteString(text)
	}
	if sections < 3 {
		t.Errorf("%d sections for a 7,500-character answer, want at least 3", sections)
	}
	for _, w := range []string{"*Section 1: security.*", "*Section 12: offices.*"} {
		if !strings.Contains(all.String(), w) {
			t.Errorf("the split answer lost %q", w)
		}
	}
	if n := len(r.Blocks()); n > 50 {
		t.Errorf("%d blocks, over Slack's 50", n)
	}
}

// TestPromoteButtonAddsThePhrasing follows an admin from /faq unanswered to
// the "add as a phrasing" button, with state in a real SQLite database: the
// click edits the knowledge file, reloads it, and the question is answered.
func TestPromoteButtonAddsThePhrasing(t *testing.T) {
	t.Parallel()
	h := start(t, options{store: true})
	const question = "receipts deadline"
	h.fake.SendSlashCommand(t, slackfake.Command{Text: question})
	h.waitJobs(1)
	if err := h.store.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}

	h.fake.SendSlashCommand(t, slackfake.Command{Text: "unanswered", User: admin})
	h.waitJobs(2)
	list := h.replies()[1]
	if !strings.Contains(list.BlockText(), question) {
		t.Fatalf("/faq unanswered does not list the question:\n%s\nfirst reply: %s", list.BlockText(), h.replies()[0].BlockText())
	}
	b, ok := list.Button("faq_command_0")
	if !ok || !strings.HasPrefix(b.Value, "/faq promote ") {
		t.Fatalf("no promote button on the list: %s", list.Body)
	}
	id := b.Value[strings.LastIndex(b.Value, " ")+1:]

	// Another user's click runs with their rights, and is refused.
	h.fake.SendBlockAction(t, slackfake.Click(list, b, "U0BOB", slackfake.DefaultChannel))
	h.waitJobs(3)
	if got := h.replies()[2].BlockText(); !strings.Contains(got, "only admins") {
		t.Errorf("a non-admin's click: %s", got)
	}

	h.fake.SendBlockAction(t, slackfake.Click(list, b, admin, slackfake.DefaultChannel))
	h.waitJobs(4)
	if got := h.replies()[3]; got.ResponseType() != "ephemeral" || !strings.Contains(got.BlockText(), id) {
		t.Errorf("promote reply (%s): %s", got.ResponseType(), got.BlockText())
	}
	data, err := os.ReadFile(h.kbPath)
	if err != nil || !strings.Contains(string(data), question) {
		t.Fatalf("the knowledge file lacks the new phrasing (%v)", err)
	}
	h.fake.SendSlashCommand(t, slackfake.Command{Text: question})
	h.waitJobs(5)
	if got := h.replies()[4]; !strings.Contains(string(got.Body), id) {
		t.Errorf("after promoting, the question is not answered with %s:\n%s", id, got.BlockText())
	}
}

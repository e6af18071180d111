package slack_test

import (
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot/slack/slackfake"
)

// TestAskAPerson runs the "Ask a person" round trip: a question the bot
// cannot answer gets the button; pressing it posts the question, with a
// link to it, to the experts channel; an expert's reply in that thread
// reaches the asker's thread. Without an experts channel there is no
// button.
func TestAskAPerson(t *testing.T) {
	t.Parallel()
	const experts, question = "C0EXPERTS", "Who won the football world cup in 1966?"
	h := start(t, options{experts: experts})
	asked := slackfake.Message{Text: slackfake.WithMention(question), TS: h.fake.NewTS()}
	h.fake.SendMention(t, asked)
	reply := h.fake.WaitReply(t, "the fallback", func(r slackfake.Request) bool { return r.ThreadTS() == asked.TS })
	ask := labelled(reply, "Ask a person")
	if ask.Value == "" {
		t.Fatalf("no Ask a person button among %+v", reply.Buttons())
	}

	// Someone else may not send another's question.
	d := h.fake.SendBlockAction(t, slackfake.Click(reply, ask, "U0MALLORY", slackfake.DefaultChannel))
	h.fake.WaitAck(t, d.EnvelopeID)
	h.fake.WaitReply(t, "the refusal", func(r slackfake.Request) bool { return strings.Contains(r.BlockText(), "Only the person who asked") })

	d = h.fake.SendBlockAction(t, slackfake.Click(reply, ask, slackfake.DefaultUser, slackfake.DefaultChannel))
	h.fake.WaitAck(t, d.EnvelopeID)
	post := h.fake.WaitReply(t, "the question in the experts channel", func(r slackfake.Request) bool {
		return r.Method == "chat.postMessage" && r.Channel() == experts
	})
	if txt := post.BlockText(); !strings.Contains(txt, question) || !strings.Contains(txt, slackfake.Permalink(slackfake.DefaultChannel, asked.TS)) {
		t.Errorf("the experts got %q; want the question and its link", txt)
	}
	h.fake.WaitReply(t, "the asker's acknowledgement", func(r slackfake.Request) bool { return strings.Contains(r.BlockText(), "I asked the experts") })

	h.fake.SendMessage(t, slackfake.Message{Channel: experts, ChannelType: "channel", User: "U0EXPERT", Text: "England, 4-2 against <!channel> West Germany.", TS: h.fake.NewTS(), ThreadTS: post.ReplyTS})
	told := h.fake.WaitReply(t, "the expert's answer for the asker", func(r slackfake.Request) bool {
		return r.Channel() == slackfake.DefaultChannel && strings.Contains(r.BlockText(), "An expert answered")
	})
	if told.ThreadTS() != asked.TS || !strings.Contains(told.BlockText(), "England, 4-2") || strings.Contains(told.BlockText(), "<!channel>") {
		t.Errorf("the asker was told %q in thread %q", told.BlockText(), told.ThreadTS())
	}

	// Under the answer, an admin makes it an entry: the form opens with
	// the question and the expert's answer.
	thanks := h.fake.WaitReply(t, "the thanks in the experts thread", func(r slackfake.Request) bool {
		return r.Channel() == experts && r.ThreadTS() == post.ReplyTS && strings.Contains(r.BlockText(), "passed this on")
	})
	add := labelled(thanks, "Add as an entry")
	if add.Value == "" {
		t.Fatalf("no Add as an entry button among %+v", thanks.Buttons())
	}
	d = h.fake.SendBlockAction(t, slackfake.Click(thanks, add, "U0ADMIN", experts))
	h.fake.WaitAck(t, d.EnvelopeID)
	form := h.fake.Wait(t, "the entry form", 1, func(r slackfake.Request) bool { return r.Method == "views.open" })[0]
	if body := string(form.Body); !strings.Contains(body, question) || !strings.Contains(body, "England, 4-2") {
		t.Errorf("the form is not filled with the question and the answer: %s", body)
	}
}

// TestAskAPersonAfterAVoteDown: the thanks for a 👎 on an answer offers
// "Ask a person", which sends the question answered to the experts.
func TestAskAPersonAfterAVoteDown(t *testing.T) {
	t.Parallel()
	const experts = "C0EXPERTS"
	h := start(t, options{experts: experts})
	asked := slackfake.Message{Text: vpnQuestion, TS: h.fake.NewTS()}
	h.fake.SendMention(t, asked)
	answer := h.fake.WaitReply(t, "the answer", func(r slackfake.Request) bool { return r.ThreadTS() == asked.TS })
	down, ok := answer.Button("faq_vote_down")
	if !ok {
		t.Fatal("no 👎 button")
	}
	d := h.fake.SendBlockAction(t, slackfake.Click(answer, down, slackfake.DefaultUser, slackfake.DefaultChannel))
	h.fake.WaitAck(t, d.EnvelopeID)
	opened := h.fake.Wait(t, "the reason form", 1, func(r slackfake.Request) bool { return r.Method == "views.open" })[0]
	sent := h.fake.SendView(t, opened, "view_submission", slackfake.DefaultUser, map[string]map[string]string{"reason": {"reason_text": "not my VPN"}})
	h.fake.WaitAck(t, sent.EnvelopeID)
	thanks := h.fake.WaitReply(t, "the thanks", func(r slackfake.Request) bool { return strings.Contains(r.BlockText(), "/faq unanswered") })
	ask := labelled(thanks, "Ask a person")
	if ask.Value == "" {
		t.Fatalf("no Ask a person button after the 👎: %+v", thanks.Buttons())
	}
	d = h.fake.SendBlockAction(t, slackfake.Click(thanks, ask, slackfake.DefaultUser, slackfake.DefaultChannel))
	h.fake.WaitAck(t, d.EnvelopeID)
	post := h.fake.WaitReply(t, "the question in the experts channel", func(r slackfake.Request) bool {
		return r.Method == "chat.postMessage" && r.Channel() == experts
	})
	if !strings.Contains(post.BlockText(), "VPN") {
		t.Errorf("the experts got %q", post.BlockText())
	}
}

func TestNoAskAPersonWithoutExperts(t *testing.T) {
	t.Parallel()
	h := start(t, options{})
	h.fake.SendMention(t, slackfake.Message{Text: slackfake.WithMention("Who won the football world cup in 1966?")})
	h.waitJobs(1)
	for _, b := range h.onlyReply().Buttons() {
		if b.Text == "Ask a person" {
			t.Errorf("an Ask a person button with no experts channel: %+v", b)
		}
	}
}

// labelled returns the button of r with the given text, or a zero Button.
func labelled(r slackfake.Request, text string) slackfake.Button {
	for _, b := range r.Buttons() {
		if b.Text == text {
			return b
		}
	}
	return slackfake.Button{}
}

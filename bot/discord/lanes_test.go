package discord

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/internal/changes"
)

// handled is a bot.Observer and bot.LimitObserver that counts the
// questions the bot handled and those it turned away, and lets a test
// wait for a count.
type handled struct {
	mu        sync.Mutex
	questions int
	limited   map[string]int // reason -> count
	changes   changes.Changes
}

func (o *handled) ObserveQuestion(bot.Asked, time.Duration) {
	o.mu.Lock()
	o.questions++
	o.mu.Unlock()
	o.changes.Notify()
}

func (o *handled) ObserveReload(bot.Reloaded) {}

func (o *handled) ObserveLimit(_, reason string) {
	o.mu.Lock()
	o.limited[reason]++
	o.mu.Unlock()
	o.changes.Notify()
}

// wait waits until the bot has handled n messages, answered or turned
// away, and fails the test if it does not.
func (o *handled) wait(t *testing.T, n int) {
	t.Helper()
	got := 0
	if !o.changes.Wait(discordfake.DefaultWait, func() bool {
		o.mu.Lock()
		defer o.mu.Unlock()
		got = o.questions
		for _, k := range o.limited {
			got += k
		}
		return got >= n
	}) {
		t.Fatalf("the bot handled %d messages, want %d", got, n)
	}
}

// TestHungChannelDoesNotHoldOtherChannels makes every message posted to
// one channel hang, and asks there more questions than the bot has work
// slots: a question in another channel is still answered, not turned away
// as busy, while the hung channel holds perChannel slots at most; once
// the hang ends, every question of the hung channel is answered, once.
func TestHungChannelDoesNotHoldOtherChannels(t *testing.T) {
	t.Parallel()
	const (
		slots = 12 // limits.max_concurrent, more than perChannel
		nslow = 16 // questions in the hung channel, more than slots
	)
	obs := &handled{limited: map[string]int{}}
	h := start(t, func(s *setup) {
		s.botOptions = func(o *bot.Options) {
			// MaxWait only makes a turned-away question quick; the
			// test waits on what the bot did, not on time.
			o.Limits = bot.Limits{MaxConcurrent: slots, MaxWait: 100 * time.Millisecond}
			o.Observer = obs
		}
	})
	release := h.fake.Hold(generalID)
	defer release()
	var slow []*discordgo.Message
	for range nslow {
		slow = append(slow, h.say(generalID, "how do I reset my password?", true))
	}
	// Every question of the hung channel that may run has been handled,
	// and holds its work slot while its reply hangs; the others wait for
	// their channel. (Without the cap, all the slots are taken and the
	// rest are turned away as busy.)
	obs.wait(t, min(nslow, perChannel))
	parked := max(nslow-perChannel, 0)
	if !h.logs.Wait(discordfake.DefaultWait, func(text string) bool {
		return strings.Count(text, `msg="a message waits for earlier ones of its channel" component=discord channel=`+generalID) >= parked
	}) {
		t.Fatalf("fewer than %d questions of the hung channel wait for it", parked)
	}
	h.fake.WaitHolding(t, generalID, 1)

	fast := h.say(helpID, "how do I reset my password?", true)
	got := h.replyTo(fast)
	if !strings.Contains(got.Content, "Reset password") {
		t.Errorf("the other channel got %q while one channel hung; want the answer", got.Content)
	}
	if waiting, gaveUp := h.fake.Holding(generalID); waiting != 1 || gaveUp != 0 {
		t.Errorf("posts to the hung channel: %d waiting, %d given up; want the first one waiting and none ended", waiting, gaveUp)
	}
	running, waiting := h.a.lanes.Len(generalID)
	if running > perChannel || running+waiting != nslow {
		t.Errorf("the hung channel has %d messages in flight and %d waiting; want at most %d in flight, %d in all", running, waiting, perChannel, nslow)
	}

	release()
	for _, m := range slow {
		h.replyTo(m)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	for i, m := range slow {
		if n := h.repliesTo(m); n != 1 {
			t.Errorf("question %d of the hung channel was answered %d times, want once", i, n)
		}
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if len(obs.limited) != 0 {
		t.Errorf("questions turned away: %v; want none", obs.limited)
	}
}

// TestFloodedChannelDropsPastItsWaitingLimit makes every message posted to
// one channel hang and floods it: perChannel questions are worked on,
// maxWaiting wait, and the rest are dropped and logged rather than held
// without bound. Once the hang ends, those kept are answered once each.
func TestFloodedChannelDropsPastItsWaitingLimit(t *testing.T) {
	t.Parallel()
	const (
		waiting = 2
		dropped = 2 // logged at the first and second drop
		asked   = perChannel + waiting + dropped
	)
	obs := &handled{limited: map[string]int{}}
	h := start(t, func(s *setup) {
		s.maxWaiting = waiting
		s.botOptions = func(o *bot.Options) { o.Observer = obs }
	})
	release := h.fake.Hold(generalID)
	defer release()
	var msgs []*discordgo.Message
	for range asked {
		msgs = append(msgs, h.say(generalID, "how do I reset my password?", true))
	}
	obs.wait(t, perChannel)
	if !h.logs.Wait(discordfake.DefaultWait, func(text string) bool {
		return strings.Count(text, `msg="a message waits for earlier ones of its channel"`) >= waiting &&
			strings.Contains(text, "dropped_so_far="+strconv.Itoa(dropped))
	}) {
		t.Fatalf("want %d questions waiting and %d dropped, logged", waiting, dropped)
	}
	if running, w := h.a.lanes.Len(generalID); running != perChannel || w != waiting {
		t.Errorf("the flooded channel has %d messages in flight and %d waiting; want %d and %d", running, w, perChannel, waiting)
	}

	release()
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	answered := 0
	for i, m := range msgs {
		switch n := h.repliesTo(m); n {
		case 0:
		case 1:
			answered++
		default:
			t.Errorf("question %d was answered %d times, want once at most", i, n)
		}
	}
	if answered != perChannel+waiting {
		t.Errorf("%d questions of the flooded channel answered, want %d", answered, perChannel+waiting)
	}
}

package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/knowledge"
)

// clock is a fake time source that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// limitObserver records the limits reported to it.
type limitObserver struct {
	noRecorder
	mu      sync.Mutex
	reasons []string
}

func (o *limitObserver) ObserveLimit(platform, reason string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reasons = append(o.reasons, platform+"/"+reason)
}

// newLimited returns a bot on testdata/kb.yaml with limits l, its clock and
// its observer.
func newLimited(t *testing.T, l Limits, log *slog.Logger, logText bool) (*Bot, *clock, *limitObserver) {
	t.Helper()
	kb, err := LoadBase("testdata/kb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	obs := &limitObserver{}
	b := New(kb, Options{
		Threshold:     0.5,
		QuestionWords: []string{"what", "where", "how", "who"},
		Limits:        l,
		Observer:      obs,
		Logger:        log,
		LogText:       logText,
	})
	c := &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	b.limits.now = c.now
	return b, c, obs
}

// step is one message in a conversation, after the clock moved by wait.
type step struct {
	wait  time.Duration
	msg   Message
	reply bool
	kind  Kind
	// has is a part of the reply's text, when not empty.
	has string
	// entry is the entry answered with, when not empty.
	entry string
}

func run(t *testing.T, b *Bot, c *clock, steps []step) {
	t.Helper()
	for i, s := range steps {
		c.advance(s.wait)
		m := s.msg
		if m.Platform == "" {
			m.Platform = "slack"
		}
		if m.Channel == "" {
			m.Channel = "C1"
		}
		if m.User == "" {
			m.User = "U1"
		}
		r, ok := b.Handle(context.Background(), m)
		if ok != s.reply {
			t.Fatalf("step %d (%q): replied = %v, want %v (reply %+v)", i, m.Text, ok, s.reply, r)
		}
		if !ok {
			continue
		}
		if r.Kind != s.kind {
			t.Fatalf("step %d (%q): kind = %v, want %v (text %q)", i, m.Text, r.Kind, s.kind, r.Text)
		}
		if s.has != "" && !strings.Contains(r.Text, s.has) {
			t.Fatalf("step %d (%q): text %q lacks %q", i, m.Text, r.Text, s.has)
		}
		if s.entry != "" && (r.Entry == nil || r.Entry.ID != s.entry) {
			t.Fatalf("step %d (%q): entry = %v, want %s", i, m.Text, r.Entry, s.entry)
		}
	}
}

const (
	wifi    = "what is the wifi password?"
	parking = "where can I park my car?"
	unknown = "who won the football world cup in 1966?"
)

func TestCooldown(t *testing.T) {
	tests := []struct {
		name    string
		steps   []step
		reasons []string
	}{
		{
			name: "a second question inside the cooldown gets one notice, then silence",
			steps: []step{
				{msg: Message{Text: wifi, Origin: Direct}, reply: true, kind: Answer, entry: "wifi-password"},
				{wait: time.Second, msg: Message{Text: parking, Origin: Direct}, reply: true, kind: Refusal, has: "every 2s"},
				{wait: 500 * time.Millisecond, msg: Message{Text: parking, Origin: Direct}, reply: false},
				{wait: time.Second, msg: Message{Text: parking, Origin: Direct}, reply: true, kind: Answer, entry: "parking"},
				{wait: time.Second, msg: Message{Text: wifi, Origin: Direct}, reply: true, kind: Refusal, has: "Ask again in a moment"},
			},
			reasons: []string{"slack/cooldown", "slack/cooldown", "slack/cooldown"},
		},
		{
			name: "other users and other platforms are not held back",
			steps: []step{
				{msg: Message{Text: wifi, Origin: Mention}, reply: true, kind: Answer},
				{msg: Message{Text: parking, Origin: Mention, User: "U2"}, reply: true, kind: Answer},
				{msg: Message{Text: parking, Origin: Direct, Platform: "discord"}, reply: true, kind: Answer},
			},
		},
		{
			name: "commands are not questions and are not held back",
			steps: []step{
				{msg: Message{Text: wifi, Origin: Direct}, reply: true, kind: Answer},
				{msg: Message{Text: "list", Origin: Command}, reply: true, kind: Info},
				{msg: Message{Text: "show parking", Origin: Command}, reply: true, kind: Answer, entry: "parking"},
				{msg: Message{Text: "/faq help", Origin: Direct}, reply: true, kind: Info},
			},
		},
		{
			name: "overheard questions inside the cooldown get silence, not a notice",
			steps: []step{
				{msg: Message{Text: wifi, Origin: Overheard}, reply: true, kind: Answer},
				{wait: time.Second, msg: Message{Text: parking, Origin: Overheard}, reply: false},
				{msg: Message{Text: parking, Origin: Mention}, reply: true, kind: Refusal, has: "asking quickly"},
			},
			reasons: []string{"slack/cooldown", "slack/cooldown"},
		},
		{
			name: "a question the bot kept quiet on does not start the cooldown",
			steps: []step{
				{msg: Message{Text: unknown, Origin: Overheard}, reply: false},
				{wait: time.Second, msg: Message{Text: wifi, Origin: Overheard}, reply: true, kind: Answer},
				{wait: time.Second, msg: Message{Text: "the wifi is slow today", Origin: Overheard}, reply: false},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, c, obs := newLimited(t, Limits{Cooldown: 2 * time.Second}, nil, false)
			run(t, b, c, tt.steps)
			if strings.Join(obs.reasons, " ") != strings.Join(tt.reasons, " ") {
				t.Errorf("observed limits %v, want %v", obs.reasons, tt.reasons)
			}
		})
	}
}

func TestDuplicateAnswers(t *testing.T) {
	pointer := "`/faq show wifi-password`"
	tests := []struct {
		name    string
		steps   []step
		reasons []string
	}{
		{
			name: "the same entry in the same channel gets a pointer",
			steps: []step{
				{msg: Message{Text: wifi, Origin: Mention}, reply: true, kind: Answer, entry: "wifi-password"},
				{wait: 3 * time.Minute, msg: Message{Text: "how do I get on the wireless network?", Origin: Mention, User: "U2"}, reply: true, kind: Info, has: "here 3 minutes ago"},
				{wait: 3 * time.Minute, msg: Message{Text: wifi, Origin: Overheard, User: "U3"}, reply: true, kind: Info, has: pointer},
			},
			reasons: []string{"slack/duplicate", "slack/duplicate"},
		},
		{
			name: "after the window the answer is given again, and counts afresh",
			steps: []step{
				{msg: Message{Text: wifi, Origin: Mention}, reply: true, kind: Answer},
				{wait: 9 * time.Minute, msg: Message{Text: wifi, Origin: Mention, User: "U2"}, reply: true, kind: Info, has: "9 minutes ago"},
				{wait: 2 * time.Minute, msg: Message{Text: wifi, Origin: Mention, User: "U3"}, reply: true, kind: Answer},
				{wait: time.Minute, msg: Message{Text: wifi, Origin: Mention, User: "U4"}, reply: true, kind: Info, has: "a minute ago"},
			},
			reasons: []string{"slack/duplicate", "slack/duplicate"},
		},
		{
			name: "other channels, other entries, DMs, slash commands and show are answered in full",
			steps: []step{
				{msg: Message{Text: wifi, Origin: Mention}, reply: true, kind: Answer},
				{msg: Message{Text: wifi, Origin: Mention, Channel: "C2", User: "U2"}, reply: true, kind: Answer},
				{msg: Message{Text: parking, Origin: Mention, User: "U3"}, reply: true, kind: Answer},
				{msg: Message{Text: wifi, Origin: Direct, User: "U4"}, reply: true, kind: Answer},
				{msg: Message{Text: wifi, Origin: Command, User: "U5"}, reply: true, kind: Answer},
				{msg: Message{Text: "show wifi-password", Origin: Command, User: "U6"}, reply: true, kind: Answer},
				{msg: Message{Text: "/faq show wifi-password", Origin: Mention, User: "U7"}, reply: true, kind: Answer},
				{msg: Message{Text: wifi, Origin: Mention, Platform: "discord", User: "U8"}, reply: true, kind: Answer},
			},
		},
		{
			name: "an unsure reply is never a repeat",
			steps: []step{
				{msg: Message{Text: unknown, Origin: Mention}, reply: true, kind: Unsure},
				{msg: Message{Text: unknown, Origin: Mention, User: "U2"}, reply: true, kind: Unsure},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, c, obs := newLimited(t, Limits{DuplicateWindow: 10 * time.Minute}, nil, false)
			run(t, b, c, tt.steps)
			if strings.Join(obs.reasons, " ") != strings.Join(tt.reasons, " ") {
				t.Errorf("observed limits %v, want %v", obs.reasons, tt.reasons)
			}
		})
	}
}

func TestPointerIsPrivateAndDefused(t *testing.T) {
	b, c, _ := newLimited(t, Limits{DuplicateWindow: 2 * time.Hour}, nil, false)
	m := Message{Platform: "discord", Channel: "C1", User: "U1", Text: parking, Origin: Mention}
	if r, _ := b.Handle(context.Background(), m); r.Kind != Answer {
		t.Fatalf("first ask: %v", r.Kind)
	}
	c.advance(time.Hour)
	m.User = "U2"
	r, ok := b.Handle(context.Background(), m)
	if !ok || r.Kind != Info || !r.Private || r.Entry != nil {
		t.Fatalf("pointer = %+v, want a private Info reply without an entry", r)
	}
	if want := "I answered “Where can I park my car?” here an hour ago"; !strings.HasPrefix(r.Text, want) {
		t.Errorf("pointer %q does not start with %q", r.Text, want)
	}
}

func TestAgo(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{10 * time.Second, "less than a minute"},
		{time.Minute, "a minute"},
		{119 * time.Second, "a minute"},
		{2 * time.Minute, "2 minutes"},
		{59 * time.Minute, "59 minutes"},
		{time.Hour, "an hour"},
		{5 * time.Hour, "5 hours"},
	}
	for _, tt := range tests {
		if got := ago(tt.d); got != tt.want {
			t.Errorf("ago(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestLimiterForgetsExpiredRecords(t *testing.T) {
	b, c, _ := newLimited(t, Limits{Cooldown: time.Second, DuplicateWindow: time.Minute}, nil, false)
	l := b.limits
	for i := range 3 * minSweep {
		m := Message{Platform: "slack", Channel: "C" + string(rune('A'+i%26)) + strings.Repeat("x", i/26), User: "U" + strings.Repeat("x", i), Origin: Mention}
		if _, ok, _ := l.admit(m); !ok {
			t.Fatalf("user %d held back", i)
		}
		l.repeat(m, Reply{Kind: Answer, Entry: &knowledge.Entry{ID: "e"}})
		c.advance(time.Minute)
	}
	if len(l.users) > minSweep || len(l.answers) > minSweep {
		t.Errorf("after %d expired records: %d users and %d answers kept, want at most %d", 3*minSweep, len(l.users), len(l.answers), minSweep)
	}
}

func TestConcurrencyBound(t *testing.T) {
	b, _, obs := newLimited(t, Limits{MaxConcurrent: 2}, nil, false)
	ctx := context.Background()
	ctx1, done1, err := b.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, done2, err := b.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := b.InFlight(); n != 2 {
		t.Errorf("in flight = %d, want 2", n)
	}
	if _, _, err := b.Begin(ctx); !errors.Is(err, ErrBusy) {
		t.Fatalf("third Begin: err = %v, want ErrBusy", err)
	}

	tests := []struct {
		name  string
		ctx   context.Context
		msg   Message
		reply bool
		kind  Kind
	}{
		{"addressed while busy gets a notice", ctx, Message{Platform: "slack", Text: wifi, Origin: Mention}, true, Refusal},
		{"overheard while busy gets silence", ctx, Message{Platform: "slack", Text: wifi, Origin: Overheard}, false, 0},
		{"work already begun needs no second slot", ctx1, Message{Platform: "slack", Text: wifi, Origin: Mention}, true, Answer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := b.Handle(tt.ctx, tt.msg)
			if ok != tt.reply || (ok && r.Kind != tt.kind) {
				t.Errorf("got (%v, %v), want (%v, %v)", r.Kind, ok, tt.kind, tt.reply)
			}
		})
	}
	done1()
	done1() // done is idempotent
	if n := b.InFlight(); n != 1 {
		t.Errorf("in flight after one done twice = %d, want 1", n)
	}
	if _, ok := b.Handle(ctx, Message{Platform: "slack", Text: wifi, Origin: Mention}); !ok {
		t.Error("a freed slot was not reused")
	}
	done2()
	if want := "slack/busy slack/busy"; strings.Join(obs.reasons, " ") != want {
		t.Errorf("observed %v, want %s", obs.reasons, want)
	}
}

func TestBeginWaitsForASlot(t *testing.T) {
	b, _, _ := newLimited(t, Limits{MaxConcurrent: 1, MaxWait: time.Hour}, nil, false)
	_, done, err := b.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		_, done, err := b.Begin(context.Background())
		if err == nil {
			done()
		}
		got <- err
	}()
	done()
	if err := <-got; err != nil {
		t.Errorf("a waiting Begin got %v once the slot was freed, want nil", err)
	}
}

func TestWorkOutlivesItsRequest(t *testing.T) {
	b, _, _ := newLimited(t, Limits{}, nil, false)
	type key struct{}
	req, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
	wctx, done, err := b.Begin(req)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	cancel()
	if wctx.Err() != nil {
		t.Error("the work was cancelled with the request that delivered it")
	}
	if wctx.Value(key{}) != "v" {
		t.Error("the work lost the request's values")
	}
}

func TestDrain(t *testing.T) {
	t.Run("waits for the work in flight, then refuses new work", func(t *testing.T) {
		b, _, _ := newLimited(t, Limits{MaxConcurrent: 1, MaxWait: time.Hour}, nil, false)
		wctx, done, err := b.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		waiter := make(chan error, 1)
		go func() {
			_, _, err := b.Begin(context.Background())
			waiter <- err
		}()
		drained := make(chan error, 1)
		go func() { drained <- b.Drain(context.Background()) }()

		if err := <-waiter; !errors.Is(err, ErrStopping) {
			t.Fatalf("a Begin waiting for a slot got %v when the drain began, want ErrStopping", err)
		}
		for {
			if _, _, err := b.Begin(context.Background()); errors.Is(err, ErrStopping) {
				break
			}
			runtime.Gosched()
		}
		select {
		case err := <-drained:
			t.Fatalf("Drain returned %v with work still in flight", err)
		default:
		}
		if wctx.Err() != nil {
			t.Fatal("the work in flight was cancelled before the deadline")
		}
		done()
		if err := <-drained; err != nil {
			t.Fatalf("Drain: %v", err)
		}
		r, ok := b.Handle(context.Background(), Message{Platform: "slack", Text: wifi, Origin: Mention})
		if ok {
			t.Errorf("a drained bot replied %+v", r)
		}
	})
	t.Run("cancels the work still running at the deadline", func(t *testing.T) {
		b, _, _ := newLimited(t, Limits{}, nil, false)
		wctx, done, err := b.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer done()
		deadline, cancel := context.WithCancel(context.Background())
		cancel()
		err = b.Drain(deadline)
		if err == nil || !strings.Contains(err.Error(), "1 messages") || !strings.Contains(err.Error(), "limits.shutdown_grace") {
			t.Errorf("Drain = %v, want an error counting 1 message and naming limits.shutdown_grace", err)
		}
		<-wctx.Done() // the work's context is cancelled; the test would hang otherwise
	})
	t.Run("nothing in flight returns at once", func(t *testing.T) {
		b, _, _ := newLimited(t, Limits{}, nil, false)
		if err := b.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := b.Drain(context.Background()); err != nil {
			t.Fatalf("a second Drain: %v", err)
		}
	})
}

// TestLogLinesNameWhereAndWhat checks that every log line about a question
// carries the platform, the channel and, when one was chosen, the entry, and
// that the question's text appears only when asked for.
func TestLogLinesNameWhereAndWhat(t *testing.T) {
	for _, logText := range []bool{false, true} {
		var buf bytes.Buffer
		log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		b, _, _ := newLimited(t, Limits{Cooldown: time.Hour, DuplicateWindow: time.Hour}, log, logText)
		msgs := []Message{
			{User: "U1", Text: wifi, Origin: Mention},
			{User: "U2", Text: wifi, Origin: Mention},          // duplicate
			{User: "U1", Text: parking, Origin: Mention},       // cooldown
			{User: "U3", Text: unknown, Origin: Direct},        // no entry chosen
			{User: "U4", Text: "where is it?", Origin: Direct}, // best guess only
		}
		for _, m := range msgs {
			m.Platform, m.Channel = "slack", "C9"
			b.Handle(context.Background(), m)
		}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		counts := map[string]int{}
		for _, line := range lines {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("log line %q: %v", line, err)
			}
			msg, _ := rec["msg"].(string)
			counts[msg]++
			if rec["platform"] != "slack" || rec["channel"] != "C9" {
				t.Errorf("log line lacks platform or channel: %s", line)
			}
			_, hasText := rec["text"]
			if hasText != logText {
				t.Errorf("log_text %v: line has text = %v: %s", logText, hasText, line)
			}
			if msg == "question" && rec["outcome"] == "answered" && rec["entry"] == nil {
				t.Errorf("an answered question's line names no entry: %s", line)
			}
			if msg == "limited" && rec["reason"] == LimitDuplicate && rec["entry"] != "wifi-password" {
				t.Errorf("a duplicate's line does not name the entry: %s", line)
			}
		}
		if counts["question"] != 4 || counts["limited"] != 2 {
			t.Errorf("log_text %v: %d question and %d limited lines, want 4 and 2:\n%s", logText, counts["question"], counts["limited"], buf.String())
		}
	}
}

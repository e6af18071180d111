package metrics

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge/match"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestObserveQuestion(t *testing.T) {
	tests := []struct {
		name  string
		asked []bot.Asked
		want  string
	}{
		{
			name: "answered and unknown on two platforms",
			asked: []bot.Asked{
				{Platform: "slack", Origin: bot.Mention, Outcome: match.Answered, BestID: "a", Confidence: 0.9},
				{Platform: "slack", Origin: bot.Mention, Outcome: match.Answered, BestID: "a", Confidence: 0.8},
				{Platform: "discord", Origin: bot.Command, Outcome: match.Unknown},
			},
			want: `
# HELP faqbot_questions_total Questions handled, by knowledge base, platform, how they reached the bot (direct, mention, command, overheard) and outcome (answered, ambiguous, unknown).
# TYPE faqbot_questions_total counter
faqbot_questions_total{base="default",origin="command",outcome="unknown",platform="discord"} 1
faqbot_questions_total{base="default",origin="mention",outcome="answered",platform="slack"} 2
`,
		},
		{
			name: "ambiguous overheard",
			asked: []bot.Asked{
				{Platform: "slack", Origin: bot.Overheard, Outcome: match.Ambiguous, BestID: "b", Confidence: 0.6},
			},
			want: `
# HELP faqbot_questions_total Questions handled, by knowledge base, platform, how they reached the bot (direct, mention, command, overheard) and outcome (answered, ambiguous, unknown).
# TYPE faqbot_questions_total counter
faqbot_questions_total{base="default",origin="overheard",outcome="ambiguous",platform="slack"} 1
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New("test")
			for _, q := range tt.asked {
				m.ObserveQuestion(q, time.Millisecond)
			}
			if err := testutil.CollectAndCompare(m.questions, strings.NewReader(tt.want)); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestConfidenceAndLatency(t *testing.T) {
	m := New("test")
	m.ObserveQuestion(bot.Asked{Platform: "slack", Outcome: match.Answered, BestID: "a", Confidence: 0.85}, 3*time.Millisecond)
	m.ObserveQuestion(bot.Asked{Platform: "slack", Outcome: match.Unknown}, time.Millisecond)

	// A question with no candidate has no confidence to observe; both
	// questions took time.
	if got := testutil.CollectAndCount(m.confidence); got != 1 {
		t.Errorf("confidence series = %d, want 1", got)
	}
	const wantConfidence = `
# HELP faqbot_answer_confidence Confidence of the best candidate for each question that had one, answered or not.
# TYPE faqbot_answer_confidence histogram
faqbot_answer_confidence_bucket{platform="slack",le="0.1"} 0
faqbot_answer_confidence_bucket{platform="slack",le="0.2"} 0
faqbot_answer_confidence_bucket{platform="slack",le="0.30000000000000004"} 0
faqbot_answer_confidence_bucket{platform="slack",le="0.4"} 0
faqbot_answer_confidence_bucket{platform="slack",le="0.5"} 0
faqbot_answer_confidence_bucket{platform="slack",le="0.6"} 0
faqbot_answer_confidence_bucket{platform="slack",le="0.7"} 0
faqbot_answer_confidence_bucket{platform="slack",le="0.7999999999999999"} 0
faqbot_answer_confidence_bucket{platform="slack",le="0.8999999999999999"} 1
faqbot_answer_confidence_bucket{platform="slack",le="0.9999999999999999"} 1
faqbot_answer_confidence_bucket{platform="slack",le="+Inf"} 1
faqbot_answer_confidence_sum{platform="slack"} 0.85
faqbot_answer_confidence_count{platform="slack"} 1
`
	if err := testutil.CollectAndCompare(m.confidence, strings.NewReader(wantConfidence)); err != nil {
		t.Error(err)
	}
	body := scrape(t, m)
	if !strings.Contains(body, `faqbot_question_duration_seconds_count{platform="slack"} 2`) {
		t.Errorf("latency count missing from\n%s", grep(body, "duration"))
	}
}

func TestObserveReload(t *testing.T) {
	tests := []struct {
		name        string
		errs        []error
		wantSuccess float64
		wantFailure float64
		wantLast    float64
	}{
		{"one success", []error{nil}, 1, 0, 1},
		{"success then failure", []error{nil, errors.New("faq.yaml:3: bad")}, 1, 1, 0},
		{"failure then success", []error{errors.New("bad"), nil}, 1, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New("test")
			at := time.Unix(1700000000, 0)
			for _, err := range tt.errs {
				m.ObserveReload(bot.Reloaded{Time: at, Base: "hr", By: "SIGHUP", Err: err})
			}
			if got := testutil.ToFloat64(m.reloads.WithLabelValues("hr", "success")); got != tt.wantSuccess {
				t.Errorf("success = %v, want %v", got, tt.wantSuccess)
			}
			if got := testutil.ToFloat64(m.reloads.WithLabelValues("hr", "failure")); got != tt.wantFailure {
				t.Errorf("failure = %v, want %v", got, tt.wantFailure)
			}
			if got := testutil.ToFloat64(m.lastReload.WithLabelValues("hr")); got != tt.wantLast {
				t.Errorf("last reload successful = %v, want %v", got, tt.wantLast)
			}
			if got := testutil.ToFloat64(m.reloadedAt.WithLabelValues("hr")); got != 1700000000 {
				t.Errorf("last reload time = %v, want 1700000000", got)
			}
		})
	}
}

func TestTracked(t *testing.T) {
	m := New("v1.2.3")
	entries := 12
	var connected atomic.Bool
	var reconnects atomic.Uint64
	if err := m.TrackKnowledge("", func() int { return entries }); err != nil {
		t.Fatal(err)
	}
	if err := m.TrackWork(func() int { return 3 }); err != nil {
		t.Fatal(err)
	}
	if err := m.TrackPlatform("slack", connected.Load, reconnects.Load); err != nil {
		t.Fatal(err)
	}
	if err := m.TrackPlatform("discord", func() bool { return true }, nil); err != nil {
		t.Fatal(err)
	}
	if err := m.TrackConnections(func() int { return 5 }, func() int { return 2 }, func() uint64 { return 1 }); err != nil {
		t.Fatal(err)
	}
	var bodyBytes atomic.Int64
	if err := m.TrackBodies(bodyBytes.Load, func() uint64 { return 4 }); err != nil {
		t.Fatal(err)
	}
	if err := m.TrackPlatform("slack", connected.Load, nil); err == nil || !strings.Contains(err.Error(), "platform slack") {
		t.Errorf("tracking slack twice: err = %v, want an error naming it", err)
	}
	if err := m.TrackKnowledge("", func() int { return 0 }); err == nil {
		t.Error("tracking the knowledge twice: no error")
	}

	before := scrape(t, m)
	connected.Store(true)
	reconnects.Add(2)
	bodyBytes.Store(65535)
	entries = 13
	after := scrape(t, m)

	tests := []struct {
		body, line string
	}{
		{before, `faqbot_platform_connected{platform="slack"} 0`},
		{before, `faqbot_platform_connected{platform="discord"} 1`},
		{before, `faqbot_platform_reconnects_total{platform="slack"} 0`},
		{before, `faqbot_knowledge_entries{base="default"} 12`},
		{before, `faqbot_work_in_flight 3`},
		{before, `faqbot_http_connections 5`},
		{before, `faqbot_http_connections_idle 2`},
		{before, `faqbot_http_connections_refused_total 1`},
		{before, `faqbot_http_request_body_bytes 0`},
		{before, `faqbot_http_requests_refused_total 4`},
		{after, `faqbot_http_request_body_bytes 65535`},
		{before, `faqbot_build_info{goversion="`},
		{before, `version="v1.2.3"} 1`},
		{before, `go_goroutines `},
		{after, `faqbot_platform_connected{platform="slack"} 1`},
		{after, `faqbot_platform_reconnects_total{platform="slack"} 2`},
		{after, `faqbot_knowledge_entries{base="default"} 13`},
	}
	for _, tt := range tests {
		if !strings.Contains(tt.body, tt.line) {
			t.Errorf("scrape lacks %q", tt.line)
		}
	}
	if strings.Contains(after, `faqbot_platform_reconnects_total{platform="discord"}`) {
		t.Error("discord has no reconnect count but one is exported")
	}
}

func TestLimitsAndDatabaseErrors(t *testing.T) {
	m := New("test")
	m.ObserveLimit("slack", "cooldown")
	m.ObserveLimit("slack", "cooldown")
	m.ObserveLimit("discord", "duplicate")
	m.DatabaseError("retention")

	rec := m.Recorder(failingRecorder{err: errors.New("disk full")})
	ctx := context.Background()
	if err := rec.RecordQuestion(ctx, bot.Asked{}); err == nil {
		t.Error("the wrapper swallowed the recorder's error")
	}
	_ = rec.RecordVote(ctx, bot.Vote{})
	_ = rec.RecordReload(ctx, bot.Reloaded{})
	_ = m.Recorder(failingRecorder{}).RecordQuestion(ctx, bot.Asked{})

	tests := []struct {
		got  float64
		want float64
		what string
	}{
		{testutil.ToFloat64(m.limited.WithLabelValues("slack", "cooldown")), 2, "slack cooldown"},
		{testutil.ToFloat64(m.limited.WithLabelValues("discord", "duplicate")), 1, "discord duplicate"},
		{testutil.ToFloat64(m.dbErrors.WithLabelValues("retention")), 1, "retention errors"},
		{testutil.ToFloat64(m.dbErrors.WithLabelValues("record_question")), 1, "record_question errors"},
		{testutil.ToFloat64(m.dbErrors.WithLabelValues("record_vote")), 1, "record_vote errors"},
		{testutil.ToFloat64(m.dbErrors.WithLabelValues("record_reload")), 1, "record_reload errors"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.what, tt.got, tt.want)
		}
	}
}

// failingRecorder returns err from every call.
type failingRecorder struct{ err error }

func (f failingRecorder) RecordQuestion(context.Context, bot.Asked) error  { return f.err }
func (f failingRecorder) RecordVote(context.Context, bot.Vote) error       { return f.err }
func (f failingRecorder) RecordReload(context.Context, bot.Reloaded) error { return f.err }

// scrape fetches the metrics through the handler over loopback HTTP.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler(slog.New(slog.DiscardHandler)))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %s\n%s", resp.Status, body)
	}
	return string(body)
}

func grep(body, word string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/store"
)

// fixedHealth is a state database whose health does not change.
type fixedHealth store.Health

func (f fixedHealth) Health() store.Health { return store.Health(f) }

// plain is a platform that cannot tell whether it is connected.
type plain struct{ name string }

func (p plain) Name() string              { return p.name }
func (p plain) Run(context.Context) error { return nil }

func TestReadyz(t *testing.T) {
	kb, err := bot.LoadBase(testKB)
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(kb, bot.Options{})
	down := fixedHealth{Since: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Err: errors.New("dial tcp 10.0.0.5:5432: connect: connection refused"), Waiting: 12}
	tests := []struct {
		name      string
		platforms func() []*platformState
		store     storeHealth
		stopping  bool
		code      int
		lines     []string
	}{
		{
			name:      "the state database up",
			platforms: func() []*platformState { return []*platformState{running(plain{"discord"})} },
			store:     fixedHealth{Up: true},
			code:      http.StatusOK,
			lines:     []string{"ok knowledge: 4 entries", "ok discord: connected", "ok store: connected"},
		},
		{
			name:      "the state database's file deleted: degraded, still ready",
			platforms: func() []*platformState { return []*platformState{running(plain{"discord"})} },
			store:     fixedHealth{Up: true, Problem: "the SQLite file data/faqbot.db was deleted while faqbot had it open: restart faqbot"},
			code:      http.StatusOK,
			lines:     []string{"ok discord: connected", "degraded store: the SQLite file data/faqbot.db was deleted while faqbot had it open: restart faqbot"},
		},
		{
			name:      "the state database down: degraded, still ready",
			platforms: func() []*platformState { return []*platformState{running(plain{"discord"})} },
			store:     down,
			code:      http.StatusOK,
			lines: []string{"ok discord: connected",
				"degraded store: unavailable since 2026-01-02T03:04:05Z, retrying; answering without it, 12 records waiting, 0 dropped: dial tcp 10.0.0.5:5432: connect: connection refused"},
		},
		{
			name: "everything connected",
			platforms: func() []*platformState {
				f := &fakePlatform{name: "slack"}
				f.connected.Store(true)
				return []*platformState{running(f), running(plain{"discord"})}
			},
			code:  http.StatusOK,
			lines: []string{"ok knowledge: 4 entries", "ok slack: connected", "ok discord: connected"},
		},
		{
			name: "a platform reconnecting",
			platforms: func() []*platformState {
				return []*platformState{running(&fakePlatform{name: "slack"}), running(plain{"discord"})}
			},
			code:  http.StatusServiceUnavailable,
			lines: []string{"ok knowledge: 4 entries", "fail slack: not connected", "ok discord: connected"},
		},
		{
			name: "a platform whose Run has returned",
			platforms: func() []*platformState {
				return []*platformState{{platform: plain{"discord"}}}
			},
			code:  http.StatusServiceUnavailable,
			lines: []string{"fail discord: not connected"},
		},
		{
			name: "shutting down",
			platforms: func() []*platformState {
				return []*platformState{running(plain{"discord"})}
			},
			stopping: true,
			code:     http.StatusServiceUnavailable,
			lines:    []string{"ok discord: connected", "fail shutdown: stopping, taking no new messages"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &health{bot: b, platforms: tt.platforms(), store: tt.store}
			h.stopping.Store(tt.stopping)
			mux := http.NewServeMux()
			h.mount(mux, nil, false, nil)
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if rec.Code != tt.code {
				t.Errorf("status %d, want %d\n%s", rec.Code, tt.code, rec.Body)
			}
			got := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
			for _, want := range tt.lines {
				if !contains(got, want) {
					t.Errorf("/readyz lacks line %q:\n%s", want, rec.Body)
				}
			}
			rec = httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
			if rec.Code != http.StatusOK {
				t.Errorf("/healthz = %d, want 200 whatever the readiness", rec.Code)
			}
			rec = httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			if rec.Code != http.StatusNotFound {
				t.Errorf("/metrics = %d with metrics off, want 404", rec.Code)
			}
		})
	}
}

func running(p bot.Platform) *platformState {
	s := &platformState{platform: p}
	s.running.Store(true)
	return s
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

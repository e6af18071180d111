package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/metrics"
	"github.com/faqbot/faqbot/store"
)

// connector is a platform that knows whether it is connected and taking
// events. Adapters implement it so that /readyz and
// faqbot_platform_connected tell the truth during a reconnect; a platform
// without it counts as connected while its Run is running.
type connector interface {
	Connected() bool
}

// reconnector is a platform that counts the times its connection was lost
// and made again, for faqbot_platform_reconnects_total.
type reconnector interface {
	Reconnects() uint64
}

// platformState follows one platform for readiness and metrics.
type platformState struct {
	platform bot.Platform
	running  atomic.Bool
}

// connected reports whether the platform's Run is running and, when the
// platform can tell, whether it is connected.
func (s *platformState) connected() bool {
	if !s.running.Load() {
		return false
	}
	if c, ok := s.platform.(connector); ok {
		return c.Connected()
	}
	return true
}

// storeHealth is a state database that says whether it is up.
type storeHealth interface {
	Health() store.Health
}

// health answers /healthz and /readyz.
type health struct {
	bot *bot.Bot
	// bases, if not nil, are all the knowledge bases served, bot's
	// included: each is checked.
	bases     *bot.Bases
	platforms []*platformState
	// store is the state database, or nil when there is none.
	store    storeHealth
	stopping atomic.Bool
}

// mount adds /healthz, /readyz and, when withMetrics, /metrics to mux.
func (h *health) mount(mux *http.ServeMux, m *metrics.Metrics, withMetrics bool, log *slog.Logger) {
	mux.HandleFunc("GET /healthz", h.healthz)
	mux.HandleFunc("GET /readyz", h.readyz)
	if withMetrics {
		mux.Handle("GET /metrics", m.Handler(log))
	}
}

// healthz says the process is alive: it answers as long as it serves HTTP.
func (h *health) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}

// readyz says whether the bot can answer: the knowledge base is loaded,
// every enabled platform is connected, and it is not shutting down. It
// lists each check, one a line, and answers 503 when one fails. A state
// database that is down is listed as "degraded" and does not fail the
// check: the bot answers without it, and replicas sharing it would all
// fail at once, leaving a load balancer nobody to send events to.
func (h *health) readyz(w http.ResponseWriter, r *http.Request) {
	ready, report := h.ready()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if !ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	fmt.Fprint(w, report)
}

// ready runs the readiness checks and returns the report.
func (h *health) ready() (bool, string) {
	var sb strings.Builder
	ready := true
	check := func(ok bool, format string, args ...any) {
		if ok {
			sb.WriteString("ok ")
		} else {
			sb.WriteString("fail ")
			ready = false
		}
		fmt.Fprintf(&sb, format, args...)
		sb.WriteByte('\n')
	}
	if h.bases == nil || len(h.bases.Names()) == 1 {
		n := lenOf(h.bot.Base())
		if v := h.bot.Version(); v != "" {
			check(n > 0, "knowledge: %d entries, version %s", n, v)
		} else {
			check(n > 0, "knowledge: %d entries", n)
		}
	} else {
		for _, name := range h.bases.Names() {
			nb, _ := h.bases.Named(name)
			n := lenOf(nb.Base())
			check(n > 0, "knowledge base %s: %d entries", name, n)
		}
	}
	for _, p := range h.platforms {
		if p.connected() {
			check(true, "%s: connected", p.platform.Name())
		} else {
			check(false, "%s: not connected", p.platform.Name())
		}
	}
	if h.store != nil {
		switch st := h.store.Health(); {
		case st.Up && st.Problem != "":
			fmt.Fprintf(&sb, "degraded store: %s\n", st.Problem)
		case st.Up:
			check(true, "store: connected")
		default:
			fmt.Fprintf(&sb, "degraded store: unavailable since %s, retrying; answering without it, %d records waiting, %d dropped: %v\n",
				st.Since.UTC().Format(time.RFC3339), st.Waiting, st.Dropped, st.Err)
		}
	}
	if h.stopping.Load() {
		check(false, "shutdown: stopping, taking no new messages")
	}
	return ready, sb.String()
}

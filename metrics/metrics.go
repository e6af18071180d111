// Package metrics holds faqbot's Prometheus metrics: questions by platform
// and outcome, answer confidence and latency, knowledge entries, reloads,
// platform connections, rate limiting and database errors. A Metrics holds
// its own registry, made once per process and passed to whoever reports to
// it; nothing is registered with the client library's global registry.
package metrics

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/faqbot/faqbot/bot"
)

// namespace prefixes every faqbot metric.
const namespace = "faqbot"

// Metrics records what the bot does for Prometheus. It implements
// bot.Observer, so the bot reports questions and reloads to it, and it has
// small methods for the adapters, the limits and the store. It is safe for
// concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	questions  *prometheus.CounterVec
	confidence *prometheus.HistogramVec
	latency    *prometheus.HistogramVec
	reloads    *prometheus.CounterVec
	lastReload *prometheus.GaugeVec
	reloadedAt *prometheus.GaugeVec
	limited    *prometheus.CounterVec
	dbErrors   *prometheus.CounterVec
}

var (
	_ bot.Observer      = (*Metrics)(nil)
	_ bot.LimitObserver = (*Metrics)(nil)
)

// New returns Metrics on a new registry that also holds the Go runtime and
// process collectors and faqbot_build_info for version.
func New(version string) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "questions_total",
			Help: "Questions handled, by knowledge base, platform, how they reached the bot (direct, mention, command, overheard) and outcome (answered, ambiguous, unknown).",
		}, []string{"base", "platform", "origin", "outcome"}),
		confidence: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "answer_confidence",
			Help:    "Confidence of the best candidate for each question that had one, answered or not.",
			Buckets: prometheus.LinearBuckets(0.1, 0.1, 10),
		}, []string{"platform"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "question_duration_seconds",
			Help:    "Time taken to match a question and build the reply, without sending it.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2.5, 10),
		}, []string{"platform"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "knowledge_reloads_total",
			Help: "Knowledge reloads, by knowledge base and result (success or failure).",
		}, []string{"base", "result"}),
		lastReload: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Name: "knowledge_last_reload_successful",
			Help: "Whether the knowledge base's last reload succeeded (1) or failed and its previous knowledge is still serving (0).",
		}, []string{"base"}),
		reloadedAt: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: namespace, Name: "knowledge_last_reload_timestamp_seconds",
			Help: "Unix time of the knowledge base's last successful reload, or of the start when there was none.",
		}, []string{"base"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "limited_total",
			Help: "Messages the limits turned away or shortened, by platform and reason (cooldown, duplicate, busy, stopping).",
		}, []string{"platform", "reason"}),
		dbErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "database_errors_total",
			Help: "Database operations that failed, by operation; the bot keeps answering.",
		}, []string{"op"}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "build_info",
		Help:        "Always 1; the labels say which faqbot is running.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
	})
	build.Set(1)
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		build, m.questions, m.confidence, m.latency, m.reloads, m.lastReload,
		m.reloadedAt, m.limited, m.dbErrors,
	)
	return m
}

// Registry returns the registry the metrics live in, for collectors of
// one's own.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition format. Errors
// while gathering are logged to log and the metrics that could be gathered
// are still served.
func (m *Metrics) Handler(log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slogPrinter{log},
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// slogPrinter adapts a *slog.Logger to promhttp's Logger.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) {
	p.log.Warn("gathering metrics", "error", fmt.Sprint(v...))
}

// ObserveQuestion counts one question with its outcome, confidence and the
// time taken to match it. The bot calls it for every question it matches.
func (m *Metrics) ObserveQuestion(q bot.Asked, took time.Duration) {
	m.questions.WithLabelValues(baseLabel(q.Base), q.Platform, q.Origin.String(), q.Outcome.String()).Inc()
	if q.BestID != "" {
		m.confidence.WithLabelValues(q.Platform).Observe(q.Confidence)
	}
	m.latency.WithLabelValues(q.Platform).Observe(took.Seconds())
}

// ObserveReload counts one reload by result. The bot calls it for every
// reload, whoever asked for it.
func (m *Metrics) ObserveReload(r bot.Reloaded) {
	base := baseLabel(r.Base)
	if r.Err != nil {
		m.reloads.WithLabelValues(base, "failure").Inc()
		m.lastReload.WithLabelValues(base).Set(0)
		return
	}
	m.reloads.WithLabelValues(base, "success").Inc()
	m.lastReload.WithLabelValues(base).Set(1)
	m.reloadedAt.WithLabelValues(base).Set(float64(r.Time.UnixNano()) / 1e9)
}

// ObserveLimit counts one message that the bot's limits turned away or
// answered with a short pointer instead of a repeat. The bot calls it.
func (m *Metrics) ObserveLimit(platform, reason string) {
	m.limited.WithLabelValues(platform, reason).Inc()
}

// DatabaseError counts one failed database operation, named by op (for
// example "record_question", "retention" or "migrate"). The store calls it
// for every error it handles itself rather than returning; errors returned
// to the bot are counted by the Recorder wrapper.
func (m *Metrics) DatabaseError(op string) {
	m.dbErrors.WithLabelValues(op).Inc()
}

// Recorder returns r wrapped so that every error it returns to the bot is
// counted as a database error, with op record_question, record_vote or
// record_reload.
func (m *Metrics) Recorder(r bot.Recorder) bot.Recorder {
	return countingRecorder{r: r, m: m}
}

type countingRecorder struct {
	r bot.Recorder
	m *Metrics
}

func (c countingRecorder) RecordQuestion(ctx context.Context, q bot.Asked) error {
	return c.count("record_question", c.r.RecordQuestion(ctx, q))
}

func (c countingRecorder) RecordVote(ctx context.Context, v bot.Vote) error {
	return c.count("record_vote", c.r.RecordVote(ctx, v))
}

func (c countingRecorder) RecordReload(ctx context.Context, r bot.Reloaded) error {
	return c.count("record_reload", c.r.RecordReload(ctx, r))
}

func (c countingRecorder) count(op string, err error) error {
	if err != nil {
		c.m.DatabaseError(op)
	}
	return err
}

// TrackKnowledge exports faqbot_knowledge_entries of the named knowledge
// base, read from entries at every scrape, so that it always shows the
// knowledge being served, and starts the base's reload gauges as a
// successful load now.
func (m *Metrics) TrackKnowledge(base string, entries func() int) error {
	base = baseLabel(base)
	err := m.register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Name: "knowledge_entries", ConstLabels: prometheus.Labels{"base": base},
		Help: "Entries in the knowledge base being served.",
	}, func() float64 { return float64(entries()) }), "knowledge entries of base "+base)
	if err != nil {
		return err
	}
	m.lastReload.WithLabelValues(base).Set(1)
	m.reloadedAt.WithLabelValues(base).SetToCurrentTime()
	return nil
}

// baseLabel is the base label of a knowledge base's name: "default" for
// the default base, whose records name none.
func baseLabel(name string) string {
	if name == "" {
		return "default"
	}
	return name
}

// TrackWork exports faqbot_work_in_flight, read from inFlight at every
// scrape.
func (m *Metrics) TrackWork(inFlight func() int) error {
	return m.register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Name: "work_in_flight",
		Help: "Messages being handled and replied to right now.",
	}, func() float64 { return float64(inFlight()) }), "work in flight")
}

// TrackPlatform exports faqbot_platform_connected and, when reconnects is
// not nil, faqbot_platform_reconnects_total for the platform called name,
// both read at every scrape. Each platform is tracked once.
func (m *Metrics) TrackPlatform(name string, connected func() bool, reconnects func() uint64) error {
	labels := prometheus.Labels{"platform": name}
	err := m.register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Name: "platform_connected", ConstLabels: labels,
		Help: "Whether the platform is connected and taking events (1) or not (0).",
	}, func() float64 {
		if connected() {
			return 1
		}
		return 0
	}), "platform "+name)
	if err != nil || reconnects == nil {
		return err
	}
	return m.register(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Namespace: namespace, Name: "platform_reconnects_total", ConstLabels: labels,
		Help: "Times the platform connection was lost and made again.",
	}, func() float64 { return float64(reconnects()) }), "platform "+name+" reconnects")
}

// TrackConnections exports faqbot_http_connections, the connections the
// HTTP listener holds, faqbot_http_connections_idle, those of them that
// wait for a request, and faqbot_http_connections_refused_total, those it
// closed at once because it held as many as it may, none idle; all are
// read at every scrape.
func (m *Metrics) TrackConnections(open, idle func() int, refused func() uint64) error {
	err := m.register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Name: "http_connections",
		Help: "Connections the HTTP listener holds.",
	}, func() float64 { return float64(open()) }), "HTTP connections")
	if err == nil {
		err = m.register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: namespace, Name: "http_connections_idle",
			Help: "Connections the HTTP listener holds that wait for a request.",
		}, func() float64 { return float64(idle()) }), "idle HTTP connections")
	}
	if err != nil {
		return err
	}
	return m.register(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Namespace: namespace, Name: "http_connections_refused_total",
		Help: "Connections the HTTP listener closed at once because it held as many as it may, none of them idle.",
	}, func() float64 { return float64(refused()) }), "refused HTTP connections")
}

// TrackBodies exports faqbot_http_request_body_bytes, the bytes of
// request bodies the HTTP listener's handlers hold, and
// faqbot_http_requests_refused_total, the requests it answered 503 because
// those bodies left no room for theirs; both are read at every scrape.
func (m *Metrics) TrackBodies(held func() int64, refused func() uint64) error {
	err := m.register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Name: "http_request_body_bytes",
		Help: "Bytes of request bodies the HTTP listener's handlers hold.",
	}, func() float64 { return float64(held()) }), "HTTP request body bytes")
	if err != nil {
		return err
	}
	return m.register(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Namespace: namespace, Name: "http_requests_refused_total",
		Help: "Requests the HTTP listener answered 503 because the request bodies it held left no room for theirs.",
	}, func() float64 { return float64(refused()) }), "refused HTTP requests")
}

// TrackDatabase exports faqbot_database_up, whether the state database
// takes writes, faqbot_database_records_waiting, the records kept in
// memory for it, and faqbot_database_records_dropped_total, those dropped
// because too many were waiting; all are read at every scrape.
func (m *Metrics) TrackDatabase(up func() bool, waiting func() int, dropped func() uint64) error {
	err := m.register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Name: "database_up",
		Help: "Whether the state database takes writes (1) or not (0).",
	}, func() float64 {
		if up() {
			return 1
		}
		return 0
	}), "database up")
	if err == nil {
		err = m.register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: namespace, Name: "database_records_waiting",
			Help: "Records kept in memory until the state database takes them.",
		}, func() float64 { return float64(waiting()) }), "database records waiting")
	}
	if err == nil {
		err = m.register(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: namespace, Name: "database_records_dropped_total",
			Help: "Records dropped because the most the bot keeps in memory were waiting for the state database.",
		}, func() float64 { return float64(dropped()) }), "database records dropped")
	}
	return err
}

func (m *Metrics) register(c prometheus.Collector, what string) error {
	if err := m.reg.Register(c); err != nil {
		return fmt.Errorf("metrics: cannot track %s: %w (is it tracked twice?)", what, err)
	}
	return nil
}

// TrackKnowledgeVersion exports faqbot_knowledge_version_info{version},
// always 1, with the version of the knowledge base being served (its git
// commit), read from version at every scrape; nothing while it is "".
func (m *Metrics) TrackKnowledgeVersion(version func() string) error {
	return m.register(&versionCollector{
		desc: prometheus.NewDesc(namespace+"_knowledge_version_info",
			"The version of the knowledge base being served (its git commit), as the label version; always 1.",
			[]string{"version"}, nil),
		version: version,
	}, "knowledge version")
}

// versionCollector exports one info metric whose label is read at every
// scrape.
type versionCollector struct {
	desc    *prometheus.Desc
	version func() string
}

func (c *versionCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *versionCollector) Collect(ch chan<- prometheus.Metric) {
	if v := c.version(); v != "" {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, 1, v)
	}
}

package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/metrics"
	"gopkg.in/yaml.v3"
)

// marker is in every secret of the test, so that any piece of one that
// reaches the output is found.
const marker = "S3CR3T7f1c"

// secretKey is one config.Secret field, by its path of YAML keys.
type secretKey []string

// secretKeys finds every config.Secret in the configuration, so that a
// secret added later is covered without touching this test.
func secretKeys(t reflect.Type, prefix []string) []secretKey {
	var out []secretKey
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || tag == "" || tag == "-" {
			continue
		}
		p := append(append([]string(nil), prefix...), tag)
		switch {
		case f.Type == reflect.TypeFor[config.Secret]():
			out = append(out, p)
		case f.Type.Kind() == reflect.Struct:
			out = append(out, secretKeys(f.Type, p)...)
		}
	}
	return out
}

// secretValue returns a value for the secret at key that passes the
// config's checks when plausible is true, and fails them otherwise; it
// always holds the marker.
func secretValue(key secretKey, i int, plausible bool) string {
	v := fmt.Sprintf("%s-%d-%s", marker, i, strings.Join(key, "-"))
	if !plausible {
		return v
	}
	switch key[len(key)-1] {
	case "bot_token":
		return "xoxb-" + v
	case "app_token":
		return "xapp-" + v
	case "token":
		return v + "." + v + "." + v
	case "dsn":
		return "postgres://faqbot:" + v + "@127.0.0.1:1/faqbot?connect_timeout=1"
	}
	return v
}

// set puts value at the path of keys in the nested map m.
func set(m map[string]any, keys []string, value any) {
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = value
}

// fakeAPI stands in for Slack and Discord: it refuses every token, as the
// real ones do with a bad one, and remembers which platforms called.
type fakeAPI struct {
	mu     sync.Mutex
	called map[string]bool
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	platform := "slack"
	if strings.HasPrefix(r.URL.Path, "/discord") {
		platform = "discord"
	}
	f.mu.Lock()
	f.called[platform] = true
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if platform == "discord" {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message": "401: Unauthorized", "code": 0}`)
		return
	}
	fmt.Fprint(w, `{"ok": false, "error": "invalid_auth"}`)
}

// TestNoSecretInOutput runs faqbot with every secret of the config set
// (tokens, signing secret, database password) and debug logging, in text
// and JSON, with secrets that pass the checks and with secrets that fail
// them, and looks for any of them in everything it wrote.
func TestNoSecretInOutput(t *testing.T) {
	keys := secretKeys(reflect.TypeFor[config.Config](), nil)
	if len(keys) == 0 {
		t.Fatal("found no config.Secret in config.Config")
	}
	kb, err := filepath.Abs(testKB)
	if err != nil {
		t.Fatal(err)
	}
	api := &fakeAPI{called: map[string]bool{}}
	srv := httptest.NewServer(api)
	defer srv.Close()

	tests := []struct {
		name      string
		format    string
		plausible bool
		args      []string
	}{
		{"run, text logs", "text", true, []string{"run"}},
		{"run, JSON logs", "json", true, []string{"run"}},
		{"run with secrets the checks refuse", "text", false, []string{"run"}},
		{"check", "text", true, []string{"check"}},
		{"check with secrets the checks refuse", "json", false, []string{"check"}},
		{"healthcheck", "text", true, []string{"healthcheck"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := map[string]any{
				"knowledge": kb,
				"log":       map[string]any{"level": "debug", "format": tt.format, "question_text": true},
				"slack":     map[string]any{"enabled": true, "mode": "socket", "api_url": srv.URL + "/slack/api/"},
				"discord":   map[string]any{"enabled": true, "api_url": srv.URL + "/discord"},
				"store":     map[string]any{"driver": "postgres"},
				"http":      map[string]any{"listen": "127.0.0.1:0"},
				"limits":    map[string]any{"shutdown_grace": "1s"},
			}
			path, values := writeSecretConfig(t, doc, keys, tt.plausible)

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan struct{})
			var code int
			var out, errs strings.Builder
			go func() {
				defer close(done)
				code = run(ctx, append(tt.args, "--config", path), strings.NewReader(""), &syncWriter{w: &out}, &syncWriter{w: &errs})
			}()
			// A platform that keeps retrying is stopped once it has tried,
			// which is when it would have logged its failure; the bound
			// only keeps a platform that never calls from hanging the test.
			bound := time.NewTimer(20 * time.Second)
			defer bound.Stop()
		wait:
			for {
				select {
				case <-done:
					break wait
				case <-bound.C:
					cancel()
				case <-time.After(50 * time.Millisecond):
					api.mu.Lock()
					both := api.called["slack"] && api.called["discord"]
					api.mu.Unlock()
					if both {
						cancel()
					}
				}
			}
			output := out.String() + errs.String()
			if output == "" {
				t.Fatalf("faqbot %s wrote nothing (exit %d): the test proves nothing", tt.args[0], code)
			}
			assertNoSecret(t, output, values)
		})
	}
}

// writeSecretConfig writes doc with every secret in keys set to
// ${FAQBOT_TEST_SECRET_n}, sets those variables, and returns the file and
// the secret values.
func writeSecretConfig(t *testing.T, doc map[string]any, keys []secretKey, plausible bool) (string, []string) {
	t.Helper()
	var values []string
	for i, k := range keys {
		env := fmt.Sprintf("FAQBOT_TEST_SECRET_%d", i)
		v := secretValue(k, i, plausible)
		t.Setenv(env, v)
		values = append(values, v)
		set(doc, k, "${"+env+"}")
	}
	data, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, values
}

func assertNoSecret(t *testing.T, output string, values []string) {
	t.Helper()
	for _, v := range values {
		if strings.Contains(output, v) {
			t.Errorf("a secret appears in the output:\n%s", output)
		}
	}
	if strings.Contains(output, marker) {
		t.Errorf("part of a secret appears in the output:\n%s", output)
	}
}

// TestNoSecretInServeLogs serves questions, a reload, the health endpoints
// and a shutdown with a config that holds every secret, logging at debug
// level with question texts, through the logger "faqbot run" builds, and
// looks for the secrets in the logs.
func TestNoSecretInServeLogs(t *testing.T) {
	keys := secretKeys(reflect.TypeFor[config.Config](), nil)
	kbPath, err := filepath.Abs(testKB)
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			doc := map[string]any{
				"knowledge": kbPath,
				"log":       map[string]any{"level": "debug", "format": format, "question_text": true},
				"slack":     map[string]any{"enabled": true, "mode": "socket"},
				"discord":   map[string]any{"enabled": true},
				"store":     map[string]any{"driver": "postgres"},
				"http":      map[string]any{"listen": "127.0.0.1:0"},
			}
			path, values := writeSecretConfig(t, doc, keys, true)
			cfg, err := config.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			kb, err := bot.LoadBase(cfg.Knowledge)
			if err != nil {
				t.Fatal(err)
			}
			out := newLogs()
			log := newLogger(cfg.Log, out)
			// newLogger writes text or JSON; the listening address is read
			// from the JSON form, so mirror it there.
			addr := make(chan string, 1)
			log = slog.New(teeHandler{log.Handler(), slog.NewJSONHandler(listenAddr(addr), nil)})
			m := metrics.New("test")
			b := bot.New(kb, runOptions(cfg, log, m))
			reload := make(chan os.Signal, 1)
			fake := newFake("fake", b, questions...)
			s := &server{cfg: cfg, bot: b, metrics: m, log: log, mux: http.NewServeMux(), reload: reload, platforms: []bot.Platform{fake}}
			ctx, cancel := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			go func() { errc <- s.run(ctx) }()
			base := "http://" + <-addr
			for range questions {
				<-fake.started
			}
			reload <- os.Interrupt
			get(t, base+"/readyz")
			get(t, base+"/metrics")
			close(fake.release)
			for range questions {
				<-fake.finished
			}
			cancel()
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
			logged := out.String()
			if !strings.Contains(logged, "wifi password") || !strings.Contains(logged, "stopped") {
				t.Fatalf("the logs lack the questions or the shutdown: the test proves nothing:\n%s", logged)
			}
			assertNoSecret(t, logged, values)
		})
	}
}

// teeHandler sends every record to two handlers.
type teeHandler struct{ a, b slog.Handler }

func (h teeHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.a.Enabled(ctx, l) || h.b.Enabled(ctx, l)
}

func (h teeHandler) Handle(ctx context.Context, r slog.Record) error {
	if err := h.a.Handle(ctx, r.Clone()); err != nil {
		return err
	}
	return h.b.Handle(ctx, r)
}

func (h teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return teeHandler{h.a.WithAttrs(as), h.b.WithAttrs(as)}
}

func (h teeHandler) WithGroup(name string) slog.Handler {
	return teeHandler{h.a.WithGroup(name), h.b.WithGroup(name)}
}

// listenAddr is a writer of JSON log lines that sends the address of the
// "listening" line to c.
type listenAddr chan string

func (c listenAddr) Write(p []byte) (int, error) {
	if s := string(p); strings.Contains(s, `"msg":"listening"`) {
		_, after, _ := strings.Cut(s, `"addr":"`)
		a, _, _ := strings.Cut(after, `"`)
		c <- a
	}
	return len(p), nil
}

// syncWriter serialises writes to w.
type syncWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/discord"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/metrics"
)

// slowRig is faqbot's HTTP listener as "faqbot run" opens it, with
// /healthz, /readyz, /metrics and Discord's interactions endpoint.
type slowRig struct {
	addr    string
	fake    *discordfake.Server
	metrics *metrics.Metrics
}

// startListener opens the listener with at most maxConns connections
// (connectionCap() when 0) and closes it when the test ends.
func startListener(t *testing.T, maxConns int) *slowRig {
	t.Helper()
	fake := discordfake.New(t, discordfake.Options{})
	cfg := testConfig()
	cfg.Discord.Enabled, cfg.Discord.APIURL = true, fake.URL()
	cfg.Discord.InteractionsEndpoint, cfg.Discord.PublicKey = true, fake.PublicKey()
	cfg.Discord.SetToken(fake.Token())
	kb, err := bot.LoadBase(testKB)
	if err != nil {
		t.Fatal(err)
	}
	l := newLogs()
	log := slog.New(slog.NewJSONHandler(l, nil))
	m := metrics.New("test")
	b := bot.New(kb, runOptions(cfg, log, m))
	mux := http.NewServeMux()
	platforms, err := buildPlatforms(cfg, b, nil, log, mux)
	if err != nil {
		t.Fatal(err)
	}
	(&health{bot: b}).mount(mux, m, true, log)
	s := &server{cfg: cfg, bot: b, metrics: m, log: log, mux: mux, platforms: platforms, maxConnections: maxConns}
	srv, err := s.listen(func(error) {})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &slowRig{addr: <-l.listen, fake: fake, metrics: m}
}

// slowBodies opens n connections that each send the headers of an
// interaction request with a body of 64 KiB, one byte of that body, and
// then nothing: a client that trickles its body. Its signature is well
// formed, so that the endpoint reads the body to check it.
func (r *slowRig) slowBodies(t *testing.T, n int) []net.Conn {
	t.Helper()
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: faqbot\r\nContent-Type: application/json\r\nContent-Length: 65536\r\nX-Signature-Timestamp: %d\r\nX-Signature-Ed25519: %s\r\n\r\n{", discord.InteractionsPath, time.Now().Unix(), strings.Repeat("00", ed25519.SignatureSize))
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range n {
		c, err := net.Dial("tcp", r.addr)
		if err != nil {
			t.Fatalf("after %d slow connections: %v", len(conns), err)
		}
		conns = append(conns, c)
		if _, err := io.WriteString(c, head); err != nil {
			t.Fatalf("after %d slow connections: %v", len(conns), err)
		}
	}
	return conns
}

// probe asks /healthz and sends a signed PING to the interactions endpoint,
// and returns how long the slower of the two took to be answered 200.
func (r *slowRig) probe(t *testing.T) time.Duration {
	t.Helper()
	client := &http.Client{Timeout: 20 * time.Second}
	start := time.Now()
	resp, err := client.Get("http://" + r.addr + "/healthz")
	if err != nil {
		t.Fatalf("/healthz: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %s", resp.Status)
	}
	body, _ := json.Marshal(&discordgo.Interaction{ID: strconv.FormatInt(time.Now().UnixNano(), 10), Type: discordgo.InteractionPing, Token: "t", AppID: r.fake.AppID(), Version: 1})
	req, err := r.fake.Sign(context.Background(), "http://"+r.addr+discord.InteractionsPath, body, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, err = client.Do(req)
	if err != nil {
		t.Fatalf("signed PING: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("signed PING: %s", resp.Status)
	}
	return time.Since(start)
}

// waitClosed waits, up to within, until the server has closed every one of
// conns, and returns when the last was closed, counted from start.
func waitClosed(t *testing.T, conns []net.Conn, start time.Time, within time.Duration) time.Duration {
	t.Helper()
	var (
		mu   sync.Mutex
		last time.Duration
		open int
		wg   sync.WaitGroup
	)
	for _, c := range conns {
		wg.Go(func() {
			c.SetReadDeadline(start.Add(within))
			_, err := io.Copy(io.Discard, c)
			mu.Lock()
			defer mu.Unlock()
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				open++
				return
			}
			last = max(last, time.Since(start))
		})
	}
	wg.Wait()
	if open > 0 {
		t.Fatalf("%d of %d slow connections still open %v after they were made", open, len(conns), within)
	}
	return last
}

// TestSlowBodies opens thousands of connections that trickle their bodies
// (headers sent, then one byte of a 64 KiB body, then nothing), the attack
// that used to hold every file descriptor of the process: /healthz and
// signed requests are still answered while they are held, the server cuts
// each of them off within its body deadline, and past the connection cap
// the excess is refused at once. Timings are logged, not asserted; the
// waits are generous.
func TestSlowBodies(t *testing.T) {
	if testing.Short() {
		t.Skip("opens thousands of connections")
	}
	t.Run("thousands held while others are answered", func(t *testing.T) {
		const n = 2000
		r := startListener(t, 0)
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		conns := r.slowBodies(t, n)
		var slowest time.Duration
		for range 5 {
			slowest = max(slowest, r.probe(t))
		}
		var held runtime.MemStats
		runtime.ReadMemStats(&held)
		last := waitClosed(t, conns, start, 60*time.Second)
		t.Logf("%d slow connections, all cut off by %v (body deadline %v); /healthz and a signed PING answered meanwhile, the slower in %v at most; heap %.1f MiB before, %.1f MiB while held (test and server)",
			n, last.Round(time.Millisecond), bodyTimeout, slowest.Round(time.Millisecond),
			float64(before.HeapInuse)/(1<<20), float64(held.HeapInuse)/(1<<20))
		r.probe(t)
	})
	t.Run("past the cap the excess is refused at once", func(t *testing.T) {
		const capacity, n = 100, 150
		r := startListener(t, capacity)
		start := time.Now()
		conns := r.slowBodies(t, n)
		refused := func() float64 {
			families, err := r.metrics.Registry().Gather()
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range families {
				if f.GetName() == "faqbot_http_connections_refused_total" {
					return f.GetMetric()[0].GetCounter().GetValue()
				}
			}
			t.Fatal("no faqbot_http_connections_refused_total")
			return 0
		}
		// The excess is closed as soon as it is accepted, long before
		// the held ones are cut off.
		dialled := time.Since(start)
		excess := waitClosed(t, conns[capacity:], start, 60*time.Second)
		// Exactly the excess is refused when every connection was made
		// before the first held one could be cut off; on a machine so
		// loaded that making them took longer, a held one may have freed
		// its place for one of the last, which is then served, not refused.
		switch got := refused(); {
		case dialled < readHeaderTimeout && got != n-capacity:
			t.Errorf("faqbot_http_connections_refused_total = %v, want %d", got, n-capacity)
		case got < 1 || got > n-capacity:
			t.Errorf("faqbot_http_connections_refused_total = %v, want 1 to %d (the connections took %v to make)", got, n-capacity, dialled)
		}
		last := waitClosed(t, conns[:capacity], start, 60*time.Second)
		t.Logf("cap %d, %d slow connections: %d refused within %v, the rest cut off by %v", capacity, n, n-capacity, excess.Round(time.Millisecond), last.Round(time.Millisecond))
		r.probe(t)
	})
}

package main

import (
	"bufio"
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
	"github.com/faqbot/faqbot/internal/rawhttp"
	"github.com/faqbot/faqbot/metrics"
)

// slowRig is faqbot's HTTP listener as "faqbot run" opens it, with
// /healthz, /readyz, /metrics and Discord's interactions endpoint.
type slowRig struct {
	addr    string
	logs    *logs
	fake    *discordfake.Server
	metrics *metrics.Metrics
}

// startListener opens the listener with at most maxConns connections
// (connectionCap() when 0) and maxBody bytes of request bodies held at
// once (maxBodyBytes when 0), and closes it when the test ends.
func startListener(t *testing.T, maxConns int, maxBody int64) *slowRig {
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
	s := &server{cfg: cfg, bot: b, metrics: m, log: log, mux: mux, platforms: platforms, maxConnections: maxConns, maxBodyBytes: maxBody}
	srv, err := s.listen(func(error) {})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &slowRig{addr: <-l.listen, logs: l, fake: fake, metrics: m}
}

// metric returns the value of the counter or gauge name.
func (r *slowRig) metric(t *testing.T, name string) float64 {
	t.Helper()
	families, err := r.metrics.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() == name {
			m := f.GetMetric()[0]
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	t.Fatalf("no %s", name)
	return 0
}

// waitMetric waits until the metric name has the value want.
func (r *slowRig) waitMetric(t *testing.T, name string, want float64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for r.metric(t, name) != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s = %v after 30 s, want %v", name, r.metric(t, name), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// interactionHead is the head of an interaction request with a body of
// length bytes and a well-formed signature, which the endpoint reads the
// body to check.
func interactionHead(length int) string {
	return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: faqbot\r\nContent-Type: application/json\r\nContent-Length: %d\r\nX-Signature-Timestamp: %d\r\nX-Signature-Ed25519: %s\r\n\r\n", discord.InteractionsPath, length, time.Now().Unix(), strings.Repeat("00", ed25519.SignatureSize))
}

// slowBodies opens n connections that each send the headers of an
// interaction request with a body of 64 KiB, one byte of that body, and
// then nothing: a client that trickles its body. Its signature is well
// formed, so that the endpoint reads the body to check it.
func (r *slowRig) slowBodies(t *testing.T, n int) []net.Conn {
	t.Helper()
	return r.holding(t, n, interactionHead(65536)+"{")
}

// heldBodies opens n connections that each send an interaction request
// with a body of length bytes but for its last byte, and then nothing: a
// client that makes the server hold as much of a body as it can.
func (r *slowRig) heldBodies(t *testing.T, n, length int) []net.Conn {
	t.Helper()
	return r.holding(t, n, interactionHead(length)+"{"+strings.Repeat(" ", length-2))
}

// holding opens n connections that each send text and then hold the
// connection, and closes them when the test ends.
func (r *slowRig) holding(t *testing.T, n int, text string) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range n {
		c, err := net.Dial("tcp", r.addr)
		if err != nil {
			t.Fatalf("after %d connections: %v", len(conns), err)
		}
		conns = append(conns, c)
		if _, err := io.WriteString(c, text); err != nil {
			t.Fatalf("after %d connections: %v", len(conns), err)
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
		r := startListener(t, 0, 0)
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
		r := startListener(t, capacity, 0)
		start := time.Now()
		conns := r.slowBodies(t, n)
		// The excess is closed as soon as it is accepted, long before
		// the held ones are cut off.
		dialled := time.Since(start)
		excess := waitClosed(t, conns[capacity:], start, 60*time.Second)
		// Exactly the excess is refused when every connection was made
		// before the first held one could be cut off; on a machine so
		// loaded that making them took longer, a held one may have freed
		// its place for one of the last, which is then served, not refused.
		switch got := r.metric(t, "faqbot_http_connections_refused_total"); {
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

// TestBodyBudget fills the room the listener gives request bodies with
// connections that each send all but the last byte of an interaction's
// body and then hold it back, the way clients can make the process hold
// memory until it dies: a request that finds no room is answered 503 with
// Retry-After and counted, a request without a body is answered
// meanwhile, and once the held connections go, their room is given back
// and signed requests are answered again.
func TestBodyBudget(t *testing.T) {
	const n, length = 4, 64 << 10
	r := startListener(t, 0, n*(length-1))
	conns := r.heldBodies(t, n, length)
	r.waitMetric(t, "faqbot_http_request_body_bytes", n*(length-1))

	resp, err := http.Get("http://" + r.addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz while the room is taken: %s, want 200", resp.Status)
	}
	const pings = 3
	for i := range pings {
		body, _ := json.Marshal(&discordgo.Interaction{ID: strconv.Itoa(i), Type: discordgo.InteractionPing, Token: "t", AppID: r.fake.AppID(), Version: 1})
		req, err := r.fake.Sign(context.Background(), "http://"+r.addr+discord.InteractionsPath, body, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("a signed PING with no room for its body: %s, Retry-After %q; want 503 and a Retry-After", resp.Status, resp.Header.Get("Retry-After"))
		}
	}
	if got := r.metric(t, "faqbot_http_requests_refused_total"); got != pings {
		t.Errorf("faqbot_http_requests_refused_total = %v, want %d", got, pings)
	}
	if got := r.metric(t, "faqbot_http_request_body_bytes"); got != n*(length-1) {
		t.Errorf("faqbot_http_request_body_bytes = %v after the refusals, want %d", got, n*(length-1))
	}
	if got := strings.Count(r.logs.String(), "holds as many bytes of request bodies"); got != 1 {
		t.Errorf("the shortage was logged %d times, want once", got)
	}

	for _, c := range conns {
		c.Close()
	}
	r.waitMetric(t, "faqbot_http_request_body_bytes", 0)
	r.probe(t)
	if got := strings.Count(r.logs.String(), "has room for request bodies again"); got != 1 {
		t.Errorf("the end of the shortage was logged %d times, want once", got)
	}
}

// TestIdleConnectionsMakeRoom holds every connection slot with clients
// that send a request, read the answer and then keep the connection open,
// sending nothing more: once they have been idle closeIdleAfter, a new
// client is still served, in the slot of the connection idle the longest,
// which is closed, while the others stay open and usable.
func TestIdleConnectionsMakeRoom(t *testing.T) {
	const capacity = 8
	r := startListener(t, capacity, 0)
	conns := make([]*rawhttp.Conn, capacity)
	for i := range conns {
		c, err := rawhttp.Dial(r.addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		conns[i] = c
		if status := roundTrip(t, c, healthzRequest); status != http.StatusOK {
			t.Fatalf("connection %d: /healthz %d", i, status)
		}
		// One at a time, so that which is idle the longest is known.
		r.waitMetric(t, "faqbot_http_connections_idle", float64(i+1))
	}
	time.Sleep(closeIdleAfter) // only connections idle that long are closed
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 20 * time.Second}
	resp, err := client.Get("http://" + r.addr + "/healthz")
	if err != nil {
		t.Fatalf("a new client while every slot is held by an idle connection: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("a new client: /healthz %s", resp.Status)
	}
	if !conns[0].Closed(20 * time.Second) {
		t.Error("the connection idle the longest is still open")
	}
	for i, c := range conns[1:] {
		if status := roundTrip(t, c, healthzRequest); status != http.StatusOK {
			t.Errorf("connection %d, after the new client: /healthz %d", i+1, status)
		}
	}
	// Every slot is held again: the checks below get one once these
	// have been idle long enough to be closed.
	time.Sleep(closeIdleAfter)
	if got := r.metric(t, "faqbot_http_connections_refused_total"); got != 0 {
		t.Errorf("faqbot_http_connections_refused_total = %v, want 0", got)
	}
	r.probe(t)
}

// healthzRequest is a GET /healthz as a client keeping its connection
// alive writes it.
const healthzRequest = "GET /healthz HTTP/1.1\r\nHost: faqbot\r\n\r\n"

// TestKeptAliveClientsAreNotCutOff sends POSTs one after another on a
// kept-alive connection while other clients open and close connections
// at a listener whose every slot is taken: the kept-alive connection,
// idle between its requests for far less than closeIdleAfter, is never
// closed under a request it has begun to send, and every POST is
// answered (a POST that fails so is not sent again by HTTP clients).
func TestKeptAliveClientsAreNotCutOff(t *testing.T) {
	r := startListener(t, 2, 0)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}, Timeout: 20 * time.Second}
	stop := make(chan struct{})
	var churn sync.WaitGroup
	churn.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if c, err := net.Dial("tcp", r.addr); err == nil {
				time.Sleep(2 * time.Millisecond)
				c.Close()
			}
		}
	})
	const posts = 2000
	lost := 0
	var first error
	for range posts {
		resp, err := client.Post("http://"+r.addr+"/healthz", "text/plain", strings.NewReader("x"))
		if err != nil {
			if lost++; first == nil {
				first = err
			}
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	close(stop)
	churn.Wait()
	if lost > 0 {
		t.Errorf("%d of %d POSTs on a kept-alive connection never answered (first: %v)", lost, posts, first)
	}
}

// TestNextRequestHeadersAreTimed keeps a connection alive after a request
// and, once it is idle, sends one byte of the next: from that byte, the
// client has the 5 s a new connection has for its headers, not the 60 s
// a kept-alive connection may wait for its next request. (A byte that
// comes before the server counts the connection idle is read by the
// server's own reader meanwhile: the connection then waits as an idle
// one, which the listener closes to make room once it has been idle 1 s.)
func TestNextRequestHeadersAreTimed(t *testing.T) {
	r := startListener(t, 0, 0)
	c, err := rawhttp.Dial(r.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if status := roundTrip(t, c, healthzRequest); status != http.StatusOK {
		t.Fatalf("/healthz %d", status)
	}
	r.waitMetric(t, "faqbot_http_connections_idle", 1)
	if _, err := io.WriteString(c, healthzRequest[:1]); err != nil {
		t.Fatal(err)
	}
	if !c.Closed(idleTimeout / 2) {
		t.Errorf("a connection holding one byte of its next request was still open after %v", idleTimeout/2)
	}
}

// roundTrip writes request on c and returns the status of the answer.
func roundTrip(t *testing.T, c *rawhttp.Conn, request string) int {
	t.Helper()
	if _, err := io.WriteString(c, request); err != nil {
		t.Fatal(err)
	}
	resp, _, err := c.ReadResponse(20 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode
}

// TestHeldBodiesWithinTheDefaultRoom opens thousands of connections that
// each send all but the last byte of a 64 KiB interaction body with a
// well-formed signature, with the listener's default room for bodies:
// every one is answered, 503 when it found no room or 400 when its body
// deadline cut it off, the 503s are counted, and the bodies held never
// exceed the room. The heap they take is logged, not asserted.
func TestHeldBodiesWithinTheDefaultRoom(t *testing.T) {
	if testing.Short() {
		t.Skip("opens thousands of connections")
	}
	const n, length = 2000, 64 << 10
	r := startListener(t, 0, 0)
	var before, held runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	conns := r.heldBodies(t, n, length)
	heldBytes := r.metric(t, "faqbot_http_request_body_bytes")
	runtime.GC()
	runtime.ReadMemStats(&held)

	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		wg       sync.WaitGroup
	)
	for _, c := range conns {
		wg.Go(func() {
			c.SetReadDeadline(time.Now().Add(60 * time.Second))
			status := 0
			if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil {
				status = resp.StatusCode
				resp.Body.Close()
			}
			mu.Lock()
			statuses[status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if statuses[http.StatusServiceUnavailable]+statuses[http.StatusBadRequest] != n {
		t.Errorf("answers by status: %v; want every connection answered 503 or 400", statuses)
	}
	if got := r.metric(t, "faqbot_http_requests_refused_total"); got != float64(statuses[http.StatusServiceUnavailable]) {
		t.Errorf("faqbot_http_requests_refused_total = %v, want the %d answered 503", got, statuses[http.StatusServiceUnavailable])
	}
	if heldBytes > maxBodyBytes {
		t.Errorf("%v bytes of bodies held, more than the room (%d)", heldBytes, maxBodyBytes)
	}
	t.Logf("%d connections holding 64 KiB bodies but their last byte: %d answered 503 for want of room, %d cut off at their body deadline (400); %.0f bytes of bodies held when the last was sent; heap in use after a collection %.1f MiB before, %.1f MiB then (test and server)",
		n, statuses[http.StatusServiceUnavailable], statuses[http.StatusBadRequest], heldBytes,
		float64(before.HeapInuse)/(1<<20), float64(held.HeapInuse)/(1<<20))
}

package reliability

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the driver the store uses, to lock its file from outside

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/bot/slack/slackfake"
	"github.com/faqbot/faqbot/knowledge"
)

// exactlyOnce checks that every key got exactly one reply.
func exactlyOnce(t testing.TB, what string, keys []string, got map[string]int) {
	t.Helper()
	var wrong []string
	for _, k := range keys {
		if got[k] != 1 {
			wrong = append(wrong, fmt.Sprintf("%s: %d", k, got[k]))
		}
	}
	if len(wrong) > 0 {
		t.Errorf("%s: %d of %d questions did not get exactly one reply: %v", what, len(wrong), len(keys), head(wrong))
	}
}

// slackReplies counts the fake Slack's replies per thread.
func slackReplies(fake *slackfake.Server) map[string]int {
	out := map[string]int{}
	for _, r := range fake.Replies() {
		out[r.ThreadTS()]++
	}
	return out
}

// discordReplies counts the fake Discord's replies per message replied to.
func discordReplies(fake *discordfake.Server) map[string]int {
	out := map[string]int{}
	for _, s := range fake.Sent() {
		if s.Via == "channel" && s.Reference != nil {
			out[s.Reference.MessageID]++
		}
	}
	return out
}

// TestConnectionDropMidBurst cuts the Socket Mode and gateway connections
// abruptly in the middle of a burst, while replies are in flight. The
// clients reconnect (Slack) or resume (Discord), what Slack did not see
// acknowledged is redelivered, and every question gets exactly one reply.
func TestConnectionDropMidBurst(t *testing.T) {
	t.Parallel()
	const n = 200
	t.Run("slack", func(t *testing.T) {
		t.Parallel()
		rig := startSlack(t, newBot(t, botSetup{limits: loadLimits()}), slackSetup{relay: true})
		// Replies in one channel wait, so that work is in flight across
		// the drop.
		release := rig.tap.hold("C0DROP0")
		defer release()
		base := rig.tap.replyCount()
		var keys []string
		var sent []slackfake.Delivery
		ask := func(i int) {
			ts := rig.fake.NewTS()
			ch := fmt.Sprintf("C0DROP%d", i%10)
			sent = append(sent, rig.fake.SendMention(t, slackfake.Message{Channel: ch, User: fmt.Sprintf("U%04d", i), Text: loadTexts[i%len(loadTexts)], TS: ts}))
			keys = append(keys, ts)
		}
		for i := range n / 4 {
			ask(i)
		}
		// The network stalls mid-burst, then the connection is reset: what
		// was on the wire either way, envelopes and acks, is lost.
		rig.fake.WaitAck(t, sent[n/8].EnvelopeID)
		rig.relay.stall()
		for i := n / 4; i < n/2; i++ {
			ask(i)
		}
		if cut := rig.relay.cut(); cut == 0 {
			t.Fatal("no connection to cut")
		}
		rig.fake.WaitConnections(t, 2)
		for i := n / 2; i < n; i++ {
			ask(i)
		}
		for _, d := range sent[n/2:] {
			rig.fake.WaitAck(t, d.EnvelopeID)
		}
		release()
		// Slack redelivers every envelope it saw no ack for.
		acked := map[string]bool{}
		for _, r := range rig.fake.Requests() {
			if r.Method == "ack" {
				acked[r.EnvelopeID] = true
			}
		}
		redelivered := 0
		for i, d := range sent {
			// Slack also redelivers some it saw acknowledged late.
			if !acked[d.EnvelopeID] || i < 10 {
				rig.fake.Redeliver(t, d)
				redelivered++
			}
		}
		rig.tap.waitReplies(t, base+n)
		if err := rig.run.stop(); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d envelopes redelivered; %d reconnects", redelivered, rig.adapter.Reconnects())
		if rig.adapter.Reconnects() == 0 {
			t.Error("the adapter reports no reconnect")
		}
		exactlyOnce(t, "slack", keys, slackReplies(rig.fake))
	})
	t.Run("discord", func(t *testing.T) {
		t.Parallel()
		rig := startDiscord(t, newBot(t, botSetup{limits: loadLimits()}), discordSetup{relay: true, channels: 10})
		release := rig.tap.hold(discordChannel(0))
		defer release()
		var keys []string
		ask := func(i int) {
			keys = append(keys, rig.ask(discordChannel(i%10), fmt.Sprintf("3000000000000%05d", i), loadTexts[i%len(loadTexts)]))
		}
		for i := range n / 4 {
			ask(i)
		}
		rig.relay.stall()
		for i := n / 4; i < n/2; i++ {
			ask(i)
		}
		rig.relay.setDown(true)
		if cut := rig.relay.cut(); cut == 0 {
			t.Fatal("no connection to cut")
		}
		// Sent while the connection is down: the gateway keeps them for
		// RESUME.
		for i := n / 2; i < 3*n/4; i++ {
			ask(i)
		}
		rig.relay.setDown(false)
		rig.fake.WaitFrame(t, "RESUMED", func(f discordfake.Frame) bool { return !f.In && f.T == "RESUMED" })
		for i := 3 * n / 4; i < n; i++ {
			ask(i)
		}
		release()
		rig.tap.waitReplies(t, n)
		if err := rig.run.stop(); err != nil {
			t.Fatal(err)
		}
		if rig.adapter.Reconnects() == 0 {
			t.Error("the adapter reports no reconnect")
		}
		exactlyOnce(t, "discord", keys, discordReplies(rig.fake))
	})
}

// TestSlowPlatformAPI makes the platform's API hang for one channel: the
// replies there time out on the client's own deadline and are logged,
// while every other channel is answered meanwhile; afterwards the slow
// channel is served again and no late duplicate appears.
func TestSlowPlatformAPI(t *testing.T) {
	t.Parallel()
	type platform struct {
		name string
		// nslow is how many replies hang in the slow channel: for Slack,
		// more than the 8 workers its adapter once had, which then held up
		// every channel.
		nslow   int
		tap     *tap
		ask     func(t testing.TB, channel, user, text string) string
		channel func(i int) string
		stop    func() error
		replies func() map[string]int
		logs    *logBuffer
		logLine string
	}
	for _, start := range []struct {
		name  string
		start func(t *testing.T) platform
	}{
		{"slack", func(t *testing.T) platform {
			rig := startSlack(t, newBot(t, botSetup{limits: loadLimits()}), slackSetup{})
			return platform{"slack", 10, rig.tap, rig.ask, func(i int) string { return fmt.Sprintf("C0SLOW%d", i) }, rig.run.stop,
				func() map[string]int { return slackReplies(rig.fake) }, rig.logs, "could not send a reply to Slack"}
		}},
		{"discord", func(t *testing.T) platform {
			rig := startDiscord(t, newBot(t, botSetup{limits: loadLimits()}), discordSetup{channels: 11})
			return platform{"discord", 2, rig.tap, func(_ testing.TB, channel, user, text string) string { return rig.ask(channel, user, text) },
				discordChannel, rig.run.stop, func() map[string]int { return discordReplies(rig.fake) }, rig.logs, "could not send a reply"}
		}},
	} {
		t.Run(start.name, func(t *testing.T) {
			t.Parallel()
			p := start.start(t)
			slow := p.channel(10)
			release := p.tap.hold(slow)
			defer release()
			const nfast = 30
			nslow := p.nslow
			base := p.tap.replyCount()
			var slowKeys, fastKeys []string
			for i := range nslow {
				slowKeys = append(slowKeys, p.ask(t, slow, fmt.Sprintf("3000000000000%05d", i), "What is the wifi password?"))
			}
			for i := range nfast {
				fastKeys = append(fastKeys, p.ask(t, p.channel(i%10), fmt.Sprintf("3000000000001%05d", i), loadTexts[i%len(loadTexts)]))
			}
			// Every other channel is answered while the slow one hangs:
			// before any call to it has ended.
			p.tap.waitReplies(t, base+nfast)
			for _, x := range p.tap.requests() {
				if x.channel == slow && x.status != 0 {
					t.Fatalf("%s: the other channels were answered only after a call to the slow one ended (status %d): they waited for it", p.name, x.status)
				}
			}
			// The hanging calls end on the client's own deadline.
			p.tap.wait(t, "the calls to the slow channel to time out", func() bool {
				n := 0
				for _, x := range p.tap.sent {
					if x.channel == slow && x.status == -1 {
						n++
					}
				}
				return n >= nslow
			})
			release()
			again := p.ask(t, slow, "300000000000200000", "What is the wifi password?")
			p.tap.waitReplies(t, base+nfast+1)
			if err := p.stop(); err != nil {
				t.Fatal(err)
			}
			got := p.replies()
			exactlyOnce(t, p.name+" other channels", fastKeys, got)
			exactlyOnce(t, p.name+" slow channel afterwards", []string{again}, got)
			for _, k := range slowKeys {
				if got[k] != 0 {
					t.Errorf("%s: a reply that timed out was delivered %d times after all", p.name, got[k])
				}
			}
			if lines := p.logs.lines(p.logLine); len(lines) < nslow {
				t.Errorf("%s: %d log lines say a reply could not be sent, want %d:\n%s", p.name, len(lines), nslow, p.logs)
			}
		})
	}
}

// TestDatabaseLocked holds an exclusive lock on the state database from
// another connection, as another process or a stuck backup would, while a
// burst of questions arrives: every question is answered, and once the
// lock goes the database takes records again.
func TestDatabaseLocked(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "faqbot.db")
	st := openStore(t, path)
	b := newBot(t, botSetup{store: st, limits: loadLimits()})
	rig := startSlack(t, b, slackSetup{})
	ctx := context.Background()

	// The store may be writing as the lock is taken (its first prune, say):
	// wait for it, as another process would, rather than fail at once.
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	const n = 100
	base := rig.tap.replyCount()
	var keys []string
	for i := range n {
		keys = append(keys, rig.ask(t, fmt.Sprintf("C%04d", i%10), fmt.Sprintf("U%04d", i), loadTexts[i%len(loadTexts)]))
	}
	rig.tap.waitReplies(t, base+n)
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	keys = append(keys, rig.ask(t, "C0AFTER", "U0AFTER", "What is the wifi password?"))
	rig.tap.waitReplies(t, base+n+1)
	if err := rig.run.stop(); err != nil {
		t.Fatal(err)
	}
	exactlyOnce(t, "slack", keys, slackReplies(rig.fake))
	// The last question reaches the database once the lock is gone.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	var count int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM questions WHERE channel = ?", "C0AFTER").Scan(&count); err != nil {
		t.Fatal(err)
	}
	if count == 0 {
		t.Error("no question was recorded after the lock was released")
	}
}

// TestBrokenKnowledgeFile damages the served knowledge file in every way an
// editor, a deploy or a full disk can, and reloads after each, as the file
// watch does: every reload is refused, the same knowledge base keeps
// serving the platforms, and a good file is taken again afterwards.
func TestBrokenKnowledgeFile(t *testing.T) {
	t.Parallel()
	good, err := os.ReadFile(kbPath)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "faq.yaml")
	write := func(t *testing.T, data []byte) {
		t.Helper()
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(t, good)
	b := newBot(t, botSetup{kb: path})
	rig := startSlack(t, b, slackSetup{})
	// cut returns the good file up to the first occurrence of marker.
	cut := func(marker string) []byte {
		i := strings.Index(string(good), marker)
		if i < 0 {
			t.Fatalf("%q not in the knowledge file", marker)
		}
		return good[:i]
	}
	bomb := "version: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 1, "a"; i < 12; i++ {
		name := fmt.Sprintf("a%d", i)
		bomb += fmt.Sprintf("%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	bomb += "entries: [*a11]\n"
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T)
	}{
		{"deleted", func(t *testing.T) { os.Remove(path) }},
		{"truncated to nothing", func(t *testing.T) { write(t, nil) }},
		{"half-written inside a quoted answer", func(t *testing.T) { write(t, cut("and <!here>")) }},
		{"half-written inside a key", func(t *testing.T) { write(t, append(cut("question: Where can I park"), "quest"...)) }},
		{"half-written after an id", func(t *testing.T) { write(t, cut("    question: Where can I park")) }},
		{"a folder in its place", func(t *testing.T) { os.Remove(path); os.Mkdir(path, 0o755) }},
		{"binary garbage", func(t *testing.T) { write(t, []byte("\x00\x01\x02\xff\xfe\x89PNG\r\n\x1a\n")) }},
		{"invalid UTF-8", func(t *testing.T) {
			write(t, append(append([]byte{}, good...), "\n  - id: x\n    question: \xff\xfe?\n    answer: y\n"...))
		}},
		{"a YAML alias bomb", func(t *testing.T) { write(t, []byte(bomb)) }},
		{"nested 100,000 deep", func(t *testing.T) { write(t, []byte("version: 1\nentries: "+strings.Repeat("[", 100000))) }},
		{"larger than the limit", func(t *testing.T) {
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Truncate(knowledge.MaxFileSize + 1); err != nil { // sparse: costs no disk
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() { os.RemoveAll(path); write(t, good) }()
			before := b.Base()
			tc.damage(t)
			if _, err := b.Reload(context.Background(), "file watch"); err == nil {
				t.Fatal("the reload of a damaged file succeeded")
			}
			if b.Base() != before {
				t.Fatal("a failed reload replaced the knowledge base")
			}
			base := rig.tap.replyCount()
			key := rig.ask(t, "C0KB", "U0KB", "What is the wifi password?")
			rig.tap.waitReplies(t, base+1)
			for _, r := range rig.fake.Replies() {
				if r.ThreadTS() == key && !strings.Contains(r.AllText(), "Office-Guest") {
					t.Errorf("the answer after a failed reload: %q", r.AllText())
				}
			}
		})
	}
	before := b.Base()
	if _, err := b.Reload(context.Background(), "file watch"); err != nil || b.Base() == before {
		t.Errorf("the good file was not taken again: %v", err)
	}
}

// TestStopDuringBurst cancels the adapters' contexts in the middle of a
// burst, as SIGTERM does through faqbot run, and drains the bot as faqbot
// run does, while replies are held in flight by a slow API: Run waits for
// them, and every question the platform handed over and saw accepted
// before the stop gets exactly one reply.
func TestStopDuringBurst(t *testing.T) {
	t.Parallel()
	const n = 100
	t.Run("slack", func(t *testing.T) {
		t.Parallel()
		b := newBot(t, botSetup{limits: loadLimits()})
		rig := startSlack(t, b, slackSetup{})
		release := rig.tap.hold("C0STOP0")
		defer release()
		var sent []slackfake.Delivery
		keys := map[string]string{} // envelope id -> ts
		for i := range n {
			ts := rig.fake.NewTS()
			d := rig.fake.SendMention(t, slackfake.Message{Channel: fmt.Sprintf("C0STOP%d", i%5), User: fmt.Sprintf("U%04d", i), Text: loadTexts[i%len(loadTexts)], TS: ts})
			sent = append(sent, d)
			keys[d.EnvelopeID] = ts
		}
		// Stop once Slack has handed every envelope over and the replies
		// in the slow channel are in flight.
		for _, d := range sent {
			rig.fake.WaitAck(t, d.EnvelopeID)
		}
		rig.tap.wait(t, "replies in flight", func() bool { return rig.tap.waiting > 0 })
		stopped := stopAsFaqbotRunDoes(t, b, rig.run)
		release()
		if err := <-stopped; err != nil {
			t.Fatal(err)
		}
		// Every envelope acknowledged before the stop is Slack's no
		// longer: it must have been answered.
		var acked []string
		for _, r := range rig.fake.Requests() {
			if ts, ours := keys[r.EnvelopeID]; ours && r.Method == "ack" {
				acked = append(acked, ts)
			}
		}
		t.Logf("%d of %d envelopes acknowledged before the stop", len(acked), n)
		exactlyOnce(t, "slack", acked, slackReplies(rig.fake))
	})
	t.Run("discord", func(t *testing.T) {
		t.Parallel()
		b := newBot(t, botSetup{limits: loadLimits()})
		rig := startDiscord(t, b, discordSetup{channels: 5})
		release := rig.tap.hold(discordChannel(0))
		defer release()
		var keys []string
		for i := range n {
			keys = append(keys, rig.ask(discordChannel(i%5), fmt.Sprintf("3000000000000%05d", i), loadTexts[i%len(loadTexts)]))
		}
		rig.tap.wait(t, "replies in flight", func() bool { return rig.tap.waiting > 0 })
		// The replies outside the slow channel are answered; those in it
		// are in flight when the stop comes.
		rig.tap.waitReplies(t, n-n/5)
		stopped := stopAsFaqbotRunDoes(t, b, rig.run)
		release()
		if err := <-stopped; err != nil {
			t.Fatal(err)
		}
		exactlyOnce(t, "discord", keys, discordReplies(rig.fake))
	})
}

// stopAsFaqbotRunDoes stops a platform the way faqbot run shuts down: the
// platform's context is cancelled, the platform finishes what it accepted
// within the shipped shutdown grace, and then the bot drains. It returns
// Run's error, or the drain's.
func stopAsFaqbotRunDoes(t *testing.T, b *bot.Bot, r *runner) <-chan error {
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
		defer cancel()
		err := r.stop()
		if derr := b.Drain(ctx); err == nil {
			err = derr
		}
		done <- err
	}()
	return done
}

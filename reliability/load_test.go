package reliability

import (
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/faqbot/faqbot/bot"
)

// The simulated crowd of the load test.
const (
	loadUsers    = 200
	loadChannels = 50
	// loadQuestions is the number of questions asked in all, half on each
	// platform; loadQuestionsShort with -short.
	loadQuestions      = 5000
	loadQuestionsShort = 1000
	// heapSlack is how far above its baseline the heap may stay once
	// everything the load test built is gone.
	heapSlack = 16 << 20
)

// loadTexts are the questions the crowd asks: answered ones, loose
// phrasings, one word, and ones the knowledge base cannot answer.
var loadTexts = []string{
	"What is the wifi password?",
	"how do I connect to the printer",
	"How many holiday days do I get per year?",
	"where can I park my car?",
	"how do I claim my expenses",
	"my laptop broke, what do I do?",
	"when is payday?",
	"How do I set up the VPN?",
	"is there a canteen for lunch?",
	"I lost my access badge",
	"printer",
	"What is the meaning of life?",
	"Who won the football world cup in 1966?",
}

// asked is one question of the load: who asked where, and its text.
type asked struct {
	user, channel int
	text          string
}

// wave is a group of questions sent back to back, after which the test
// waits for every reply.
type wave struct {
	name string
	qs   []asked
	// serial sends the wave's questions one at a time, each after the
	// reply to the one before.
	serial bool
}

// loadWaves returns the load in waves adding up to total questions: a
// trickle, a burst across every channel, a burst in one channel, one user
// asking many questions at once, and large bursts for the rest.
func loadWaves(total int) []wave {
	n := 0
	next := func(user, channel int) asked {
		q := asked{user: user % loadUsers, channel: channel % loadChannels, text: loadTexts[n%len(loadTexts)]}
		n++
		return q
	}
	var waves []wave
	add := func(name string, size int, serial bool, who func(i int) (user, channel int)) {
		size = min(size, total-n)
		if size <= 0 {
			return
		}
		w := wave{name: name, serial: serial}
		for i := range size {
			w.qs = append(w.qs, next(who(i)))
		}
		waves = append(waves, w)
	}
	add("trickle", total/50, true, func(i int) (int, int) { return i * 7, i })
	add("burst across every channel", total/5, false, func(i int) (int, int) { return i, i })
	add("burst in one channel", total/10, false, func(i int) (int, int) { return i, 0 })
	add("one user asks at once", total/25, false, func(i int) (int, int) { return 0, i })
	for k := 1; n < total; k++ {
		add(fmt.Sprintf("large burst %d", k), total/5, false, func(i int) (int, int) { return i * 3, i * 11 })
	}
	return waves
}

// loadResult is what a load run measured.
type loadResult struct {
	questions int
	latencies []time.Duration
	// busy counts the replies that said the bot was too busy to answer.
	busy int
}

// platformLoad is one platform under load: it asks and says where the
// reply to a question was counted.
type platformLoad struct {
	name string
	tap  *tap
	ask  func(t testing.TB, q asked) string
	// final returns the fake's own count of replies per question key,
	// read after the adapter stopped, and how many said the bot was busy.
	final func() (map[string]int, int)
	stop  func() error
	logs  *logBuffer
}

// runLoad sends the waves through p, waiting for each wave's replies, then
// stops the adapter and checks that every question got exactly one reply.
func runLoad(t testing.TB, p platformLoad, waves []wave) loadResult {
	t.Helper()
	sentAt := map[string]time.Time{}
	var keys []string
	base := p.tap.replyCount()
	for _, w := range waves {
		waveStart := time.Now()
		for _, q := range w.qs {
			key := p.ask(t, q)
			if _, dup := sentAt[key]; dup {
				t.Fatalf("%s: two questions share the key %s", p.name, key)
			}
			sentAt[key] = time.Now()
			keys = append(keys, key)
			if w.serial {
				p.tap.waitReplies(t, base+len(keys))
			}
		}
		p.tap.waitReplies(t, base+len(keys))
		t.Logf("%s: %s: %d questions answered in %v", p.name, w.name, len(w.qs), time.Since(waveStart).Round(time.Millisecond))
	}
	if err := p.stop(); err != nil {
		t.Errorf("%s: stopping after the load: %v", p.name, err)
	}
	var res loadResult
	res.questions = len(keys)
	arrived := map[string]time.Time{}
	for _, x := range p.tap.requests() {
		if x.key != "" && x.status == http.StatusOK {
			if _, seen := arrived[x.key]; !seen {
				arrived[x.key] = x.at
			}
		}
	}
	for _, k := range keys {
		res.latencies = append(res.latencies, arrived[k].Sub(sentAt[k]))
	}

	// The fake's own record, not the tap's, is what counts.
	got, busy := p.final()
	res.busy = busy
	var lost, doubled []string
	for _, k := range keys {
		switch n := got[k]; {
		case n == 0:
			lost = append(lost, k)
		case n > 1:
			doubled = append(doubled, fmt.Sprintf("%s (%d)", k, n))
		}
		delete(got, k)
	}
	if len(lost) > 0 || len(doubled) > 0 || len(got) > 0 {
		t.Errorf("%s: of %d questions, %d got no reply %v, %d more than one %v; %d replies answer no question %v",
			p.name, len(keys), len(lost), head(lost), len(doubled), head(doubled), len(got), got)
	}
	for _, bad := range [][]string{p.logs.lines("level=ERROR"), p.logs.lines("dropped")} {
		if len(bad) > 0 {
			t.Errorf("%s: %d log lines say something went wrong, such as:\n%s", p.name, len(bad), strings.Join(head(bad), "\n"))
		}
	}
	return res
}

// head returns the first few items of a list, for messages.
func head[T any](list []T) []T { return list[:min(len(list), 5)] }

// busyText is the start of the reply the bot gives when all its work
// slots stay taken.
const busyText = "I am answering a lot of questions"

// loadLimits are the limits of the shipped config less the cooldown and
// the duplicate pointer, which by design answer a crowd asking the same
// question with silence or a pointer instead of an answer.
func loadLimits() bot.Limits {
	return bot.Limits{MaxConcurrent: 64, MaxWait: 5 * time.Second}
}

// slackLoad runs the Slack adapter for b and returns it as a platformLoad.
func slackLoad(t testing.TB, b *bot.Bot) platformLoad {
	rig := startSlack(t, b, slackSetup{})
	return platformLoad{
		name: "slack", tap: rig.tap, logs: rig.logs, stop: rig.run.stop,
		ask: func(t testing.TB, q asked) string {
			return rig.ask(t, fmt.Sprintf("C%04d", q.channel), fmt.Sprintf("U%04d", q.user), q.text)
		},
		final: func() (map[string]int, int) {
			out, busy := map[string]int{}, 0
			for _, r := range rig.fake.Replies() {
				if r.ThreadTS() == rig.warmup {
					continue
				}
				out[r.ThreadTS()]++
				if strings.Contains(r.AllText(), busyText) {
					busy++
				}
			}
			return out, busy
		},
	}
}

// discordLoad runs the Discord adapter for b and returns it as a
// platformLoad.
func discordLoad(t testing.TB, b *bot.Bot) platformLoad {
	rig := startDiscord(t, b, discordSetup{channels: loadChannels})
	return platformLoad{
		name: "discord", tap: rig.tap, logs: rig.logs, stop: rig.run.stop,
		ask: func(_ testing.TB, q asked) string {
			return rig.ask(discordChannel(q.channel), fmt.Sprintf("3000000000000%05d", q.user), q.text)
		},
		final: func() (map[string]int, int) {
			out, busy := map[string]int{}, 0
			for _, s := range rig.fake.Sent() {
				if s.Via == "channel" && s.Reference != nil {
					out[s.Reference.MessageID]++
					if strings.Contains(s.Text(), busyText) {
						busy++
					}
				}
			}
			return out, busy
		},
	}
}

// TestLoad asks 5,000 questions from 200 users in 50 channels, half on
// Slack and half on Discord at once, both served by one bot as faqbot run
// serves them, in a trickle and in bursts. Every question gets exactly one reply;
// afterwards no goroutine is left and the heap is back near where it was.
func TestLoad(t *testing.T) {
	total := loadQuestions
	if testing.Short() {
		total = loadQuestionsShort
	}
	ignore := goleak.IgnoreCurrent()
	goroutines := runtime.NumGoroutine()
	before := heapInUse()

	t.Run("platforms", func(t *testing.T) {
		b := newBot(t, botSetup{limits: loadLimits(), store: openStore(t, t.TempDir()+"/faqbot.db")})
		waves := loadWaves(total / 2)
		for _, p := range []func(testing.TB, *bot.Bot) platformLoad{slackLoad, discordLoad} {
			pl := p(t, b)
			t.Run(pl.name, func(t *testing.T) {
				t.Parallel()
				start := time.Now()
				res := runLoad(t, pl, waves)
				p50, p99 := percentile(res.latencies, 50), percentile(res.latencies, 99)
				t.Logf("%s: %d questions in %v; time to reply under this load: median %v, p99 %v; %d replies said the bot was busy",
					pl.name, res.questions, time.Since(start).Round(time.Millisecond), p50, p99, res.busy)
			})
		}
	})
	if t.Failed() {
		return
	}
	if err := goleak.Find(ignore); err != nil {
		t.Errorf("goroutines left after the load: %v", err)
	}
	after := heapInUse()
	t.Logf("goroutines: %d before, %d after; heap in use: %d KiB before, %d KiB after", goroutines, runtime.NumGoroutine(), before>>10, after>>10)
	if after > before+heapSlack {
		t.Errorf("heap in use is %d KiB after the load, %d KiB before: more than %d KiB is still held", after>>10, before>>10, heapSlack>>10)
	}
}

// heapInUse returns the bytes of heap in use after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// percentile returns the p-th percentile of ds.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

// BenchmarkLoad measures the bot's own added latency per question: the time
// from the fake platform sending a question to the fake receiving the
// reply, over loopback, with every platform call answered at once. One
// question is in flight at a time, so no queueing is counted. It reports
// the median and the 99th percentile.
func BenchmarkLoad(b *testing.B) {
	for _, p := range []func(testing.TB, *bot.Bot) platformLoad{slackLoad, discordLoad} {
		bt := newBot(b, botSetup{limits: loadLimits()})
		pl := p(b, bt)
		b.Run(pl.name, func(b *testing.B) {
			var lat []time.Duration
			base := pl.tap.replyCount()
			n := 0
			for b.Loop() {
				q := asked{user: n % loadUsers, channel: n % loadChannels, text: loadTexts[n%len(loadTexts)]}
				start := time.Now()
				pl.ask(b, q)
				n++
				pl.tap.waitReplies(b, base+n)
				lat = append(lat, time.Since(start))
			}
			b.ReportMetric(float64(percentile(lat, 50).Microseconds())/1000, "median-ms")
			b.ReportMetric(float64(percentile(lat, 99).Microseconds())/1000, "p99-ms")
		})
		if err := pl.stop(); err != nil {
			b.Error(err)
		}
	}
}

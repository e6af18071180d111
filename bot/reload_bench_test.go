package bot

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faqbot/faqbot/internal/resident"
)

// BenchmarkReload measures what a reload of a large knowledge file costs
// the bot serving it, in one process: its resident memory idle (after the
// load and the questions below), at the reload's peak (the median of the
// reloads) and as the reload leaves it, the time the bot takes to answer a question,
// idle and while the reload runs, and the heap allocations of an answer. The file is the one
// FAQBOT_BENCH_KNOWLEDGE names, as made by
//
//	go run ./knowledge/internal/kbgen -data ../shared/bench -entries 100000 -o /tmp/kb100k.yaml
//
// and the questions are the test questions of the public benchmark data
// beside the repository, asked one after another from one goroutine (a
// busy chat) while the reload runs, and then idle for as long. Each
// iteration is one reload: of the file unchanged, which gives back the
// base serving; of the file with a comment added, every other reload,
// whose new base shares the serving one's text and index; and of the
// file with one entry's question changed, every other reload, which
// builds a new index.
func BenchmarkReload(b *testing.B) {
	path := os.Getenv("FAQBOT_BENCH_KNOWLEDGE")
	if path == "" {
		b.Skip("FAQBOT_BENCH_KNOWLEDGE names no knowledge file")
	}
	questions := benchQuestions(b)
	commented := editedCopy(b, path, "", "# A comment.\n")
	changed := editedCopy(b, path, "question: ", "Changed: ")
	b.Run("unchanged", func(b *testing.B) { benchmarkReload(b, questions, path, path) })
	b.Run("comment", func(b *testing.B) { benchmarkReload(b, questions, path, commented) })
	b.Run("changed", func(b *testing.B) { benchmarkReload(b, questions, path, changed) })
}

// editedCopy writes a copy of the knowledge file at path with insert put
// after the first after in it (or first, when after is ""), and
// returns its path. After "question: " it goes inside the quotes.
func editedCopy(b *testing.B, path, after, insert string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	at := bytes.Index(data, []byte(after))
	if at < 0 {
		b.Fatalf("%s has no %q", path, after)
	}
	at += len(after)
	if after != "" && data[at] == '"' {
		at++
	}
	data = slices.Concat(data[:at], []byte(insert), data[at:])
	dir := b.TempDir()
	out := filepath.Join(dir, filepath.Base(path))
	if err := os.WriteFile(out, data, 0o600); err != nil {
		b.Fatal(err)
	}
	return out
}

// benchmarkReload is BenchmarkReload for reloads that alternate between
// the files at paths a and b, the bot serving a first.
func benchmarkReload(b *testing.B, questions []string, paths ...string) {
	var l Loading
	kb, err := l.Load(paths[0])
	if err != nil {
		b.Fatal(err)
	}
	reloads := 0
	bt := New(kb, Options{Load: func(_ context.Context, serving *Base) (*Base, error) {
		reloads++
		return l.Reloading().LoadReplacing(paths[reloads%len(paths)], serving)
	}})
	ctx := context.Background()
	ask := func(i int) time.Duration {
		start := time.Now()
		bt.Handle(ctx, Message{Platform: "bench", Channel: "c", User: "u", Text: questions[i%len(questions)], Origin: Direct})
		return time.Since(start)
	}
	for i := range len(questions) {
		ask(i) // the first questions of a file warm its caches
	}
	runtime.GC()
	debug.FreeOSMemory()
	idleRSS, _ := resident.MB()

	var idle, during []time.Duration
	var reloadTime time.Duration
	var idleAllocs float64 // allocations an answer, idle: the sum over reloads
	var peaks, afters []float64
	b.ResetTimer()
	for range b.N {
		resident.ResetPeak()
		var reloading atomic.Bool
		reloading.Store(true)
		done := make(chan []time.Duration)
		go func() {
			var lat []time.Duration
			for i := 0; reloading.Load(); i++ {
				lat = append(lat, ask(i))
			}
			done <- lat
		}()
		start := time.Now()
		if _, err := bt.Reload(ctx, "bench"); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		reloading.Store(false)
		_, peak := resident.MB()
		during = append(during, <-done...)
		reloadTime += took
		peaks = append(peaks, peak)
		// After the reload as the bot leaves it: a collection forced
		// here would be one more than a bot forces, and two in a row
		// empty the index's scratch space, which the next answer then
		// allocates again on pages handed back (12 MB at 100k entries).
		now, _ := resident.MB()
		afters = append(afters, now)
		// As many questions idle, for as long.
		from, objects := len(idle), allocatedObjects()
		for i, end := 0, time.Now().Add(took); time.Now().Before(end); i++ {
			idle = append(idle, ask(i))
		}
		idleAllocs += float64(allocatedObjects()-objects) / float64(max(1, len(idle)-from))
	}
	b.StopTimer()
	slices.Sort(peaks)
	slices.Sort(afters)
	peak := peaks[len(peaks)/2]
	b.ReportMetric(idleRSS, "idle-rss-MB")
	b.ReportMetric(peak, "reload-peak-rss-MB")
	b.ReportMetric(peak/idleRSS, "peak/idle")
	b.ReportMetric(afters[len(afters)/2], "after-rss-MB")
	b.ReportMetric(reloadTime.Seconds()/float64(b.N), "reload-s")
	idleP99, duringP99 := percentile(idle, 0.99), percentile(during, 0.99)
	b.ReportMetric(float64(percentile(idle, 0.5).Microseconds()), "idle-p50-µs")
	b.ReportMetric(float64(idleP99.Microseconds()), "idle-p99-µs")
	b.ReportMetric(float64(percentile(during, 0.5).Microseconds()), "reload-p50-µs")
	b.ReportMetric(float64(duringP99.Microseconds()), "reload-p99-µs")
	b.ReportMetric(float64(duringP99)/float64(idleP99), "p99-ratio")
	b.ReportMetric(idleAllocs/float64(b.N), "idle-allocs/answer")
}

// allocatedObjects returns the number of objects the process allocated on
// the heap so far.
func allocatedObjects() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:objects"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// percentile returns the p-th quantile of ds, sorting them.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[min(len(ds)-1, int(p*float64(len(ds))))]
}

// benchQuestions returns the test questions of the public benchmark data
// beside the repository (../shared/bench), skipping the benchmark when it
// is absent.
func benchQuestions(b *testing.B) []string {
	dir := filepath.Join("..", "..", "shared", "bench")
	var qs []string
	for _, d := range []string{"banking77", "chitchat-professional", "clinc150", "covid-cdc-faq"} {
		f, err := os.Open(filepath.Join(dir, d, "test.jsonl"))
		if err != nil {
			b.Skipf("benchmark data not found at %s: %v", dir, err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var c struct {
				Query string `json:"query"`
			}
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				b.Fatal(err)
			}
			qs = append(qs, c.Query)
		}
		f.Close()
	}
	return qs
}

package match

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/internal/resident"
	"github.com/faqbot/faqbot/knowledge"
)

// benchDir returns the public benchmark data beside the repository
// (../shared/bench), skipping the test when it is absent.
func benchDir(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "bench")
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		tb.Skipf("benchmark data not found at %s (a checkout of shared/ beside the repository): %v", dir, err)
	}
	return dir
}

// benchDatasets are the folders of the public benchmark data.
var benchDatasets = []string{"banking77", "chitchat-professional", "clinc150", "covid-cdc-faq"}

// loadBenchFile loads and checks the knowledge file at path.
func loadBenchFile(tb testing.TB, path string) *knowledge.File {
	tb.Helper()
	f, err := knowledge.Load(path)
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// benchSizes are the knowledge base sizes the speed benchmarks run at.
var benchSizes = []int{1_000, 10_000, 100_000}

// syntheticFile makes a knowledge file of n entries from the phrasings of
// the public benchmark data: entry i copies the phrasings of source entry
// i mod len(sources), each varied by dropping one word or adding one from
// elsewhere, with a variant number only where it would repeat a phrasing.
func syntheticFile(tb testing.TB, n int) (*knowledge.File, []string) {
	tb.Helper()
	dir := benchDir(tb)
	var sources [][]string
	var vocab, queries []string
	for _, d := range benchDatasets {
		f := loadBenchFile(tb, filepath.Join(dir, d, "kb.yaml"))
		for i := range f.Entries {
			sources = append(sources, f.Entries[i].Phrasings())
			for _, p := range f.Entries[i].Phrasings() {
				vocab = append(vocab, strings.Fields(p)...)
			}
		}
		queries = append(queries, readQueries(tb, filepath.Join(dir, d, "test.jsonl"))...)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	seen := make(map[string]bool)
	f := &knowledge.File{Version: 1, Language: "en", Entries: make([]knowledge.Entry, n)}
	for i := range f.Entries {
		src := sources[i%len(sources)]
		phr := make([]string, len(src))
		for k, p := range src {
			w := strings.Fields(p)
			if len(w) > 2 && rng.IntN(2) == 0 {
				j := rng.IntN(len(w))
				w = append(w[:j:j], w[j+1:]...)
			} else {
				w = append(w[:len(w):len(w)], vocab[rng.IntN(len(vocab))])
			}
			text := strings.Join(w, " ")
			if seen[strings.ToLower(text)] {
				text += fmt.Sprintf(" (variant %d)", i)
			}
			seen[strings.ToLower(text)] = true
			phr[k] = text
		}
		f.Entries[i] = knowledge.Entry{ID: fmt.Sprintf("e%d", i), Question: phr[0], Alternates: phr[1:], Answer: fmt.Sprintf("Answer %d.", i)}
	}
	return f, queries
}

// BenchmarkSearch asks every test question of the public data, in turn, of
// synthetic knowledge bases; besides the mean it reports the median and the
// 99th percentile time per question, and the questions answered a second
// of wall time (questions/s) and of the searching thread's CPU time
// (questions/cpu-s): with -cpu 1, the throughput of one core.
func BenchmarkSearch(b *testing.B) {
	eachSyntheticBase(b, benchSizes, func(b *testing.B, base *Index, queries []string) {
		times := make([]time.Duration, 0, b.N)
		cpu := make([]time.Duration, 0, b.N)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		b.ResetTimer()
		began, cpuBegan := time.Now(), threadCPU()
		for i := 0; i < b.N; i++ {
			c0 := threadCPU()
			start := time.Now()
			base.Search(queries[i%len(queries)])
			times = append(times, time.Since(start))
			cpu = append(cpu, threadCPU()-c0)
		}
		b.StopTimer()
		b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "questions/s")
		if spent := threadCPU() - cpuBegan; spent > 0 {
			b.ReportMetric(float64(b.N)/spent.Seconds(), "questions/cpu-s")
		}
		sort.Slice(cpu, func(i, j int) bool { return cpu[i] < cpu[j] })
		b.ReportMetric(float64(cpu[len(cpu)/2].Microseconds()), "cpu-median-µs")
		b.ReportMetric(float64(cpu[len(cpu)*99/100].Microseconds()), "cpu-p99-µs")
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		b.ReportMetric(float64(times[len(times)/2].Microseconds()), "median-µs")
		b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
		b.ReportMetric(ownQuestions(base, 500), "own-top1-%")
	})
}

// ownQuestions asks n entries of base, spread over it, their own question
// and returns the percentage that find their own entry first: what a
// search that leaves words out of a large file loses.
func ownQuestions(base *Index, n int) float64 {
	entries := base.file.Entries
	n = min(n, len(entries))
	right := 0
	for i := range n {
		e := &entries[i*len(entries)/n]
		if r := base.Search(e.Question); len(r.Candidates) > 0 && r.Candidates[0].Entry.ID == e.ID {
			right++
		}
	}
	return 100 * float64(right) / float64(n)
}

// eachSyntheticBase runs bench on a synthetic knowledge base of each of
// sizes entries, built before its timer starts, with the test questions of
// the public data. Each question is asked once before the timer starts:
// the parts of an index built at the first question that needs them (see
// lazyParts) would otherwise count in the first run's time and
// allocations, as a bot's first questions and not its steady state.
func eachSyntheticBase(b *testing.B, sizes []int, bench func(b *testing.B, base *Index, queries []string)) {
	for _, n := range sizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			f, queries := syntheticFile(b, n)
			base, err := New(f)
			if err != nil {
				b.Fatal(err)
			}
			for _, q := range queries {
				base.Search(q)
			}
			b.ReportAllocs()
			b.ResetTimer()
			bench(b, base, queries)
		})
	}
}

// BenchmarkBuild builds the index of synthetic knowledge bases and reports
// the heap the built base holds. It also builds each base once more after
// the timed runs, from a process that holds only the knowledge file (and
// the test binary), and reports how much the process's resident memory
// rose at its peak during that build (build-peak-rss-MB, the kernel's
// count: heap, garbage not yet collected and all) and after it, once the
// garbage is collected (built-rss-MB), over what it was before. The
// knowledge file itself, about 150 MB at 100k entries, is in neither.
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			f, _ := syntheticFile(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			var base *Index
			for i := 0; i < b.N; i++ {
				var err error
				if base, err = New(f); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			var before, after runtime.MemStats
			base = nil
			runtime.GC()
			runtime.ReadMemStats(&before)
			base, _ = New(f)
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MB")
			runtime.KeepAlive(base)

			base = nil
			runtime.GC()
			debug.FreeOSMemory() // return the freed pages, so that they count once they are used again
			rss0, _ := resident.MB()
			if resident.ResetPeak() {
				base, _ = New(f)
				_, peak := resident.MB()
				runtime.GC()
				debug.FreeOSMemory()
				rss1, _ := resident.MB()
				b.ReportMetric(peak-rss0, "build-peak-rss-MB")
				b.ReportMetric(rss1-rss0, "built-rss-MB")
			}
			runtime.KeepAlive(base)
			runtime.KeepAlive(f)
		})
	}
}

// BenchmarkComplete completes the first words of the test questions, as
// autocomplete does while a question is typed.
func BenchmarkComplete(b *testing.B) {
	eachSyntheticBase(b, benchSizes[:2], func(b *testing.B, base *Index, queries []string) {
		for i := 0; i < b.N; i++ {
			q := queries[i%len(queries)]
			base.Complete(q[:min(len(q), 4+i%12)], 10)
		}
	})
}

// BenchmarkConfusions finds the confusions of synthetic knowledge bases,
// as faqbot check and /faq reload do (see Index.Confusions), and reports
// how many phrasings had a near entry and were asked, and how many
// confusions they made. Their entries are copies of one another with a
// word changed: a quarter to a half of their phrasings have a near entry,
// far more than in a real file.
func BenchmarkConfusions(b *testing.B) {
	eachSyntheticBase(b, benchSizes, func(b *testing.B, base *Index, _ []string) {
		var cs []Confusion
		for i := 0; i < b.N; i++ {
			cs = base.Confusions(DefaultThreshold)
		}
		b.StopTimer()
		x := base.idx
		sc := x.newNearScratch()
		asked := 0
		for p := range int32(len(x.phrEntry)) {
			if len(x.nearEntries(p, sc)) > 0 {
				asked++
			}
		}
		b.ReportMetric(float64(asked), "asked")
		b.ReportMetric(float64(len(cs)), "confusions")
	})
}

// BenchmarkClassifier trains the classifier of each knowledge file of the
// public data asked several ways per entry, and of synthetic files of 140
// entries (at maxMeaningWork with its features of meaning, and with its
// features of spelling) and 500 (at maxClassifierWork, with words only):
// the time a build or a reload adds.
func BenchmarkClassifier(b *testing.B) {
	dir := benchDir(b)
	files := map[string]*knowledge.File{}
	for _, d := range benchDatasets[:3] {
		files[d] = loadBenchFile(b, filepath.Join(dir, d, "kb.yaml"))
	}
	files["entries=140"], _ = syntheticFile(b, 140)
	files["entries=500"], _ = syntheticFile(b, 500)
	for _, name := range []string{benchDatasets[0], benchDatasets[1], benchDatasets[2], "entries=140", "entries=500"} {
		b.Run(name, func(b *testing.B) {
			w := defaultWeights()
			w.classifier = 0 // the index alone; the classifier is trained below
			x, err := newIndexWeights(files[name], w)
			if err != nil {
				b.Fatal(err)
			}
			var c *classifier
			for b.Loop() {
				c = newClassifier(x, defaultWeights(), nil)
			}
			if c == nil {
				b.Fatal("no classifier trained")
			}
			b.ReportMetric(float64(len(x.phrEntry)), "phrasings")
			if c.words != nil {
				b.ReportMetric(float64(c.words.dims), "meaning-dims")
			}
			if c.letters > 0 {
				b.ReportMetric(float64(len(x.grams.weight)), "spelling-grams")
			}
		})
	}
}

// readQueries returns the questions of a JSON Lines file of eval cases.
func readQueries(tb testing.TB, path string) []string {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var queries []string
	for line := range strings.Lines(string(data)) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var c struct{ Query string }
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		queries = append(queries, c.Query)
	}
	return queries
}

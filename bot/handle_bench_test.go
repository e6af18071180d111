package bot

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

// BenchmarkHandle answers the test questions of the public benchmark data,
// in turn, through Bot.Handle, as direct messages from one goroutine, from
// the knowledge file FAQBOT_BENCH_KNOWLEDGE names, as made by
//
//	go run ./knowledge/internal/kbgen -data ../shared/bench -entries 1000 -o /tmp/kb1k.yaml
//
// It reports the questions answered a second of wall time (questions/s)
// and of the process's CPU time (questions/cpu-s, the collector's
// included): with -cpu 1, the throughput of one core; and the share of
// them answered (the others get the fallback, or a choice of entries).
func BenchmarkHandle(b *testing.B) {
	path := os.Getenv("FAQBOT_BENCH_KNOWLEDGE")
	if path == "" {
		b.Skip("FAQBOT_BENCH_KNOWLEDGE names no knowledge file")
	}
	questions := benchQuestions(b)
	kb, err := LoadBase(path)
	if err != nil {
		b.Fatal(err)
	}
	bt := New(kb, Options{})
	ctx := context.Background()
	messages := make([]Message, len(questions))
	for i, q := range questions {
		messages[i] = Message{Platform: "bench", Channel: "c", User: fmt.Sprint("u", i), Text: q, Origin: Direct}
	}
	for _, m := range messages {
		bt.Handle(ctx, m) // the first questions warm the caches
	}
	b.ReportAllocs()
	b.ResetTimer()
	began, cpuBegan := time.Now(), processCPU()
	answered := 0
	for i := range b.N {
		if r, _ := bt.Handle(ctx, messages[i%len(messages)]); r.Kind == Answer {
			answered++
		}
	}
	b.StopTimer()
	b.ReportMetric(100*float64(answered)/float64(b.N), "answered-%")
	b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "questions/s")
	if spent := processCPU() - cpuBegan; spent > 0 {
		b.ReportMetric(float64(b.N)/spent.Seconds(), "questions/cpu-s")
	}
}

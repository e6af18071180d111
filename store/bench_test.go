package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/faqbot/faqbot/knowledge/match"
)

// BenchmarkRecordQuestion measures questions written per second, queue and
// database together, on each backend.
func BenchmarkRecordQuestion(b *testing.B) {
	for _, name := range backends() {
		b.Run(name, func(b *testing.B) {
			opts := freshBench(b, name)
			s, err := Open(context.Background(), opts)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			q := asked(time.Now(), "where is the office", "U1", match.Unknown, "", "hours")
			b.ResetTimer()
			for i := range b.N {
				q.Text = fmt.Sprint("question ", i%100)
				for s.RecordQuestion(ctx, q) != nil {
					s.Flush(ctx) // the queue is full: let the writer catch up
				}
			}
			s.Flush(ctx)
			if s.Errors() > uint64(b.N) {
				b.Fatalf("%d errors", s.Errors())
			}
		})
	}
}

// BenchmarkUnanswered measures the query behind /faq unanswered over
// 100,000 questions.
func BenchmarkUnanswered(b *testing.B) {
	opts := freshBench(b, SQLite)
	s, err := Open(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for i := range 100_000 {
		q := asked(time.Now(), fmt.Sprint("question ", i%3000), "U1", match.Unknown, "", "")
		for s.RecordQuestion(ctx, q) != nil {
			s.Flush(ctx)
		}
	}
	s.Flush(ctx)
	b.ResetTimer()
	for range b.N {
		if _, err := s.Unanswered(ctx, time.Now().Add(-time.Hour), 5000); err != nil {
			b.Fatal(err)
		}
	}
}

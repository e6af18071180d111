package bot_test

import (
	"testing"

	"github.com/faqbot/faqbot/bot"
)

// TestLanes admits more jobs of one channel than may run at once, and
// checks that the rest wait and are handed out in the order they came as
// running ones end, while another channel's jobs run at once.
func TestLanes(t *testing.T) {
	l := bot.NewLanes[string](2, 2)
	steps := []struct {
		op      string // "admit" or "done"
		key     string
		job     string // the job admitted, or the one done should hand out
		ok      bool   // admit: it runs; done: a job is handed out
		dropped bool   // admit: neither runs nor waits
		running int    // of key, after the step
		waiting int
	}{
		{"admit", "C1", "a1", true, false, 1, 0},
		{"admit", "C1", "a2", true, false, 2, 0},
		{"admit", "C1", "a3", false, false, 2, 1},
		{"admit", "C2", "b1", true, false, 1, 0}, // another channel is not held up
		{"admit", "C1", "a4", false, false, 2, 2},
		{"admit", "C1", "x", false, true, 2, 2}, // two wait already: dropped
		{"done", "C1", "a3", true, false, 2, 1}, // a1 ends: a3 runs in its place
		{"admit", "C1", "a5", false, false, 2, 2},
		{"done", "C1", "a4", true, false, 2, 1},
		{"done", "C1", "a5", true, false, 2, 0},
		{"done", "C1", "", false, false, 1, 0},
		{"done", "C2", "", false, false, 0, 0},
		{"admit", "C1", "a6", true, false, 2, 0},
		{"done", "C1", "", false, false, 1, 0},
		{"done", "C1", "", false, false, 0, 0},
		{"done", "C3", "", false, false, 0, 0}, // never admitted
	}
	for i, s := range steps {
		switch s.op {
		case "admit":
			run, waits := l.Admit(s.key, s.job)
			if run != s.ok || waits != (!s.ok && !s.dropped) {
				t.Fatalf("step %d: Admit(%s, %s) = %v, %v; want %v, %v", i, s.key, s.job, run, waits, s.ok, !s.ok && !s.dropped)
			}
		case "done":
			if got, ok := l.Done(s.key); got != s.job || ok != s.ok {
				t.Fatalf("step %d: Done(%s) = %q, %v; want %q, %v", i, s.key, got, ok, s.job, s.ok)
			}
		}
		if running, waiting := l.Len(s.key); running != s.running || waiting != s.waiting {
			t.Fatalf("step %d: %s has %d running and %d waiting, want %d and %d", i, s.key, running, waiting, s.running, s.waiting)
		}
	}
}

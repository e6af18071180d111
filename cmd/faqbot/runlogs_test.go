package main

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/internal/changes"
)

// runWait is how long a test waits for an in-process "faqbot run" to log
// what it expects before it calls the run hung.
const runWait = 20 * time.Second

// runLogs is the output of an in-process "faqbot run", safe to read while
// it runs, that says when a log line with a given message appeared.
type runLogs struct {
	changes.Buffer
}

// wait waits for a log line holding s and returns the line.
func (l *runLogs) wait(t *testing.T, s string) string {
	t.Helper()
	var found string
	ok := l.Wait(runWait, func(text string) bool {
		for _, line := range strings.Split(text, "\n") {
			if strings.Contains(line, s) {
				found = line
				return true
			}
		}
		return false
	})
	if !ok {
		t.Fatalf("no log line with %s:\n%s", s, l.String())
	}
	return found
}

// startRun runs "faqbot run --config path" in-process and returns its
// logs, the address of its HTTP listener (once it listens) and stop,
// which cancels the run and fails the test unless it exits 0 within
// discordfake.DefaultWait; stop may be called more than once.
func startRun(t *testing.T, path string) (logs *runLogs, addr string, stop func()) {
	t.Helper()
	logs = &runLogs{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"run", "--config", path}, strings.NewReader(""), io.Discard, logs) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("faqbot run exited %d:\n%s", code, logs.String())
				}
			case <-time.After(discordfake.DefaultWait):
				t.Errorf("faqbot run did not stop")
			}
		})
	}
	t.Cleanup(stop)
	_, after, _ := strings.Cut(logs.wait(t, `"msg":"listening"`), `"addr":"`)
	addr, _, _ = strings.Cut(after, `"`)
	return logs, addr, stop
}

package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// runWait is how long a test waits for an in-process "faqbot run" to log
// what it expects before it calls the run hung.
const runWait = 20 * time.Second

// runLogs is the output of an in-process "faqbot run", safe to read while
// it runs, that says when a log line with a given message appeared.
type runLogs struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	notify chan struct{}
}

func (l *runLogs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	close(l.notify)
	l.notify = make(chan struct{})
	return l.buf.Write(p)
}

func (l *runLogs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// wait waits for a log line holding s and returns the line.
func (l *runLogs) wait(t *testing.T, s string) string {
	t.Helper()
	deadline := time.After(runWait)
	for {
		l.mu.Lock()
		text, ch := l.buf.String(), l.notify
		l.mu.Unlock()
		for _, line := range strings.Split(text, "\n") {
			if strings.Contains(line, s) {
				return line
			}
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("no log line with %s:\n%s", s, text)
		}
	}
}

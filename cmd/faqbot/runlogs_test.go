package main

import (
	"strings"
	"testing"
	"time"

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

// Package recordtb is a testing.TB that keeps the errors reported to it
// instead of failing the test, so that the fakes' own checks of what a
// client sends can themselves be tested.
package recordtb

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TB passes everything to the embedded testing.TB except Errorf, whose
// messages it keeps. It is safe for concurrent use.
type TB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

// Errorf keeps the message instead of failing the test.
func (r *TB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// String returns the messages kept so far, a line each.
func (r *TB) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.errs, "\n")
}

package bot

import "sync"

// Lanes keeps the work on one channel's events to a few jobs at a time,
// so that a channel whose replies hang holds a bounded share of the
// work: at most max jobs of one key (a channel) run at once, and the
// key's further jobs wait, in the order they came, for one of them to
// end, up to maxWaiting of them. Jobs of other keys are not held up. Lanes
// runs nothing itself: the caller runs a job that Admit lets through and,
// when it ends, calls Done, which hands it the key's next waiting job to
// run in its place. It is safe for concurrent use.
type Lanes[J any] struct {
	max, maxWaiting int
	mu              sync.Mutex
	lanes           map[string]*lane[J]
}

// lane is one key's jobs: how many run, and those waiting, oldest first.
type lane[J any] struct {
	running int
	waiting []J
}

// NewLanes returns Lanes that let max jobs of one key run at once, and
// maxWaiting more wait.
func NewLanes[J any](max, maxWaiting int) *Lanes[J] {
	return &Lanes[J]{max: max, maxWaiting: maxWaiting, lanes: make(map[string]*lane[J])}
}

// Admit counts j as running under key and reports run, for the caller to
// run it; or, when max jobs of key run already, keeps j at the end of the
// key's waiting jobs and reports waits; or, when maxWaiting jobs wait
// already too, reports neither, and j is the caller's to drop.
func (l *Lanes[J]) Admit(key string, j J) (run, waits bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ln := l.lanes[key]
	if ln == nil {
		ln = &lane[J]{}
		l.lanes[key] = ln
	}
	if ln.running >= l.max {
		if len(ln.waiting) >= l.maxWaiting {
			return false, false
		}
		ln.waiting = append(ln.waiting, j)
		return false, true
	}
	ln.running++
	return true, false
}

// Done is called when a job of key that Admit or Done handed out ends. It
// returns the key's oldest waiting job, counted as running in the ended
// job's place, for the caller to run next; or it frees the place and
// reports false when no job waits.
func (l *Lanes[J]) Done(key string) (J, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ln := l.lanes[key]
	if ln == nil {
		var none J
		return none, false
	}
	if len(ln.waiting) > 0 {
		j := ln.waiting[0]
		var none J
		ln.waiting[0] = none // let it be collected once run
		ln.waiting = ln.waiting[1:]
		return j, true
	}
	ln.running--
	if ln.running == 0 {
		delete(l.lanes, key)
	}
	var none J
	return none, false
}

// Len returns how many jobs of key run and wait.
func (l *Lanes[J]) Len(key string) (running, waiting int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ln := l.lanes[key]; ln != nil {
		return ln.running, len(ln.waiting)
	}
	return 0, 0
}

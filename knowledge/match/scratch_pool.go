package match

import (
	"runtime"
	"sync"
)

// scratchPool keeps the working memory of an index's searches from one
// search to the next. Unlike a sync.Pool, which the collector empties, it
// keeps them across collections: a search's scratch grows with the file
// (about 12 MB at 100,000 entries), and a search after every other
// collection would otherwise allocate and clear one anew. During a
// reload, when collections come every few hundred milliseconds, that was
// nearly every answer: tens of milliseconds each, and garbage beside the
// two bases. It keeps at most GOMAXPROCS of them, as many as can search
// at once; more, made for searches that waited for a core, are let go.
type scratchPool struct {
	mu   sync.Mutex
	free []*scratch
	// make returns a new scratch for the index.
	make func() *scratch
}

// get returns a scratch that no other search is using.
func (p *scratchPool) get() *scratch {
	p.mu.Lock()
	if n := len(p.free); n > 0 {
		s := p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		return s
	}
	p.mu.Unlock()
	return p.make()
}

// put gives back s, got from get, once the search using it is done and
// has left it as it must be found.
func (p *scratchPool) put(s *scratch) {
	p.mu.Lock()
	if len(p.free) < runtime.GOMAXPROCS(0) {
		p.free = append(p.free, s)
	}
	p.mu.Unlock()
}

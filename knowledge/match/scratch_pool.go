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
	// make returns a new scratch for the index, and fit makes one of
	// another index fit it (see scratch.resize).
	make func() *scratch
	fit  func(*scratch) bool
	// next is the pool of the index that replaced this one's, or nil
	// (see handOver).
	next *scratchPool
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
// has left it as it must be found. Once p is handed over, s goes to the
// pool it was handed to.
func (p *scratchPool) put(s *scratch) {
	p.mu.Lock()
	if next := p.next; next != nil {
		p.mu.Unlock()
		next.adopt(s)
		return
	}
	if len(p.free) < runtime.GOMAXPROCS(0) {
		p.free = append(p.free, s)
	}
	p.mu.Unlock()
}

// adopt puts s, a scratch of another index's, in p when it can be made to
// fit p's index.
func (p *scratchPool) adopt(s *scratch) {
	if p.fit(s) {
		p.put(s)
	}
}

// handOver gives the scratch p keeps, and from now on each one put back
// in p, to q, the pool of the index that replaces p's: the new index's
// searches then need not make theirs while the old index's, as large,
// are still held. An index that shares p (see index.sharedWith) has
// nothing to hand over.
func (p *scratchPool) handOver(q *scratchPool) {
	for r := q; r != nil; r = r.handedTo() {
		if r == p {
			return // q is p, or was handed p's: scratch would go round
		}
	}
	p.mu.Lock()
	free := p.free
	p.free, p.next = nil, q
	p.mu.Unlock()
	for _, s := range free {
		q.adopt(s)
	}
}

// handedTo returns the pool p was handed over to, or nil.
func (p *scratchPool) handedTo() *scratchPool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.next
}

// resize makes s, left as a search leaves it, the scratch of an index of
// that many phrasings, entries and terms, reporting false when its lists
// by phrasing and entry have no room for them (see newScratch), or an
// eighth more than they need: a file that shrank makes its own. The slots
// it keeps are as the next search needs them: those a search clears are
// all zeros, and the others are stamped with searches before it.
func (s *scratch) resize(phrasings, entries, terms int) bool {
	words, ewords := (phrasings+63)/64, (entries+63)/64
	if cap(s.phr) < phrasings || cap(s.grams) < phrasings || cap(s.ent) < entries ||
		cap(s.hit) < words || cap(s.worded) < words || cap(s.touched) < ewords ||
		cap(s.phr) > roomy(phrasings) || cap(s.ent) > roomy(entries) {
		return false
	}
	s.phr, s.grams, s.ent = s.phr[:phrasings], s.grams[:phrasings], s.ent[:entries]
	s.hit, s.worded, s.touched = s.hit[:words], s.worded[:words], s.touched[:ewords]
	if cap(s.laterMask) < terms {
		s.laterMask = make([]uint64, terms)
	}
	s.laterMask = s.laterMask[:terms]
	return true
}

// roomy returns the most room for n that a scratch handed over may have:
// an eighth more, and a little for a file of a few entries.
func roomy(n int) int { return n + n/8 + 8 }

package match

import (
	"cmp"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/faqbot/faqbot/knowledge"
)

// Confusion is a phrasing of one entry that, asked word for word, is not
// answered with that entry: another entry comes first, or the two are too
// close to tell apart and the bot would ask which was meant. Two entries
// asked almost the same way ("do I need to change my oil" and "what do I
// need to change my oil") confuse the people who ask too; rewording one of
// them, or merging them, fixes it.
type Confusion struct {
	// Entry is the entry the phrasing belongs to, and Phrasing the text.
	Entry    *knowledge.Entry
	Phrasing string
	// Other is the entry that comes first instead, or that ties with
	// Entry; OtherPhrasing is its phrasing that matched, and Confidence
	// its confidence.
	Other         *knowledge.Entry
	OtherPhrasing string
	Confidence    float64
	// Tied is true when Entry comes first but Other is too close to it to
	// tell apart (see Decide).
	Tied bool
}

// Confusions returns the phrasings of the base that, asked as questions,
// are not answered with their own entry at threshold, in the order of the
// file, where the entry answered instead, or too close to tell apart, is a
// near entry of the phrasing (see nearEntries): one whose phrasings hold
// all of its words but a few of little weight. Only the phrasings that
// have a near entry are asked, so the work grows with the file's near
// duplicates rather than with its size. It works on every CPU.
func (b *Index) Confusions(threshold float64) []Confusion {
	cs, _ := b.confusions(threshold, b.idx.nearEntries, 0)
	return cs
}

// FirstConfusions returns the first n confusions of Confusions, in the
// order of the file, and whether there are more; it stops asking once it
// knows, so that a file with many near duplicates is summed up quickly.
func (b *Index) FirstConfusions(threshold float64, n int) ([]Confusion, bool) {
	return b.confusions(threshold, b.idx.nearEntries, n)
}

// confusionBatch is how many phrasings confusions asks before it counts
// what it found, when it may stop early.
const confusionBatch = 2048

// confusions asks the phrasings that near lists other entries for,
// numbered as the index numbers them, and returns the confusions they make
// with one of those entries. With limit > 0 it asks the phrasings a batch
// at a time, stops after the batch in which it has found more than limit,
// and returns the first limit and whether there were more.
func (b *Index) confusions(threshold float64, near func(p int32, sc *nearScratch) []int32, limit int) ([]Confusion, bool) {
	x := b.idx
	if x == nil {
		return nil, false
	}
	nphr := len(x.phrEntry)
	batch := nphr
	if limit > 0 {
		batch = confusionBatch
	}
	found := make([]*Confusion, nphr)
	workers := min(runtime.GOMAXPROCS(0), max(batch, 1))
	scratch := make([]*nearScratch, workers)
	for i := range scratch {
		scratch[i] = x.newNearScratch()
	}
	total := 0
	for from := 0; from < nphr && (limit == 0 || total <= limit); from += batch {
		to := min(from+batch, nphr)
		var next atomic.Int64
		next.Store(int64(from))
		var wg sync.WaitGroup
		for _, sc := range scratch {
			wg.Go(func() {
				for {
					p := int32(next.Add(1) - 1)
					if int(p) >= to {
						return
					}
					if x.isHeading(p) {
						continue // not a question the entry is asked
					}
					if others := near(p, sc); len(others) > 0 {
						found[p] = b.confusion(x.entries[x.phrEntry[p]], x.phrasingText(p), threshold, func(e *knowledge.Entry) bool {
							return slices.ContainsFunc(others, func(o int32) bool { return x.entries[o] == e })
						})
					}
				}
			})
		}
		wg.Wait()
		for _, c := range found[from:to] {
			if c != nil {
				total++
			}
		}
	}
	var out []Confusion
	for _, c := range found {
		if c != nil {
			out = append(out, *c)
		}
	}
	if limit > 0 && len(out) > limit {
		return slices.Clip(out[:limit]), true
	}
	return slices.Clip(out), false
}

// nearDeficit is the share of a phrasing's weight (the sum of its terms'
// squared weights) that the words another entry lacks may carry for that
// entry to be near it (see nearEntries), a stop word counting nearStop of
// its weight. Two entries whose phrasings differ by more than this are
// told apart by the words one has and the other lacks; below it they may
// be too close to tell apart, and the phrasing is asked. Asked word for
// word, "what do I need to change my oil" is answered with the entry of
// "do I need to change my oil", which lacks a stop word only, and an entry
// about one product with that of another product, asked the same long
// question, which lacks the product's name only.
const nearDeficit = 0.05

// nearStop is the share of its weight that a stop word an entry lacks
// counts in its deficit: the matcher weighs stop words less, and two
// entries that differ in one are told apart less well.
const nearStop = 0.5

// nearScratch is the working memory of nearEntries, one a goroutine.
type nearScratch struct {
	// mark[e] is stamp when entry e holds the term being read.
	mark  []uint32
	stamp uint32
	terms []int32
	// near are the candidates, and deficit[k] the weight of the terms
	// that near[k] lacks so far.
	near    []int32
	deficit []float32
}

func (x *index) newNearScratch() *nearScratch {
	return &nearScratch{mark: make([]uint32, len(x.entries))}
}

// nextStamp returns a stamp that no entry of sc.mark holds.
func (sc *nearScratch) nextStamp() uint32 {
	sc.stamp++
	if sc.stamp == 0 {
		clear(sc.mark)
		sc.stamp = 1
	}
	return sc.stamp
}

// nearEntries returns the entries other than phrasing p's own whose
// phrasings, together, hold all of p's terms but ones whose squared
// weights, a stop word's times nearStop, add up to at most nearDeficit of
// the sum of p's: the entries that may be taken for p's own when p is
// asked. The result is in sc, valid until its next use.
//
// It reads p's terms in the order of what an entry lacking them would
// miss, rarest first. An entry that lacks all of the shortest prefix of
// them that weighs more than the deficit allowed is not near, so the
// candidates are the entries of those terms' postings, mostly of one rare
// term (328 entries on average in a file of 100,000); each further term
// drops the candidates that lack it once their deficit passes
// nearDeficit, which most terms of a phrasing do alone. The work is that
// of p's rarest terms' postings, not of its common ones.
func (x *index) nearEntries(p int32, sc *nearScratch) []int32 {
	q2 := x.heaviestFirst(p, sc)
	if q2 == 0 {
		return nil
	}
	slack := nearDeficit * q2
	i, lacked := 0, float32(0)
	for ; i < len(sc.terms) && lacked <= slack; i++ {
		lacked += x.lack(sc.terms[i])
	}
	x.nearCandidates(sc, sc.terms[:i], x.phrEntry[p])
	if i > 1 {
		for _, t := range sc.terms[:i] {
			x.deduct(sc, t)
		}
		sc.keepNear(slack)
	}
	for _, t := range sc.terms[i:] {
		if len(sc.near) == 0 {
			break
		}
		x.deduct(sc, t)
		sc.keepNear(slack)
	}
	return sc.near
}

// lack is what term t adds to the deficit of an entry that lacks it: its
// squared weight, times nearStop for a stop word.
func (x *index) lack(t int32) float32 {
	w2 := x.weight[t] * x.weight[t]
	if x.text.isStop(t) {
		return nearStop * w2
	}
	return w2
}

// heaviestFirst puts phrasing p's terms in sc.terms, those an entry would
// miss most first, and returns the sum of their squared weights.
func (x *index) heaviestFirst(p int32, sc *nearScratch) float32 {
	sc.terms = x.phrTerms.appendIDs(sc.terms[:0], int(p))
	slices.SortFunc(sc.terms, func(a, b int32) int {
		if c := cmp.Compare(x.lack(b), x.lack(a)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	q2 := float32(0)
	for _, t := range sc.terms {
		q2 += x.weight[t] * x.weight[t]
	}
	return q2
}

// nearCandidates lists in sc.near, each once and in order, the entries
// other than own whose phrasings hold one of terms, each with no deficit
// yet.
func (x *index) nearCandidates(sc *nearScratch, terms []int32, own int32) {
	sc.near, sc.deficit = sc.near[:0], sc.deficit[:0]
	stamp := sc.nextStamp()
	for _, t := range terms {
		for b := range x.poolPost.blocks {
			high, low := x.poolPost.block(t, b)
			for _, l := range low {
				if e := high | int32(l); e != own && sc.mark[e] != stamp {
					sc.mark[e] = stamp
					sc.near = append(sc.near, e)
				}
			}
		}
	}
	if len(terms) > 1 {
		slices.Sort(sc.near)
	}
	sc.deficit = append(sc.deficit, make([]float32, len(sc.near))...)
}

// deduct adds what term t is lacked by to the deficit of the candidates
// whose phrasings lack it. When t's postings are longer than a search in
// them for each candidate, the candidates, in order as t's postings are,
// are each looked for from where the one before it was, by galloping;
// else the postings are read, and their entries marked.
func (x *index) deduct(sc *nearScratch, t int32) {
	lack := x.lack(t)
	if n := x.poolPost.size(t); int(n) <= len(sc.near)*bits.Len32(uint32(n)) {
		stamp := sc.nextStamp()
		for b := range x.poolPost.blocks {
			high, low := x.poolPost.block(t, b)
			for _, l := range low {
				sc.mark[high|int32(l)] = stamp
			}
		}
		for k, e := range sc.near {
			if sc.mark[e] != stamp {
				sc.deficit[k] += lack
			}
		}
		return
	}
	block := -1
	var low []uint16
	for k, e := range sc.near {
		if b := int(e >> 16); b != block {
			block = b
			_, low = x.poolPost.block(t, b)
		}
		low = low[gallop(low, uint16(e)):]
		if len(low) == 0 || low[0] != uint16(e) {
			sc.deficit[k] += lack
		}
	}
}

// gallop returns the index of the first of the sorted ids that is v or
// more, len(ids) if none is, in steps that double from the start and then
// halve: it reads about twice the log of that index.
func gallop(ids []uint16, v uint16) int {
	hi := 1
	for hi <= len(ids) && ids[hi-1] < v {
		hi *= 2
	}
	lo := hi / 2
	hi = min(hi, len(ids))
	i, _ := slices.BinarySearch(ids[lo:hi], v)
	return lo + i
}

// keepNear keeps the candidates whose deficit is at most slack, in order.
func (sc *nearScratch) keepNear(slack float32) {
	n := 0
	for k, e := range sc.near {
		if sc.deficit[k] <= slack {
			sc.near[n], sc.deficit[n] = e, sc.deficit[k]
			n++
		}
	}
	sc.near, sc.deficit = sc.near[:n], sc.deficit[:n]
}

// confusion returns the confusion that phrasing p of entry e makes at
// threshold with an entry that near accepts, or nil when it is answered
// with e or with an entry that is not near it.
func (b *Index) confusion(e *knowledge.Entry, p string, threshold float64, near func(*knowledge.Entry) bool) *Confusion {
	r := b.Search(p)
	best, ok := r.Best()
	if !ok {
		return nil // a phrasing of stop words alone, say: nothing to confuse
	}
	if best.Entry != e {
		if !near(best.Entry) {
			return nil
		}
		return &Confusion{Entry: e, Phrasing: p, Other: best.Entry, OtherPhrasing: best.Phrasing, Confidence: best.Confidence}
	}
	if r.Decide(threshold) == Ambiguous {
		second := r.Candidates[1]
		if !near(second.Entry) {
			return nil
		}
		return &Confusion{Entry: e, Phrasing: p, Other: second.Entry, OtherPhrasing: second.Phrasing, Confidence: second.Confidence, Tied: true}
	}
	return nil
}

package match

import (
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
// file. Only the phrasings that another entry could be taken for are asked
// (see confusable): those whose two rarest words another entry's
// phrasings hold too. It works on every CPU.
func (b *Index) Confusions(threshold float64) []Confusion {
	return b.confusions(threshold, b.idx.confusable)
}

// confusions asks the phrasings for which ask is true, numbered as the
// index numbers them, and returns the confusions they make.
func (b *Index) confusions(threshold float64, ask func(p int32, seen []int32) bool) []Confusion {
	x := b.idx
	if x == nil {
		return nil
	}
	nphr := len(x.phrEntry)
	found := make([]*Confusion, nphr)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(nphr, 1)) {
		wg.Go(func() {
			seen := make([]int32, len(x.entries)) // see confusable
			for i := range seen {
				seen[i] = -1
			}
			for {
				p := int32(next.Add(1) - 1)
				if int(p) >= nphr {
					return
				}
				if ask(p, seen) {
					found[p] = b.confusion(x.entries[x.phrEntry[p]], x.phrasingText(p), threshold)
				}
			}
		})
	}
	wg.Wait()
	var out []Confusion
	for _, c := range found {
		if c != nil {
			out = append(out, *c)
		}
	}
	return slices.Clip(out)
}

// confusableTerms is the number of a phrasing's rarest terms that another
// entry must hold for it to be taken for that entry (see confusable).
const confusableTerms = 2

// confusable reports whether another entry than phrasing p's holds, in its
// phrasings, all of p's confusableTerms rarest terms (all its terms, if it
// has fewer): an entry that lacks one of them is left behind by p's own
// entry, which holds them all. seen is scratch space, an int32 an entry,
// with no value written by an earlier call for p. It costs the postings of
// those terms, where a search reads those of every term and n-gram of the
// phrasing.
func (x *index) confusable(p int32, seen []int32) bool {
	var buf [confusableTerms]int32
	rare := buf[:0] // the rarest terms so far, rarest first
	for _, t := range x.phrTerms.row(int(p)) {
		i := len(rare)
		for i > 0 && x.poolPost.size(t) < x.poolPost.size(rare[i-1]) {
			i--
		}
		if i == confusableTerms {
			continue
		}
		if len(rare) < confusableTerms {
			rare = append(rare, 0)
		}
		copy(rare[i+1:], rare[i:])
		rare[i] = t
	}
	if len(rare) == 0 {
		return false
	}
	// seen[e] is p*(confusableTerms+1) + how many of the terms, commonest
	// first, entry e holds so far; an entry that lacks one drops out.
	own := x.phrEntry[p]
	base := p * (confusableTerms + 1)
	for k := len(rare) - 1; k >= 1; k-- {
		held := base + int32(len(rare)-1-k)
		x.eachPooled(rare[k], func(e int32) bool {
			if k == len(rare)-1 || seen[e] == held {
				seen[e] = held + 1
			}
			return true
		})
	}
	all := base + int32(len(rare)-1)
	shared := false
	x.eachPooled(rare[0], func(e int32) bool {
		shared = e != own && (len(rare) == 1 || seen[e] == all)
		return !shared
	})
	return shared
}

// eachPooled calls yield with each entry whose phrasings hold term t, until
// it returns false.
func (x *index) eachPooled(t int32, yield func(e int32) bool) {
	for b := range x.poolPost.blocks {
		high, low := x.poolPost.block(t, b)
		for _, l := range low {
			if !yield(high | int32(l)) {
				return
			}
		}
	}
}

// confusion returns the confusion that phrasing p of entry e makes at
// threshold, or nil when it is answered with e.
func (b *Index) confusion(e *knowledge.Entry, p string, threshold float64) *Confusion {
	r := b.Search(p)
	best, ok := r.Best()
	if !ok {
		return nil // a phrasing of stop words alone, say: nothing to confuse
	}
	if best.Entry != e {
		return &Confusion{Entry: e, Phrasing: p, Other: best.Entry, OtherPhrasing: best.Phrasing, Confidence: best.Confidence}
	}
	if r.Decide(threshold) == Ambiguous {
		second := r.Candidates[1]
		return &Confusion{Entry: e, Phrasing: p, Other: second.Entry, OtherPhrasing: second.Phrasing, Confidence: second.Confidence, Tied: true}
	}
	return nil
}

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

// Confusions asks every phrasing of the base as a question and returns
// those that are not answered with their own entry at threshold, in the
// order of the file. It searches on every CPU, at a few tens of
// microseconds a phrasing.
func (b *Index) Confusions(threshold float64) []Confusion {
	type job struct {
		entry *knowledge.Entry
		text  string
	}
	var jobs []job
	for i := range b.file.Entries {
		e := &b.file.Entries[i]
		for _, p := range e.Phrasings() {
			jobs = append(jobs, job{e, p})
		}
	}
	found := make([]*Confusion, len(jobs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(jobs), 1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) {
					return
				}
				found[i] = b.confusion(jobs[i].entry, jobs[i].text, threshold)
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

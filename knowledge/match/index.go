// Package match answers questions from a checked knowledge file: it analyses
// text in the file's language, indexes the file's phrasings and finds the
// entries closest to a question, each with a calibrated confidence.
package match

import (
	"slices"
	"strings"

	"github.com/faqbot/faqbot/knowledge"
)

// DefaultThreshold is the confidence the bot answers at unless configured
// otherwise. Confidences are calibrated so that it suits any knowledge base.
const DefaultThreshold = 0.5

// Index is a checked knowledge file together with its search index. An
// Index is never modified after it is built, so any number of goroutines may
// use it at once; a reload builds a new Index and swaps it in.
type Index struct {
	file *knowledge.File
	// byID holds the entries' places in the file, in the order of their
	// ids.
	byID []int32
	idx  *index
}

// Len returns the number of entries.
func (b *Index) Len() int { return len(b.file.Entries) }

// Entries returns the entries in file order. The slice must not be modified.
func (b *Index) Entries() []knowledge.Entry { return b.file.Entries }

// Entry returns the entry with the given id.
func (b *Index) Entry(id string) (*knowledge.Entry, bool) {
	es := b.file.Entries
	i, ok := slices.BinarySearchFunc(b.byID, id, func(e int32, id string) int { return strings.Compare(es[e].ID, id) })
	if !ok {
		return nil, false
	}
	return &es[b.byID[i]], true
}

// Phrasings returns the number of questions and alternates in the base.
func (b *Index) Phrasings() int {
	n := 0
	for i := range b.file.Entries {
		n += 1 + len(b.file.Entries[i].Alternates)
	}
	return n
}

// Candidate is an entry that may answer a question.
type Candidate struct {
	Entry *knowledge.Entry
	// Confidence is calibrated in [0,1], comparable across questions and
	// knowledge bases, so that one threshold serves any file.
	Confidence float64
	// Phrasing is the question or alternate that matched best.
	Phrasing string
}

// Result is what a search found: the best candidate first, then up to three
// runners-up, each a different entry.
type Result struct {
	Candidates []Candidate
}

// Outcome is what to do with a Result at a given threshold.
type Outcome int

const (
	// Unknown means no candidate is confident enough: reply with the fallback
	// and offer the candidates as suggestions.
	Unknown Outcome = iota
	// Answered means the best candidate answers the question.
	Answered
	// Ambiguous means the best two candidates are too close to call: ask
	// which one was meant instead of guessing.
	Ambiguous
)

// String returns the outcome's name as used in logs and metrics.
func (o Outcome) String() string {
	switch o {
	case Answered:
		return "answered"
	case Ambiguous:
		return "ambiguous"
	default:
		return "unknown"
	}
}

// Best returns the best candidate, if there is one.
func (r Result) Best() (Candidate, bool) {
	if len(r.Candidates) == 0 {
		return Candidate{}, false
	}
	return r.Candidates[0], true
}

// New builds the search index of a checked knowledge file, as Load or Parse
// of package knowledge return it. The file must not be modified afterwards.
func New(f *knowledge.File) (*Index, error) {
	return NewCached(f, nil)
}

// NewCached is New with the classifier read from cache when it holds one
// trained on the same phrasings, and put there when it is trained (see
// Cache). A nil cache trains it at every build.
func NewCached(f *knowledge.File, cache Cache) (*Index, error) {
	return NewWith(f, Options{Cache: cache})
}

// Options says how an index is built.
type Options struct {
	// Cache keeps trained classifiers from one build to the next, or is
	// nil (see NewCached).
	Cache Cache
	// Workers is the most goroutines the build runs on at once; 0 is
	// GOMAXPROCS. Fewer leave cores to the goroutines that answer
	// questions with another index meanwhile, and take longer.
	Workers int
	// Serving is the index the new one replaces, or nil. When the file's
	// text that an index reads (each entry's id, phrasings, answer and
	// section, in order, and the file's language and synonyms) is
	// Serving's, the new index shares Serving's search structures
	// instead of building its own: a reload of a file whose entries only
	// changed their tags, owners or dates, or did not change, holds one
	// index, not two.
	Serving *Index
}

// NewWith is New as o says.
func NewWith(f *knowledge.File, o Options) (*Index, error) {
	b := &Index{file: f, byID: byID(f.Entries)}
	if o.Serving != nil && sameIndexedText(f, o.Serving.file) {
		b.idx = o.Serving.idx.sharedWith(f)
		return b, nil
	}
	idx, err := buildIndex(b.file, defaultWeights(), o)
	if err != nil {
		return nil, err
	}
	b.idx = idx
	return b, nil
}

// HandOver tells b that next answers in its place from now on (a
// reload swapped it in): the working memory that b's searches keep from
// one search to the next goes to next's, now and as each of b's still
// running ends, where it fits next's file (as it does after a change
// of a few entries). next's first searches then need not make theirs,
// as large, while b's is still held.
func (b *Index) HandOver(next *Index) {
	if b == nil || next == nil || b.idx == nil || next.idx == nil {
		return
	}
	b.idx.scratch.handOver(next.idx.scratch)
}

// byID returns the places of entries in the order of their ids; of
// entries with the same id (a file not checked), the first comes first.
func byID(entries []knowledge.Entry) []int32 {
	order := make([]int32, len(entries))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(i, j int32) int { return strings.Compare(entries[i].ID, entries[j].ID) })
	return order
}

// sameIndexedText reports whether files f and g hold the same text where
// an index reads it: the language, the synonyms, and each entry's id,
// phrasings, answer and section, in order. Their indexes are then the
// same but for the entries they return.
func sameIndexedText(f, g *knowledge.File) bool {
	if f.Language != g.Language || len(f.Entries) != len(g.Entries) ||
		!slices.EqualFunc(f.Synonyms, g.Synonyms, slices.Equal) {
		return false
	}
	for i := range f.Entries {
		a, b := &f.Entries[i], &g.Entries[i]
		if a.ID != b.ID || a.Question != b.Question || a.Answer != b.Answer ||
			a.Section != b.Section || !slices.Equal(a.Alternates, b.Alternates) {
			return false
		}
	}
	return true
}

package knowledge

// TEMPORARY scaffolding so that the bot can be built while the real matcher
// is written; the matcher replaces this file.

import "strings"

type index struct{ f *File }

func newIndex(f *File) (*index, error) { return &index{f: f}, nil }

// Search finds the entries closest to question.
func (b *Base) Search(question string) Result {
	q := strings.Fields(strings.ToLower(question))
	var r Result
	for i := range b.file.Entries {
		e := &b.file.Entries[i]
		n := 0
		for _, w := range q {
			if strings.Contains(strings.ToLower(e.Question), w) {
				n++
			}
		}
		if n > 0 && len(r.Candidates) < 4 {
			r.Candidates = append(r.Candidates, Candidate{Entry: e, Confidence: float64(n) / float64(len(q)+1), Phrasing: e.Question})
		}
	}
	return r
}

// Decide says what to do with r at threshold.
func (r Result) Decide(threshold float64) Outcome {
	if c, ok := r.Best(); ok && c.Confidence >= threshold {
		return Answered
	}
	return Unknown
}

// List returns the entries whose question or id fuzzily matches filter, best
// first; an empty filter lists every entry in file order.
func (b *Base) List(filter string) []*Entry {
	var out []*Entry
	for i := range b.file.Entries {
		out = append(out, &b.file.Entries[i])
	}
	return out
}

// Complete returns up to n entries whose question best completes the partial
// text typed so far, for autocomplete.
func (b *Base) Complete(partial string, n int) []*Entry {
	l := b.List(partial)
	if len(l) > n {
		l = l[:n]
	}
	return l
}

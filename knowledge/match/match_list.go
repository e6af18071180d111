package match

import (
	"sort"
	"strings"

	"github.com/sahilm/fuzzy"

	"github.com/faqbot/faqbot/knowledge"
)

// titles are the entries' questions and ids, for fuzzy listing and
// autocomplete.
type titles struct {
	entries []knowledge.Entry
}

// newTitles returns the titles of entries, which it reads in place.
func newTitles(entries []knowledge.Entry) titles { return titles{entries: entries} }

// questions are the entries' questions, and entryIDs their ids, as a list
// to match fuzzily.
type (
	questions []knowledge.Entry
	entryIDs  []knowledge.Entry
)

func (q questions) String(i int) string { return q[i].Question }
func (q questions) Len() int            { return len(q) }
func (d entryIDs) String(i int) string  { return d[i].ID }
func (d entryIDs) Len() int             { return len(d) }

// rank returns the indexes of the entries whose question or id fuzzily
// matches pattern, best first, each once.
func (t *titles) rank(pattern string) []int {
	best := make(map[int]int)
	lists := []fuzzy.Source{questions(t.entries), entryIDs(t.entries)}
	if strings.ContainsRune(pattern, ' ') {
		lists = lists[:1] // ids have no spaces: no pattern with one matches them
	}
	for _, list := range lists {
		for _, m := range fuzzy.FindFrom(pattern, list) {
			if s, ok := best[m.Index]; !ok || m.Score > s {
				best[m.Index] = m.Score
			}
		}
	}
	out := make([]int, 0, len(best))
	for i := range best {
		out = append(out, i)
	}
	sort.Slice(out, func(a, b int) bool {
		if best[out[a]] != best[out[b]] {
			return best[out[a]] > best[out[b]]
		}
		return out[a] < out[b]
	})
	return out
}

// List returns the entries whose question or id fuzzily matches filter, best
// first; an empty filter lists every entry in file order.
func (b *Index) List(filter string) []*knowledge.Entry {
	filter = strings.TrimSpace(filter)
	if filter == "" || b.idx == nil {
		out := make([]*knowledge.Entry, len(b.file.Entries))
		for i := range b.file.Entries {
			out[i] = &b.file.Entries[i]
		}
		return out
	}
	ranked := b.idx.titles.rank(filter)
	out := make([]*knowledge.Entry, len(ranked))
	for k, i := range ranked {
		out[k] = &b.file.Entries[i]
	}
	return out
}

// completeWords is the number of words from which a partly typed question is
// matched as a question first and as a title second.
const completeWords = 3

// Complete returns up to n entries whose question best completes the partial
// text typed so far, for autocomplete: fuzzy matches on questions and ids
// first for a word or two, the matcher's candidates first for longer text.
func (b *Index) Complete(partial string, n int) []*knowledge.Entry {
	partial = strings.TrimSpace(partial)
	if n <= 0 || b.idx == nil {
		return nil
	}
	if partial == "" {
		return b.List("")[:min(n, b.Len())]
	}
	var out []*knowledge.Entry
	add := func(e *knowledge.Entry) {
		if len(out) == n {
			return
		}
		for _, o := range out {
			if o == e {
				return
			}
		}
		out = append(out, e)
	}
	fromMatcher := func() {
		for _, c := range b.Search(partial).Candidates {
			add(c.Entry)
		}
	}
	fromTitles := func() {
		for _, i := range b.idx.titles.rank(partial) {
			add(&b.file.Entries[i])
			if len(out) == n {
				return
			}
		}
	}
	if len(strings.Fields(partial)) >= completeWords {
		fromMatcher()
		if len(out) < n {
			fromTitles()
		}
	} else {
		fromTitles()
		fromMatcher()
	}
	return out
}

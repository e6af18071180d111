package match

import (
	"math"
	"strings"
	"sync"
	"unicode/utf8"
)

// gramSize is the length, in letters, of the pieces of words that the
// matcher also compares: "^pass", "ass", ..., "ord$" marked at word edges. They
// match inflections the stemmer misses and misspellings the typo index
// cannot correct.
const gramSize = 3

// grams is the character n-gram side of the index: each phrasing as the set
// of the n-grams of its words.
type grams struct {
	ids    map[uint64]int32 // by gramKey
	post   packedPostings   // n-gram to the phrasings that hold it
	weight []float32        // inverse entry frequency
	scale  []float32        // per phrasing, 1/sqrt of the sum of its grams' squared weights
	max    float64          // the weight of a gram no entry has
}

// eachGram calls yield with every n-gram of the folded word w, marked at its
// edges, built in buf; yield must not keep the string. A CJK term, a pair
// of letters or one, gives the n-grams of a word of its letters, which no
// other term shares: it is read as no other term (see cjkTerms), and
// weighs among the question's n-grams as a word of two letters does.
func eachGram(w string, buf []byte, yield func(g []byte)) []byte {
	buf = append(append(append(buf[:0], '^'), w...), '$')
	if utf8.RuneCountInString(w)+2 <= gramSize {
		yield(buf)
		return buf
	}
	// Byte offsets of each rune start, to slice whole letters.
	var starts [64]int
	n := 0
	for i := range string(buf) {
		if n == len(starts) {
			break
		}
		starts[n] = i
		n++
	}
	for i := 0; i+gramSize <= n; i++ {
		end := len(buf)
		if i+gramSize < n {
			end = starts[i+gramSize]
		}
		yield(buf[starts[i]:end])
	}
	return buf
}

// gramKey packs an n-gram, gramSize letters, into a number: 21 bits a
// letter.
func gramKey(g []byte) uint64 {
	var k uint64
	for len(g) > 0 {
		r, size := utf8.DecodeRune(g)
		k = k<<21 | uint64(r)
		g = g[size:]
	}
	return k
}

// splitWords are texts split into words (see analyzer.words): each text a
// row of numbers into list, the distinct words in the order they first
// come. Where list has 1<<16 words or fewer, the rows' numbers are in
// narrow, two bytes each, and rows.ids is nil.
type splitWords struct {
	rows   postings
	narrow []uint16
	list   []string
}

// appendWords appends the numbers of text p's words to dst and returns it.
func (s *splitWords) appendWords(dst []int32, p int) []int32 {
	lo, hi := s.rows.start[p], s.rows.start[p+1]
	if s.narrow == nil {
		return append(dst, s.rows.ids[lo:hi]...)
	}
	for _, w := range s.narrow[lo:hi] {
		dst = append(dst, int32(w))
	}
	return dst
}

// add adds word number w to the row being written.
func (s *splitWords) add(w int32) {
	if s.narrow != nil {
		s.narrow = append(s.narrow, uint16(w))
	} else {
		s.rows.ids = append(s.rows.ids, w)
	}
}

// ids returns the number of words of the rows written.
func (s *splitWords) ids() int { return len(s.rows.ids) + len(s.narrow) }

// narrowed returns s with its rows' numbers in two bytes each, where its
// words are few enough.
func (s splitWords) narrowed() splitWords {
	if len(s.list) > 1<<16 || s.narrow != nil {
		return s
	}
	s.narrow = make([]uint16, len(s.rows.ids))
	for i, w := range s.rows.ids {
		s.narrow[i] = uint16(w)
	}
	s.rows.ids = nil
	return s
}

// splitPhrasings splits the n phrasings, the p-th text(p), which have
// about nwords words, into words. Parts of them are split on up to
// workers goroutines, each numbering its own words, and joined in order.
func splitPhrasings(a *analyzer, n int, text func(p int) string, nwords, workers int) splitWords {
	return splitParts(a, n, text, nwords, min(workers, max(1, n/4096)))
}

// splitParts is splitPhrasings in parts parts.
func splitParts(a *analyzer, n int, text func(p int) string, nwords, parts int) splitWords {
	split := make([]splitWords, parts)
	var wg sync.WaitGroup
	for i := range parts {
		wg.Go(func() {
			from, to := n*i/parts, n*(i+1)/parts
			split[i] = splitTexts(a, from, to, text, nwords*(to-from)/max(1, n))
		})
	}
	wg.Wait()
	if parts == 1 {
		return split[0].narrowed()
	}
	// Join the parts: each part's words renumbered into one list, in the
	// order they first come over all the parts, then their rows in turn,
	// each part let go once copied.
	pw := splitWords{rows: postings{start: make([]int32, 1, n+1)}, list: split[0].list}
	known := make(map[string]int32, len(pw.list))
	for i, word := range pw.list {
		known[word] = int32(i)
	}
	globals := make([][]int32, parts)
	nids := 0
	for k, part := range split {
		global := make([]int32, len(part.list))
		for i, word := range part.list {
			g, ok := known[word]
			if !ok && k > 0 {
				g = int32(len(pw.list))
				pw.list = append(pw.list, word)
				known[word] = g
			}
			global[i] = g
		}
		globals[k] = global
		nids += part.ids()
	}
	if len(pw.list) <= 1<<16 {
		pw.narrow = make([]uint16, 0, nids)
	} else {
		pw.rows.ids = make([]int32, 0, nids)
	}
	for k, part := range split {
		at := int32(pw.ids())
		for _, id := range part.rows.ids {
			pw.add(globals[k][id])
		}
		for _, id := range part.narrow {
			pw.add(globals[k][id])
		}
		for _, start := range part.rows.start[1:] {
			pw.rows.start = append(pw.rows.start, at+start)
		}
		split[k] = splitWords{} // let it go
	}
	return pw
}

// splitTexts splits the texts text(from) to text(to-1), which have about
// nwords words, into words: their numbers in two bytes each until they
// are more than 1<<16.
func splitTexts(a *analyzer, from, to int, text func(p int) string, nwords int) splitWords {
	pw := splitWords{rows: postings{start: make([]int32, 1, to-from+1)}, narrow: make([]uint16, 0, nwords)}
	known := make(map[string]int32)
	var wb []byte
	for p := from; p < to; p++ {
		wb = a.words(text(p), wb, func(word string) {
			i, ok := known[word]
			if !ok {
				i = int32(len(pw.list))
				word = strings.Clone(word)
				pw.list = append(pw.list, word)
				known[word] = i
				if i == 1<<16 {
					pw = pw.widened()
				}
			}
			pw.add(i)
		})
		pw.rows.start = append(pw.rows.start, int32(pw.ids()))
	}
	return pw
}

// widened returns s with its rows' numbers in four bytes each.
func (s splitWords) widened() splitWords {
	if s.narrow == nil {
		return s
	}
	s.rows.ids = make([]int32, len(s.narrow), cap(s.narrow))
	for i, w := range s.narrow {
		s.rows.ids[i] = int32(w)
	}
	s.narrow = nil
	return s
}

// buildGrams builds the n-gram side of the index of the phrasings split
// into words pw, of entries entries.
func buildGrams(pw splitWords, phrEntry []int32, entries int, w weights) grams {
	g := grams{ids: make(map[uint64]int32)}
	// Words repeat far more than they differ: split each one once. Word i
	// has the n-grams wordGrams[wordStart[i]:wordStart[i+1]], and each
	// phrasing is kept as its words, not as its many more n-grams.
	wordStart := make([]int32, 1, len(pw.list)+1)
	var wordGrams []int32
	var gb []byte
	for _, word := range pw.list {
		gb = eachGram(word, gb, func(gram []byte) {
			k := gramKey(gram)
			id, ok := g.ids[k]
			if !ok {
				id = int32(len(g.ids))
				g.ids[k] = id
			}
			wordGrams = append(wordGrams, id)
		})
		wordStart = append(wordStart, int32(len(wordGrams)))
	}
	nphr := len(pw.rows.start) - 1
	ngrams := len(g.ids)
	// eachGramOf calls yield with every n-gram of phrasing p once, in the
	// order they come, using seen[id] == p+1 to tell the ones already met.
	seen := make([]int32, ngrams)
	var words []int32
	eachGramOf := func(p int, yield func(id int32)) {
		stamp := int32(p + 1)
		words = pw.appendWords(words[:0], p)
		for _, word := range words {
			for _, id := range wordGrams[wordStart[word]:wordStart[word+1]] {
				if seen[id] != stamp {
					seen[id] = stamp
					yield(id)
				}
			}
		}
	}
	// First pass: how many phrasings and entries hold each n-gram.
	g.post = newPackedPostings(ngrams)
	df := make([]int32, ngrams)
	lastEntry := make([]int32, ngrams)
	for id := range lastEntry {
		lastEntry[id] = -1
	}
	for p := range nphr {
		e := phrEntry[p]
		eachGramOf(p, func(id int32) {
			g.post.count(id, int32(p))
			if lastEntry[id] != e {
				lastEntry[id] = e
				df[id]++
			}
		})
	}
	g.post.allocate()
	g.weight = make([]float32, ngrams)
	for id := range g.weight {
		g.weight[id] = float32(math.Pow(idf(entries, int(df[id])), w.rarity))
	}
	g.max = math.Pow(idf(entries, 0), w.rarity)
	// Second pass: fill the postings, in phrasing order, and sum each
	// phrasing's squared weights.
	clear(seen)
	g.scale = make([]float32, nphr)
	for p := range nphr {
		var norm float64
		eachGramOf(p, func(id int32) {
			g.post.add(id, int32(p))
			wt := float64(g.weight[id])
			norm += wt * wt
		})
		if n := float32(norm); n > 0 {
			g.scale[p] = float32(1 / math.Sqrt(float64(n)))
		}
	}
	g.post.done()
	return g
}

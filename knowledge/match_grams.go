package knowledge

import (
	"math"
	"strings"
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
	ids    map[string]int32
	post   postings
	weight []float32 // inverse entry frequency
	scale  []float32 // per phrasing, 1/sqrt of the sum of its grams' squared weights
	max    float64   // the weight of a gram no entry has
}

// eachGram calls yield with every n-gram of the folded word w, marked at its
// edges, built in buf; yield must not keep the string.
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

func buildGrams(a *analyzer, texts []string, phrEntry []int32, entries int, w weights) grams {
	g := grams{ids: make(map[string]int32)}
	phr := make([][]int32, len(texts))
	// Words repeat far more than they differ: split each one once.
	known := make(map[string][]int32)
	var wb, gb []byte
	var ids []int32
	for p, text := range texts {
		ids = ids[:0]
		wb = a.words(text, wb, func(word string) {
			if gs, ok := known[word]; ok {
				ids = append(ids, gs...)
				return
			}
			var gs []int32
			gb = eachGram(word, gb, func(gram []byte) {
				id, ok := g.ids[string(gram)]
				if !ok {
					id = int32(len(g.ids))
					g.ids[string(gram)] = id
				}
				gs = append(gs, id)
			})
			known[strings.Clone(word)] = gs
			ids = append(ids, gs...)
		})
		phr[p] = uniqueTerms(ids)
	}
	df := entryFrequency(phr, phrEntry, len(g.ids))
	g.weight = make([]float32, len(g.ids))
	for id := range g.weight {
		g.weight[id] = float32(math.Pow(idf(entries, int(df[id])), w.rarity))
	}
	g.max = math.Pow(idf(entries, 0), w.rarity)
	var norms []float32
	g.post, norms = phrasingPostings(phr, g.weight, len(g.ids))
	g.scale = make([]float32, len(norms))
	for p, n := range norms {
		if n > 0 {
			g.scale[p] = float32(1 / math.Sqrt(float64(n)))
		}
	}
	return g
}

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
	ids    map[uint64]int32 // by gramKey
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

func buildGrams(a *analyzer, texts []string, phrEntry []int32, entries int, w weights) grams {
	g := grams{ids: make(map[uint64]int32)}
	phr := postings{start: make([]int32, 1, len(texts)+1), ids: make([]int32, 0, 32*len(texts))}
	// Words repeat far more than they differ: split each one once, keeping
	// its n-grams in known[word] = lo, hi of wordGrams.
	known := make(map[string][2]int32)
	var wordGrams []int32
	// seen[id] is the last phrasing that held n-gram id, plus one: each
	// phrasing lists its n-grams once, in the order they come.
	var seen []int32
	var wb, gb []byte
	for p, text := range texts {
		stamp := int32(p + 1)
		wb = a.words(text, wb, func(word string) {
			span, ok := known[word]
			if !ok {
				span[0] = int32(len(wordGrams))
				gb = eachGram(word, gb, func(gram []byte) {
					k := gramKey(gram)
					id, ok := g.ids[k]
					if !ok {
						id = int32(len(g.ids))
						g.ids[k] = id
						seen = append(seen, 0)
					}
					wordGrams = append(wordGrams, id)
				})
				span[1] = int32(len(wordGrams))
				known[strings.Clone(word)] = span
			}
			for _, id := range wordGrams[span[0]:span[1]] {
				if seen[id] != stamp {
					seen[id] = stamp
					phr.ids = append(phr.ids, id)
				}
			}
		})
		phr.appendRow()
	}
	known, wordGrams, seen = nil, nil, nil
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

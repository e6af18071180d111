package match

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"
)

// wordVectors is a table of word vectors: for each word, where words
// similar in meaning point the same way. The classifier averages the
// vectors of a phrasing's words into features of their meaning (see
// classifier), so that what it learns of "lost" also says something of
// "missing". Records are found by binary search and read where they are
// (in the binary, for a built-in table), so the table costs one offset a
// word.
type wordVectors struct {
	data []byte
	dims int
	// recs holds the offset of each record, sorted by word: the word, a
	// space, then dims signed bytes.
	recs []int32
	// letters lists the letters the words are written with: the table is
	// also the language's dictionary, for spelling (see oneEditFrom).
	letters []rune
}

// englishVectorTable is the English table, made from GloVe word vectors by
// knowledge/match/internal/similargen (see similar/README.md).
//
//go:embed similar/en.vec
var englishVectorTable []byte

// englishVectors is the English table, read at its first use (see
// builtIn). TestWordVectors fails when it cannot be read.
var englishVectors = builtIn(englishVectorTable, readVectors)

// readVectors reads a table: a comment line starting with #, a line giving
// the number of dimensions, then the records, sorted by word. The records
// stay in data.
func readVectors(data []byte) (*wordVectors, error) {
	line := func() (string, error) {
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			return "", errors.New("word vectors: header cut short")
		}
		l := string(data[:end])
		data = data[end+1:]
		return l, nil
	}
	comment, err := line()
	if err != nil {
		return nil, err
	}
	if comment == "" || comment[0] != '#' {
		return nil, fmt.Errorf("word vectors: the first line is %q, not a comment", comment)
	}
	d, err := line()
	if err != nil {
		return nil, err
	}
	dims, err := strconv.Atoi(d)
	if err != nil || dims <= 0 {
		return nil, fmt.Errorf("word vectors: the second line is %q, not a number of dimensions", d)
	}
	v := &wordVectors{data: data, dims: dims}
	var ascii [utf8.RuneSelf]bool
	others := make(map[rune]bool)
	var prev []byte
	for off := 0; off < len(data); {
		sp := bytes.IndexByte(data[off:], ' ')
		if sp <= 0 || off+sp+1+dims > len(data) {
			return nil, fmt.Errorf("word vectors: record %d, at byte %d, is cut short", len(v.recs)+1, off)
		}
		w := data[off : off+sp]
		if prev != nil && bytes.Compare(prev, w) >= 0 {
			return nil, errors.New("word vectors: the records are not sorted by word")
		}
		for _, c := range w {
			if c >= utf8.RuneSelf {
				for _, r := range string(w) {
					others[r] = true
				}
				break
			}
			ascii[c] = true
		}
		v.recs = append(v.recs, int32(off))
		prev = w
		off += sp + 1 + dims
	}
	for c, ok := range ascii {
		if ok {
			others[rune(c)] = true
		}
	}
	v.letters = slices.Sorted(maps.Keys(others))
	return v, nil
}

// find returns the number of word's record, if the table has it.
func (v *wordVectors) find(word []byte) (int32, bool) {
	i, ok := sort.Find(len(v.recs), func(i int) int { return bytes.Compare(word, v.word(i)) })
	return int32(i), ok
}

// has reports whether the table has word.
func (v *wordVectors) has(word string) bool {
	_, ok := v.find([]byte(word))
	return ok
}

// word returns the word of record i.
func (v *wordVectors) word(i int) []byte {
	rec := v.data[v.recs[i]:]
	return rec[:bytes.IndexByte(rec, ' ')]
}

// add adds the vector of word, scaled to unit length, to dst, which has the
// table's dimensions, and reports whether the table has the word.
func (v *wordVectors) add(word string, dst []float32) bool {
	return v.addScaled(word, 1, dst)
}

// addScaled adds the vector of word, scaled to length scale, to dst.
func (v *wordVectors) addScaled(word string, scale float32, dst []float32) bool {
	i, ok := v.find([]byte(word))
	if !ok {
		return false
	}
	vec := v.data[int(v.recs[i])+len(word)+1:][:v.dims]
	var norm float64
	for _, b := range vec {
		norm += float64(int8(b)) * float64(int8(b))
	}
	if norm == 0 {
		return false
	}
	scale /= float32(math.Sqrt(norm))
	for k, b := range vec {
		dst[k] += float32(int8(b)) * scale
	}
	return true
}

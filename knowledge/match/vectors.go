package match

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
)

// wordVectors is a table of word vectors: for each word, where words
// similar in meaning point the same way. The classifier averages the
// vectors of a phrasing's words into features of their meaning (see
// classifier), so that what it learns of "lost" also says something of
// "missing". Records are found by binary search and read as asked for, so
// the table costs its bytes and one offset a word.
type wordVectors struct {
	data []byte
	dims int
	// recs holds the offset of each record, sorted by word: the word, a
	// space, then dims signed bytes.
	recs []int32
	// byWord numbers the records by word, and letters lists the letters
	// the words are written with: the table is also the language's
	// dictionary, for spelling (see oneEditFrom).
	byWord  map[string]int32
	letters []rune
}

// englishVectorTable is the English table, made from GloVe word vectors by
// knowledge/match/internal/similargen (see similar/README.md).
//
//go:embed similar/en.vec.gz
var englishVectorTable []byte

// englishVectors is the English table, read at its first use (see
// builtIn). TestWordVectors fails when it cannot be read.
var englishVectors = builtIn(englishVectorTable, readVectors)

// readVectors reads a gzipped table: a comment line starting with #, a line
// giving the number of dimensions, then the records, sorted by word.
func readVectors(gz []byte) (*wordVectors, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("word vectors: reading gzip: %w", err)
	}
	// Vectors of bytes barely compress: the table is about 1.1 times its
	// compressed size.
	var buf bytes.Buffer
	buf.Grow(len(gz) + len(gz)/4)
	if _, err := io.Copy(&buf, zr); err != nil {
		return nil, fmt.Errorf("word vectors: reading gzip: %w", err)
	}
	data := buf.Bytes()
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
	for off := 0; off < len(data); {
		sp := bytes.IndexByte(data[off:], ' ')
		if sp <= 0 || off+sp+1+dims > len(data) {
			return nil, fmt.Errorf("word vectors: record %d, at byte %d, is cut short", len(v.recs)+1, off)
		}
		v.recs = append(v.recs, int32(off))
		off += sp + 1 + dims
	}
	if !sort.SliceIsSorted(v.recs, func(i, j int) bool { return bytes.Compare(v.word(i), v.word(j)) < 0 }) {
		return nil, errors.New("word vectors: the records are not sorted by word")
	}
	v.byWord = make(map[string]int32, len(v.recs))
	letters := make(map[rune]bool)
	for i := range v.recs {
		w := string(v.word(i))
		v.byWord[w] = int32(i)
		for _, r := range w {
			letters[r] = true
		}
	}
	v.letters = slices.Sorted(maps.Keys(letters))
	return v, nil
}

// has reports whether the table has word.
func (v *wordVectors) has(word string) bool {
	_, ok := v.byWord[word]
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
	i, ok := v.byWord[word]
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

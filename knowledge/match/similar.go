package match

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"sort"
	"strings"
	"sync"
)

// similarWords is a table of words and the stems of the words nearest them
// in meaning, with their similarity: one line a word, sorted by word, as
// "children child:86 parent:83 kid:76". Lines are found by binary search
// and read as they are asked for, so the table costs its text and one
// offset a line.
type similarWords struct {
	text  string
	lines []int32 // the offset of each line
}

// englishSimilarTable is the English table, made from GloVe word vectors by
// knowledge/match/internal/similargen (see similar/README.md).
//
//go:embed similar/en.txt.gz
var englishSimilarTable []byte

// englishSimilar is the English table, read at its first use (see
// builtIn). TestSimilarWords fails when it cannot be read.
var englishSimilar = builtIn(englishSimilarTable, readSimilar)

// builtIn returns a function that reads a table built into the binary at
// its first call, with read, and returns that table to every call: read-only
// data shared by every knowledge base of its language. A table that cannot
// be read is empty; each has a test that reads it.
func builtIn[T any](data []byte, read func([]byte) (*T, error)) func() *T {
	return sync.OnceValue(func() *T {
		t, err := read(data)
		if err != nil {
			return new(T)
		}
		return t
	})
}

// readSimilar reads a gzipped table; lines starting with # are comments,
// and blank lines are skipped.
func readSimilar(gz []byte) (*similarWords, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	// The text is read into a builder, whose String does not copy it;
	// the table is about two and a half times its compressed size.
	var text strings.Builder
	text.Grow(3 * len(gz))
	if _, err := io.Copy(&text, zr); err != nil {
		return nil, err
	}
	r := &similarWords{text: text.String()}
	for off := 0; off < len(r.text); {
		end := strings.IndexByte(r.text[off:], '\n')
		if end < 0 {
			end = len(r.text) - off
		}
		if end > 0 && r.text[off] != '#' {
			r.lines = append(r.lines, int32(off))
		}
		off += end + 1
	}
	return r, nil
}

// each calls yield with the stem and similarity, in [0,1], of each word
// similar in meaning to word, nearest first.
func (r *similarWords) each(word string, yield func(stem string, sim float32)) {
	i := sort.Search(len(r.lines), func(i int) bool { return r.word(i) >= word })
	if i == len(r.lines) || r.word(i) != word {
		return
	}
	line := r.line(i)[len(word):]
	for line != "" {
		var f string
		f, line, _ = strings.Cut(strings.TrimLeft(line, " "), " ")
		stem, hundredths, ok := strings.Cut(f, ":")
		if !ok {
			continue
		}
		sim := 0
		for _, c := range hundredths {
			sim = sim*10 + int(c-'0')
		}
		yield(stem, float32(sim)/100)
	}
}

// line returns line i, without its newline.
func (r *similarWords) line(i int) string {
	s := r.text[r.lines[i]:]
	if end := strings.IndexByte(s, '\n'); end >= 0 {
		s = s[:end]
	}
	return s
}

// word returns the word that line i lists the neighbours of.
func (r *similarWords) word(i int) string {
	s := r.text[r.lines[i]:]
	if end := strings.IndexAny(s, " \n"); end >= 0 {
		s = s[:end]
	}
	return s
}

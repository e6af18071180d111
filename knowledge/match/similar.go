package match

import (
	_ "embed"
	"errors"
	"strings"
	"sync"
)

// similarWords is a table of words and the stems of the words nearest them
// in meaning, with their similarity: one line a word, sorted by word, as
// "children child:86 parent:83 kid:76". A word's line is found by binary
// search over the text itself, which stays where it is (in the binary, for
// a built-in table): reading the table costs nothing, and a search touches
// a few of its pages.
type similarWords struct {
	text string // the lines, after the comments
}

// englishSimilarTable is the English table, made from GloVe word vectors by
// knowledge/match/internal/similargen (see similar/README.md).
//
//go:embed similar/en.txt
var englishSimilarTable string

// englishSimilar is the English table, read at its first use (see
// builtIn). TestSimilarWords fails when it cannot be read.
var englishSimilar = builtIn(englishSimilarTable, readSimilar)

// englishNamesTable lists the names among the commonest English words,
// which the English table and vectors leave out ("london", "spanish"),
// made by knowledge/match/internal/similargen (see similar/README.md).
//
//go:embed similar/en.names
var englishNamesTable string

// englishNames is the English list of names, read at its first use.
var englishNames = builtIn(englishNamesTable, readSimilar)

// builtIn returns a function that reads a table built into the binary at
// its first call, with read, and returns that table to every call: read-only
// data shared by every knowledge base of its language. A table that cannot
// be read is empty; each has a test that reads it.
func builtIn[D, T any](data D, read func(D) (*T, error)) func() *T {
	return sync.OnceValue(func() *T {
		t, err := read(data)
		if err != nil {
			return new(T)
		}
		return t
	})
}

// readSimilar reads a table: comment lines, starting with #, then a line a
// word, sorted by word, each ending with a newline. Only the comments and
// the end are checked: the lines are read where they are, as asked for.
func readSimilar(text string) (*similarWords, error) {
	for strings.HasPrefix(text, "#") {
		end := strings.IndexByte(text, '\n')
		if end < 0 {
			return nil, errors.New("similar words: the comment does not end")
		}
		text = text[end+1:]
	}
	if text != "" && text[len(text)-1] != '\n' {
		return nil, errors.New("similar words: the last line is cut short")
	}
	return &similarWords{text: text}, nil
}

// each calls yield with the stem and similarity, in [0,1], of each word
// similar in meaning to word, nearest first.
func (r *similarWords) each(word string, yield func(stem string, sim float32)) {
	line, ok := r.find(word)
	if !ok {
		return
	}
	line = line[len(word):]
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

// has reports whether the table has a line for word.
func (r *similarWords) has(word string) bool {
	_, ok := r.find(word)
	return ok
}

// find returns the line of word, without its newline, by binary search over
// the text: lo and hi are the starts of lines, every line before lo is of a
// word before word, and every line from hi on of word or a word after it.
func (r *similarWords) find(word string) (string, bool) {
	lo, hi := 0, len(r.text)
	for lo < hi {
		mid := lo + (hi-lo)/2
		start := strings.LastIndexByte(r.text[:mid], '\n') + 1
		line := lineAt(r.text, start)
		if lineWord(line) < word {
			lo = start + len(line) + 1
		} else {
			hi = start
		}
	}
	if lo == len(r.text) {
		return "", false
	}
	line := lineAt(r.text, lo)
	return line, lineWord(line) == word
}

// lineAt returns the line of text that starts at offset start, without its
// newline.
func lineAt(text string, start int) string {
	line, _, _ := strings.Cut(text[start:], "\n")
	return line
}

// lineWord returns the word that line lists the neighbours of.
func lineWord(line string) string {
	w, _, _ := strings.Cut(line, " ")
	return w
}

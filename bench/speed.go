package main

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/eval"
	"gopkg.in/yaml.v3"
)

// speedResult times faqbot and bleve on one synthetic knowledge base.
type speedResult struct {
	entries, phrasings, queries int
	methods                     []speedMethod
}

// speedMethod is one method's figures on a synthetic knowledge base: the
// time to build its index, the heap the built index holds, and the time
// per query.
type speedMethod struct {
	name   string
	build  time.Duration
	heapMB float64
	lat    latency
	err    string // why the method could not build its index, if it could not
	// noSearch marks a build whose searches are another row's.
	noSearch bool
}

// latency summarises per-query times.
type latency struct{ median, p99, mean time.Duration }

func summarise(d []time.Duration) latency {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	var total time.Duration
	for _, v := range d {
		total += v
	}
	return latency{median: d[len(d)/2], p99: d[min(len(d)-1, len(d)*99/100)], mean: total / time.Duration(len(d))}
}

// heapHeld returns the bytes of heap in use once the garbage is collected.
func heapHeld() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// timed builds an index with build and returns it with the time the build
// took and the heap the built index holds, in MiB.
func timed[T any](build func() (T, error)) (T, time.Duration, float64, error) {
	before := heapHeld()
	start := time.Now()
	v, err := build()
	took := time.Since(start)
	held := float64(heapHeld()) - float64(before)
	return v, took, max(held, 0) / (1 << 20), err
}

// runSpeed builds a synthetic knowledge base of n entries from the bench
// phrasings and times faqbot and bleve (BM25 on scorch, a phrasing a
// document and an entry a document, the latter also with bleve's automatic
// fuzziness) on every test query of every dataset, the methods taking
// turns query by query.
func runSpeed(data string, names []string, n int) (speedResult, error) {
	var src [][]string
	var queries []string
	for _, name := range names {
		b, err := bot.LoadBase(filepath.Join(data, name, "kb.yaml"))
		if err != nil {
			return speedResult{}, err
		}
		for _, e := range b.Entries() {
			src = append(src, e.Phrasings())
		}
		cases, err := eval.LoadCases(filepath.Join(data, name, "test.jsonl"))
		if err != nil {
			return speedResult{}, err
		}
		for _, c := range cases {
			queries = append(queries, c.Query)
		}
	}
	entries := synthetic(src, n)
	var ps []phrasing
	for _, e := range entries {
		for _, p := range e.phrasings() {
			ps = append(ps, phrasing{entry: e.ID, text: p})
		}
	}
	s := speedResult{entries: n, phrasings: len(ps), queries: len(queries)}
	yml, err := yaml.Marshal(syntheticFile{Version: 1, Entries: entries})
	if err != nil {
		return s, err
	}
	// faqbot is built twice: as a file is loaded (YAML, checks, index),
	// which reports a file the loader refuses, and as an index of the file
	// already in memory, as bleve's is; the searches ask the latter.
	_, took, heap, err := timed(func() (*bot.Base, error) { return bot.ParseBase("synthetic.yaml", yml) })
	s.methods = append(s.methods, speedMethod{name: "faqbot, the file loaded", build: took, heapMB: heap, noSearch: true})
	if err != nil {
		s.methods[0].err = err.Error()
	}
	yml = nil
	f := &knowledge.File{Version: 1, Entries: make([]knowledge.Entry, len(entries))}
	for i, e := range entries {
		f.Entries[i] = knowledge.Entry{ID: e.ID, Question: e.Question, Alternates: e.Alternates, Answer: e.Answer}
	}
	b, took, heap, err := timed(func() (*bot.Base, error) { return bot.NewBase("synthetic", f) })
	if err != nil {
		return s, err
	}
	s.methods = append(s.methods, speedMethod{name: "faqbot, the index", build: took, heapMB: heap})

	byPhrasing, took, heap, err := timed(func() (bleve.Index, error) { return newBleveIndex(textDocs(ps), bleveindex.BM25Scoring) })
	if err != nil {
		return s, err
	}
	defer byPhrasing.Close()
	s.methods = append(s.methods, speedMethod{name: "bleve BM25", build: took, heapMB: heap})
	byEntry, took, heap, err := timed(func() (bleve.Index, error) { return newBleveIndex(textDocs(pooled(ps)), bleveindex.BM25Scoring) })
	if err != nil {
		return s, err
	}
	defer byEntry.Close()
	s.methods = append(s.methods,
		speedMethod{name: "bleve BM25, an entry a document", build: took, heapMB: heap},
		speedMethod{name: "bleve BM25, an entry a document, fuzziness auto", build: took, heapMB: heap})

	phr := &bleveMethod{idx: byPhrasing, fields: []string{"text"}}
	ent := &bleveMethod{idx: byEntry, fields: []string{"text"}}
	entFuzzy := &bleveMethod{idx: byEntry, fields: []string{"text"}, fuzzy: fuzziness{auto: true}}
	ask := []func(q string){
		func(q string) { b.Search(q) },
		func(q string) { phr.ask(q) },
		func(q string) { ent.ask(q) },
		func(q string) { entFuzzy.ask(q) },
	}
	searching := s.methods[1:]
	times := make([][]time.Duration, len(ask))
	for i := range times {
		times[i] = make([]time.Duration, len(queries))
	}
	for qi, q := range queries {
		for i, f := range ask {
			t0 := time.Now()
			f(q)
			times[i][qi] = time.Since(t0)
		}
	}
	for i := range searching {
		searching[i].lat = summarise(times[i])
	}
	runtime.KeepAlive(b)
	return s, nil
}

// syntheticEntry is an entry of a synthetic knowledge file.
type syntheticEntry struct {
	ID         string   `yaml:"id"`
	Question   string   `yaml:"question"`
	Alternates []string `yaml:"alternates,omitempty"`
	Answer     string   `yaml:"answer"`
}

func (e syntheticEntry) phrasings() []string { return append([]string{e.Question}, e.Alternates...) }

// syntheticFile is a synthetic knowledge file.
type syntheticFile struct {
	Version int              `yaml:"version"`
	Entries []syntheticEntry `yaml:"entries"`
}

// synthetic returns n entries whose phrasings are the source phrasings
// with variations: entry i takes source entry i mod len(src), then drops a
// word from some phrasings, swaps in a word from another entry in others,
// and tags a phrasing that would repeat another.
func synthetic(src [][]string, n int) []syntheticEntry {
	rng := rand.New(rand.NewPCG(1, 2))
	var vocab []string
	for _, ps := range src {
		for _, p := range ps {
			vocab = append(vocab, strings.Fields(p)...)
		}
	}
	entries := make([]syntheticEntry, 0, n)
	seen := make(map[string]bool)
	for i := 0; i < n; i++ {
		var phr []string
		for k, p := range src[i%len(src)] {
			w := strings.Fields(p)
			switch rng.IntN(3) {
			case 0:
				if len(w) > 2 {
					j := rng.IntN(len(w))
					w = append(w[:j:j], w[j+1:]...)
				}
			case 1:
				w = append(w[:len(w):len(w)], vocab[rng.IntN(len(vocab))])
			}
			text := strings.Join(w, " ")
			if seen[knowledge.PhrasingKey(text)] {
				text = fmt.Sprintf("%s (variant %d.%d)", text, i, k)
			}
			seen[knowledge.PhrasingKey(text)] = true
			phr = append(phr, text)
		}
		entries = append(entries, syntheticEntry{
			ID:         fmt.Sprintf("e%d", i),
			Question:   phr[0],
			Alternates: phr[1:],
			Answer:     fmt.Sprintf("Answer %d.", i),
		})
	}
	return entries
}

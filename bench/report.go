package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/faqbot/faqbot/knowledge/match"
)

type report struct {
	took     time.Duration
	machine  string
	goVer    string
	results  []datasetResult
	speeds   []speedResult
	realdocs *realdocsReport
}

// machine describes the processor and the number of CPUs.
func machine() string {
	cpu := "unknown processor"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d CPUs, %s/%s", cpu, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
}

func writeReport(w io.Writer, r report) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("Run on %s (Go %s), in %s.\n", r.machine, r.goVer, r.took.Round(time.Second))
	if len(r.results) > 0 {
		writeIntents(p, r.results)
	}
	if len(r.speeds) > 0 {
		writeSpeeds(p, r.speeds)
	}
	if r.realdocs != nil {
		writeRealdocs(p, *r.realdocs)
	}
}

type printer func(format string, args ...any)

func writeIntents(p printer, results []datasetResult) {
	p("\n## Side by side on the public FAQ data\n\n")
	p("Overall accuracy on each test split (right entry for in-scope questions, no answer for out-of-scope ones) at the threshold that maximises it on the dev split; typo figures use `test-typos.jsonl` tuned on `dev-typos.jsonl`. faqbot's default is its shipped threshold (%.2f) with no tuning at all. bleve runs on scorch, its default index.\n\n", match.DefaultThreshold)
	p("| dataset | sahilm/fuzzy | best bleve (clean / typo) | faqbot tuned (clean / typo) | faqbot − best bleve (clean / typo) | faqbot default (clean / typo) | faqbot top-1 in scope (clean / typo) |\n")
	p("|---|---|---|---|---|---|---|\n")
	for _, d := range results {
		fc, _ := d.bestOther("sahilm")
		bc, bt := d.bestOther("bleve")
		f := d.faqbot
		p("| %s | %.3f | %.3f / %.3f | **%.3f / %.3f** | %+.3f / %+.3f | %.3f / %.3f | %.3f / %.3f |\n",
			d.name, fc, bc, bt, f.clean, f.typo, f.clean-bc, f.typo-bt, f.cleanDefault, f.typoDefault, f.top1, f.typoTop1)
	}

	p("\n### Every method, clean / typo accuracy and mean time per query\n\n")
	p("| dataset | method | clean | typo | µs per query (clean / typo) |\n|---|---|---|---|---|\n")
	for _, d := range results {
		f := d.faqbot
		p("| %s (%d entries, %d phrasings) | faqbot (threshold %.3f / %.3f) | %.3f | %.3f | %.0f / %.0f |\n", d.name, d.entries, d.phrasings, f.threshold, f.typoThreshold, f.clean, f.typo, f.usClean, f.usTypo)
		for _, m := range d.methods {
			p("| | %s | %.3f | %.3f | %.0f / %.0f |\n", m.name, m.clean, m.typo, m.usClean, m.usTypo)
		}
	}
}

func writeSpeeds(p printer, speeds []speedResult) {
	p("\n## Speed on synthetic knowledge bases\n\n")
	p("Entries made from the bench phrasings with variations (a word dropped or added); every test query of every dataset asked of each, the methods taking turns query by query. faqbot is built as a file is loaded (YAML, checks, index) and as an index of the file in memory (`bot.NewBase`), which answers the searches; bleve indexes the phrasings in memory, on scorch in one batch. Heap held: the Go heap in use after the build, less before, once collected.\n\n")
	p("| entries | phrasings | queries | method | build | heap held | median | p99 | mean |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, s := range speeds {
		for i, m := range s.methods {
			size := fmt.Sprintf("%d | %d | %d", s.entries, s.phrasings, s.queries)
			if i > 0 {
				size = " |  | "
			}
			if m.err != "" {
				p("| %s | %s | refused: %s | | | | |\n", size, m.name, m.err)
				continue
			}
			if m.noSearch {
				p("| %s | %s | %s | %.0f MB | | | |\n", size, m.name, duration(m.build), m.heapMB)
				continue
			}
			p("| %s | %s | %s | %.0f MB | %s | %s | %s |\n", size, m.name, duration(m.build), m.heapMB, us(m.lat.median), us(m.lat.p99), us(m.lat.mean))
		}
	}
}

func writeRealdocs(p printer, r realdocsReport) {
	p("\n## Real FAQ documents (realdocs)\n\n")
	p("Each document imported with faqbot's importer (as `faqbot import` does) and asked its questions: faqbot as `faqbot ask` does, at its default threshold (%.2f) with no tuning; bleve BM25 on scorch over the same entries (phrasings and answer as two fields), at one threshold fitted on all these questions (%.3f). Right: an answer holding one of the case's phrases, or a refusal of an off-topic question.\n\n", match.DefaultThreshold, r.bleveThreshold)
	p("| document | entries imported / real Q&As | cases | faqbot: overall | answerable right | off-topic refused | bleve BM25 fitted: overall | answerable right | off-topic refused |\n|---|---|---|---|---|---|---|---|---|\n")
	var fAll, bAll tallies
	entries, real := 0, 0
	for _, d := range r.docs {
		f, b := tally(d.cases, d.faqbot), tally(d.cases, d.bleveReplies(r.bleveThreshold))
		fAll, bAll = fAll.add(f), bAll.add(b)
		entries += d.entries
		real += d.real
		imported := fmt.Sprintf("%d / %d", d.entries, d.real)
		if d.importErr != "" {
			imported = "import failed"
		}
		p("| %s | %s | %d | %s | %s | %s | %s | %s | %s |\n", d.name, imported, f.cases(), ratio(f.right(), f.cases()),
			ratio(f.answeredRight, f.answerable), ratio(f.refusedRight, f.offTopic),
			ratio(b.right(), b.cases()), ratio(b.answeredRight, b.answerable), ratio(b.refusedRight, b.offTopic))
	}
	p("| **overall** | %d / %d | %d | **%s** | %s | %s | **%s** | %s | %s |\n", entries, real, fAll.cases(), ratio(fAll.right(), fAll.cases()),
		ratio(fAll.answeredRight, fAll.answerable), ratio(fAll.refusedRight, fAll.offTopic),
		ratio(bAll.right(), bAll.cases()), ratio(bAll.answeredRight, bAll.answerable), ratio(bAll.refusedRight, bAll.offTopic))
	for _, d := range r.docs {
		if d.importErr != "" {
			p("\n%s: the import failed: %s\n", d.name, d.importErr)
		}
	}
}

func ratio(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", float64(n)/float64(of))
}

func duration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

func us(d time.Duration) string {
	return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
}

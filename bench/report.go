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
	when     time.Time
	took     time.Duration
	machine  string
	goVer    string
	dataPath string
	results  []datasetResult
	speeds   []speedResult
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
	p("## Side by side on the public FAQ data\n\n")
	p("Run on %s (Go %s), %s UTC, in %s. Overall accuracy on each test split (right entry for in-scope questions, no answer for out-of-scope ones) at the threshold that maximises it on the dev split; typo figures use `test-typos.jsonl` tuned on `dev-typos.jsonl`. faqbot's default is its shipped threshold (%.2f) with no tuning at all.\n\n",
		r.machine, r.goVer, r.when.Format("2006-01-02 15:04"), r.took.Round(time.Second), match.DefaultThreshold)

	p("| dataset | sahilm/fuzzy alone | best bleve (clean / typo) | faqbot tuned (clean / typo) | faqbot default (clean / typo) | faqbot top-1 in scope (clean / typo) |\n")
	p("|---|---|---|---|---|---|\n")
	for _, d := range r.results {
		fc, _ := d.bestOther("sahilm")
		bc, bt := d.bestOther("bleve")
		f := d.faqbot
		p("| %s | %.3f | %.3f / %.3f | **%.3f / %.3f** | %.3f / %.3f | %.3f / %.3f |\n", d.name, fc, bc, bt, f.clean, f.typo, f.cleanDefault, f.typoDefault, f.top1, f.typoTop1)
	}

	p("\n### Every method, clean / typo accuracy and mean time per query\n\n")
	p("| dataset | method | clean | typo | µs per query (clean / typo) |\n|---|---|---|---|---|\n")
	for _, d := range r.results {
		f := d.faqbot
		p("| %s (%d entries, %d phrasings) | faqbot (threshold %.3f / %.3f) | %.3f | %.3f | %.0f / %.0f |\n", d.name, d.entries, d.phrasings, f.threshold, f.typoThreshold, f.clean, f.typo, f.usClean, f.usTypo)
		for _, m := range d.methods {
			p("| | %s | %.3f | %.3f | %.0f / %.0f |\n", m.name, m.clean, m.typo, m.usClean, m.usTypo)
		}
	}

	p("\n### Targets (issue 3)\n\n")
	p("Issue 3 sets its accuracy targets from the best bleve figures in its own table; this run's best bleve configuration, which includes ones the issue did not list (an entry a document), may score higher, and is held to the same margins in the next two columns.\n\n")
	p("| dataset | clean ≥ issue's bleve + 0.05 | typo ≥ issue's bleve typo + 0.10 | clean ≥ this run's best bleve + 0.05 | typo ≥ this run's best bleve typo + 0.10 | typo within 0.04 of clean | default within 0.03 of tuned (clean / typo) |\n|---|---|---|---|---|---|---|\n")
	for _, d := range r.results {
		bc, bt := d.bestOther("bleve")
		f := d.faqbot
		issue := func(i int) string {
			b, ok := issueBleve[d.name]
			if !ok {
				return "-"
			}
			margin, got := 0.05, f.clean
			if i == 1 {
				margin, got = 0.10, f.typo
			}
			return mark(got >= b[i]+margin, "%.3f vs %.3f", got, b[i]+margin)
		}
		p("| %s | %s | %s | %s | %s | %s | %s |\n", d.name, issue(0), issue(1),
			mark(f.clean >= bc+0.05, "%.3f vs %.3f", f.clean, bc+0.05),
			mark(f.typo >= bt+0.10, "%.3f vs %.3f", f.typo, bt+0.10),
			mark(f.clean-f.typo <= 0.04, "%.3f", f.clean-f.typo),
			mark(f.clean-f.cleanDefault <= 0.03 && f.typo-f.typoDefault <= 0.03, "%.3f / %.3f", f.clean-f.cleanDefault, f.typo-f.typoDefault))
	}

	if len(r.speeds) > 0 {
		p("\n### Speed on synthetic knowledge bases\n\n")
		p("Entries made from the bench phrasings with variations (a word dropped or added); every test query of every dataset asked of each, one after the other in the same run.\n\n")
		p("| entries | phrasings | queries | faqbot build | bleve BM25 build | faqbot median / p99 / mean | bleve BM25 median / p99 / mean |\n|---|---|---|---|---|---|---|\n")
		for _, s := range r.speeds {
			p("| %d | %d | %d | %s | %s | %s / %s / %s | %s / %s / %s |\n", s.entries, s.phrasings, s.queries,
				s.faqbotBuild.Round(time.Millisecond), s.bleveBuild.Round(time.Millisecond),
				us(s.faqbot.median), us(s.faqbot.p99), us(s.faqbot.mean), us(s.bleve.median), us(s.bleve.p99), us(s.bleve.mean))
		}
	}
}

// issueBleve holds the best bleve accuracy, clean and on typo queries,
// that issue 3's table gives for each dataset: its targets are these plus
// 0.05 and 0.10.
var issueBleve = map[string][2]float64{
	"banking77":             {0.537, 0.490},
	"chitchat-professional": {0.605, 0.524},
	"clinc150":              {0.564, 0.473},
	"covid-cdc-faq":         {0.717, 0.668},
}

func mark(ok bool, format string, args ...any) string {
	s := fmt.Sprintf(format, args...)
	if ok {
		return "yes (" + s + ")"
	}
	return "**no** (" + s + ")"
}

func us(d time.Duration) string {
	return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/faqbot/faqbot/knowledge/eval"
)

// evalJSON is the object "faqbot eval --json" prints: the report, and the
// file the threshold was tuned on, if any.
type evalJSON struct {
	eval.Report
	TunedOn string `json:"tuned_on,omitempty"`
}

// cmdEval measures the knowledge base on a file of cases: how often the
// right entry is answered and off-topic questions refused, at the configured
// threshold, at --threshold, or at the threshold that does best on --tune.
// With --min-accuracy it exits 1 below that accuracy.
func cmdEval(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlagSet("eval")
	var sf setupFlags
	sf.register(fs)
	casesPath := fs.String("cases", "", "the cases `file`: JSON lines {\"query\": \"...\", \"expect\": \"<id>\" or null}")
	var threshold, minAccuracy fraction
	fs.Var(&threshold, "threshold", "the confidence `threshold` to answer at, from 0 to 1 (default: the config's matcher.threshold)")
	tune := fs.String("tune", "", "pick the threshold that maximises overall accuracy on this cases `file`, then report --cases at it")
	asJSON := fs.Bool("json", false, "print one JSON object")
	fs.Var(&minAccuracy, "min-accuracy", "exit 1 when the overall accuracy is below this `fraction`, from 0 to 1")
	misses := fs.Int("misses", 10, "how many of the worst misses to list")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageError(fs, "unexpected argument %q: give the cases with --cases FILE", fs.Arg(0))
	case *casesPath == "":
		return usageError(fs, "no cases: give a JSON lines file with --cases FILE")
	case *tune != "" && threshold.set:
		return usageError(fs, "--threshold and --tune both choose the threshold: give one")
	}
	cfg, kb, err := sf.loadAll()
	if err != nil {
		return err
	}
	cases, err := eval.LoadCases(*casesPath)
	if err != nil {
		return err
	}
	out := evalJSON{}
	t := cfg.Matcher.Threshold
	if threshold.set {
		t = threshold.v
	}
	if *tune != "" {
		dev, err := eval.LoadCases(*tune)
		if err != nil {
			return err
		}
		ev, err := eval.Evaluate(kb.Path, kb.Index, dev)
		if err != nil {
			return err
		}
		t, out.TunedOn = ev.Tune(), *tune
	}
	ev, err := eval.Evaluate(kb.Path, kb.Index, cases)
	if err != nil {
		return err
	}
	out.Report = ev.At(t, *misses)
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		printEval(c.stdout, out)
	}
	if minAccuracy.set && out.Accuracy < minAccuracy.v {
		return &exitError{code: 1, err: fmt.Errorf("accuracy %.3f is below --min-accuracy %.3f", out.Accuracy, minAccuracy.v)}
	}
	return nil
}

// fraction is an optional flag holding a number from 0 to 1.
type fraction struct {
	v   float64
	set bool
}

func (f *fraction) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.FormatFloat(f.v, 'g', -1, 64)
}

func (f *fraction) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > 1 {
		return fmt.Errorf("%q is not a number from 0 to 1", s)
	}
	f.v, f.set = v, true
	return nil
}

func printEval(w io.Writer, r evalJSON) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("cases           %d (%d in scope, %d out of scope)\n", r.Cases, r.InScope, r.OutOfScope)
	if r.Unheld > 0 {
		p("unheld          %d of the in-scope cases name only phrases that no answer holds\n", r.Unheld)
	}
	if r.TunedOn != "" {
		p("threshold       %.3f (tuned on %s)\n", r.Threshold, r.TunedOn)
	} else {
		p("threshold       %.3f\n", r.Threshold)
	}
	p("top-1           %.3f of in-scope questions have the right entry first\n", r.Top1)
	p("accuracy        %.3f overall at the threshold\n", r.Accuracy)
	p("answered right  %.3f of in-scope questions\n", r.AnsweredRight)
	p("refused right   %.3f of out-of-scope questions\n", r.RefusedRight)
	p("answered wrong  %.3f of all questions\n", r.AnsweredWrong)
	p("latency         mean %.0f µs, p99 %.0f µs\n", r.LatencyMeanUS, r.LatencyP99US)
	if len(r.Confused) > 0 {
		p("\nconfused most often (add alternates that tell them apart):\n")
		for _, c := range r.Confused {
			what := "questions"
			if c.Cases == 1 {
				what = "question"
			}
			p("  %s answered as %s: %d %s\n", c.Expect, c.Got, c.Cases, what)
		}
	}
	if len(r.Misses) == 0 {
		return
	}
	p("\nworst misses:\n")
	for _, m := range r.Misses {
		expect, got := m.Expect, m.Got
		switch {
		case len(m.Want) > 0:
			expect = fmt.Sprintf("an answer with %q", m.Want)
		case expect == "":
			expect = "(none)"
		}
		if got == "" {
			got = "(none)"
		}
		p("  %q\n      expected %s, got %s (%.3f, %s)\n", m.Query, expect, got, m.Confidence, m.Outcome)
	}
}

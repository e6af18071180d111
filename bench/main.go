// Command bench runs faqbot's matcher side by side with sahilm/fuzzy and
// bleve (on scorch, its default index, with TF-IDF and BM25 scoring, with
// and without fuzziness) and prints one markdown report of three parts:
//
//   - intents: overall accuracy on each public intent set's test split at
//     a threshold tuned on its dev split, faqbot's accuracy at its untuned
//     default threshold, and the time per query;
//   - speed: build time, heap held and time per query of faqbot and bleve
//     on synthetic knowledge bases (1k, 10k and 100k entries by default);
//   - realdocs: real FAQ documents imported with faqbot's importer and
//     asked chat questions, faqbot at its default threshold against bleve
//     BM25 at one threshold fitted on those very questions.
//
// It lives in its own module so that bleve never enters the bot's
// dependencies. From the repository root:
//
//	cd bench && go run . -data ../../shared/bench
//	cd bench && go run . -data ../../shared/bench -parts realdocs
//
// Its tables are the side-by-side parts of docs/benchmarks.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// allParts are the parts of the report, in the order they run.
var allParts = []string{"intents", "speed", "realdocs"}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", filepath.Join("..", "..", "shared", "bench"), "the benchmark data folder (one folder a dataset, and realdocs/)")
	only := fs.String("dataset", "", "run only this intent set")
	parts := fs.String("parts", strings.Join(allParts, ","), "the parts to run, comma-separated: "+strings.Join(allParts, ", "))
	sizes := fs.String("sizes", "1000,10000,100000", "the synthetic knowledge bases' sizes for the speed part, comma-separated")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; the flags are -data, -dataset, -parts and -sizes", fs.Arg(0))
	}
	want := make(map[string]bool)
	for _, p := range strings.Split(*parts, ",") {
		if !slices.Contains(allParts, p) {
			return fmt.Errorf("-parts: unknown part %q; the parts are %s", p, strings.Join(allParts, ", "))
		}
		want[p] = true
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return fmt.Errorf("-sizes: %q is not a number of entries", s)
		}
		ns = append(ns, n)
	}
	// Only the intents and speed parts read the intent sets: a folder that
	// holds realdocs/ alone is enough for -parts realdocs.
	var names []string
	if want["intents"] || want["speed"] {
		var err error
		if names, err = datasets(*data, *only); err != nil {
			return err
		}
	}
	started := time.Now()
	rep := report{machine: machine(), goVer: runtime.Version()}
	// A part that fails still leaves the report of those that ran.
	fail := func(err error) error {
		rep.took = time.Since(started)
		writeReport(stdout, rep)
		return err
	}
	if want["intents"] {
		for _, name := range names {
			if err := ctx.Err(); err != nil {
				return fail(err)
			}
			fmt.Fprintf(stderr, "bench: %s\n", name)
			r, err := runDataset(filepath.Join(*data, name))
			if err != nil {
				return fail(fmt.Errorf("%s: %w", name, err))
			}
			rep.results = append(rep.results, r)
		}
	}
	if want["speed"] {
		for _, n := range ns {
			if err := ctx.Err(); err != nil {
				return fail(err)
			}
			fmt.Fprintf(stderr, "bench: speed at %d entries\n", n)
			s, err := runSpeed(*data, names, n)
			if err != nil {
				return fail(fmt.Errorf("speed at %d entries: %w", n, err))
			}
			rep.speeds = append(rep.speeds, s)
		}
	}
	if want["realdocs"] {
		fmt.Fprintln(stderr, "bench: realdocs")
		r, err := runRealdocs(ctx, filepath.Join(*data, "realdocs"))
		if err != nil {
			return fail(fmt.Errorf("realdocs: %w", err))
		}
		rep.realdocs = &r
	}
	rep.took = time.Since(started)
	writeReport(stdout, rep)
	return nil
}

// datasets returns the intent sets under dir: the folders holding a
// kb.yaml, or only the one named, if any.
func datasets(dir, only string) ([]string, error) {
	list, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the benchmark data: %w (give its folder with -data)", err)
	}
	var names []string
	for _, e := range list {
		if only != "" && e.Name() != only {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "kb.yaml")); err == nil {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, errors.New("no intent set to run: check -data and -dataset")
	}
	return names, nil
}

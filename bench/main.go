// Command bench runs faqbot's matcher, sahilm/fuzzy alone and bleve (TF-IDF
// and BM25, with and without fuzziness) side by side on the public FAQ
// benchmark data and prints one markdown report: overall accuracy on each
// test split at a threshold tuned on its dev split, faqbot's accuracy at its
// untuned default threshold, and the time per query.
//
// It lives in its own module so that bleve never enters the bot's
// dependencies. From the repository root:
//
//	cd bench && go run . -data ../../shared/bench
//
// Its tables are the side-by-side part of docs/benchmarks.md.
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

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", filepath.Join("..", "..", "shared", "bench"), "the benchmark data folder (one folder a dataset)")
	only := fs.String("dataset", "", "run only this dataset")
	speed := fs.Bool("speed", true, "also time faqbot and bleve BM25 on synthetic knowledge bases of 1k and 10k entries")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q; the flags are -data, -dataset and -speed", fs.Arg(0))
	}
	names, err := datasets(*data)
	if err != nil {
		return err
	}
	started := time.Now()
	var results []datasetResult
	for _, name := range names {
		if *only != "" && name != *only {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "bench: %s\n", name)
		r, err := runDataset(filepath.Join(*data, name))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		results = append(results, r)
	}
	if len(results) == 0 {
		return errors.New("no dataset to run: check -data and -dataset")
	}
	var speeds []speedResult
	if *speed {
		for _, n := range []int{1000, 10000} {
			if err := ctx.Err(); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "bench: speed at %d entries\n", n)
			s, err := runSpeed(*data, names, n)
			if err != nil {
				return fmt.Errorf("speed at %d entries: %w", n, err)
			}
			speeds = append(speeds, s)
		}
	}
	writeReport(stdout, report{
		when:     started.UTC(),
		took:     time.Since(started),
		machine:  machine(),
		goVer:    runtime.Version(),
		results:  results,
		speeds:   speeds,
		dataPath: *data,
	})
	return nil
}

// datasets returns the dataset folders under dir: those holding a kb.yaml.
func datasets(dir string) ([]string, error) {
	list, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the benchmark data: %w (give its folder with -data)", err)
	}
	var names []string
	for _, e := range list {
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "kb.yaml")); err == nil {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

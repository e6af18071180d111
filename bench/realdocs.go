package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	bleveindex "github.com/blevesearch/bleve_index_api"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/convert"
	"github.com/faqbot/faqbot/knowledge/eval"
	"github.com/faqbot/faqbot/knowledge/match"
)

// reply is what a method did with one realdocs question: whether it
// answered, and with which entry.
type reply struct {
	answered bool
	entry    *knowledge.Entry
}

// right scores r by the realdocs rule: a question the document answers is
// right when answered with an entry whose answer holds one of the case's
// phrases, any other question when refused.
func right(c eval.Case, r reply) bool {
	if !c.InScope() {
		return !r.answered
	}
	return r.answered && c.Accepts(r.entry)
}

// realdocResult is one realdocs document: its import, its questions, and
// each method's replies to them.
type realdocResult struct {
	name      string
	entries   int    // entries imported
	real      int    // Q&As the document has, from SOURCE.md; 0 if not listed
	importErr string // why the import failed, if it did
	cases     []eval.Case
	faqbot    []reply // at the default threshold
	bleve     []scored
}

// scored is a ranking method's best entry for a question, with its score,
// before a threshold decides whether it is given.
type scored struct {
	entry *knowledge.Entry
	score float64
}

// realdocsReport is the realdocs run: every document, and the one
// threshold fitted for bleve on all their questions.
type realdocsReport struct {
	docs           []realdocResult
	bleveThreshold float64
}

// bleveReplies returns bleve's replies to d's questions at threshold t.
func (d realdocResult) bleveReplies(t float64) []reply {
	out := make([]reply, len(d.bleve))
	for i, s := range d.bleve {
		out[i] = reply{answered: s.score >= t, entry: s.entry}
	}
	return out
}

// runRealdocs imports every document of the realdocs folder with faqbot's
// importer, the one faqbot import uses, and asks each its questions:
// faqbot as faqbot ask does, at the default threshold, and bleve BM25 over
// the same entries (their phrasings and their answer as two fields), with
// one threshold fitted on all the questions.
func runRealdocs(ctx context.Context, dir string) (realdocsReport, error) {
	real, err := realCounts(filepath.Join(dir, "SOURCE.md"))
	if err != nil {
		return realdocsReport{}, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "cases", "*.jsonl"))
	if err != nil {
		return realdocsReport{}, err
	}
	if len(files) == 0 {
		return realdocsReport{}, fmt.Errorf("no cases/*.jsonl in %s: give the realdocs folder with -realdocs", dir)
	}
	var rep realdocsReport
	for _, cf := range files {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		name := strings.TrimSuffix(filepath.Base(cf), ".jsonl")
		doc, err := realdocFile(filepath.Join(dir, "docs"), name)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", cf, err)
		}
		cases, err := eval.LoadCases(cf)
		if err != nil {
			return rep, err
		}
		d, err := runRealdoc(ctx, doc, cases)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", name, err)
		}
		d.name, d.real = name, real["docs/"+filepath.Base(doc)]
		rep.docs = append(rep.docs, d)
	}
	rep.bleveThreshold = fitThreshold(rep.docs)
	return rep, nil
}

// realdocFile returns the one document in dir that the cases called name
// are about: name with its extension (NAME.md), or name alone for a file
// kept without one, as plain-text FAQ files often are.
func realdocFile(dir, name string) (string, error) {
	docs, err := filepath.Glob(filepath.Join(dir, name+".*"))
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
		docs = append(docs, filepath.Join(dir, name))
	}
	if len(docs) != 1 {
		return "", fmt.Errorf("want one document named %s or %s.* in %s, found %d", name, name, dir, len(docs))
	}
	return docs[0], nil
}

// runRealdoc imports one document and asks its questions. An import that
// fails is reported in the result, with every question unanswered, as
// the realdocs rule scores it.
func runRealdoc(ctx context.Context, path string, cases []eval.Case) (realdocResult, error) {
	d := realdocResult{cases: cases, faqbot: make([]reply, len(cases)), bleve: make([]scored, len(cases))}
	for i := range d.bleve {
		d.bleve[i].score = math.Inf(-1)
	}
	kb, err := importDocument(path)
	if err != nil {
		d.importErr = err.Error()
		return d, nil
	}
	d.entries = kb.Len()

	b := bot.New(kb, bot.Options{Threshold: match.DefaultThreshold, Logger: slog.New(slog.DiscardHandler)})
	for i, c := range cases {
		// Each question in its own channel, as faqbot ask asks it: no
		// earlier answer in the channel to point at.
		r, _ := b.Handle(ctx, bot.Message{Platform: "cli", Channel: "bench-" + strconv.Itoa(i), User: "bench", Text: c.Query, Origin: bot.Direct})
		d.faqbot[i] = reply{answered: r.Kind == bot.Answer, entry: r.Entry}
	}

	var docs []bleveDoc
	for _, e := range kb.Entries() {
		docs = append(docs, bleveDoc{entry: e.ID, fields: map[string]string{
			"question": strings.Join(e.Phrasings(), "\n"),
			"answer":   e.Answer,
		}})
	}
	idx, err := newBleveIndex(docs, bleveindex.BM25Scoring)
	if err != nil {
		return d, err
	}
	defer idx.Close()
	m := &bleveMethod{idx: idx, fields: []string{"question", "answer"}}
	for i, c := range cases {
		g := m.ask(c.Query)
		e, _ := kb.Entry(g.id)
		d.bleve[i] = scored{entry: e, score: g.score}
	}
	return d, nil
}

// importDocument turns the document at path into a knowledge base as
// faqbot import and then faqbot ask do: the importer's file is written as
// YAML and loaded by the loader that every command uses.
func importDocument(path string) (*bot.Base, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, warnings, err := convert.Import(path, data, convert.FormatAuto)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := knowledge.WriteYAML(&buf, f, convert.ImportHeader(path, warnings)); err != nil {
		return nil, err
	}
	return bot.ParseBase(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))+".yaml", buf.Bytes())
}

// fitThreshold returns the one bleve score threshold that gets the most
// realdocs questions right over all the documents.
func fitThreshold(docs []realdocResult) float64 {
	var scores []float64
	for _, d := range docs {
		for _, s := range d.bleve {
			scores = append(scores, s.score)
		}
	}
	return bestThreshold(scores, func(t float64) float64 {
		right := 0
		for _, d := range docs {
			right += tally(d.cases, d.bleveReplies(t)).right()
		}
		return float64(right)
	})
}

// tallies counts right replies: to answerable questions and to the
// others, out of how many of each.
type tallies struct {
	answerable, answeredRight int
	offTopic, refusedRight    int
}

func tally(cases []eval.Case, rs []reply) tallies {
	var t tallies
	for i, c := range cases {
		ok := right(c, rs[i])
		if c.InScope() {
			t.answerable++
			if ok {
				t.answeredRight++
			}
		} else {
			t.offTopic++
			if ok {
				t.refusedRight++
			}
		}
	}
	return t
}

func (t tallies) right() int { return t.answeredRight + t.refusedRight }
func (t tallies) cases() int { return t.answerable + t.offTopic }

func (t tallies) add(u tallies) tallies {
	return tallies{t.answerable + u.answerable, t.answeredRight + u.answeredRight, t.offTopic + u.offTopic, t.refusedRight + u.refusedRight}
}

// realCounts reads the "real Q&As" column of SOURCE.md's table, keyed by
// the file column ("docs/NAME.ext").
func realCounts(path string) (map[string]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	counts := make(map[string]int)
	col := -1
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if col < 0 {
			for i, c := range cells {
				if c == "real Q&As" {
					col = i
				}
			}
			continue
		}
		if col < len(cells) {
			if n, err := strconv.Atoi(cells[col]); err == nil {
				counts[cells[0]] = n
			}
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("%s: no table with a \"real Q&As\" column", path)
	}
	return counts, nil
}

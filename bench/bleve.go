package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
)

// bleveDoc is one document of a bleve index: the entry it stands for and
// its text fields by name.
type bleveDoc struct {
	entry  string
	fields map[string]string
}

// textDocs makes one document of each phrasing, in the field "text".
func textDocs(ps []phrasing) []bleveDoc {
	docs := make([]bleveDoc, len(ps))
	for i, p := range ps {
		docs[i] = bleveDoc{entry: p.entry, fields: map[string]string{"text": p.text}}
	}
	return docs
}

// newBleveIndex indexes docs with bleve's English analyzer and scoring
// model "tf-idf" (bleve's default) or "bm25", on scorch, bleve's default
// index type. The index is held in memory (scorch with no path, which is
// what bleve offers for an unpersisted scorch index), and the documents go
// in one batch, so that the index is one segment: what a merged on-disk
// index would be, and the quickest to search.
func newBleveIndex(docs []bleveDoc, model string) (bleve.Index, error) {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = en.AnalyzerName
	m.ScoringModel = model
	idx, err := bleve.NewUsing("", m, scorch.Name, bleve.Config.DefaultKVStore, nil)
	if err != nil {
		return nil, err
	}
	batch := idx.NewBatch()
	for i, d := range docs {
		if err := batch.Index(fmt.Sprintf("%s\x00%d", d.entry, i), d.fields); err != nil {
			idx.Close()
			return nil, err
		}
	}
	if err := idx.Batch(batch); err != nil {
		idx.Close()
		return nil, err
	}
	return idx, nil
}

// fuzziness is how a bleve match query treats typos, as bleve users set it:
// not at all, within a fixed edit distance, or "auto" (bleve's rule: none
// for terms of up to 2 characters, 1 up to 5, 2 beyond).
type fuzziness struct {
	edits int
	auto  bool
}

func (f fuzziness) String() string {
	switch {
	case f.auto:
		return "fuzziness auto"
	case f.edits > 0:
		return fmt.Sprintf("fuzziness %d", f.edits)
	}
	return ""
}

// bleveMethod searches a bleve index with a match query on each of its
// fields (a disjunction when there are several, as a multi-field search
// is written in bleve), analysed with the English analyzer.
type bleveMethod struct {
	idx    bleve.Index
	fields []string
	fuzzy  fuzziness
}

func (m *bleveMethod) ask(q string) guess {
	var qs []query.Query
	for _, f := range m.fields {
		mq := bleve.NewMatchQuery(q)
		mq.SetField(f)
		mq.Analyzer = en.AnalyzerName
		mq.SetFuzziness(m.fuzzy.edits)
		mq.SetAutoFuzziness(m.fuzzy.auto)
		qs = append(qs, mq)
	}
	var top query.Query = qs[0]
	if len(qs) > 1 {
		top = bleve.NewDisjunctionQuery(qs...)
	}
	res, err := m.idx.Search(bleve.NewSearchRequestOptions(top, 1, 0, false))
	if err != nil || len(res.Hits) == 0 {
		return guess{score: math.Inf(-1)}
	}
	id, _, _ := strings.Cut(res.Hits[0].ID, "\x00")
	return guess{id: id, score: res.Hits[0].Score}
}

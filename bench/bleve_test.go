package main

import (
	"testing"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// TestBleveIndexIsScorchWithBM25 checks that the peer is bleve's default
// index and that BM25 really scores: a term found in a short document and
// in a long one scores the two apart by their length under BM25, and the
// scores differ from TF-IDF's.
func TestBleveIndexIsScorchWithBM25(t *testing.T) {
	docs := textDocs([]phrasing{
		{"short", "refund policy"},
		{"long", "refund of a ticket bought online for a concert that was moved to another city and date"},
		{"other", "opening hours of the office"},
		{"more", "where to park near the office"},
	})
	score := func(model string) map[string]float64 {
		idx, err := newBleveIndex(docs, model)
		if err != nil {
			t.Fatal(err)
		}
		defer idx.Close()
		adv, err := idx.Advanced()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := adv.(*scorch.Scorch); !ok {
			t.Fatalf("the index is a %T, not scorch", adv)
		}
		out := make(map[string]float64)
		for _, id := range []string{"short", "long"} {
			g := (&bleveMethod{idx: idx, fields: []string{"text"}}).ask("refund " + id)
			out[id] = g.score
		}
		g := (&bleveMethod{idx: idx, fields: []string{"text"}}).ask("refund")
		out["top:"+g.id] = g.score
		return out
	}
	bm25, tfidf := score(bleveindex.BM25Scoring), score(bleveindex.TFIDFScoring)
	if _, ok := bm25["top:short"]; !ok {
		t.Errorf("BM25: \"refund\" does not rank the short document first: %v", bm25)
	}
	if bm25["top:short"] == tfidf["top:short"] {
		t.Errorf("BM25 and TF-IDF give the same score, %v: BM25 is not on", bm25["top:short"])
	}
}

func TestBleveFuzziness(t *testing.T) {
	idx, err := newBleveIndex(textDocs([]phrasing{{"pw", "reset my password"}, {"hours", "opening hours"}}), bleveindex.BM25Scoring)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	tests := []struct {
		fuzzy fuzziness
		query string
		want  string
	}{
		{fuzziness{}, "pasword", ""},
		{fuzziness{edits: 1}, "pasword", "pw"},
		{fuzziness{auto: true}, "pasword", "pw"},
		{fuzziness{edits: 1}, "pazzword", ""},
		{fuzziness{edits: 2}, "pazzword", "pw"},
		{fuzziness{auto: true}, "pazzword", "pw"},
	}
	for _, tt := range tests {
		t.Run(tt.fuzzy.String()+" "+tt.query, func(t *testing.T) {
			if got := (&bleveMethod{idx: idx, fields: []string{"text"}, fuzzy: tt.fuzzy}).ask(tt.query); got.id != tt.want {
				t.Errorf("ask(%q) = %q, want %q", tt.query, got.id, tt.want)
			}
		})
	}
}

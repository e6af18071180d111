package main

import (
	"math"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/knowledge/eval"
	"gopkg.in/yaml.v3"
)

func TestTuneThreshold(t *testing.T) {
	cases := []eval.Case{{Query: "a", Expect: "x"}, {Query: "b", Expect: "x"}, {Query: "c"}, {Query: "d"}}
	tests := []struct {
		name    string
		guesses []guess
		want    float64
		acc     float64
	}{
		{"separable", []guess{{"x", 5}, {"x", 4}, {"x", 2}, {"x", 1}}, 4, 1},
		{"ties go to the lowest", []guess{{"y", 5}, {"y", 4}, {"x", 2}, {"x", 1}}, 4, 0.5},
		{"no guesses", []guess{{"", math.Inf(-1)}, {"", math.Inf(-1)}, {"", math.Inf(-1)}, {"", math.Inf(-1)}}, math.Inf(1), 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tuneThreshold(cases, tt.guesses)
			if got != tt.want {
				t.Errorf("tuneThreshold = %v, want %v", got, tt.want)
			}
			if acc := accuracy(cases, tt.guesses, got); acc != tt.acc {
				t.Errorf("accuracy at %v = %v, want %v", got, acc, tt.acc)
			}
		})
	}
}

func TestPooled(t *testing.T) {
	got := pooled([]phrasing{{"a", "one"}, {"a", "two"}, {"b", "three"}})
	if len(got) != 2 || got[0].text != "one\ntwo" || got[1].text != "three" {
		t.Errorf("pooled = %+v", got)
	}
}

func TestSynthetic(t *testing.T) {
	data, err := yaml.Marshal(syntheticFile{Version: 1, Entries: synthetic([][]string{{"How do I reset my password?", "Forgot password"}, {"Where is the office?"}}, 50)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := bot.ParseBase("synthetic.yaml", data)
	if err != nil {
		t.Fatalf("the synthetic file does not load: %v", err)
	}
	if b.Len() != 50 || b.Phrasings() != 75 {
		t.Errorf("%d entries and %d phrasings, want 50 and 75", b.Len(), b.Phrasings())
	}
	if !strings.Contains(string(data), "(variant ") {
		t.Error("no phrasing was tagged, though 50 entries from 2 sources must repeat")
	}
}

package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	evalKB    = "../../knowledge/match/testdata/match/kb.yaml"
	evalCases = "../../knowledge/match/testdata/match/eval.jsonl"
)

func TestEval(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr string
	}{
		{"report", []string{"--cases", evalCases}, 0, []string{
			"cases           8 (6 in scope, 2 out of scope)",
			"threshold       0.500\n",
			"accuracy        0.875 overall at the threshold",
			"refused right   1.000 of out-of-scope questions",
			"confused most often (add alternates that tell them apart):\n  parking answered as vacation-days: 1 question\n",
			"worst misses:\n  \"how much paid time off do i get\"\n      expected parking, got vacation-days",
		}, ""},
		{"phrases of the answers", []string{"--cases", "../../knowledge/match/testdata/match/eval-want.jsonl"}, 0, []string{
			"cases           9 (7 in scope, 2 out of scope)",
			"unheld          1 of the in-scope cases name only phrases that no answer holds",
			"refused right   1.000 of out-of-scope questions",
			"  parking answered as vacation-days: 1 question\n",
			"\"how much paid time off do i get\"\n      expected an answer with [\"staff parking\"], got vacation-days",
		}, ""},
		{"threshold", []string{"--cases", evalCases, "--threshold", "0.99"}, 0, []string{"threshold       0.990\n", "answered right  0.000 of in-scope questions"}, ""},
		{"tuned", []string{"--cases", evalCases, "--tune", evalCases}, 0, []string{"(tuned on " + evalCases + ")", "accuracy        0.875"}, ""},
		{"above min accuracy", []string{"--cases", evalCases, "--min-accuracy", "0.8"}, 0, nil, ""},
		{"below min accuracy", []string{"--cases", evalCases, "--min-accuracy", "0.9"}, 1, nil, "accuracy 0.875 is below --min-accuracy 0.900"},
		{"no cases", []string{}, 2, nil, "no cases: give a JSON lines file with --cases FILE"},
		{"both threshold and tune", []string{"--cases", evalCases, "--threshold", "0.5", "--tune", evalCases}, 2, nil, "--threshold and --tune both choose the threshold: give one"},
		{"bad threshold", []string{"--cases", evalCases, "--threshold", "1.5"}, 2, nil, `invalid value "1.5" for flag -threshold: "1.5" is not a number from 0 to 1`},
		{"negative threshold", []string{"--cases", evalCases, "--threshold", "-0.5"}, 2, nil, `"-0.5" is not a number from 0 to 1`},
		{"bad min accuracy", []string{"--cases", evalCases, "--min-accuracy", "high"}, 2, nil, `"high" is not a number from 0 to 1`},
		{"min accuracy 0", []string{"--cases", evalCases, "--min-accuracy", "0"}, 0, nil, ""},
		{"bad cases", []string{"--cases", "../../knowledge/match/testdata/match/eval-bad.jsonl"}, 2, nil,
			"../../knowledge/match/testdata/match/eval-bad.jsonl:2: \"expect\" is missing: give the id of the entry that should answer, or null if none should (or \"want\": phrases of the right answer)\n" +
				"../../knowledge/match/testdata/match/eval-bad.jsonl:3: not a case: invalid character 'o' in literal null (expecting 'u'); want {\"query\": \"...\", \"expect\": \"<id>\" or null}\n" +
				"../../knowledge/match/testdata/match/eval-bad.jsonl:4: \"query\" is missing or not a non-empty string: give the question to ask"},
		{"missing cases file", []string{"--cases", "nope.jsonl"}, 2, nil, "nope.jsonl"},
		{"unknown expected id", []string{"--cases", "../../knowledge/match/testdata/match/eval.jsonl", "--knowledge", "../../knowledge/match/testdata/ru/kb.yaml"}, 2, nil, "cases expect entries that ../../knowledge/match/testdata/ru/kb.yaml does not have: lunch, parking, printer, vacation-days, wifi-password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"eval", "--knowledge", evalKB}, tt.args...)
			code, out, errs := faqbot(t, "", args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			if !strings.Contains(errs, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, errs)
			}
		})
	}
}

func TestEvalJSON(t *testing.T) {
	code, out, errs := faqbot(t, "", "eval", "--json", "--knowledge", evalKB, "--cases", evalCases)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	want := map[string]float64{"cases": 8, "threshold": 0.5, "top1": 5.0 / 6, "accuracy": 7.0 / 8, "answered_right": 5.0 / 6, "refused_right": 1, "answered_wrong": 1.0 / 8}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	for _, k := range []string{"latency_mean_us", "latency_p99_us"} {
		if v, ok := got[k].(float64); !ok || v <= 0 {
			t.Errorf("%s = %v, want a positive number", k, got[k])
		}
	}
	misses, ok := got["misses"].([]any)
	if !ok || len(misses) != 1 {
		t.Fatalf("misses = %v, want one", got["misses"])
	}
	m := misses[0].(map[string]any)
	if m["query"] != "how much paid time off do i get" || m["expect"] != "parking" || m["got"] != "vacation-days" || m["outcome"] != "answered" {
		t.Errorf("miss = %v", m)
	}
	if c, _ := json.Marshal(got["confused"]); string(c) != `[{"cases":1,"expect":"parking","got":"vacation-days"}]` {
		t.Errorf("confused = %s", c)
	}
}

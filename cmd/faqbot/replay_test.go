package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// replayFiles copies testdata's knowledge file and a changed copy of it
// (printer renamed printing, parking replaced by a new pets entry) into dir
// with a config serving the first, and returns the config's and the
// changed file's paths.
func replayFiles(t *testing.T, dir string) (config, changed string) {
	t.Helper()
	config, changed = filepath.Join(dir, "config.yaml"), filepath.Join(dir, "new.yaml")
	for src, dst := range map[string]string{testKB: "faq.yaml", testChangedKB: "new.yaml"} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(config, []byte("knowledge: faq.yaml\nmatcher: {threshold: 0.85}\nstore: {path: state/faqbot.db}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return config, changed
}

// testChangedKB is testKB with printer renamed printing and parking
// replaced by a new pets entry.
const testChangedKB = "../../bot/testdata/kb-changed.yaml"

// replayQuestions are asked in the terminal before each replay: two
// wordings of one answered question, one answered question each that the
// changed file answers with another entry and not at all, one it newly
// answers, and one neither answers.
const replayQuestions = "What is the wifi password?\nWhat is the wifi password?\nwhat's the wifi password\n" +
	"How do I connect to the printer?\nWhere can I park my car?\n" +
	"can I bring my dog to work\ncan I bring my dog to work\nzzz qqq\n"

// TestReplay records questions through a terminal chat into the SQLite
// state database, then replays them against a changed knowledge file in
// each format and with each limit.
func TestReplay(t *testing.T) {
	dir := t.TempDir()
	config, changed := replayFiles(t, dir)
	if code, out, errs := faqbot(t, replayQuestions, "chat", "--config", config); code != 0 {
		t.Fatalf("chat: exit %d\n%s\n%s", code, out, errs)
	}

	code, out, errs := faqbot(t, "", "replay", "--config", config, "--knowledge", changed, "--format", "json")
	if code != 0 {
		t.Fatalf("replay --format json: exit %d\n%s", code, errs)
	}
	type change struct{ Text, Before, After string }
	var got struct {
		Questions, Distinct int
		AnsweredBefore      int `json:"answered_before"`
		AnsweredAfter       int `json:"answered_after"`
		Changed             []change
		Newly               []change `json:"newly_answered"`
		NowRefused          []change `json:"now_refused"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("replay --format json: %v\n%s", err, out)
	}
	want := []struct {
		group string
		got   []change
		want  []change
	}{
		{"changed", got.Changed, []change{{"How do I connect to the printer?", "printer", "printing"}}},
		{"newly answered", got.Newly, []change{{"can I bring my dog to work", "", "pets"}}},
		{"now refused", got.NowRefused, []change{{"Where can I park my car?", "parking", ""}}},
	}
	for _, w := range want {
		if len(w.got) != len(w.want) || (len(w.got) > 0 && w.got[0] != w.want[0]) {
			t.Errorf("%s: got %+v, want %+v", w.group, w.got, w.want)
		}
	}
	// 8 questions, 6 texts: the wifi question (3 asks in 2 texts) and the
	// printer answered by both, parking by the old file, the dog question
	// (2 asks) by the new one.
	if got.Questions != 8 || got.Distinct != 6 || got.AnsweredBefore != 5 || got.AnsweredAfter != 6 {
		t.Errorf("counts: %+v", got)
	}

	code, out, _ = faqbot(t, "", "replay", "--config", config, "--knowledge", changed)
	for _, line := range []string{
		"1 answer changes, 1 newly answered, 1 now refused; answered 62.5% → 75.0% of 8 questions in the last 30 days.\n",
		"\nAnswers that change (1):\n  \"How do I connect to the printer?\" ×1: printer (",
		"\nNewly answered (1):\n  \"can I bring my dog to work\" ×2: no answer (",
		"\nNow refused (1):\n  \"Where can I park my car?\" ×1: parking (",
	} {
		if code != 0 || !strings.Contains(out, line) {
			t.Errorf("replay: exit %d, output lacks %q:\n%s", code, line, out)
		}
	}

	code, out, _ = faqbot(t, "", "replay", "--config", config, "--knowledge", changed, "--format", "markdown")
	if code != 0 || !strings.Contains(out, "| can I bring my dog to work | 2 | — (") || !strings.Contains(out, "**Now refused** (1)") {
		t.Errorf("replay --format markdown: exit %d\n%s", code, out)
	}

	// The old file as --against, the new one as the config's: the groups
	// swap.
	swapped := filepath.Join(dir, "swapped.yaml")
	os.WriteFile(swapped, []byte("knowledge: new.yaml\nmatcher: {threshold: 0.85}\nstore: {path: state/faqbot.db}\n"), 0o644)
	code, out, _ = faqbot(t, "", "replay", "--config", swapped, "--against", changed, "--knowledge", filepath.Join(dir, "faq.yaml"))
	if code != 0 || !strings.HasPrefix(out, "1 answer changes, 1 newly answered, 1 now refused; answered 75.0% → 62.5%") {
		t.Errorf("replay with --against: exit %d\n%s", code, out)
	}

	limits := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"--max-changed", "2"}, 0, ""},
		{[]string{"--max-changed", "1"}, 1, "faqbot replay: 2 questions lose their answer or get another one, more than --max-changed 1\n"},
		{[]string{"--min-answered", "0.75"}, 0, ""},
		{[]string{"--min-answered", "0.8"}, 1, "faqbot replay: the new file answers 75.0% of the questions, below --min-answered 80.0%\n"},
		{[]string{"--days", "0"}, 2, "faqbot replay: --days must be at least 1\n"},
		{[]string{"--format", "html"}, 2, "faqbot replay: --format must be text, markdown or json, not \"html\"\n"},
	}
	for _, l := range limits {
		args := append([]string{"replay", "--config", config, "--knowledge", changed}, l.args...)
		code, _, errs = faqbot(t, "", args...)
		if code != l.code || (l.err != "" && !strings.HasSuffix(errs, l.err)) {
			t.Errorf("replay %v: exit %d, want %d\n%s", l.args, code, l.code, errs)
		}
	}

	code, _, errs = faqbot(t, "", "replay", "--config", config)
	if code != 2 || !strings.Contains(errs, "the old and the new knowledge file are both "+filepath.Join(dir, "faq.yaml")) {
		t.Errorf("replay without a new file: exit %d\n%s", code, errs)
	}
}

// TestReplayState reads the questions from a SQLite file named with
// --state, as CI does with a copy of the production database.
func TestReplayState(t *testing.T) {
	dir := t.TempDir()
	config, changed := replayFiles(t, dir)
	if code, _, errs := faqbot(t, replayQuestions, "chat", "--config", config); code != 0 {
		t.Fatalf("chat: exit %d\n%s", code, errs)
	}
	copied := filepath.Join(t.TempDir(), "copy.db")
	if err := os.Rename(filepath.Join(dir, "state", "faqbot.db"), copied); err != nil {
		t.Fatal(err)
	}
	ci := filepath.Join(dir, "ci.yaml")
	os.WriteFile(ci, []byte("knowledge: faq.yaml\nmatcher: {threshold: 0.85}\nstore: {driver: none}\n"), 0o644)
	code, out, errs := faqbot(t, "", "replay", "--config", ci, "--knowledge", changed, "--state", copied)
	if code != 0 || !strings.HasPrefix(out, "1 answer changes, 1 newly answered, 1 now refused;") {
		t.Errorf("replay --state: exit %d\n%s\n%s", code, out, errs)
	}
	code, _, errs = faqbot(t, "", "replay", "--config", ci, "--knowledge", changed, "--state", filepath.Join(dir, "missing.db"))
	if code != 2 || !strings.Contains(errs, "there is no state database at "+filepath.Join(dir, "missing.db")) {
		t.Errorf("replay --state missing: exit %d\n%s", code, errs)
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestChatRecordsAndStatsReads chats in the terminal, where the user is an
// admin: questions go unanswered, one is promoted into the knowledge file;
// then "faqbot stats" reads what the chat recorded.
func TestChatRecordsAndStatsReads(t *testing.T) {
	dir := t.TempDir()
	kb, err := os.ReadFile(testKB)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "faq.yaml"), kb, 0o644)
	config := filepath.Join(dir, "config.yaml")
	os.WriteFile(config, []byte("knowledge: faq.yaml\nmatcher: {threshold: 0.85}\nstore: {path: state/faqbot.db}\n"), 0o644)

	code, _, errs := faqbot(t, "", "stats", "--config", config)
	if code != 2 || !strings.Contains(errs, "there is no state database at "+filepath.Join(dir, "state", "faqbot.db")) {
		t.Errorf("stats before any chat: exit %d, %s", code, errs)
	}

	// "1" with no suggestions to pick from is not a question.
	in := "1\nWhat is the wifi password?\ncan I bring my dog to work\nCan I bring my dog to work?\nzzz qqq\n/faq unanswered\n/faq promote 1 to parking\ncan I bring my dog to work\n"
	code, out, errs := faqbot(t, in, "chat", "--config", config)
	if code != 0 {
		t.Fatalf("chat: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"1. “Can I bring my dog to work?” ×2 (also “can I bring my dog to work”)",
		"2. “zzz qqq” ×1. No close entry.",
		"Added “Can I bring my dog to work?” as a phrasing of parking in faq.yaml.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("chat output lacks %q:\n%s", want, out)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "faq.yaml")); !strings.Contains(string(data), "      - Can I bring my dog to work?\n") {
		t.Errorf("the knowledge file was not edited:\n%s", data)
	}

	code, out, errs = faqbot(t, "", "stats", "--config", config, "--json")
	if code != 0 {
		t.Fatalf("stats: exit %d\n%s", code, errs)
	}
	var got struct {
		Questions, Answered int
		Entries             []struct {
			ID       string
			Answered int
		}
		NeverAsked  []string `json:"never_asked"`
		Unanswered  []struct{ Text string }
		NowAnswered int `json:"now_answered"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("stats --json: %v\n%s", err, out)
	}
	checkKeyStyle(t, out)
	if got.Questions != 5 || got.Answered != 2 || len(got.Unanswered) != 1 || got.Unanswered[0].Text != "zzz qqq" || got.NowAnswered != 1 ||
		strings.Join(got.NeverAsked, " ") != "printer holidays" {
		t.Errorf("stats: %+v", got)
	}

	code, out, _ = faqbot(t, "", "stats", "--config", config)
	if code != 0 || !strings.Contains(out, "Last 30 days: 5 questions, 2 answered (40%).") || !strings.Contains(out, "“zzz qqq” ×1") ||
		strings.Contains(out, "**") {
		t.Errorf("stats: exit %d\n%s", code, out)
	}
}

// checkKeyStyle checks that every key of a JSON document is snake_case.
func checkKeyStyle(t *testing.T, doc string) {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if !snake.MatchString(k) {
					t.Errorf("key %s%s is not snake_case", path, k)
				}
				walk(path+k+".", x)
			}
		case []any:
			for _, x := range v {
				walk(path, x)
			}
		}
	}
	walk("", v)
}

// TestStatsWithoutTheKnowledgeFile runs "faqbot stats" in a folder with a
// state database and neither a config nor the default knowledge file, as
// outside the repository: the statistics come from the database alone.
func TestStatsWithoutTheKnowledgeFile(t *testing.T) {
	kbPath := inTempDir(t, testKB)
	in := "What is the wifi password?\ncan I bring my dog to work\n"
	if code, out, errs := faqbot(t, in, "chat", "--knowledge", kbPath); code != 0 {
		t.Fatalf("chat: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := faqbot(t, "", "stats")
	if code != 0 {
		t.Fatalf("stats: exit %d\n%s", code, errs)
	}
	for _, want := range []string{"Last 30 days: 2 questions, 1 answered (50%).", "“can I bring my dog to work” ×1"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
	if want := "faqbot stats: there is no knowledge file at " + filepath.Join("knowledge", "faq.yaml") + ", so the entries never asked are left out"; !strings.Contains(errs, want) {
		t.Errorf("stats says:\n%s\nwant %q", errs, want)
	}
	code, out, _ = faqbot(t, "", "stats", "--json")
	if code != 0 {
		t.Fatalf("stats --json: exit %d", code)
	}
	checkKeyStyle(t, out)
}

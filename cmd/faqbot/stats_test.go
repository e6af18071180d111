package main

import (
	"encoding/json"
	"os"
	"path/filepath"
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

	in := "What is the wifi password?\ncan I bring my dog to work\nCan I bring my dog to work?\nzzz qqq\n/faq unanswered\n/faq promote 1 to parking\ncan I bring my dog to work\n"
	code, out, errs := faqbot(t, in, "chat", "--config", config)
	if code != 0 {
		t.Fatalf("chat: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"1. “Can I bring my dog to work?” ×2 (also “can I bring my dog to work”)",
		"2. “zzz qqq” ×1. No close entry.",
		"Added “Can I bring my dog to work?” as a phrasing of `parking` in faq.yaml.",
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
	if got.Questions != 5 || got.Answered != 2 || len(got.Unanswered) != 1 || got.Unanswered[0].Text != "zzz qqq" || got.NowAnswered != 1 ||
		strings.Join(got.NeverAsked, " ") != "printer holidays" {
		t.Errorf("stats: %+v", got)
	}

	code, out, _ = faqbot(t, "", "stats", "--config", config)
	if code != 0 || !strings.Contains(out, "**Last 30 days**: 5 questions, 2 answered (40%).") || !strings.Contains(out, "“zzz qqq” ×1") {
		t.Errorf("stats: exit %d\n%s", code, out)
	}
}

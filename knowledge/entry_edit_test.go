package knowledge

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// putFixture is a knowledge file with comments, blank lines and an entry
// whose answer is a block.
const putFixture = `version: 1
# The office FAQ. Keep answers short.
title: Office
entries:
  # Network
  - id: wifi
    question: What is the wifi password?   # asked daily
    answer: |
      It is on the board.

  - id: printer
    question: How do I print?
    alternates:
      - The printer does not work
    answer: Use Floor2.
# the end
`

func TestPutEntry(t *testing.T) {
	tests := []struct {
		name    string
		e       Entry
		replace string
		want    []string // lines that must be in the result
		gone    []string // lines that must not
	}{
		{"add", Entry{ID: "parking", Question: "Where can I park?", Alternates: []string{"yes"}, Answer: "In the garage.\nAsk reception for a card.", Tags: []string{"office"}}, "",
			[]string{"  - id: parking", `      - "yes"`, "    answer: |", "      Ask reception for a card.", "    tags: [office]", "# the end", "    question: What is the wifi password?   # asked daily"}, nil},
		{"edit", Entry{ID: "printer", Question: "How do I print a page?", Answer: "Use Floor2 or Floor3."}, "printer",
			[]string{"  - id: printer", "    question: How do I print a page?", "    answer: Use Floor2 or Floor3.", "  # Network", "# the end"},
			[]string{"The printer does not work"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "faq.yaml")
			if err := os.WriteFile(path, []byte(putFixture), 0o644); err != nil {
				t.Fatal(err)
			}
			v, err := FileVersion(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := PutEntry(path, tt.e, tt.replace, v); err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			for _, w := range tt.want {
				if !strings.Contains(string(data), w+"\n") {
					t.Errorf("the file lacks the line %q:\n%s", w, data)
				}
			}
			for _, g := range tt.gone {
				if strings.Contains(string(data), g) {
					t.Errorf("the file still has %q:\n%s", g, data)
				}
			}
			f, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Entries[len(f.Entries)-1]; got.ID != tt.e.ID || got.Question != tt.e.Question {
				t.Errorf("the last entry read back is %+v", got)
			}
		})
	}
}

func TestPutEntryRefuses(t *testing.T) {
	tests := []struct {
		name    string
		e       Entry
		replace string
		stale   bool
		want    string
	}{
		{"a duplicate id", Entry{ID: "wifi", Question: "Another?", Answer: "x"}, "", false, `there is already an entry "wifi"`},
		{"a phrasing of another entry", Entry{ID: "print2", Question: "How do I print?", Answer: "x"}, "", false, `is also a phrasing of`},
		{"an empty answer", Entry{ID: "empty", Question: "Empty?", Answer: ""}, "", false, `"answer" must not be empty`},
		{"a file changed meanwhile", Entry{ID: "new", Question: "New?", Answer: "x"}, "", true, "changed on disk"},
		{"an entry gone", Entry{ID: "gone", Question: "Gone?", Answer: "x"}, "gone", false, `has no entry "gone"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "faq.yaml")
			if err := os.WriteFile(path, []byte(putFixture), 0o644); err != nil {
				t.Fatal(err)
			}
			v := ContentVersion([]byte(putFixture))
			if tt.stale {
				v = ContentVersion([]byte("an older file"))
			}
			_, err := PutEntry(path, tt.e, tt.replace, v)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if tt.stale && !errors.Is(err, ErrChanged) {
				t.Errorf("err = %v, want ErrChanged", err)
			}
			if data, _ := os.ReadFile(path); string(data) != putFixture {
				t.Errorf("the file changed:\n%s", data)
			}
		})
	}
}

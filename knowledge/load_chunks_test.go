package knowledge

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// checkBothWays checks data an entry at a time and whole, and fails unless
// both give the same file and the same problems. It returns whether the
// file was read an entry at a time.
func checkBothWays(t *testing.T, name string, data []byte) (chunked bool) {
	t.Helper()
	c1, f1 := checkOne(name, data, nil, false, nil)
	c2, f2 := checkOne(name, data, nil, true, nil)
	e1, e2 := fmt.Sprint(c1.errors()), fmt.Sprint(c2.errors())
	if e1 != e2 {
		t.Fatalf("an entry at a time:\n%s\nwhole:\n%s", e1, e2)
	}
	if c1.errors() == nil && !reflect.DeepEqual(f1, f2) {
		t.Fatalf("an entry at a time:\n%#v\nwhole:\n%#v", f1, f2)
	}
	return c1.chunks != nil
}

// TestLoadChunked checks that files laid out in every way a list can be
// give the same file and problems read an entry at a time as whole, and
// which are read an entry at a time.
func TestLoadChunked(t *testing.T) {
	const head = "version: 1\n"
	for _, tc := range []struct {
		name    string
		text    string
		chunked bool
	}{
		{"indented items", head + "entries:\n  - id: a\n    question: Why?\n    answer: Because.\n  - id: b\n    question: How?\n    answer: So.\n", true},
		{"items at the key's indentation", head + "entries:\n- id: a\n  question: Why?\n  answer: Because.\n- id: b\n  question: How?\n  answer: So.\n", true},
		{"comments between items", head + "entries: # the list\n# first\n  - id: a # an id\n    question: Why?\n# between\n    answer: Because.\n\n\n  - id: b\n    question: How?\n    answer: So.\n# end\n", true},
		{"keys after the list", head + "entries:\n  - id: a\n    question: Why?\n    answer: Because.\n    related: [b]\n  - id: b\n    question: How?\n    answer: So.\nsynonyms:\n  - [why, how come]\ntitle: T\n", true},
		{"block answer with list lines", head + "entries:\n  - id: a\n    question: Why?\n    answer: |\n      - one\n      - two\n\n      - three\n  - id: b\n    question: How?\n    answer: >-\n      So\n       - and so.\n", true},
		{"no line break at the end", head + "entries:\n  - id: a\n    question: Why?\n    answer: Because.", true},
		{"CRLF", "version: 1\r\nentries:\r\n  - id: a\r\n    question: Why?\r\n    answer: Because.\r\n  - id: b\r\n    question: How?\r\n    answer: So.\r\n", true},
		{"quoted text across an item's start", head + "entries:\n  - id: a\n    question: \"Why\n  - id: b\"\n    answer: Because.\n", false},
		{"quoted text across the list's end", head + "entries:\n  - id: a\n    question: \"Why\ntitle: b\"\n    answer: Because.\n", false},
		{"entries in a quoted title", "version: 1\ntitle: \"T\nentries:\n  - id: x\n    question: Q\n    answer: A\n\"\nentries:\n  - id: a\n    question: Why?\n    answer: Because.\n", false},
		{"flow list", head + "entries: [{id: a, question: Why?, answer: Because.}]\n", false},
		{"flow list on the next line", head + "entries:\n  [{id: a, question: Why?, answer: Because.}]\n", false},
		{"anchor and alias", head + "entries:\n  - id: a\n    question: Why?\n    answer: &x Because.\n  - id: b\n    question: How?\n    answer: *x\n", false},
		{"tab", head + "entries:\n\t- id: a\n    question: Why?\n    answer: Because.\n", false},
		{"second document", head + "entries:\n  - id: a\n    question: Why?\n    answer: Because.\n---\nversion: 1\n", false},
		{"entries twice", head + "entries:\n  - id: a\n    question: Why?\n    answer: Because.\nentries:\n  - id: b\n    question: How?\n    answer: So.\n", false},
		{"duplicate id", head + "entries:\n  - id: a\n    question: Why?\n    answer: Because.\n  - id: a\n    question: How?\n    answer: So.\n", false},
		{"an item not a mapping", head + "entries:\n  - just text\n", false},
		{"empty list", head + "entries:\n", false},
		{"bad indentation", head + "entries:\n  - id: a\n   question: Why?\n    answer: Because.\n", false},
		{"tag", head + "entries:\n  - id: a\n    question: !!binary d2h5\n    answer: Because.\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := checkBothWays(t, "kb.yaml", []byte(tc.text)); got != tc.chunked {
				t.Errorf("read an entry at a time: %v, want %v", got, tc.chunked)
			}
		})
	}
}

// TestLoadChunkedTestdata checks every YAML file of testdata both ways,
// and that the good files and the shipped one are read an entry at a time.
func TestLoadChunkedTestdata(t *testing.T) {
	names := []string{"faq.yaml"}
	for _, pattern := range []string{"testdata/*.yaml", "testdata/load/*.yaml", "testdata/folder/*/*.yaml", "testdata/folder/*/*/*.yaml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m...)
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			good := name == "faq.yaml" || name == filepath.Join("testdata", "palestine.yaml") || strings.HasPrefix(filepath.Base(name), "good-")
			if chunked := checkBothWays(t, name, data); good && !chunked {
				t.Errorf("%s was read whole", name)
			}
		})
	}
}

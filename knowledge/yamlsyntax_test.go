package knowledge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestYAMLMistakesOnlyInBrokenFiles reads every YAML file of the test data
// that the parser accepts and checks that none is taken for a mistake: a
// mistake is reported only where there is one.
func TestYAMLMistakesOnlyInBrokenFiles(t *testing.T) {
	var files []string
	err := filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".yaml" {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if yaml.Unmarshal(data, &doc) != nil {
			continue
		}
		checked++
		if m, ok := findYAMLMistake(splitLines(string(data))); ok {
			t.Errorf("%s parses, yet line %d is taken for a mistake: %s", path, m.line, m.msg)
		}
	}
	if checked < 20 {
		t.Errorf("only %d YAML files checked", checked)
	}
	t.Logf("%d YAML files that parse, none taken for a mistake", checked)
}

func TestQuoteLine(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		n, col     int
		want       string
	}{
		{"caret under the column", "    answer: Note: x", 9, 17, "    9 |     answer: Note: x\n      |                 ^"},
		{"no column: the first character", "   - x", 12, 0, "   12 |    - x\n      |    ^"},
		{"a tab shows as an arrow", "\tquestion: x", 4, 1, "    4 | →question: x\n      | ^"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := quoteLine(tc.line, tc.n, tc.col); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
	t.Run("a long line is cut around the column", func(t *testing.T) {
		line := "    answer: " + strings.Repeat("lorem ipsum ", 10) + "note: " + strings.Repeat("dolor sit ", 20)
		col := strings.Index(line, ": dolor") + 1
		got := strings.Split(quoteLine(line, 3, col), "\n")
		quoted, caret := []rune(got[0]), []rune(got[1])
		if len(quoted) > 120 || !strings.Contains(got[0], "…") {
			t.Errorf("the line is not cut: %q", got[0])
		}
		if at := len(caret) - 1; caret[at] != '^' || at >= len(quoted) || quoted[at] != ':' {
			t.Errorf("the caret is not under the colon:\n%s\n%s", got[0], got[1])
		}
	})
}

package knowledge

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// jsonFile returns a JSON knowledge file of n entries, minified (all on
// one line) or pretty-printed; entry bad, when not -1, misspells "answer"
// as "answr".
func jsonFile(n int, minified bool, bad int) string {
	nl, in := "\n", "  "
	if minified {
		nl, in = "", ""
	}
	var sb strings.Builder
	sb.WriteString(`{` + nl + in + `"version": 1,` + nl + in + `"entries": [` + nl)
	for i := range n {
		if i > 0 {
			sb.WriteString("," + nl)
		}
		answer := "answer"
		if i == bad {
			answer = "answr"
		}
		fmt.Fprintf(&sb, `%s%s{"id": "e%d", "question": "Où est le bureau nº %d ?", %q: "Au %dᵉ étage."}`, in, in, i, i, answer, i)
	}
	sb.WriteString(nl + in + "]" + nl + "}" + nl)
	return sb.String()
}

// TestLoadJSONPositions loads JSON files, minified and pretty-printed,
// with a mistake far into them: the problem is at the line and column,
// in characters, where the key is.
func TestLoadJSONPositions(t *testing.T) {
	for _, minified := range []bool{true, false} {
		t.Run(fmt.Sprintf("minified %v", minified), func(t *testing.T) {
			text := jsonFile(3000, minified, 2500)
			path := filepath.Join(t.TempDir(), "kb.json")
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			off := strings.Index(text, `"answr"`)
			line := 1 + strings.Count(text[:off], "\n")
			col := 1 + utf8.RuneCountInString(text[strings.LastIndexByte(text[:off], '\n')+1:off])
			want := fmt.Sprintf(`%s:%d:%d: entry "e2500": unknown key "answr"; did you mean "answer"?`, path, line, col)
			idx := strings.Index(text, `{"id": "e2500"`)
			entryCol := 1 + utf8.RuneCountInString(text[strings.LastIndexByte(text[:idx], '\n')+1:idx])
			want = fmt.Sprintf("%s:%d:%d: entry \"e2500\": \"answer\" is required\n", path, line, entryCol) + want
			if _, err := Load(path); err == nil || err.Error() != want {
				t.Errorf("Load = %v\nwant %s", err, want)
			}
		})
	}
}

// BenchmarkLoadJSON loads JSON knowledge files of 2,500 and 10,000
// entries, minified and pretty-printed: the time should grow with the
// size, as it does for YAML, however the file is laid out.
func BenchmarkLoadJSON(b *testing.B) {
	for _, n := range []int{2500, 10_000} {
		for _, minified := range []bool{true, false} {
			layout := "pretty"
			if minified {
				layout = "minified"
			}
			b.Run(fmt.Sprintf("%s/%d", layout, n), func(b *testing.B) {
				path := filepath.Join(b.TempDir(), "kb.json")
				if err := os.WriteFile(path, []byte(jsonFile(n, minified, -1)), 0o644); err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if _, err := Load(path); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

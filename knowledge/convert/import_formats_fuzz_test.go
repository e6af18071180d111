package convert

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// fuzzFormat seeds a fuzz target with the testdata documents of a format
// and the exports of the round-trip files, and checks that the importer
// never panics, that what it makes loads, and that exporting that in the
// same format imports again.
func fuzzFormat(f *testing.F, format string, exts ...string) {
	for _, ext := range exts {
		docs, _ := filepath.Glob(filepath.Join("testdata", "import", "*"+ext))
		for _, doc := range docs {
			if data, err := os.ReadFile(doc); err == nil {
				f.Add(data)
			}
		}
	}
	for _, path := range roundTripFiles {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		kf, err := knowledge.Parse(path, data)
		if err != nil {
			f.Fatal(err)
		}
		var out bytes.Buffer
		if err := Export(&out, kf, format); err != nil {
			f.Fatal(err)
		}
		f.Add(out.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		kf, _, err := Import("doc"+exts[0], data, format)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := knowledge.WriteYAML(&out, kf, ""); err != nil {
			t.Fatal(err)
		}
		if err := loads("out.yaml", out.Bytes()); err != nil {
			t.Fatalf("the import does not load: %v\n%s", err, out.Bytes())
		}
		var exported bytes.Buffer
		if err := Export(&exported, kf, format); err != nil {
			t.Fatal(err)
		}
		if _, _, err := Import("doc"+exts[0], exported.Bytes(), format); err != nil {
			t.Fatalf("the export does not import: %v\n%s", err, exported.Bytes())
		}
	})
}

func FuzzImportQnAMaker(f *testing.F) { fuzzFormat(f, FormatQnAMaker, ".tsv") }

func FuzzImportQnABot(f *testing.F) { fuzzFormat(f, FormatQnABot, ".json", ".jsonl") }

func FuzzImportCSV(f *testing.F) { fuzzFormat(f, FormatCSV, ".csv") }

package convert

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// FuzzImportMarkdown checks that the Markdown and plain-text readers never
// panic and that what they make always loads. Its seed corpus is the documents in testdata/import
// and the seed article, with testdata/fuzz/FuzzImportMarkdown.
func FuzzImportMarkdown(f *testing.F) {
	docs, _ := filepath.Glob(filepath.Join("testdata", "import", "*.*"))
	docs = append(docs, seedPath)
	for _, doc := range docs {
		if filepath.Ext(doc) == ".yaml" {
			continue
		}
		data, err := os.ReadFile(doc)
		if err != nil {
			continue // the seed article may be absent
		}
		f.Add(filepath.Ext(doc) == ".md", data)
	}
	f.Fuzz(func(t *testing.T, markdown bool, data []byte) {
		name := "doc.txt"
		if markdown {
			name = "doc.md"
		}
		kf, _, err := Import(name, data, FormatAuto)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := knowledge.WriteYAML(&out, kf, ImportHeader(name, nil)); err != nil {
			t.Fatalf("WriteYAML: %v", err)
		}
		if err := loads("out.yaml", out.Bytes()); err != nil {
			t.Fatalf("the import does not load: %v\n%s", err, out.Bytes())
		}
	})
}

// FuzzImportReaders checks that the readers of wiki markup, Org-mode,
// Textile and structured FAQ data never panic and that what they make always loads,
// whatever document each is given. Its seed corpus is the documents in
// testdata/import, each given to every one of these readers.
func FuzzImportReaders(f *testing.F) {
	formats := []string{FormatMediaWiki, FormatOrg, FormatTextile, FormatYAML, FormatJSON, FormatHTML}
	docs, _ := filepath.Glob(filepath.Join("testdata", "import", "*.*"))
	for _, doc := range docs {
		data, err := os.ReadFile(doc)
		if err != nil || filepath.Ext(doc) == ".err" {
			continue
		}
		for i := range formats {
			f.Add(uint8(i), data)
		}
	}
	f.Fuzz(func(t *testing.T, format uint8, data []byte) {
		kf, _, err := Import("doc", data, formats[int(format)%len(formats)])
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := knowledge.WriteYAML(&out, kf, ""); err != nil {
			t.Fatalf("WriteYAML: %v", err)
		}
		if err := loads("out.yaml", out.Bytes()); err != nil {
			t.Fatalf("the import does not load: %v\n%s", err, out.Bytes())
		}
	})
}

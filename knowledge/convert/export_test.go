package convert

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

// roundTripFiles are the knowledge files each format is round-tripped with.
var roundTripFiles = []string{
	filepath.Join("..", "testdata", "palestine.yaml"),
	filepath.Join("..", "testdata", "load", "good-full.yaml"),
	filepath.Join("..", "testdata", "load", "good-roundtrip.yaml"),
}

// carried returns what of f a format keeps: QnABot has no place for a
// source, a date, related entries or more than one tag (its topic), and
// only Markdown keeps the file's own fields.
func carried(f *knowledge.File, format string) knowledge.File {
	out := knowledge.File{Version: f.Version}
	if format == FormatMarkdown {
		out.Title, out.Language, out.Fallback, out.Synonyms = f.Title, f.Language, f.Fallback, f.Synonyms
		if out.Language == "" {
			out.Language = "en" // the default, which the loader fills in
		}
	}
	for _, e := range f.Entries {
		e.Line = 0
		if format == FormatQnABot || format == FormatJSONL {
			e.Section, e.Source, e.Updated, e.Related, e.Owner = "", "", "", nil, ""
			if len(e.Tags) > 1 {
				e.Tags = e.Tags[:1]
			}
		}
		out.Entries = append(out.Entries, e)
	}
	return out
}

// TestRoundTrip exports knowledge files in every format and imports them
// again: the entries must come back the same, and a second export must be
// the same as the first.
func TestRoundTrip(t *testing.T) {
	for _, path := range roundTripFiles {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		orig, err := knowledge.Parse(path, data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, format := range ExportFormats {
			t.Run(filepath.Base(path)+"/"+format, func(t *testing.T) {
				var out bytes.Buffer
				if err := Export(&out, orig, format); err != nil {
					t.Fatal(err)
				}
				name := "exported" + map[string]string{FormatQnAMaker: ".tsv", FormatQnABot: ".json", FormatJSONL: ".jsonl", FormatCSV: ".csv", FormatMarkdown: ".md"}[format]
				if got := DetectFormat(name, out.Bytes()); got != format {
					t.Errorf("DetectFormat(%s) = %s", name, got)
				}
				if got := DetectFormat("noext", out.Bytes()); got != format && !(format == FormatJSONL && got == FormatQnABot) {
					t.Errorf("DetectFormat by content = %s; want %s", got, format)
				}
				back, warnings, err := Import(name, out.Bytes(), FormatAuto)
				if err != nil {
					t.Fatalf("import of the export: %v\n%s", err, out.Bytes())
				}
				if format != FormatQnABot && format != FormatJSONL && len(warnings) > 0 {
					t.Errorf("warnings: %v", warnings)
				}
				want, got := carried(orig, format), carried(back, format)
				if format != FormatMarkdown {
					got.Title = ""
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("round trip through %s changed the file:\n got %#v\nwant %#v\nexported:\n%s", format, got, want, out.Bytes())
				}
				var again bytes.Buffer
				if err := Export(&again, back, format); err != nil {
					t.Fatal(err)
				}
				if format != FormatQnABot && format != FormatJSONL && !bytes.Equal(out.Bytes(), again.Bytes()) {
					t.Errorf("second export differs:\n%s\nfirst:\n%s", again.Bytes(), out.Bytes())
				}
			})
		}
	}
}

func TestExportFormats(t *testing.T) {
	b, err := knowledge.Load(filepath.Join("..", "testdata", "palestine.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Export(&out, b, "docx"); err == nil || !strings.Contains(err.Error(), `unknown format "docx"`) {
		t.Errorf("Export(docx) = %v", err)
	}
	for _, tc := range []struct{ name, want string }{
		{"a.tsv", FormatQnAMaker}, {"a.JSON", FormatQnABot}, {"a.jsonl", FormatJSONL},
		{"a.csv", FormatCSV}, {"a.md", FormatMarkdown}, {"a.yaml", ""}, {"", ""},
	} {
		if got := ExportFormatFor(tc.name); got != tc.want {
			t.Errorf("ExportFormatFor(%q) = %q; want %q", tc.name, got, tc.want)
		}
	}
	// The QnA Maker export: a header, then one row per phrasing.
	out.Reset()
	if err := Export(&out, b, FormatQnAMaker); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	phrasings := 0
	for _, e := range b.Entries {
		phrasings += len(e.Phrasings())
	}
	if lines[0] != "Question\tAnswer\tSource\tMetadata\tSuggestedQuestions\tIsContextOnly\tPrompts\tQnaId" || len(lines) != 1+phrasings {
		t.Errorf("QnA Maker export: %d lines, header %q", len(lines), lines[0])
	}
	for _, l := range lines {
		if n := strings.Count(l, "\t"); n != 7 {
			t.Errorf("row with %d tabs: %q", n, l)
		}
	}
}

// TestImportExportImport imports each hand-made document in testdata/import,
// exports the result in the document's own format and imports that: the
// entries must be the same both times.
func TestImportExportImport(t *testing.T) {
	docs, _ := filepath.Glob(filepath.Join("testdata", "import", "*"))
	for _, doc := range docs {
		base := filepath.Base(doc)
		if strings.HasPrefix(base, "bad-") || strings.HasSuffix(base, ".golden.yaml") || strings.HasSuffix(base, ".err") {
			continue
		}
		t.Run(base, func(t *testing.T) {
			data, err := os.ReadFile(doc)
			if err != nil {
				t.Fatal(err)
			}
			format := DetectFormat(base, data)
			first, _, err := Import(base, data, format)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(ExportFormats, format) {
				format = FormatMarkdown // documents without a format of their own come back as Markdown
			}
			var out bytes.Buffer
			if err := Export(&out, first, format); err != nil {
				t.Fatal(err)
			}
			second, warnings, err := Import(base, out.Bytes(), format)
			if err != nil {
				t.Fatalf("%v\n%s", err, out.Bytes())
			}
			if len(warnings) > 0 {
				t.Errorf("warnings: %v", warnings)
			}
			if want, got := carried(first, format), carried(second, format); !reflect.DeepEqual(got, want) {
				t.Errorf("import, export, import changed the entries:\n got %#v\nwant %#v\nexported:\n%s", got, want, out.Bytes())
			}
		})
	}
}

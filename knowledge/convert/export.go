package convert

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/faqbot/faqbot/knowledge"
)

// ExportFormats lists the formats Export writes.
var ExportFormats = []string{FormatQnAMaker, FormatQnABot, FormatJSONL, FormatCSV, FormatMarkdown}

// ExportFormatFor returns the export format a file name's extension calls
// for, or "" when it says nothing.
func ExportFormatFor(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".tsv":
		return FormatQnAMaker
	case ".json":
		return FormatQnABot
	case ".jsonl", ".ndjson":
		return FormatJSONL
	case ".csv":
		return FormatCSV
	case ".md", ".markdown":
		return FormatMarkdown
	}
	return ""
}

// Export writes the knowledge base in the given format. What a format has
// no place for is left out: QnA Maker TSV and Markdown keep everything;
// CSV keeps every entry field but not the file's title, language, fallback
// and synonyms; QnABot keeps ids, phrasings, answers and the first tag.
func Export(w io.Writer, f *knowledge.File, format string) error {
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case FormatQnAMaker:
		err = exportQnAMaker(bw, f)
	case FormatQnABot:
		err = exportQnABot(bw, f, false)
	case FormatJSONL:
		err = exportQnABot(bw, f, true)
	case FormatCSV:
		err = exportCSV(bw, f)
	case FormatMarkdown:
		err = exportMarkdown(bw, f)
	default:
		return fmt.Errorf("unknown format %q; use one of %s", format, strings.Join(ExportFormats, ", "))
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

func exportQnAMaker(w *bufio.Writer, f *knowledge.File) error {
	w.WriteString(strings.Join(qnaMakerColumns, "\t") + "\n")
	qnaID := map[string]int{}
	for i, e := range f.Entries {
		qnaID[e.ID] = i + 1
	}
	for i, e := range f.Entries {
		meta := []string{"id:" + e.ID}
		if len(e.Tags) > 0 {
			meta = append(meta, "tags:"+strings.Join(e.Tags, ","))
		}
		if e.Updated != "" {
			meta = append(meta, "updated:"+e.Updated)
		}
		if e.Section != "" {
			meta = append(meta, "section:"+strings.ReplaceAll(e.Section, "|", "/"))
		}
		if e.Owner != "" {
			meta = append(meta, "owner:"+strings.ReplaceAll(e.Owner, "|", "/"))
		}
		type prompt struct {
			DisplayOrder  int    `json:"DisplayOrder"`
			QnaID         int    `json:"QnaId"`
			DisplayText   string `json:"DisplayText"`
			IsContextOnly bool   `json:"IsContextOnly"`
		}
		prompts := []prompt{}
		for j, r := range e.Related {
			prompts = append(prompts, prompt{DisplayOrder: j + 1, QnaID: qnaID[r], DisplayText: relatedQuestion(f, r)})
		}
		pj, err := marshalJSON(prompts)
		if err != nil {
			return err
		}
		source := e.Source
		if source == "" {
			source = qnaMakerDefaultSource
		}
		for _, q := range e.Phrasings() {
			row := []string{escapeTSV(q), escapeTSV(e.Answer), escapeTSV(source), escapeTSV(strings.Join(meta, "|")), "[]", "false", string(pj), strconv.Itoa(i + 1)}
			w.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	return nil
}

func relatedQuestion(f *knowledge.File, id string) string {
	for i := range f.Entries {
		if f.Entries[i].ID == id {
			return f.Entries[i].Question
		}
	}
	return id
}

// qnaBotItem is one question of an AWS QnABot export.
type qnaBotItem struct {
	QID  string   `json:"qid"`
	Q    []string `json:"q"`
	A    string   `json:"a"`
	Alt  *qnaAlt  `json:"alt,omitempty"`
	T    string   `json:"t,omitempty"`
	Type string   `json:"type"`
}

type qnaAlt struct {
	Markdown string `json:"markdown"`
}

func exportQnABot(w *bufio.Writer, f *knowledge.File, lines bool) error {
	items := make([]qnaBotItem, len(f.Entries))
	for i, e := range f.Entries {
		items[i] = qnaBotItem{QID: e.ID, Q: e.Phrasings(), A: e.Answer, Alt: &qnaAlt{Markdown: e.Answer}, Type: "qna"}
		if len(e.Tags) > 0 {
			items[i].T = e.Tags[0]
		}
	}
	if lines {
		for _, it := range items {
			data, err := marshalJSON(it)
			if err != nil {
				return err
			}
			w.Write(data)
			w.WriteByte('\n')
		}
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(struct {
		QnA []qnaBotItem `json:"qna"`
	}{items}); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// marshalJSON is json.Marshal without escaping <, > and &, which answers
// in Markdown use.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func exportCSV(w *bufio.Writer, f *knowledge.File) error {
	cw := csv.NewWriter(w)
	cw.Write(csvColumns)
	for _, e := range f.Entries {
		cw.Write([]string{e.ID, e.Question, strings.Join(e.Alternates, "\n"), e.Answer, e.Section,
			strings.Join(e.Tags, ", "), e.Source, e.Updated, strings.Join(e.Related, ", "), e.Owner})
	}
	cw.Flush()
	return cw.Error()
}

// mdMeta is what a "<!-- faqbot ... -->" comment in a Markdown document
// holds: for the file, after the title; for an entry, after its question.
type mdMeta struct {
	ID         string     `yaml:"id,omitempty"`
	Alternates []string   `yaml:"alternates,omitempty"`
	Section    string     `yaml:"section,omitempty"`
	Tags       []string   `yaml:"tags,omitempty,flow"`
	Source     string     `yaml:"source,omitempty"`
	Updated    string     `yaml:"updated,omitempty"`
	Related    []string   `yaml:"related,omitempty,flow"`
	Owner      string     `yaml:"owner,omitempty"`
	Language   string     `yaml:"language,omitempty"`
	Fallback   string     `yaml:"fallback,omitempty"`
	Synonyms   [][]string `yaml:"synonyms,omitempty"`
}

// mdMetaStart opens a metadata comment.
const mdMetaStart = "<!-- faqbot"

func exportMarkdown(w *bufio.Writer, f *knowledge.File) error {
	writeMeta := func(m mdMeta) error {
		var n yaml.Node
		if err := n.Encode(m); err != nil {
			return err
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "synonyms" {
				for _, g := range n.Content[i+1].Content {
					g.Style = yaml.FlowStyle
				}
			}
		}
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(&n); err != nil {
			return err
		}
		enc.Close()
		w.WriteString(mdMetaStart + "\n")
		w.Write(buf.Bytes())
		w.WriteString("-->\n\n")
		return nil
	}
	if f.Title != "" {
		fmt.Fprintf(w, "# %s\n\n", f.Title)
	}
	lang := f.Language
	if lang == "en" {
		lang = ""
	}
	if lang != "" || f.Fallback != "" || len(f.Synonyms) > 0 {
		if err := writeMeta(mdMeta{Language: lang, Fallback: f.Fallback, Synonyms: f.Synonyms}); err != nil {
			return err
		}
	}
	for _, e := range f.Entries {
		fmt.Fprintf(w, "## %s\n\n", e.Question)
		if err := writeMeta(mdMeta{ID: e.ID, Alternates: e.Alternates, Section: e.Section, Tags: e.Tags, Source: e.Source, Updated: e.Updated, Related: e.Related, Owner: e.Owner}); err != nil {
			return err
		}
		w.WriteString(strings.TrimRight(e.Answer, "\n") + "\n\n")
	}
	return nil
}

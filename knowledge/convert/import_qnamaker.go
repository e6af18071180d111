package convert

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/faqbot/faqbot/knowledge"
)

// qnaMakerColumns are the columns of a QnA Maker TSV file, in the order
// QnA Maker writes them.
var qnaMakerColumns = []string{"Question", "Answer", "Source", "Metadata", "SuggestedQuestions", "IsContextOnly", "Prompts", "QnaId"}

// qnaMakerDefaultSource is the source QnA Maker gives questions written in
// its portal; it says nothing, so it is not kept.
const qnaMakerDefaultSource = "Editorial"

// ImportQnAMaker reads a QnA Maker (Azure question answering) TSV file: a
// header row, then one row per phrasing; rows sharing a QnaId are one entry,
// the first row's question its question. Answers write a line break as \n.
// Metadata (k:v|k:v, or JSON) may give the entry's id, tags and updated
// date; other pairs become tags "k:v". Prompts become related entries.
func ImportQnAMaker(name string, data []byte) (*knowledge.File, knowledge.Errors, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, nil, knowledge.Errors{knowledge.BadUTF8(name, data)}
	}
	im := &qnaMakerImport{a: newAssembler(name), col: map[string]int{}, byQnaID: map[string]*qnaMakerGroup{}}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i, line := range lines {
		ln := i + 1
		if strings.TrimSpace(line) == "" {
			continue
		}
		fields := strings.Split(strings.TrimSuffix(line, "\r"), "\t")
		if im.headerLine == 0 {
			if !im.readHeader(ln, fields) {
				return im.a.finish()
			}
			continue
		}
		im.readRow(ln, fields)
	}
	if im.headerLine == 0 {
		return nil, nil, knowledge.Errors{knowledge.Problemf(name, 0, 0, "", "the file is empty; it needs a header row: %s", strings.Join(qnaMakerColumns, "\t"))}
	}
	im.warnSuggested()
	im.resolvePrompts(im.addEntries())
	return im.a.finish()
}

// qnaMakerImport is the state of reading one QnA Maker file: the columns
// the header names, and the entries begun so far, by QnaId.
type qnaMakerImport struct {
	a                   *assembler
	col                 map[string]int // column name -> index in a row
	headerLine, columns int
	groups              []*qnaMakerGroup
	byQnaID             map[string]*qnaMakerGroup
	suggested           int // rows with suggested questions
}

// qnaMakerGroup is one entry: its first row's line, what its rows give, and
// the QnaIds its prompts lead to.
type qnaMakerGroup struct {
	line    int
	entry   knowledge.Entry
	prompts []int
}

// readHeader reads the header row: which column is where, with a warning for
// each column not imported. It reports false when the header lacks a column
// the import needs or names one twice.
func (im *qnaMakerImport) readHeader(ln int, fields []string) bool {
	im.headerLine, im.columns = ln, len(fields)
	for j, h := range fields {
		h = strings.TrimSpace(h)
		k := slices.IndexFunc(qnaMakerColumns, func(c string) bool { return strings.EqualFold(c, h) })
		if k < 0 {
			if s := knowledge.Suggest(h, qnaMakerColumns); s != "" {
				im.a.warnf(ln, "column %q is not imported; did you mean %q?", h, s)
			} else {
				im.a.warnf(ln, "column %q is not imported; the columns read are %s", h, strings.Join(qnaMakerColumns, ", "))
			}
			continue
		}
		if _, dup := im.col[qnaMakerColumns[k]]; dup {
			im.a.errorf(ln, "column %q appears twice", h)
		}
		im.col[qnaMakerColumns[k]] = j
	}
	for _, need := range []string{"Question", "Answer"} {
		if _, ok := im.col[need]; !ok {
			im.a.errorf(ln, "the header has no %q column; the first line must name the columns: %s", need, strings.Join(qnaMakerColumns, "\t"))
		}
	}
	return len(im.a.errs) == 0
}

// cell returns the trimmed value of column c in a row, "" when the header
// has no such column or the row stops short of it.
func (im *qnaMakerImport) cell(fields []string, c string) string {
	if j, ok := im.col[c]; ok && j < len(fields) {
		return strings.TrimSpace(fields[j])
	}
	return ""
}

// readRow reads one phrasing: another phrasing of an entry already begun
// (the same QnaId), or the first row of a new entry.
func (im *qnaMakerImport) readRow(ln int, fields []string) {
	if len(fields) > im.columns {
		im.a.errorf(ln, "%d columns; the header names %d", len(fields), im.columns)
		return
	}
	q := unescapeTSV(im.cell(fields, "Question"))
	ans := unescapeTSV(im.cell(fields, "Answer"))
	if q == "" {
		im.a.errorf(ln, "the question is empty")
		return
	}
	if s := im.cell(fields, "SuggestedQuestions"); s != "" && s != "[]" {
		im.suggested++
	}
	qnaID := im.cell(fields, "QnaId")
	if qnaID != "" {
		if g, ok := im.byQnaID[qnaID]; ok {
			im.addAlternate(ln, qnaID, g, q, ans)
			return
		}
	}
	g, ok := im.newGroup(ln, fields, q, ans)
	if !ok {
		return
	}
	im.groups = append(im.groups, g)
	if qnaID != "" {
		im.byQnaID[qnaID] = g
	}
}

// addAlternate adds the question q of a row to the entry g its QnaId
// began, whose answer the row must repeat or leave empty.
func (im *qnaMakerImport) addAlternate(ln int, qnaID string, g *qnaMakerGroup, q, ans string) {
	if ans != "" && knowledge.TrimAnswer(ans) != knowledge.TrimAnswer(g.entry.Answer) {
		im.a.errorf(ln, "QnaId %s: the answer differs from the one at line %d", qnaID, g.line)
		return
	}
	g.entry.Alternates = append(g.entry.Alternates, q)
}

// newGroup begins an entry from its first row: question, answer, source
// (unless QnA Maker's default), metadata and prompts. It reports false, the
// problem noted, when the metadata or the prompts cannot be read.
func (im *qnaMakerImport) newGroup(ln int, fields []string, q, ans string) (*qnaMakerGroup, bool) {
	g := &qnaMakerGroup{line: ln, entry: knowledge.Entry{Question: q, Answer: ans}}
	if src := im.cell(fields, "Source"); src != qnaMakerDefaultSource {
		g.entry.Source = src
	}
	if err := qnaMakerMetadata(im.cell(fields, "Metadata"), &g.entry); err != nil {
		im.a.errorf(ln, "metadata: %v", err)
		return nil, false
	}
	prompts, ok := im.prompts(ln, im.cell(fields, "Prompts"))
	if !ok {
		return nil, false
	}
	g.prompts = prompts
	return g, true
}

// prompts reads a row's prompts, a JSON list of {"QnaId", "DisplayText"},
// into the QnaIds they lead to; a prompt without a QnaId is noted and left
// out. It reports false when p is not such a list.
func (im *qnaMakerImport) prompts(ln int, p string) ([]int, bool) {
	if p == "" || p == "[]" {
		return nil, true
	}
	var prompts []struct {
		QnaID       json.Number `json:"QnaId"`
		DisplayText string      `json:"DisplayText"`
	}
	if err := json.Unmarshal([]byte(p), &prompts); err != nil {
		im.a.errorf(ln, "prompts are not a JSON list of {\"QnaId\", \"DisplayText\"}: %v", err)
		return nil, false
	}
	var ids []int
	for _, pr := range prompts {
		n, err := strconv.Atoi(pr.QnaID.String())
		if err != nil {
			im.a.errorf(ln, "prompt %q has no QnaId", pr.DisplayText)
			continue
		}
		ids = append(ids, n)
	}
	return ids, true
}

// warnSuggested warns of the rows that carry suggested questions, which
// the import leaves out.
func (im *qnaMakerImport) warnSuggested() {
	if im.suggested == 0 {
		return
	}
	rows := "1 row has"
	if im.suggested > 1 {
		rows = strconv.Itoa(im.suggested) + " rows have"
	}
	im.a.warnf(0, "%s suggested questions (from active learning), which are not imported; accept them in QnA Maker first", rows)
}

// addEntries hands every entry to the assembler, which gives each its id,
// and returns the index in the file of each entry it kept.
func (im *qnaMakerImport) addEntries() map[*qnaMakerGroup]int {
	index := map[*qnaMakerGroup]int{}
	for _, g := range im.groups {
		if k := im.a.add(g.line, g.entry); k >= 0 {
			index[g] = k
		}
	}
	return index
}

// resolvePrompts turns each entry's prompts, which name entries by QnaId,
// into related ids, now that every entry has its id.
func (im *qnaMakerImport) resolvePrompts(index map[*qnaMakerGroup]int) {
	for _, g := range im.groups {
		k, ok := index[g]
		if !ok || len(g.prompts) == 0 {
			continue
		}
		var ids []string
		for _, n := range g.prompts {
			target, ok := im.byQnaID[strconv.Itoa(n)]
			if !ok {
				im.a.warnf(g.line, "prompt to QnaId %d, which is not in the file; left out", n)
				continue
			}
			if t, ok := index[target]; ok {
				ids = append(ids, im.a.f.Entries[t].ID)
			}
		}
		im.a.related = append(im.a.related, pendingRelated{k, g.line, ids})
	}
}

// unescapeTSV turns QnA Maker's \n, \t and \\ back into what they stand for.
func unescapeTSV(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case 't':
				b.WriteByte('\t')
				i++
				continue
			case '\\':
				b.WriteByte('\\')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// escapeTSV writes line breaks, tabs and backslashes as QnA Maker does.
func escapeTSV(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\r\n", `\n`, "\n", `\n`, "\t", `\t`).Replace(s)
}

// qnaMakerMetadata reads QnA Maker metadata, "k:v|k:v" or JSON (an object,
// or a list of {"name", "value"}), into e: the keys id, tags (or tag,
// category, topic; values split on commas) and updated; any other pair
// becomes the tag "k:v".
func qnaMakerMetadata(s string, e *knowledge.Entry) error {
	s = strings.TrimSpace(s)
	if s == "" || s == "[]" || s == "{}" {
		return nil
	}
	var pairs [][2]string
	switch s[0] {
	case '{':
		var m map[string]string
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return fmt.Errorf("not a JSON object of strings: %v", err)
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			pairs = append(pairs, [2]string{k, m[k]})
		}
	case '[':
		var l []struct{ Name, Value string }
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			return fmt.Errorf("not a JSON list of {\"name\", \"value\"}: %v", err)
		}
		for _, p := range l {
			pairs = append(pairs, [2]string{p.Name, p.Value})
		}
	default:
		for _, kv := range strings.Split(s, "|") {
			if strings.TrimSpace(kv) == "" {
				continue
			}
			k, v, ok := strings.Cut(kv, ":")
			if !ok {
				return fmt.Errorf("%q is not key:value", kv)
			}
			pairs = append(pairs, [2]string{k, v})
		}
	}
	for _, p := range pairs {
		k, v := strings.ToLower(strings.TrimSpace(p[0])), strings.TrimSpace(p[1])
		switch k {
		case "id":
			e.ID = v
		case "tags", "tag", "category", "topic":
			e.Tags = append(e.Tags, splitList(v, ",")...)
		case "updated":
			e.Updated = v
		case "section":
			e.Section = v
		case "owner":
			e.Owner = v
		default:
			e.Tags = append(e.Tags, k+":"+v)
		}
	}
	return nil
}

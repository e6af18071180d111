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
	a := newAssembler(name)
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	col := map[string]int{}
	headerLine, columns := 0, 0
	type group struct {
		line    int
		entry   knowledge.Entry
		prompts []int // QnaIds
	}
	var groups []*group
	byQnaID := map[string]*group{}
	suggested := 0
	for i, line := range lines {
		ln := i + 1
		if strings.TrimSpace(line) == "" {
			continue
		}
		fields := strings.Split(strings.TrimSuffix(line, "\r"), "\t")
		if headerLine == 0 {
			headerLine, columns = ln, len(fields)
			for j, h := range fields {
				h = strings.TrimSpace(h)
				k := slices.IndexFunc(qnaMakerColumns, func(c string) bool { return strings.EqualFold(c, h) })
				if k < 0 {
					if s := knowledge.Suggest(h, qnaMakerColumns); s != "" {
						a.warnf(ln, "column %q is not imported; did you mean %q?", h, s)
					} else {
						a.warnf(ln, "column %q is not imported; the columns read are %s", h, strings.Join(qnaMakerColumns, ", "))
					}
					continue
				}
				if _, dup := col[qnaMakerColumns[k]]; dup {
					a.errorf(ln, "column %q appears twice", h)
				}
				col[qnaMakerColumns[k]] = j
			}
			for _, need := range []string{"Question", "Answer"} {
				if _, ok := col[need]; !ok {
					a.errorf(ln, "the header has no %q column; the first line must name the columns: %s", need, strings.Join(qnaMakerColumns, "\t"))
				}
			}
			if len(a.errs) > 0 {
				return a.finish()
			}
			continue
		}
		if len(fields) > columns {
			a.errorf(ln, "%d columns; the header names %d", len(fields), columns)
			continue
		}
		get := func(c string) string {
			if j, ok := col[c]; ok && j < len(fields) {
				return strings.TrimSpace(fields[j])
			}
			return ""
		}
		q := unescapeTSV(get("Question"))
		ans := unescapeTSV(get("Answer"))
		if q == "" {
			a.errorf(ln, "the question is empty")
			continue
		}
		if s := get("SuggestedQuestions"); s != "" && s != "[]" {
			suggested++
		}
		qnaID := get("QnaId")
		if qnaID != "" {
			if g, ok := byQnaID[qnaID]; ok {
				// Another phrasing of an entry already begun.
				if ans != "" && knowledge.TrimAnswer(ans) != knowledge.TrimAnswer(g.entry.Answer) {
					a.errorf(ln, "QnaId %s: the answer differs from the one at line %d", qnaID, g.line)
					continue
				}
				g.entry.Alternates = append(g.entry.Alternates, q)
				continue
			}
		}
		g := &group{line: ln, entry: knowledge.Entry{Question: q, Answer: ans}}
		if src := get("Source"); src != qnaMakerDefaultSource {
			g.entry.Source = src
		}
		if err := qnaMakerMetadata(get("Metadata"), &g.entry); err != nil {
			a.errorf(ln, "metadata: %v", err)
			continue
		}
		if p := get("Prompts"); p != "" && p != "[]" {
			var prompts []struct {
				QnaID       json.Number `json:"QnaId"`
				DisplayText string      `json:"DisplayText"`
			}
			if err := json.Unmarshal([]byte(p), &prompts); err != nil {
				a.errorf(ln, "prompts are not a JSON list of {\"QnaId\", \"DisplayText\"}: %v", err)
				continue
			}
			for _, pr := range prompts {
				n, err := strconv.Atoi(pr.QnaID.String())
				if err != nil {
					a.errorf(ln, "prompt %q has no QnaId", pr.DisplayText)
					continue
				}
				g.prompts = append(g.prompts, n)
			}
		}
		groups = append(groups, g)
		if qnaID != "" {
			byQnaID[qnaID] = g
		}
	}
	if headerLine == 0 {
		return nil, nil, knowledge.Errors{knowledge.Problemf(name, 0, 0, "", "the file is empty; it needs a header row: %s", strings.Join(qnaMakerColumns, "\t"))}
	}
	if suggested > 0 {
		rows := "1 row has"
		if suggested > 1 {
			rows = strconv.Itoa(suggested) + " rows have"
		}
		a.warnf(0, "%s suggested questions (from active learning), which are not imported; accept them in QnA Maker first", rows)
	}
	// Prompts name entries by QnaId: resolve them once every entry has its
	// id.
	index := map[*group]int{}
	for _, g := range groups {
		if k := a.add(g.line, g.entry); k >= 0 {
			index[g] = k
		}
	}
	for _, g := range groups {
		k, ok := index[g]
		if !ok || len(g.prompts) == 0 {
			continue
		}
		var ids []string
		for _, n := range g.prompts {
			target, ok := byQnaID[strconv.Itoa(n)]
			if !ok {
				a.warnf(g.line, "prompt to QnaId %d, which is not in the file; left out", n)
				continue
			}
			if t, ok := index[target]; ok {
				ids = append(ids, a.f.Entries[t].ID)
			}
		}
		a.related = append(a.related, pendingRelated{k, g.line, ids})
	}
	return a.finish()
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
		default:
			e.Tags = append(e.Tags, k+":"+v)
		}
	}
	return nil
}

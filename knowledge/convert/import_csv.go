package convert

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/faqbot/faqbot/knowledge"
)

// csvColumns are the columns a CSV file may have, in the order Export
// writes them. question and answer are required.
var csvColumns = []string{"id", "question", "alternates", "answer", "section", "tags", "source", "updated", "related", "owner"}

// ImportCSV reads CSV with a header row naming its columns: question and
// answer, and any of alternates, id, tags, source, updated and related, in
// any order. Lists in a cell (alternates, tags, related) are one a line, or
// separated by "|" (tags and related also by commas). Rows that repeat an
// id add their question to that entry as an alternate, with the answer
// left empty or the same. The separator may be a comma, a semicolon or a
// tab, as the header row shows.
func ImportCSV(name string, data []byte) (*knowledge.File, knowledge.Errors, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, nil, knowledge.Errors{knowledge.BadUTF8(name, data)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, knowledge.Errors{knowledge.Problemf(name, 0, 0, "", "the file is empty; it needs a header row such as question,answer")}
	}
	a := newAssembler(name)
	r := csv.NewReader(bytes.NewReader(data))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	switch {
	case bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")):
		r.Comma = ';'
	case bytes.Count(first, []byte("\t")) > bytes.Count(first, []byte(",")):
		r.Comma = '\t'
	}
	r.FieldsPerRecord = -1

	header, err := r.Read()
	if err != nil {
		return nil, nil, knowledge.Errors{csvProblem(name, err)}
	}
	col := map[string]int{}
	for j, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case !slices.Contains(csvColumns, h):
			if s := knowledge.Suggest(h, csvColumns); s != "" {
				a.warnf(1, "column %q is not imported; did you mean %q?", h, s)
			} else {
				a.warnf(1, "column %q is not imported; the columns read are %s", h, strings.Join(csvColumns, ", "))
			}
		case col[h] != 0:
			a.errorf(1, "column %q appears twice", h)
		default:
			col[h] = j + 1 // 0 means absent
		}
	}
	for _, need := range []string{"question", "answer"} {
		if col[need] == 0 {
			a.errorf(1, "the header row has no %q column; it must name the columns, such as question,answer,alternates,id,tags", need)
		}
	}
	if len(a.errs) > 0 {
		return a.finish()
	}

	type row struct {
		line  int
		entry knowledge.Entry
	}
	var rows []*row
	byID := map[string]*row{}
	for {
		offset := r.InputOffset()
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			a.errs = append(a.errs, csvProblem(name, err))
			if r.InputOffset() == offset || len(a.errs) >= knowledge.MaxProblems {
				break
			}
			continue
		}
		line, _ := r.FieldPos(0)
		if len(rec) > len(header) {
			a.errorf(line, "%d fields; the header row names %d", len(rec), len(header))
			continue
		}
		get := func(c string) string {
			if j := col[c]; j > 0 && j <= len(rec) {
				return rec[j-1]
			}
			return ""
		}
		if slices.IndexFunc(rec, func(s string) bool { return strings.TrimSpace(s) != "" }) < 0 {
			continue // a blank row, as spreadsheets leave at the end
		}
		e := knowledge.Entry{
			ID:         strings.TrimSpace(get("id")),
			Question:   strings.TrimSpace(get("question")),
			Alternates: splitList(get("alternates"), "|"),
			Answer:     get("answer"),
			Tags:       splitList(get("tags"), ",|"),
			Section:    get("section"),
			Source:     get("source"),
			Updated:    get("updated"),
			Related:    splitList(get("related"), ",|"),
			Owner:      strings.TrimSpace(get("owner")),
		}
		if e.Question == "" {
			a.errorf(line, "the question is empty")
			continue
		}
		if prev, ok := byID[e.ID]; ok && e.ID != "" {
			// Another phrasing of the entry with this id.
			if strings.TrimSpace(e.Answer) != "" && knowledge.TrimAnswer(e.Answer) != knowledge.TrimAnswer(prev.entry.Answer) {
				a.errorf(line, "id %q: the answer differs from the one at line %d", e.ID, prev.line)
				continue
			}
			prev.entry.Alternates = append(prev.entry.Alternates, e.Question)
			prev.entry.Alternates = append(prev.entry.Alternates, e.Alternates...)
			prev.entry.Tags = append(prev.entry.Tags, e.Tags...)
			prev.entry.Related = append(prev.entry.Related, e.Related...)
			continue
		}
		rw := &row{line: line, entry: e}
		rows = append(rows, rw)
		if e.ID != "" {
			byID[e.ID] = rw
		}
	}
	for _, rw := range rows {
		a.add(rw.line, rw.entry)
	}
	return a.finish()
}

// csvProblem turns a CSV reading error into a problem with its line.
func csvProblem(name string, err error) knowledge.Problem {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return knowledge.Problemf(name, pe.Line, pe.Column, "", "%v", pe.Err)
	}
	return knowledge.Problemf(name, 0, 0, "", "%v", err)
}

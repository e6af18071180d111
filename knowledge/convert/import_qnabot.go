package convert

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/faqbot/faqbot/knowledge"
)

// qnaBotIgnored are fields a QnABot question item may have that a
// knowledge file cannot hold, with what they are.
var (
	qnaBotIgnored = map[string]string{
		"r": "response card", "l": "Lambda hook", "args": "Lambda hook arguments",
		"next": "next question", "rp": "reprompt", "tags": "", "enableQidIntent": "",
		"kendraRedirectQueryText": "", "kendraRedirectQueryArgs": "", "kendraRedirectQueryConfidenceThreshold": "",
		"sa": "session attributes", "conditionalChaining": "", "elicitResponse": "", "botRouting": "",
		"clientFilterValues": "", "exactmatch": "", "quniqueterms": "", "questions": "",
	}
)

// ImportQnABot reads an AWS QnABot export: JSON ({"qna": [...]}, or a bare
// list) or JSON Lines (one item a line). Each item of type "qna" becomes an
// entry: qid its id, q its question and alternates, alt.markdown (or else
// a) its answer, t (the topic) a tag. Items of other types, and fields a
// knowledge file cannot hold, are reported.
func ImportQnABot(name string, data []byte) (*knowledge.File, knowledge.Errors, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, nil, knowledge.Errors{knowledge.BadUTF8(name, data)}
	}
	a := newAssembler(name)
	ignored := map[string]int{} // field -> first line
	var items []*yaml.Node
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, nil, knowledge.Errors{knowledge.Problemf(name, 0, 0, "", `the file is empty; QnABot JSON is {"qna": [...]}`)}
	}
	// JSON Lines: several lines, each an object.
	if isJSONLines(trimmed) {
		lineNo := 0
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			lineNo++
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			root, perr := knowledge.ParseJSONNode(name, line)
			if perr != nil {
				perr.Line = lineNo
				a.errs = append(a.errs, *perr)
				continue
			}
			item := root.Content[0]
			shiftLines(item, lineNo-1)
			items = append(items, item)
		}
	} else {
		root, perr := knowledge.ParseJSONNode(name, data)
		if perr != nil {
			return nil, nil, knowledge.Errors{*perr}
		}
		top := root.Content[0]
		switch top.Kind {
		case yaml.SequenceNode:
			items = top.Content
		case yaml.MappingNode:
			var qna *yaml.Node
			for i := 0; i+1 < len(top.Content); i += 2 {
				if top.Content[i].Value == "qna" {
					qna = top.Content[i+1]
				}
			}
			if qna == nil || qna.Kind != yaml.SequenceNode {
				return nil, nil, knowledge.Errors{knowledge.Problemf(name, top.Line, top.Column, "", `QnABot JSON is {"qna": [...]}; there is no "qna" list`)}
			}
			items = qna.Content
		default:
			return nil, nil, knowledge.Errors{knowledge.Problemf(name, top.Line, top.Column, "", `QnABot JSON is {"qna": [...]}, not a %s`, knowledge.KindName(top))}
		}
	}
	for _, item := range items {
		if item.Kind != yaml.MappingNode {
			a.errorf(item.Line, "a question item must be an object with qid, q and a, not %s", knowledge.WithArticle(knowledge.KindName(item)))
			continue
		}
		var e knowledge.Entry
		var markdown, plain, typ string
		var unknown []*yaml.Node
		ok := true
		str := func(v *yaml.Node, field string) string {
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
				a.errorf(v.Line, "%q must be a string", field)
				ok = false
				return ""
			}
			return v.Value
		}
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, v := item.Content[i].Value, item.Content[i+1]
			switch k {
			case "qid":
				e.ID = str(v, "qid")
			case "q":
				if v.Kind != yaml.SequenceNode {
					a.errorf(v.Line, `"q" must be a list of questions`)
					ok = false
					continue
				}
				for _, q := range v.Content {
					if s := str(q, "q"); s != "" {
						if e.Question == "" {
							e.Question = s
						} else {
							e.Alternates = append(e.Alternates, s)
						}
					}
				}
			case "a":
				plain = str(v, "a")
			case "alt":
				if v.Kind == yaml.MappingNode {
					for j := 0; j+1 < len(v.Content); j += 2 {
						if v.Content[j].Value == "markdown" {
							markdown = str(v.Content[j+1], "alt.markdown")
						}
					}
				}
			case "t":
				if t := strings.TrimSpace(str(v, "t")); t != "" {
					e.Tags = []string{t}
				}
			case "type":
				typ = str(v, "type")
			default:
				unknown = append(unknown, item.Content[i])
			}
		}
		if !ok {
			continue
		}
		if typ != "" && typ != "qna" {
			a.warnf(item.Line, "item %q is of type %q, not a question; left out", e.ID, typ)
			continue
		}
		for _, k := range unknown {
			if _, seen := ignored[k.Value]; !seen {
				ignored[k.Value] = k.Line
			}
		}
		if strings.TrimSpace(e.ID) == "" {
			a.errorf(item.Line, `the item has no "qid"`)
			continue
		}
		e.Answer = markdown
		if strings.TrimSpace(markdown) == "" {
			e.Answer = plain
		}
		a.add(item.Line, e)
	}
	fields := make([]string, 0, len(ignored))
	for k := range ignored {
		fields = append(fields, k)
	}
	slices.Sort(fields)
	for _, k := range fields {
		what := ""
		if d := qnaBotIgnored[k]; d != "" {
			what = " (" + d + ")"
		}
		a.warnf(ignored[k], "field %q%s is not imported: a knowledge file has no place for it", k, what)
	}
	return a.finish()
}

// isJSONLines reports whether data is JSON Lines: its first line is a
// whole JSON object by itself.
func isJSONLines(data []byte) bool {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	first = bytes.TrimSpace(first)
	return len(first) > 0 && first[0] == '{' && json.Valid(first)
}

// shiftLines adds n to the line of every node in the tree.
func shiftLines(n *yaml.Node, delta int) {
	n.Line += delta
	for _, c := range n.Content {
		shiftLines(c, delta)
	}
}

package convert

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/faqbot/faqbot/internal/lazyregexp"
	"github.com/faqbot/faqbot/knowledge"
)

// The key names that structured FAQ data (a Jekyll or Hugo data file, a
// CMS export, schema.org's FAQPage) gives its questions, answers and
// groups, compared in lower case without "-", "_" or "@". The first key
// of each list that an object has wins.
var (
	dataQuestionKeys = []string{"question", "questiontext", "faqquestion", "q", "title", "name", "summary", "term",
		"heading", "header", "prompt", "query", "ask", "frage", "pregunta", "domanda", "pergunta", "vraag"}
	dataAnswerKeys = []string{"answer", "answertext", "faqanswer", "a", "ans", "acceptedanswer", "suggestedanswer", "text",
		"content", "body", "details", "detail", "description", "desc", "response", "reply", "markdown", "html",
		"antwort", "reponse", "réponse", "respuesta", "risposta", "resposta", "antwoord"}
	dataGroupKeys = []string{"title", "name", "category", "section", "group", "heading", "header", "topic", "label", "kategorie"}
	// dataContainerKeys name a list of questions or groups, not a group:
	// their key is no section.
	dataContainerKeys = []string{"faq", "faqs", "questions", "items", "entries", "data", "list", "qa", "qas", "qna",
		"questionsandanswers", "mainentity", "graph", "results", "children", "sections", "categories", "groups",
		"topics", "content", "contents", "body", "records", "rows", "values", "elements", "fragen", "preguntas"}
)

// dataKey is a key as the key lists hold it.
func dataKey(k string) string {
	return strings.NewReplacer("-", "", "_", "", "@", "", " ", "").Replace(strings.ToLower(k))
}

// readData reads structured FAQ data, YAML or JSON, into a document: it
// finds the objects that hold a question and its answer by their keys,
// wherever they are in the tree, and makes the groups that hold them
// (an object with a title and a list, or a key naming a list) headings, so
// that each entry keeps its group as its section. A JSON-LD FAQPage is
// such data too: its Questions have a name and an acceptedAnswer's text.
func readData(name string, root *yaml.Node, lf linkFixer) *document {
	d := &document{name: name, structured: true}
	r := &dataReader{d: d, lf: lf}
	top := root
	if top.Kind == yaml.DocumentNode && len(top.Content) > 0 {
		top = top.Content[0]
	}
	if top.Kind == yaml.MappingNode && !r.isQA(top) {
		d.title = r.groupTitle(top)
		r.walk(top, 0, true)
	} else {
		r.walk(top, 0, false)
	}
	return d
}

// dataReader walks a tree of structured FAQ data.
type dataReader struct {
	d  *document
	lf linkFixer
}

// field returns the value of the first of keys that the mapping m has,
// and its key.
func field(m *yaml.Node, keys []string, accept func(*yaml.Node) bool) (*yaml.Node, string) {
	for _, want := range keys {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if dataKey(m.Content[i].Value) == want && accept(m.Content[i+1]) {
				return m.Content[i+1], want
			}
		}
	}
	return nil, ""
}

func isText(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag != "!!null" && strings.TrimSpace(n.Value) != ""
}

// isTexts reports whether n is a list of strings.
func isTexts(n *yaml.Node) bool {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return false
	}
	for _, c := range n.Content {
		if !isText(c) {
			return false
		}
	}
	return true
}

// answerValue reports whether n can be an answer: text, a list of
// paragraphs, or an object (such as an acceptedAnswer) holding the text.
func answerValue(n *yaml.Node) bool {
	switch {
	case isText(n), isTexts(n):
		return true
	case n.Kind == yaml.MappingNode:
		v, _ := field(n, dataAnswerKeys, func(c *yaml.Node) bool { return isText(c) || isTexts(c) })
		return v != nil
	case n.Kind == yaml.SequenceNode && len(n.Content) > 0:
		return answerValue(n.Content[0])
	}
	return false
}

// qa returns the question, alternates and answer of an object that holds
// a question and its answer; ok is false for any other node.
func (r *dataReader) qa(m *yaml.Node) (q *yaml.Node, alts []string, a *yaml.Node, ok bool) {
	if m.Kind != yaml.MappingNode {
		return nil, nil, nil, false
	}
	q, qk := field(m, dataQuestionKeys, func(c *yaml.Node) bool { return isText(c) || isTexts(c) })
	if q == nil {
		return nil, nil, nil, false
	}
	for _, k := range dataAnswerKeys {
		if k == qk {
			continue
		}
		if v, _ := field(m, []string{k}, answerValue); v != nil {
			a = v
			break
		}
	}
	if a == nil {
		return nil, nil, nil, false
	}
	if q.Kind == yaml.SequenceNode {
		for _, c := range q.Content[1:] {
			alts = append(alts, strings.TrimSpace(c.Value))
		}
		q = q.Content[0]
	}
	return q, alts, a, true
}

func (r *dataReader) isQA(m *yaml.Node) bool {
	_, _, _, ok := r.qa(m)
	return ok && !r.holdsQA(m, false)
}

// holdsQA reports whether a question-and-answer object is in n's tree;
// self says whether n itself counts.
func (r *dataReader) holdsQA(n *yaml.Node, self bool) bool {
	if self {
		if _, _, _, ok := r.qa(n); ok {
			return true
		}
	}
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode && r.holdsQA(c, true) {
			return true
		}
	}
	return false
}

// groupTitle returns the title of a mapping that groups questions.
func (r *dataReader) groupTitle(m *yaml.Node) string {
	v, _ := field(m, dataGroupKeys, isText)
	if v == nil {
		return ""
	}
	return strings.Join(strings.Fields(normalizeText(v.Value)), " ")
}

// walk reads a node at the given depth of groups; titled says that the
// node's title was taken already (as the document's title).
func (r *dataReader) walk(n *yaml.Node, depth int, titled bool) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		category := ""
		for _, c := range n.Content {
			if r.isQA(c) {
				// A flat list whose items name their group.
				if g, _ := field(c, []string{"category", "section", "group", "topic", "kategorie"}, isText); g != nil && g.Value != category {
					category = g.Value
					r.d.heading(g.Line, depth+1, category)
				}
			}
			r.walk(c, depth, false)
		}
	case yaml.MappingNode:
		if r.isQA(n) {
			r.entry(n)
			return
		}
		if !r.holdsQA(n, false) {
			r.questionMap(n)
			return
		}
		if t := r.groupTitle(n); t != "" && !titled {
			depth++
			r.d.heading(n.Line, depth, t)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.ScalarNode || !r.holdsQA(v, true) {
				continue
			}
			if !slices.Contains(dataContainerKeys, dataKey(k.Value)) && !r.isQA(v) && !slices.Contains(dataAnswerKeys, dataKey(k.Value)) {
				// A key naming its list: "Billing: [...]".
				r.d.heading(k.Line, depth+1, k.Value)
				r.walk(v, depth+1, true)
				continue
			}
			r.walk(v, depth, false)
		}
	}
}

// questionMap reads a mapping from questions to their answers
// ("How do I pay?": "By card."), when at least two of its keys ask.
func (r *dataReader) questionMap(m *yaml.Node) {
	asked := 0
	for i := 0; i+1 < len(m.Content); i += 2 {
		if strings.HasSuffix(strings.TrimSpace(m.Content[i].Value), "?") && isText(m.Content[i+1]) {
			asked++
		}
	}
	if asked < 2 {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k, v := m.Content[i], m.Content[i+1]; isText(v) {
			r.d.question(k.Line, k.Value)
			r.d.answer(v.Line, r.answerText(v.Value))
		}
	}
}

// entry adds one question with its answer.
func (r *dataReader) entry(m *yaml.Node) {
	q, alts, a, _ := r.qa(m)
	r.d.question(q.Line, q.Value)
	b := &r.d.blocks[len(r.d.blocks)-1]
	if b.kind == blockQuestion {
		for _, alt := range alts {
			if alt, _ = questionText(alt); alt != "" {
				b.alts = append(b.alts, alt)
			}
		}
	}
	for _, p := range r.answerParts(a) {
		r.d.answer(a.Line, r.answerText(p))
	}
}

// answerParts returns the paragraphs of an answer value.
func (r *dataReader) answerParts(a *yaml.Node) []string {
	switch a.Kind {
	case yaml.ScalarNode:
		return []string{a.Value}
	case yaml.MappingNode:
		v, _ := field(a, dataAnswerKeys, func(c *yaml.Node) bool { return isText(c) || isTexts(c) })
		return r.answerParts(v)
	case yaml.SequenceNode:
		var out []string
		for _, c := range a.Content {
			if c.Kind == yaml.ScalarNode {
				out = append(out, c.Value)
			} else if answerValue(c) {
				out = append(out, r.answerParts(c)...)
			}
		}
		return out
	}
	return nil
}

// htmlAnswerRe matches the HTML tags that mark an answer written in HTML.
var htmlAnswerRe = lazyregexp.New(`(?i)</?(?:p|br|a|ul|ol|li|strong|b|em|i|code|pre|div|span|table|h[1-6]|img|blockquote)\b[^>]*>`)

// answerText turns an answer's text, Markdown or HTML, into clean Markdown.
func (r *dataReader) answerText(s string) string {
	if htmlAnswerRe.MatchString(s) {
		return htmlToMarkdown(s, r.lf)
	}
	return cleanAnswer(s, r.lf)
}

// parseData parses YAML, JSON or JSON Lines (made one list) into a node
// tree, or says where it is not.
func parseData(name string, data []byte, isJSON bool) (root *yaml.Node, err error) {
	if isJSON && isJSONLines(bytes.TrimSpace(data)) && bytes.Count(bytes.TrimSpace(data), []byte("\n")) > 0 {
		return jsonLinesNode(name, data)
	}
	if isJSON {
		root, perr := knowledge.ParseJSONNode(name, data)
		if perr != nil {
			return nil, knowledge.Errors{*perr}
		}
		return root, nil
	}
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, knowledge.Errors{knowledge.Problemf(name, 0, 0, "", "cannot parse the file as YAML: %v", r)}
		}
	}()
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, knowledge.Errors{knowledge.YAMLProblem(name, data, err)}
	}
	return &doc, nil
}

// jsonLinesNode parses JSON Lines into one list of their values.
func jsonLinesNode(name string, data []byte) (*yaml.Node, error) {
	list := &yaml.Node{Kind: yaml.SequenceNode, Line: 1}
	var errs knowledge.Errors
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		n, perr := knowledge.ParseJSONNode(name, line)
		if perr != nil {
			perr.Line = i + 1
			errs = append(errs, *perr)
			continue
		}
		shiftLines(n, i)
		list.Content = append(list.Content, n.Content[0])
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{list}}, nil
}

// isFAQData reports whether data parses as YAML holding question and
// answer objects below its top: text of "Q: ..." and "A: ..." lines parses
// as one such object, and is not data.
func isFAQData(data []byte) bool {
	top := dataTop(data, false)
	return top != nil && top.Kind != yaml.ScalarNode && (&dataReader{}).holdsQA(top, false)
}

// importData imports structured FAQ data: a YAML or JSON file.
func importData(name string, data []byte, isJSON bool, lf linkFixer) (*knowledge.File, ImportReport, error) {
	root, err := parseData(name, data, isJSON)
	if err != nil {
		return nil, ImportReport{}, err
	}
	d := readData(name, root, lf)
	if !slices.ContainsFunc(d.blocks, func(b docBlock) bool { return b.kind == blockQuestion }) {
		return nil, ImportReport{}, knowledge.Errors{knowledge.Problemf(name, 0, 0, "",
			"found no questions to import: looked for a list of objects, each with a question (a key such as question, q, title, name or summary) and its answer (answer, a, acceptedAnswer, text, content, body or details)")}
	}
	return docImport(d)
}

// knowledgeFileKeys reports whether a top-level mapping has the shape of a
// faqbot knowledge file: "entries" beside "version", or entries with ids.
func knowledgeFileShape(top *yaml.Node) bool {
	if top == nil || top.Kind != yaml.MappingNode {
		return false
	}
	var version, entries *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		switch top.Content[i].Value {
		case "version":
			version = top.Content[i+1]
		case "entries":
			entries = top.Content[i+1]
		}
	}
	if entries == nil {
		return false
	}
	if version != nil {
		return true
	}
	return entries.Kind == yaml.SequenceNode && len(entries.Content) > 0 && entries.Content[0].Kind == yaml.MappingNode &&
		slices.ContainsFunc(entries.Content[0].Content, func(k *yaml.Node) bool { return k.Value == "id" })
}

// dataTop parses the start of structured data for format detection; nil
// when it does not parse.
func dataTop(data []byte, isJSON bool) *yaml.Node {
	root, err := parseData("", data, isJSON)
	if err != nil || root == nil || len(root.Content) == 0 {
		return nil
	}
	return root.Content[0]
}

// isQnABotData reports whether JSON data is a QnABot export: {"qna": [...]}
// or items with a "qid".
func isQnABotData(data []byte) bool {
	var top any
	if json.Unmarshal(data, &top) != nil {
		first, _, _ := bytes.Cut(bytes.TrimSpace(data), []byte("\n"))
		if !isJSONLines(first) {
			return false
		}
		json.Unmarshal(first, &top)
		top = []any{top}
	}
	var items []any
	switch t := top.(type) {
	case map[string]any:
		if _, ok := t["qna"]; ok {
			return true
		}
	case []any:
		items = t
	}
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			if _, ok := m["qid"]; ok {
				return true
			}
		}
	}
	return false
}

package convert

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/match"
)

// A document is what a format's reader makes of an FAQ document: its title
// and a flat run of blocks (headings, questions and answer text), each with
// the line it starts on. One builder turns every format's document into
// entries, so that a question is found, grouped and answered the same way
// whatever the markup.
type document struct {
	name    string
	title   string
	updated string
	blocks  []docBlock
	notes   knowledge.Errors // what the reader left out, with lines
	// structured says the blocks come from structured data, whose keys
	// say what each is: no title, bold line or closing summary is looked
	// for among them.
	structured bool
}

// blockKind says what a block is.
type blockKind int

const (
	// blockHeading is a heading; level orders headings into a tree.
	blockHeading blockKind = iota
	// blockQuestion is a question found by its form (a Q: label, a bold
	// line, a question class, a summary, a definition term); the text
	// blocks after it, up to the next heading or question, answer it.
	blockQuestion
	// blockText is answer text, in Markdown.
	blockText
)

// docBlock is one block of a document.
type docBlock struct {
	kind  blockKind
	level int    // a heading's level, 1 the highest
	text  string // a heading or question on one line; answer text in Markdown
	line  int
	asked bool // a heading that is marked as a question, as by "Q:"
	bold  bool // answer text that is one bold line: a question when the document asks that way
	// item says answer text is a numbered or bulleted line in emphasis
	// alone ("1. *Why is it slow?*"): a question when the document asks
	// that way.
	item bool
	alts []string // a question's other phrasings, when the document gives them
	// labelled says answer text began with an answer label ("Answer:").
	labelled bool
	// shares says a question may share the answer below the next ones: a
	// numbered one ("Q5:" over "Q6:" over "A:") or a term (<dt> over <dt>
	// over <dd>).
	shares bool
}

// Reader's helpers.

func (d *document) note(line int, format string, args ...any) {
	d.notes = append(d.notes, knowledge.Problemf(d.name, line, 0, "", format, args...))
}

func (d *document) heading(line, level int, text string) {
	if a, ok := cutAnswerLabel(text); ok && d.lastIsQuestion() {
		d.answer(line, a) // "#### A: ..." under "#### Q: ...?"
		return
	}
	text, asked := questionText(text)
	if text == "" {
		return
	}
	d.blocks = append(d.blocks, docBlock{kind: blockHeading, level: level, text: text, line: line, asked: asked})
}

func (d *document) question(line int, text string) {
	text, _ = questionText(text)
	if text == "" {
		return
	}
	d.blocks = append(d.blocks, docBlock{kind: blockQuestion, text: text, line: line})
}

// term adds a definition term as a question: its lines are the question
// and its other phrasings ("Q: Why X?<br>Q: Why Y?"), and it shares the
// answer of the terms right after it when it has none of its own.
func (d *document) term(line int, text string) {
	var qs []string
	for _, l := range strings.Split(text, "\n") {
		if q, _ := questionText(l); q != "" {
			qs = append(qs, q)
		}
	}
	if len(qs) == 0 {
		return
	}
	d.blocks = append(d.blocks, docBlock{kind: blockQuestion, text: qs[0], alts: qs[1:], line: line, shares: true})
}

func (d *document) answer(line int, markdown string) {
	markdown = strings.Trim(markdown, "\n")
	if strings.TrimSpace(markdown) == "" {
		return
	}
	d.blocks = append(d.blocks, docBlock{kind: blockText, text: markdown, line: line})
}

// paragraph adds a paragraph of answer text, reading the question forms
// that a paragraph can have: a "Q:" label (with its "A:" answer in the same
// paragraph or the next), an "A:" label, a bold question with its answer
// after it, or a line that is bold alone.
func (d *document) paragraph(line int, markdown string) {
	lines := strings.Split(strings.Trim(markdown, "\n"), "\n")
	if q, ok := cutQuestionLabel(lines[0]); ok {
		// The question runs to the answer label; without one, to the
		// line that ends its sentence.
		n := 1
		for n < len(lines) && !hasAnswerLabel(lines[n]) && !answerDotLabelRe.MatchString(lines[n]) {
			n++
		}
		if n == len(lines) {
			n = wrappedQuestionEnd(lines)
		}
		parts := append([]string{q}, lines[1:n]...)
		d.question(line, strings.Join(trimAll(parts), " "))
		if numberedLabelRe.MatchString(lines[0]) && len(d.blocks) > 0 && d.blocks[len(d.blocks)-1].kind == blockQuestion {
			d.blocks[len(d.blocks)-1].shares = true
		}
		if n < len(lines) {
			d.paragraph(line+n, strings.Join(lines[n:], "\n"))
		}
		return
	}
	if a, ok := cutAnswerLabel(markdown); ok {
		d.answer(line, a)
		if n := len(d.blocks); n > 0 && d.blocks[n-1].kind == blockText {
			d.blocks[n-1].labelled = true
		}
		return
	}
	if a, ok := cutPairedAnswerLabel(markdown); ok && d.lastIsQuestion() {
		d.answer(line, a)
		return
	}
	if a, ok := cutAnswerDotLabel(markdown); ok && len(d.blocks) > 0 && d.blocks[len(d.blocks)-1].kind == blockQuestion {
		d.answer(line, a) // "A. ..." right under its question
		return
	}
	if q, rest, ok := cutBoldQuestion(markdown); ok {
		d.question(line, q)
		d.answer(line, rest)
		return
	}
	if b, ok := boldLine(markdown); ok {
		d.blocks = append(d.blocks, docBlock{kind: blockText, text: strings.TrimSpace(markdown), line: line, bold: true})
		_ = b
		return
	}
	if _, ok := emphasisItem(markdown); ok {
		d.blocks = append(d.blocks, docBlock{kind: blockText, text: strings.TrimSpace(markdown), line: line, item: true})
		return
	}
	d.answer(line, markdown)
}

// wrappedQuestionEnd returns how many of a labelled question's lines it
// runs over when no answer label follows it in its paragraph: to the
// indented line that ends with a question mark ("Q: I get this in my
// logs:" over "    WARNING: ... Is it the same file?"), or else to the
// line that ends its sentence.
func wrappedQuestionEnd(lines []string) int {
	if !asksByMark(lines[0]) {
		for k := 1; k < len(lines) && k < 4 && indentOf(lines[k]) > indentOf(lines[0]); k++ {
			if asksByMark(lines[k]) {
				return k + 1
			}
		}
	}
	n := 1
	for n < len(lines) && !endsSentence(lines[n-1]) {
		n++
	}
	return n
}

// lastIsQuestion reports whether the last block is a question, or a
// heading that asks.
func (d *document) lastIsQuestion() bool {
	if len(d.blocks) == 0 {
		return false
	}
	b := d.blocks[len(d.blocks)-1]
	return b.kind == blockQuestion || b.kind == blockHeading && (b.asked || asksByMark(b.text))
}

func trimAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// docDraft is an entry being made from a document.
type docDraft struct {
	question string
	alts     []string
	answer   []string
	section  []string // the headings above it, outermost first
	line     int
	intro    bool // the introduction, asked by the title
}

// docNode is a heading or a question in the document's tree.
type docNode struct {
	block    docBlock
	text     []docBlock // the answer text right under it
	children []*docNode
}

// asks reports whether the node is a question rather than a topic: a
// question, or a heading marked or worded as one ("How to debug errors").
func (n *docNode) asks() bool {
	return n.block.kind == blockQuestion || n.block.asked || asksByMark(n.block.text) || interrogative(n.block.text)
}

// interrogativeWords open a question in the languages the matcher stems
// best; a heading that starts with one asks even with no question mark.
var interrogativeWords = map[string]bool{
	"what": true, "how": true, "why": true, "when": true, "where": true, "which": true, "who": true,
	"can": true, "could": true, "does": true, "do": true, "is": true, "are": true, "should": true, "will": true,
	"wie": true, "warum": true, "wann": true, "wo": true, "welche": true, "welcher": true, "kann": true, "muss": true,
	"comment": true, "pourquoi": true, "quand": true, "où": true, "quel": true, "quelle": true, "puis-je": true,
	"cómo": true, "qué": true, "cuándo": true, "dónde": true, "cuál": true, "puedo": true,
}

// interrogative reports whether a heading opens with a word that asks.
func interrogative(s string) bool {
	w, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), " ")
	return interrogativeWords[strings.Trim(w, `"'¿¡*_`)] && len(strings.Fields(s)) >= 3
}

// restated moves the question put again in other words before a labelled
// answer ("How does that work?" over "Answer: ...", under a heading that
// asks) to the node's other phrasings: each paragraph before the label
// that ends asking.
func (n *docNode) restated() {
	k := slices.IndexFunc(n.text, func(b docBlock) bool { return b.labelled })
	if k <= 0 || !n.asks() && n.block.kind != blockHeading {
		return
	}
	for _, b := range n.text[:k] {
		if !asksByMark(b.text) || strings.Contains(b.text, "\n\n") || strings.HasPrefix(b.text, "```") {
			return
		}
	}
	for _, b := range n.text[:k] {
		n.block.alts = append(n.block.alts, strings.Join(strings.Fields(b.text), " "))
	}
	n.text = n.text[k:]
}

// partsOnly reports whether the node's children are the parts of its
// answer: headings below the level the document asks at (askLevel), that
// ask nothing, with none that asks under them ("Fix for Windows",
// "Example 1" under a question).
func (n *docNode) partsOnly(askLevel int) bool {
	if len(n.children) == 0 {
		return false
	}
	for _, c := range n.children {
		if c.block.kind != blockHeading || c.block.level <= askLevel || c.asks() || c.hasQuestions() {
			return false
		}
	}
	return true
}

// parts returns the node's sub-headings with their text, as answer text:
// each heading a bold line over its paragraphs.
func (n *docNode) parts() []string {
	var out []string
	for _, c := range n.children {
		out = append(out, "**"+c.block.text+"**")
		out = append(out, texts(c.text)...)
		out = append(out, c.parts()...)
	}
	return out
}

// questionLevel returns the heading level the document asks at most
// often, 0 when no heading asks.
func (d *document) questionLevel() int {
	count := map[int]int{}
	best := 0
	for _, b := range d.blocks {
		if b.kind == blockHeading && (b.asked || asksByMark(b.text)) {
			count[b.level]++
			if count[b.level] > count[best] || count[b.level] == count[best] && b.level < best {
				best = b.level
			}
		}
	}
	return best
}

// childrenAsk reports whether most of the node's children ask: then a
// child that states rather than asks ("Only show errors in the log") is
// a question put another way, and its sub-headings are parts of its
// answer.
func (n *docNode) childrenAsk() bool {
	k := 0
	for _, c := range n.children {
		if c.asks() {
			k++
		}
	}
	return k*2 > len(n.children)
}

// hasQuestions reports whether a question is among the node's descendants.
func (n *docNode) hasQuestions() bool {
	for _, c := range n.children {
		if c.asks() || c.hasQuestions() {
			return true
		}
	}
	return false
}

// build turns the document into drafts of entries, with warnings for what
// it leaves out; questions counts the question blocks it found.
func (d *document) build() (drafts []docDraft, questions int, warnings knowledge.Errors) {
	warn := func(line int, format string, args ...any) {
		warnings = append(warnings, knowledge.Problemf(d.name, line, 0, "", format, args...))
	}
	if !d.structured {
		d.promoteBoldLines()
		d.promoteEmphasisItems()
		d.takeTitle()
		warnings = append(warnings, d.joinQuestionRuns()...)
		warnings = append(warnings, d.dropContents()...)
	}
	root := d.tree()

	askLevel := d.questionLevel()
	var walk func(n *docNode, path []string, asked bool)
	walk = func(n *docNode, path []string, asked bool) {
		n.restated()
		answer := texts(n.text)
		isRoot := n == root
		if !isRoot && (n.asks() || asked && len(answer) > 0) && n.partsOnly(askLevel) {
			answer = append(answer, n.parts()...)
			n.children = nil
		}
		if !isRoot && (len(answer) > 0 || len(n.children) == 0) {
			questions++ // a heading over headings only is their context
		}
		switch {
		case isRoot && len(answer) > 0:
			// The introduction asks what its question sentences ask.
			alts := questionsIn(answer)
			if len(alts) == 0 {
				warn(n.text[0].line, "the introduction asks no question; left out (give it a heading to make it an entry)")
				break
			}
			q := d.title
			if q == "" {
				q, alts = alts[0], alts[1:]
			}
			drafts = append(drafts, docDraft{question: q, alts: alts, answer: answer, line: n.text[0].line, intro: true})
		case isRoot:
		case len(answer) == 0 && len(n.children) == 0:
			if n.asks() {
				warn(n.block.line, "question %q has no answer; left out", knowledge.Truncate(n.block.text, 60))
			} else {
				warn(n.block.line, "heading %q has no text under it; left out", knowledge.Truncate(n.block.text, 60))
			}
		case len(answer) == 0:
			// A heading over headings is their context.
		case len(n.children) > 0 && !n.asks() && n.hasQuestions():
			// The text under a heading that groups questions introduces
			// them; it is an entry when it asks something itself.
			alts := questionsIn(answer)
			if len(alts) == 0 {
				warn(n.text[0].line, "the introduction to %q asks no question; left out", knowledge.Truncate(n.block.text, 60))
				break
			}
			drafts = append(drafts, docDraft{question: n.block.text, alts: alts, answer: answer, section: path, line: n.block.line})
		default:
			drafts = append(drafts, docDraft{question: n.block.text, alts: n.block.alts, answer: answer, section: path, line: n.block.line})
		}
		sub := path
		if !isRoot && n.block.kind == blockHeading && !n.block.asked && !asksByMark(n.block.text) {
			// A heading names the section of what is under it unless it
			// is marked as a question (one only worded as one still does).
			sub = append(append([]string(nil), path...), n.block.text)
		}
		siblingsAsk := n.childrenAsk()
		for _, c := range n.children {
			walk(c, sub, siblingsAsk)
		}
	}
	walk(root, nil, false)
	if d.structured {
		return drafts, questions, warnings
	}
	return d.closeWithIntro(drafts), questions, warnings
}

// conclusionRe matches the words that open a document's closing summary.
var conclusionRe = regexp.MustCompile(`(?i)^(?:in summary|in conclusion|to sum up|to summari[sz]e|to conclude|in short|all in all|overall|ultimately|in closing)\b`)

// closeWithIntro moves a closing summary from the last answer to the
// introduction, which is asked by the title: the paragraphs at the end of
// the last answer that open as a conclusion does ("In summary, ...").
func (d *document) closeWithIntro(drafts []docDraft) []docDraft {
	n := len(drafts)
	if n == 0 || drafts[n-1].intro {
		return drafts
	}
	last := &drafts[n-1]
	k := len(last.answer)
	for k > 1 && conclusionRe.MatchString(last.answer[k-1]) {
		k--
	}
	if k == len(last.answer) {
		return drafts
	}
	closing := last.answer[k:]
	last.answer = last.answer[:k:k]
	if drafts[0].intro {
		drafts[0].answer = append(drafts[0].answer, closing...)
		return drafts
	}
	if d.title == "" {
		last.answer = append(last.answer, closing...)
		return drafts
	}
	return append([]docDraft{{question: d.title, answer: closing, intro: true, line: last.line}}, drafts...)
}

func texts(bs []docBlock) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.text)
	}
	return out
}

// questionsIn returns the question sentences of an introduction's
// paragraphs, leaving out code and lists.
func questionsIn(paras []string) []string {
	var out []string
	for _, p := range paras {
		if strings.HasPrefix(p, "```") || strings.HasPrefix(p, "    ") || listRe.MatchString(p) {
			continue
		}
		out = append(out, questionSentences(p)...)
	}
	return out
}

// promoteBoldLines makes questions of the lines that are bold alone: every
// one that ends in a question mark, and, in a document that asks that way
// at least twice, the bold statements among them too ("**VNC uses all my
// CPU**"); each must have text after it to be its answer.
func (d *document) promoteBoldLines() {
	asked := 0
	for _, b := range d.blocks {
		if b.bold && asksByMark(b.text) {
			asked++
		}
	}
	for i := range d.blocks {
		b := &d.blocks[i]
		if !b.bold {
			continue
		}
		q, _ := boldLine(b.text)
		followed := i+1 < len(d.blocks) && d.blocks[i+1].kind == blockText && !d.blocks[i+1].bold
		if followed && (asksByMark(q) || asked >= 2 && !strings.HasSuffix(q, ":") && !strings.HasSuffix(q, "：")) {
			if q, _ = questionText(q); q != "" {
				*b = docBlock{kind: blockQuestion, text: q, line: b.line}
			}
		}
	}
}

// promoteEmphasisItems makes questions of the list items that are a line
// in emphasis alone ("1. *Why is it slow?*", "- **Can I pay later?**")
// with text after them, in a document that asks at least twice that way:
// then the ones that ask by no mark ("2. *The sensor reads nothing*") are
// questions too.
func (d *document) promoteEmphasisItems() {
	asked := 0
	for _, b := range d.blocks {
		if q, ok := emphasisItem(b.text); ok && b.item && asksByMark(unquote(q)) {
			asked++
		}
	}
	if asked < 2 {
		return
	}
	for i := range d.blocks {
		b := &d.blocks[i]
		followed := i+1 < len(d.blocks) && d.blocks[i+1].kind == blockText && !d.blocks[i+1].item
		if !b.item || !followed {
			continue
		}
		q, _ := emphasisItem(b.text)
		if q, _ = questionText(unquote(q)); q != "" {
			*b = docBlock{kind: blockQuestion, text: q, line: b.line}
		}
	}
}

// emphasisItemRe matches a list item that is one line in emphasis alone.
var emphasisItemRe = regexp.MustCompile(`^[ \t]*(?:\d{1,3}[.)]|[-*+•])[ \t]+(\*\*|__|\*|_)([^*_\n][^\n]*?)(\*\*|__|\*|_)[ \t]*$`)

// emphasisItem returns the text of a list item that is one line in
// emphasis alone.
func emphasisItem(p string) (string, bool) {
	m := emphasisItemRe.FindStringSubmatch(strings.TrimSpace(p))
	if m == nil || m[1] != m[3] || strings.Contains(m[2], m[1]) {
		return "", false
	}
	return strings.TrimSpace(m[2]), true
}

// unquote removes the quotation marks around the whole of s: "…", “…”,
// «…», 「…」.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	for _, q := range [][2]string{{`"`, `"`}, {"“", "”"}, {"„", "“"}, {"«", "»"}, {"「", "」"}, {"『", "』"}, {"'", "'"}, {"‘", "’"}} {
		if len(s) > len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) &&
			!strings.Contains(s[len(q[0]):len(s)-len(q[1])], q[0]) {
			return strings.TrimSpace(s[len(q[0]) : len(s)-len(q[1])])
		}
	}
	return s
}

// takeTitle takes the document's title from its blocks: the first heading
// when no other heading is as high, and it is not a question. A title from
// front matter is kept, and such a heading repeating it is dropped.
func (d *document) takeTitle() {
	first := -1
	for i, b := range d.blocks {
		if b.kind == blockHeading {
			first = i
			break
		}
		if b.kind == blockQuestion {
			return
		}
	}
	if first < 0 {
		return
	}
	h := d.blocks[first]
	for _, b := range d.blocks[first+1:] {
		if b.kind == blockHeading && b.level <= h.level {
			return
		}
	}
	if h.asked || asksByMark(h.text) {
		return
	}
	// Text before the title (a logo's alt text, a banner) goes under it.
	if d.title == "" || genericTitle(d.title) && !genericTitle(h.text) {
		d.title = h.text
	}
	d.blocks = append(d.blocks[:first:first], d.blocks[first+1:]...)
}

// joinQuestionRuns reads the runs of questions with no text between them.
// The questions of a run that are asked again later are the document's
// table of contents, and go, when they have no answer here. Numbered
// ones and terms left ("Q5:", "Q6:", "Q7:" over one answer; <dt> terms
// over one <dd>) share the answer under the run's last question: they
// become its other phrasings.
func (d *document) joinQuestionRuns() knowledge.Errors {
	var warnings knowledge.Errors
	later := map[string]int{} // phrasing key -> index of its last asking
	for i, b := range d.blocks {
		if b.kind != blockText {
			later[knowledge.PhrasingKey(b.text)] = i
		}
	}
	out := d.blocks[:0:0]
	for i := 0; i < len(d.blocks); {
		if d.blocks[i].kind != blockQuestion {
			out = append(out, d.blocks[i])
			i++
			continue
		}
		j := i
		for j < len(d.blocks) && d.blocks[j].kind == blockQuestion {
			j++
		}
		var kept []docBlock
		toc := 0
		for k, b := range d.blocks[i:j] {
			answered := i+k+1 < len(d.blocks) && d.blocks[i+k+1].kind == blockText
			if !answered && later[knowledge.PhrasingKey(b.text)] > i+k {
				toc++
				continue
			}
			kept = append(kept, b)
		}
		if toc > 0 {
			warnings = append(warnings, knowledge.Problemf(d.name, d.blocks[i].line, 0, "",
				"a table of contents of %d questions, each asked again below; left out", toc))
		}
		if len(kept) > 1 && j < len(d.blocks) && d.blocks[j].kind == blockText && allShare(kept) {
			q := kept[len(kept)-1]
			for _, b := range kept[:len(kept)-1] {
				q.alts = append(q.alts, append([]string{b.text}, b.alts...)...)
				warnings = append(warnings, knowledge.Problemf(d.name, b.line, 0, "",
					"question %q has no answer of its own; it shares the one of %q, as its other phrasing", knowledge.Truncate(b.text, 60), knowledge.Truncate(q.text, 60)))
			}
			kept = []docBlock{q}
		}
		out = append(out, kept...)
		i = j
	}
	d.blocks = out
	return warnings
}

// dropContents leaves out the text blocks that list the questions and
// headings asked after them, a table of contents written out as plain
// text keeps it: two or more items, most of them asked again below.
func (d *document) dropContents() knowledge.Errors {
	later := map[string]int{} // phrasing key -> index of its last asking
	for i, b := range d.blocks {
		if b.kind != blockText {
			later[knowledge.PhrasingKey(b.text)] = i
		}
	}
	var warnings knowledge.Errors
	out := d.blocks[:0:0]
	first, n := -1, 0 // the first line and item count of the contents met in a row
	flush := func() {
		if n > 0 {
			warnings = append(warnings, knowledge.Problemf(d.name, first, 0, "", "a table of contents of %d items, asked again below; left out", n))
		}
		n = 0
	}
	for i, b := range d.blocks {
		if b.kind == blockText {
			items := listItems(b.text)
			hits := 0
			for _, it := range items {
				if q, _ := questionText(it); later[knowledge.PhrasingKey(q)] > i {
					hits++
				}
			}
			if hits >= 2 && hits*5 >= len(items)*3 {
				if n == 0 {
					first = b.line
				}
				n += len(items)
				continue
			}
		}
		flush()
		out = append(out, b)
	}
	flush()
	d.blocks = out
	return warnings
}

// listItems returns the items of a list in text, each on one line: a line
// that starts with a list marker or a number starts an item, and the
// lines after it, until the next, go on with it.
func listItems(text string) []string {
	var items []string
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
		case tocItemRe.MatchString(t):
			items = append(items, tocItemRe.ReplaceAllString(t, ""))
		case len(items) > 0:
			items[len(items)-1] += " " + t
		default:
			return nil // text that is not a list
		}
	}
	return items
}

// tocItemRe matches the marker of a list item in written-out text: "*",
// "+", "-", "•", "1.", "1.1".
var tocItemRe = regexp.MustCompile(`^(?:[-*+•]|\d{1,3}(?:\.\d{1,3})*[.)]?)[ \t]+`)

// numberedLabelRe matches a numbered question label: "Q5:", "**Q12.**".
var numberedLabelRe = regexp.MustCompile(`(?i)^[ \t]*(?:[*_]{1,2})?[ \t]*(?:q|question|frage|pregunta|вопрос)[ \t]*\d`)

func allShare(bs []docBlock) bool {
	for _, b := range bs {
		if !b.shares {
			return false
		}
	}
	return true
}

// faqWords are the words that name a list of questions and nothing else,
// in the languages the matcher stems: a title made of them alone ("FAQ",
// "Frequently Asked Questions", "Häufig gestellte Fragen") says less than
// a heading that names the subject.
var faqWords = map[string]bool{
	"faq": true, "faqs": true, "frequently": true, "asked": true, "common": true, "questions": true, "question": true,
	"answers": true, "and": true, "q": true, "a": true, "list": true, "the": true,
	"häufig": true, "häufige": true, "gestellte": true, "fragen": true, "und": true, "antworten": true, "liste": true,
	"foire": true, "aux": true, "fréquentes": true, "réponses": true, "et": true,
	"preguntas": true, "frecuentes": true, "respuestas": true, "y": true,
	"domande": true, "frequenti": true, "risposte": true, "perguntas": true, "frequentes": true,
	"veelgestelde": true, "vragen": true,
}

// genericTitle reports whether a title only says that the document is a
// list of questions.
func genericTitle(t string) bool {
	words := strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) })
	for _, w := range words {
		if !faqWords[w] {
			return false
		}
	}
	return true
}

// tree arranges the blocks under their headings.
func (d *document) tree() *docNode {
	root := &docNode{block: docBlock{level: 0}}
	stack := []*docNode{root}
	var last *docNode = root // the node text goes under
	for _, b := range d.blocks {
		switch b.kind {
		case blockText:
			last.text = append(last.text, b)
		case blockHeading:
			for len(stack) > 1 && stack[len(stack)-1].block.level >= b.level {
				stack = stack[:len(stack)-1]
			}
			n := &docNode{block: b}
			parent := stack[len(stack)-1]
			parent.children = append(parent.children, n)
			stack = append(stack, n)
			last = n
		case blockQuestion:
			n := &docNode{block: b}
			parent := stack[len(stack)-1]
			parent.children = append(parent.children, n)
			last = n
		}
	}
	return root
}

// docImport turns a document read by a format's reader into a knowledge
// file: the questions with their answers, section paths, source and date.
func docImport(d *document) (*knowledge.File, ImportReport, error) {
	drafts, questions, warnings := d.build()
	rep := ImportReport{Blocks: questions}
	warnings = append(d.notes, warnings...)
	source := filepath.Base(d.name)
	if d.title != "" {
		source = knowledge.Truncate(d.title, 150) + " (" + source + ")"
	}
	f := &knowledge.File{Version: knowledge.Version, Title: knowledge.Truncate(d.title, knowledge.MaxTitleLen)}
	ids := map[string]bool{}
	seen := map[string]string{} // phrasing key -> question
	warn := func(line int, format string, args ...any) {
		warnings = append(warnings, knowledge.Problemf(d.name, line, 0, "", format, args...))
	}
	lang, stop := documentLanguage(drafts)
	f.Language = lang
	for _, dr := range drafts {
		q, answer := fitLimits(dr.question, strings.Join(dr.answer, "\n\n"), func(format string, args ...any) { warn(dr.line, format, args...) })
		if knowledge.PhrasingKey(q) == "" {
			warn(dr.line, "heading %q has no words to ask by; left out", knowledge.Truncate(q, 40))
			rep.Skipped++
			continue
		}
		section := strings.Join(dr.section, " › ")
		if other, dup := seen[knowledge.PhrasingKey(q)]; dup {
			renamed := q
			if section != "" {
				renamed = q + " (" + dr.section[len(dr.section)-1] + ")"
			}
			for n := 2; seen[knowledge.PhrasingKey(renamed)] != ""; n++ {
				renamed = fmt.Sprintf("%s (%d)", q, n)
			}
			warn(dr.line, "question %q is asked twice (as %q before); this one is renamed %q", knowledge.Truncate(q, 60), knowledge.Truncate(other, 60), renamed)
			q = renamed
		}
		seen[knowledge.PhrasingKey(q)] = q
		e := knowledge.Entry{ID: uniqueID(slugID(q, stop), ids), Question: q, Answer: answer, Section: cutRunes(section, knowledge.MaxPhrasingLen),
			Source: source, Updated: d.updated, Line: dr.line}
		for _, a := range dr.alts {
			k := knowledge.PhrasingKey(a)
			if k == "" || utf8.RuneCountInString(a) > knowledge.MaxPhrasingLen || seen[k] != "" {
				continue
			}
			seen[k] = q
			e.Alternates = append(e.Alternates, a)
		}
		f.Entries = append(f.Entries, e)
	}
	rep.Skipped += countLeftOut(warnings)
	warnings.Sort()
	rep.Warnings = warnings
	if len(f.Entries) == 0 {
		return nil, rep, knowledge.Errors{knowledge.Problemf(d.name, 0, 0, "", "found no questions to import: looked for headings, bold lines, Q:/A: labels, definition terms, HTML question classes, <details> summaries and <Q>/<A> components, each followed by its answer")}
	}
	if err := verifyImport(d.name, f); err != nil {
		return nil, rep, err
	}
	return f, rep, nil
}

// documentLanguage finds the language a document is written in: the one
// whose stop words are most of its words, when that is not English. It
// returns the language's code, for the file's language (so that the
// matcher stems and weighs the document's words as that language), and the
// stop words to leave out of the entries' ids: the language's with
// English's. For an English document, or one whose language does not stand
// out, it returns "" and nil (English alone).
func documentLanguage(drafts []docDraft) (string, func(string) bool) {
	var words []string
	for _, dr := range drafts {
		for _, t := range append([]string{dr.question}, dr.answer...) {
			words = append(words, strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) })...)
		}
		if len(words) > 3000 {
			break
		}
	}
	best, bestHits, english := "", 0, 0
	var bestStop func(string) bool
	for _, code := range knowledge.Languages() {
		stop, err := match.StopWords(code)
		if err != nil {
			continue
		}
		hits := 0
		for _, w := range words {
			if stop(w) {
				hits++
			}
		}
		if code == "en" {
			english = hits
		}
		if hits > bestHits {
			best, bestHits, bestStop = code, hits, stop
		}
	}
	// A language stands out when its stop words are a tenth of the words
	// and clearly more than English's.
	if best == "" || best == "en" || bestHits*10 < len(words) || bestHits*4 < english*5 {
		return "", nil
	}
	// English's own stop words stay: a document in one language often
	// asks a few of its questions in English.
	return best, func(w string) bool { return idStopWords[w] || bestStop(w) }
}

// countLeftOut counts the warnings that say a block was left out.
func countLeftOut(ws knowledge.Errors) int {
	n := 0
	for _, w := range ws {
		if strings.HasSuffix(w.Message, "left out") || strings.Contains(w.Message, "left out (") {
			n++
		}
	}
	return n
}

// cutRunes cuts s to at most n characters, at a space where it can.
func cutRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut)
}

// cutAnswer cuts an answer to at most n characters, at the end of a
// paragraph where it can.
// fitLimits cuts a question and its answer to the loader's limits, so that
// nothing is dropped: a question that is too long is cut and given whole at
// the top of its answer, and an answer that is too long is cut at a
// paragraph. Each cut is a warning.
func fitLimits(question, answer string, warn func(format string, args ...any)) (string, string) {
	q := cutRunes(question, knowledge.MaxPhrasingLen)
	if q != question {
		warn("question %q is longer than %d characters; cut, and given whole at the top of its answer", knowledge.Truncate(question, 40), knowledge.MaxPhrasingLen)
		answer = question + "\n\n" + answer
	}
	if n := utf8.RuneCountInString(answer); n > knowledge.MaxAnswerLen {
		answer = cutAnswer(answer, knowledge.MaxAnswerLen)
		warn("the answer to %q is %d characters long; cut to %d, the most an answer may have", knowledge.Truncate(q, 40), n, utf8.RuneCountInString(answer))
	}
	return q, answer
}

// cutAnswer cuts s to at most n characters, at a paragraph break when one
// falls in the second half.
func cutAnswer(s string, n int) string {
	cut := string([]rune(s)[:n])
	if i := strings.LastIndex(cut, "\n\n"); i > len(cut)/2 {
		return strings.TrimSpace(cut[:i])
	}
	return cutRunes(s, n)
}

// ImportReport says what an import found: how many question blocks, how
// many it left out, and every warning.
type ImportReport struct {
	// Blocks counts the questions and headings found that could be entries.
	Blocks int
	// Skipped counts the blocks left out.
	Skipped int
	// Warnings say what was left out or changed, with lines.
	Warnings knowledge.Errors
}

// Summary is the one line an import ends with: "42 entries from 44
// question blocks; 2 skipped: ...".
func (r ImportReport) Summary(entries int) string {
	s := fmt.Sprintf("%d entries from %d question blocks", entries, max(r.Blocks, entries))
	if r.Skipped == 0 {
		return s
	}
	var why []string
	for _, w := range r.Warnings {
		if strings.Contains(w.Message, "left out") && len(why) < 3 {
			why = append(why, fmt.Sprintf("line %d: %s", w.Line, w.Message))
		}
	}
	s += fmt.Sprintf("; %d skipped: %s", r.Skipped, strings.Join(why, "; "))
	if r.Skipped > len(why) {
		s += "; ..."
	}
	return s
}

// qaColumns finds the columns of a table that hold questions and their
// answers: the ones its header names so ("Question" and "Answer", "Q" and
// "A", in the languages the data keys know), or else, in a table with no
// such header, a first column whose every cell asks. header is nil for a
// table without one.
func qaColumns(header []string, rows [][]string) (q, a int, ok bool) {
	q, a = -1, -1
	for i, h := range header {
		k := dataKey(stripEmphasis(strings.TrimSpace(h)))
		switch {
		case q < 0 && (slices.Contains(dataQuestionKeys, k) || strings.Contains(k, "question") || strings.Contains(k, "frage")):
			q = i
		case a < 0 && slices.Contains(dataAnswerKeys, k):
			a = i
		}
	}
	if q >= 0 && a >= 0 {
		return q, a, true
	}
	if len(rows) < 2 {
		return 0, 0, false
	}
	for _, r := range rows {
		if len(r) < 2 || !strings.HasSuffix(strings.TrimSpace(stripEmphasis(strings.TrimSpace(r[0]))), "?") {
			return 0, 0, false
		}
	}
	return 0, 1, true
}

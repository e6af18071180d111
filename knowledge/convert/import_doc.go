package convert

import (
	"strings"

	"github.com/faqbot/faqbot/internal/lazyregexp"
	"github.com/faqbot/faqbot/knowledge"
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

// The methods below are what a format's reader calls to add what it
// reads; each leaves out what has no words.

// note records what the reader left out, at its line.
func (d *document) note(line int, format string, args ...any) {
	d.notes = append(d.notes, knowledge.Problemf(d.name, line, 0, "", format, args...))
}

// heading adds a heading; one that is an answer label under a question
// ("#### A: ...") is answer text instead, and one marked as a question
// ("## Q: ...") is asked.
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

// question adds a question found by its form, its label taken off.
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

// answer adds answer text, in Markdown.
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
// after it, or a line that is bold alone. A line with a question label
// starts a new pair, as in plain text (textReader.chunks): "Q:"/"A:" pairs
// with no blank line between them are one entry each. A paragraph under
// a heading that asks, and that starts with no label, is that heading's
// answer whole: a line of it that begins "question:" is prose, or a
// template the answer quotes.
func (d *document) paragraph(line int, markdown string) {
	lines := strings.Split(strings.Trim(markdown, "\n"), "\n")
	if n := len(d.blocks); n > 0 && d.blocks[n-1].kind == blockHeading && d.lastIsQuestion() && !hasQuestionLabel(lines[0]) {
		d.pair(line, lines)
		return
	}
	start := 0
	for i := 1; i <= len(lines); i++ {
		if i == len(lines) || hasQuestionLabel(lines[i]) {
			d.pair(line+start, lines[start:i])
			start = i
		}
	}
}

// pair reads the part of a paragraph that a question label may start:
// only its first line can have one.
func (d *document) pair(line int, lines []string) {
	for len(lines) > 1 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	markdown := strings.Join(lines, "\n")
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
			d.pair(line+n, lines[n:])
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
	if _, ok := boldLine(markdown); ok {
		d.blocks = append(d.blocks, docBlock{kind: blockText, text: strings.TrimSpace(markdown), line: line, bold: true})
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

// trimAll returns the strings that are not blank, trimmed of spaces.
func trimAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// numberedLabelRe matches a numbered question label: "Q5:", "**Q12.**".
var numberedLabelRe = lazyregexp.New(`(?i)^[ \t]*(?:[*_]{1,2})?[ \t]*(?:q|question|frage|pregunta|вопрос)[ \t]*\d`)

package convert

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/faqbot/faqbot/internal/lazyregexp"
)

var (
	// A numbered paragraph at the left margin: "3. I installed CMB and ...".
	numberedParaRe = lazyregexp.New(`^\d{1,3}[.)][ \t]+\S`)
	// A numbered question on a line of its own: "3. Can I keep a pet?".
	numberedQuestionLineRe = lazyregexp.New(`^[ \t]*\d{1,3}[.)][ \t]+\S.*\?[ \t]*$`)
	// A banner rule: "-----", "=====", "*****".
	bannerRe = lazyregexp.New(`^[ \t]*[-=*#~_]{3,}[ \t]*$`)
	// A setext underline: "=====" under a title, "-----" under a subtitle.
	underlineRe = lazyregexp.New(`^[ \t]*(?:={3,}|-{3,})[ \t]*$`)
)

// Heading levels of plain text, which has no markup to say them: a title
// underlined with "=" is over one underlined with "-", which is over a
// heading known by its look alone.
const (
	textLevelEquals = 1
	textLevelDashes = 2
	textLevelBare   = 3
)

// versionLineRe matches a version control stamp: "$Id: ... $", "$Revision$".
var versionLineRe = lazyregexp.New(`^\(?\$(?:Id|Revision|Date|Header)\b[^$]*\$\)?$`)

// textParagraph is a run of non-blank lines of plain text.
type textParagraph struct {
	line   int // 1-based
	indent int
	lines  []string
}

// textParagraphs splits plain text into paragraphs.
func textParagraphs(src string) []textParagraph {
	var out []textParagraph
	var cur *textParagraph
	for i, l := range strings.Split(src, "\n") {
		l = strings.TrimRight(normalizeText(l), " \t")
		if strings.TrimSpace(l) == "" {
			cur = nil
			continue
		}
		if cur == nil {
			out = append(out, textParagraph{line: i + 1, indent: indentOf(l)})
			cur = &out[len(out)-1]
		}
		cur.lines = append(cur.lines, l)
	}
	return out
}

// numberedQuestions counts the numbered paragraphs at the left margin that
// stand over an indented answer: the form of a plain-text FAQ whose
// questions are numbered, whatever they look like (ALL CAPS, wrapped over
// lines, ending in "!" or in nothing).
func numberedQuestions(ps []textParagraph) int {
	n := 0
	for i := range ps {
		if numberedOverIndented(ps, i) {
			n++
		}
	}
	return n
}

func numberedOverIndented(ps []textParagraph, i int) bool {
	p := ps[i]
	return p.indent == 0 && numberedParaRe.MatchString(p.lines[0]) && i+1 < len(ps) && ps[i+1].indent > 0
}

// readText reads a plain-text FAQ into a document. Plain text has no
// markup, so its questions are found by their form:
//
//   - a numbered paragraph at the margin over an indented answer, in a
//     document that asks at least twice that way;
//   - label pairs, "Q:"/"A:" and their like in the languages the matcher
//     stems, a question running to its answer label or its end;
//   - a line ending in "?" (or two, when the question is wrapped) with the
//     answer after it; a line ending in "!" that stands apart;
//   - a heading: a title underlined with === or ---, an ALL-CAPS line, or a
//     short capitalised line with no final punctuation standing apart from
//     the paragraph after it. A heading over text is an entry asked by the
//     heading; a heading over questions groups them.
//
// A banner (a rule, a title, a rule) or a line standing alone at the top
// is the title, and a line that only gives a date dates the document. Text
// right after a question answers it, whatever it looks like.
func readText(name, src string) *document {
	r := &textReader{d: &document{name: name}, ps: textParagraphs(src)}
	r.numbered = numberedQuestions(r.ps) >= 2
	for i := range r.ps {
		r.paragraph(i)
	}
	r.settleHeadings()
	return r.d
}

// textReader reads plain text paragraph by paragraph.
type textReader struct {
	d        *document
	ps       []textParagraph
	numbered bool // the document asks by numbered paragraphs over indented answers
}

// textChunk is a paragraph, or the part of one between question labels
// and underlined titles.
type textChunk struct {
	line  int
	lines []string
}

// paragraph reads the i-th paragraph.
func (r *textReader) paragraph(i int) {
	p := r.ps[i]
	if i == 0 && r.banner(p) {
		return
	}
	if r.numbered && numberedOverIndented(r.ps, i) {
		r.d.question(p.line, strings.Join(trimAll(p.lines), " "))
		return
	}
	if r.numbered && p.indent > 0 {
		r.d.answer(p.line, strings.Join(dedent(p.lines), "\n"))
		return
	}
	chunks := r.chunks(p)
	for k, c := range chunks {
		last := k == len(chunks)-1
		// A numbered question line alone in its chunk stands apart: the
		// chunks were cut at such lines.
		r.chunk(c, last && r.textFollows(i) || !last && numberedQuestionLineRe.MatchString(c.lines[0]))
	}
}

// banner takes a title between two rules at the top of the document.
func (r *textReader) banner(p textParagraph) bool {
	if len(p.lines) < 3 || !bannerRe.MatchString(p.lines[0]) {
		return false
	}
	var title []string
	for _, l := range p.lines[1:] {
		if bannerRe.MatchString(l) {
			r.d.title = strings.Join(title, " ")
			return r.d.title != ""
		}
		title = append(title, strings.TrimSpace(strings.Trim(strings.TrimSpace(l), "-=*#~_ ")))
	}
	return false
}

// chunks splits a paragraph before each question label and around each
// underlined title, dropping the date lines at the top of the document
// (after taking the date) and the rules.
func (r *textReader) chunks(p textParagraph) []textChunk {
	var out []textChunk
	var cur *textChunk
	// Numbered questions with no blank line between them and their
	// answers, as a word processor's export writes them, each start a
	// chunk when there are two or more.
	numbered := 0
	for _, l := range p.lines {
		if numberedQuestionLineRe.MatchString(l) {
			numbered++
		}
	}
	for j, l := range p.lines {
		line := p.line + j
		t := strings.TrimSpace(l)
		switch {
		case len(r.d.blocks) == 0 && (cur == nil || line <= 5) && isDateLine(t):
			if r.d.updated == "" {
				r.d.updated, _ = findDate(t)
			}
			continue
		case underlineRe.MatchString(l) && cur != nil && len(cur.lines) > 0 && !bannerRe.MatchString(cur.lines[len(cur.lines)-1]):
			// The line above is a title: it stands alone.
			title := cur.lines[len(cur.lines)-1]
			cur.lines = cur.lines[:len(cur.lines)-1]
			if len(cur.lines) == 0 {
				out = out[:len(out)-1]
			}
			level := textLevelDashes
			if strings.TrimSpace(l)[0] == '=' {
				level = textLevelEquals
			}
			r.flush(out)
			out = out[:0]
			r.d.heading(line-1, level, title)
			cur = nil
			continue
		case bannerRe.MatchString(l):
			cur = nil
			continue
		case cur == nil || hasQuestionLabel(l) || numbered >= 2 && numberedQuestionLineRe.MatchString(l):
			out = append(out, textChunk{line: line})
			cur = &out[len(out)-1]
		}
		cur.lines = append(cur.lines, l)
	}
	return out
}

// flush reads chunks that come before an underlined title.
func (r *textReader) flush(cs []textChunk) {
	for _, c := range cs {
		r.chunk(c, false)
	}
}

// textFollows reports whether the paragraph after the i-th is text rather
// than a question label, so that a line standing alone before it may be a
// heading.
func (r *textReader) textFollows(i int) bool {
	if i+1 >= len(r.ps) {
		return false
	}
	next := r.ps[i+1].lines
	return !hasQuestionLabel(next[0]) && !(len(next) > 1 && underlineRe.MatchString(next[1]))
}

func hasQuestionLabel(l string) bool {
	_, ok := cutQuestionLabel(l)
	return ok
}

// chunk reads a chunk: a labelled question or answer, a question or
// heading with its answer, or answer text.
func (r *textReader) chunk(c textChunk, textNext bool) {
	if len(c.lines) == 0 {
		return
	}
	text := strings.Join(dedent(c.lines), "\n")
	// Text after a question answers it, whatever it looks like, but for a
	// numbered question: the one before had no answer.
	if hasQuestionLabel(c.lines[0]) || hasAnswerLabel(c.lines[0]) || r.answering() && !numberedQuestionLineRe.MatchString(c.lines[0]) {
		r.d.paragraph(c.line, text)
		return
	}
	trimmed := trimAll(c.lines)
	if len(r.d.blocks) == 0 && r.d.title == "" && len(trimmed) == 1 && isTitleLike(trimmed[0]) {
		r.d.title = stripEmphasis(trimmed[0]) // a line standing alone at the top
		return
	}
	if len(r.d.blocks) == 0 && r.d.title == "" && len(trimmed) == 2 && isTitleLike(trimmed[0]) && genericTitle(trimmed[1]) {
		// A name over "Frequently Asked Questions" at the top.
		r.d.title = stripEmphasis(trimmed[0]) + " " + stripEmphasis(trimmed[1])
		return
	}
	if len(r.d.blocks) == 0 && r.d.title == "" && len(trimmed) == 2 && isTitleLike(trimmed[0]) && versionLineRe.MatchString(trimmed[1]) {
		// A title over its version control stamp: "($Id: FAQ,v 1.14 ... $)".
		r.d.title = stripEmphasis(trimmed[0])
		return
	}
	if n, kind := textQuestion(trimmed, textNext); n > 0 {
		q := strings.Join(trimmed[:n], " ")
		if kind == blockQuestion {
			r.d.question(c.line, q)
		} else {
			r.d.heading(c.line, textLevelBare, q)
		}
		if n < len(c.lines) {
			r.d.paragraph(c.line+n, strings.Join(dedent(c.lines[n:]), "\n")) // "A: ..." under it
		}
		return
	}
	r.d.answer(c.line, text)
}

// answering reports whether the last block is a question still without its
// answer: the text after it answers it, whatever it looks like.
func (r *textReader) answering() bool {
	n := len(r.d.blocks)
	return n > 0 && r.d.blocks[n-1].kind == blockQuestion
}

// textQuestion reports how many of a chunk's first lines are a question
// or heading standing apart from the text after them, and which; 0 when
// they are not. textNext says that text follows the chunk, for a chunk
// that is all question.
func textQuestion(lines []string, textNext bool) (int, blockKind) {
	first := stripEmphasis(lines[0])
	if !startsLikeHeading(questionNumberRe.ReplaceAllString(first, "")) {
		return 0, 0
	}
	// A question wrapped over two lines: the first does not end a sentence.
	n := 1
	if !isQuestionForm(first) && len(lines) > 1 && strings.HasSuffix(stripEmphasis(lines[1]), "?") &&
		!strings.ContainsAny(strings.TrimRight(questionNumberRe.ReplaceAllString(first, ""), " "), ".!?:;") {
		n = 2
	}
	q := stripEmphasis(strings.Join(lines[:n], " "))
	apart := func() bool {
		if n == len(lines) {
			return textNext
		}
		return !unicode.IsLower(firstRune(lines[n]))
	}
	words := len(strings.Fields(q))
	switch {
	case utf8.RuneCountInString(q) > 200 || words > 30:
		return 0, 0
	case asksByMark(q) && apart():
		return n, blockQuestion
	case n > 1:
		return 0, 0
	case isAllCaps(q) && apart():
		if strings.HasSuffix(q, "!") {
			return 1, blockQuestion
		}
		return 1, blockHeading
	case strings.HasSuffix(q, "!") && words >= 2 && (len(lines) == 1 && textNext || len(lines) > 1 && startsHeadingBody(q, lines[1:])):
		return 1, blockQuestion
	case words > 12 || utf8.RuneCountInString(q) > 100 || strings.ContainsRune(".,;:!", lastRune(q)):
		return 0, 0
	case len(lines) == 1 && textNext || len(lines) > 1 && startsHeadingBody(q, lines[1:]):
		return 1, blockHeading
	}
	return 0, 0
}

// startsLikeHeading reports whether a line may open a question or heading:
// it starts with a capital, a letter of a script with no case, a digit or
// an opening quote or mark, and is not a list item or markup.
func startsLikeHeading(s string) bool {
	if s == "" || listRe.MatchString(s) || strings.HasPrefix(s, "<") {
		return false
	}
	first := firstRune(s)
	// A letter of a script with no case (Chinese, Japanese, Arabic, ...)
	// may open one too.
	return unicode.IsUpper(first) || unicode.IsDigit(first) || strings.ContainsRune(`"'“‘¿¡「『`, first) ||
		unicode.IsLetter(first) && !unicode.IsLower(first) && unicode.ToUpper(first) == first && unicode.ToLower(first) == first
}

// isTitleLike reports whether a line can be a document's title: short,
// capitalised, and not a sentence or a question.
func isTitleLike(s string) bool {
	s = stripEmphasis(s)
	return startsLikeHeading(s) && len(strings.Fields(s)) <= 12 && utf8.RuneCountInString(s) <= 100 &&
		!strings.ContainsRune(".,;:!?", lastRune(s))
}

// isQuestionForm reports whether s ends as a question or an exclamation.
func isQuestionForm(s string) bool {
	return asksByMark(s) || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "！")
}

// isAllCaps reports whether s has at least two words and four letters, all
// of them capitals.
func isAllCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 4 && len(strings.Fields(s)) >= 2
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// startsHeadingBody reports whether first stands apart from the lines after
// it rather than being the first line of a wrapped paragraph: the next line
// does not go on in lower case, and its first word would have fitted on the
// first line.
func startsHeadingBody(first string, rest []string) bool {
	next := strings.TrimSpace(rest[0])
	if unicode.IsLower(firstRune(next)) {
		return false
	}
	width := 0
	for _, l := range rest {
		width = max(width, utf8.RuneCountInString(strings.TrimSpace(l)))
	}
	word := next
	if i := strings.IndexFunc(next, unicode.IsSpace); i > 0 {
		word = next[:i]
	}
	return float64(utf8.RuneCountInString(first)+1+utf8.RuneCountInString(word)) <= 0.8*float64(width) ||
		len(rest) == 1 && utf8.RuneCountInString(first) < width
}

// settleHeadings makes a question of each heading known by its look alone
// that has text right under it: a topic with its own answer. One with
// questions or headings under it stays a heading and groups them.
func (r *textReader) settleHeadings() {
	bs := r.d.blocks
	for i := range bs {
		if bs[i].kind == blockHeading && bs[i].level == textLevelBare && i+1 < len(bs) && bs[i+1].kind == blockText {
			bs[i].kind = blockQuestion
		}
	}
}

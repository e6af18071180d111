package convert

import (
	"regexp"
	"strings"
)

var (
	// A numbered paragraph at the left margin: "3. I installed CMB and ...".
	numberedParaRe = regexp.MustCompile(`^\d{1,3}[.)][ \t]+\S`)
	// A banner rule: "-----", "=====", "*****".
	bannerRe = regexp.MustCompile(`^[ \t]*[-=*#~_]{3,}[ \t]*$`)
)

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
	for i, p := range ps {
		if p.indent == 0 && numberedParaRe.MatchString(p.lines[0]) && i+1 < len(ps) && ps[i+1].indent > 0 {
			n++
		}
	}
	return n
}

// readNumberedText reads a plain-text FAQ of numbered questions, each over
// its indented answer. A line between two banner rules at the top is the
// title; text before the first question is its introduction.
func readNumberedText(name, src string) *document {
	d := &document{name: name}
	ps := textParagraphs(src)
	for i, p := range ps {
		lines := p.lines
		if i == 0 && len(lines) >= 2 && bannerRe.MatchString(lines[0]) {
			// A banner: rule, title, rule.
			var title []string
			for _, l := range lines[1:] {
				if bannerRe.MatchString(l) {
					break
				}
				title = append(title, strings.TrimSpace(strings.Trim(strings.TrimSpace(l), "-=*#~_ ")))
			}
			d.title = strings.Join(title, " ")
			continue
		}
		if p.indent == 0 && numberedParaRe.MatchString(lines[0]) && i+1 < len(ps) && ps[i+1].indent > 0 {
			d.question(p.line, strings.Join(trimAll(lines), " "))
			continue
		}
		d.answer(p.line, strings.Join(dedent(lines), "\n"))
	}
	return d
}

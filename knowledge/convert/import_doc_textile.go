package convert

import (
	"html"
	"strings"

	"github.com/faqbot/faqbot/internal/lazyregexp"
)

var (
	// A block signature, with its attributes: "h2.", "h3(#id).", "p{color:red}.",
	// "bc..", "bq.", "pre.", "notextile.", "fn1.".
	textileBlockRe = lazyregexp.New(`^(h[1-6]|p|bq|bc|pre|notextile|fn\d+)((?:\([^)]*\)|\{[^}]*\}|\[[^\]]*\]|[<>=]+)*)(\.\.?)(?:[ \t]+(.*))?$`)
	// A list item: "* item", "# item", "** nested".
	textileListRe = lazyregexp.New(`^([*#]+)[ \t]+(.*)$`)

	textileLinkRe   = lazyregexp.New(`"([^"\n]+)":([^\s"<>]+?)([.,;:!?)]*(?:\s|$))`)
	textileImageRe  = lazyregexp.New(`!([^\s!()]+)(?:\(([^)]*)\))?!(?::(\S+))?`)
	textileStrongRe = lazyregexp.New(`(^|[\s('"{\[>-])\*([^\s*](?:[^*\n]*?[^\s*])?)\*([\s.,;:!?)'"}\]<-]|$)`)
	textileEmRe     = lazyregexp.New(`(^|[\s('"{\[>-])_([^\s_](?:[^_\n]*?[^\s_])?)_([\s.,;:!?)'"}\]<-]|$)`)
	textileCodeRe   = lazyregexp.New(`(^|[\s('"{\[>-])@(\S(?:[^@\n]*?\S)?)@([\s.,;:!?)'"}\]<-]|$)`)
	textileBreakRe  = lazyregexp.New(`(?i)<br\s*/?>\n?`)
	textileEmTagRe  = lazyregexp.New(`(?i)</?(?:em|i)>`)
	textileBTagRe   = lazyregexp.New(`(?i)</?(?:strong|b)>`)
	textileCDATARe  = lazyregexp.New(`<!\[CDATA\[|\]\]>`)
)

// readTextile reads a Textile document, as Redmine, Jekyll and old GitHub
// pages keep them: "h1."-"h6." headings, "p." and plain paragraphs, "bc."
// and "pre." code (and "bc.." over several paragraphs), "bq." quotes,
// "*"/"#" lists, and HTML <pre> and <script> code blocks, with YAML front
// matter taken for the title. Inline markup becomes Markdown: *strong*,
// _emphasis_, @code@, "text":url links and !image! images. A paragraph or
// list item is read for the question forms a paragraph can have ("Q:",
// "*Question*:", a bold question).
func readTextile(name, src string, lf linkFixer) *document {
	d := &document{name: name}
	lines := strings.Split(d.frontMatter(src), "\n")
	var para []string
	at := 0
	inList := false // para is a list
	flush := func() {
		if len(para) > 0 {
			d.paragraph(at, cleanAnswer(textileInline(strings.Join(para, "\n")), lf))
			para = nil
		}
		inList = false
	}
	add := func(ln int, l string) {
		if len(para) == 0 {
			at = ln
		}
		para = append(para, l)
	}
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t")
		t := strings.TrimSpace(l)
		ln := i + 1
		m := textileBlockRe.FindStringSubmatch(l)
		switch {
		case t == "":
			flush()
		case m != nil:
			flush()
			i = readTextileBlock(d, lines, i, m, lf)
		case strings.HasPrefix(strings.ToLower(t), "<pre") || strings.HasPrefix(strings.ToLower(t), "<script"):
			flush()
			tag := "</pre>"
			if strings.HasPrefix(strings.ToLower(t), "<script") {
				tag = "</script>"
			}
			var body []string
			for ; i < len(lines); i++ {
				body = append(body, lines[i])
				if strings.Contains(strings.ToLower(lines[i]), tag) {
					break
				}
			}
			d.answer(ln, textileCode(strings.Join(body, "\n")))
		case textileListRe.MatchString(l):
			lm := textileListRe.FindStringSubmatch(l)
			item := lm[2]
			if _, ok := cutQuestionLabel(textileInline(item)); ok || hasAnswerLabel(textileInline(item)) {
				flush()
				add(ln, item) // a labelled question or answer, bulleted
				continue
			}
			if !inList {
				flush()
			}
			marker := "- "
			if lm[1][0] == '#' {
				marker = "1. "
			}
			add(ln, strings.Repeat("  ", len(lm[1])-1)+marker+item)
			inList = true
		default:
			add(ln, strings.TrimLeft(l, " \t"))
		}
	}
	flush()
	return d
}

// readTextileBlock reads the block whose signature is on lines[i] and
// returns the index of its last line.
func readTextileBlock(d *document, lines []string, i int, m []string, lf linkFixer) int {
	kind, extended, first := m[1], m[3] == "..", m[4]
	body := []string{first}
	j := i + 1
	for ; j < len(lines); j++ {
		t := strings.TrimSpace(lines[j])
		if extended && textileBlockRe.MatchString(lines[j]) || !extended && t == "" {
			break
		}
		body = append(body, strings.TrimRight(lines[j], " \t"))
	}
	if extended {
		for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
			body = body[:len(body)-1]
		}
	}
	text := strings.Join(body, "\n")
	switch {
	case kind[0] == 'h' && len(kind) == 2:
		d.heading(i+1, int(kind[1]-'0'), plainInline(textileInline(text)))
	case kind == "bc" || kind == "pre":
		d.answer(i+1, "```\n"+html.UnescapeString(strings.Join(dedent(body), "\n"))+"\n```")
	case kind == "bq":
		q := cleanAnswer(textileInline(text), lf)
		d.answer(i+1, "> "+strings.ReplaceAll(q, "\n", "\n> "))
	default:
		d.paragraph(i+1, cleanAnswer(textileInline(text), lf))
	}
	return j - 1
}

// textileCode turns an HTML code block (<pre><code>, or a syntax
// highlighter's <script> with CDATA) into a fenced one.
func textileCode(block string) string {
	block = textileCDATARe.ReplaceAllString(block, "")
	block = htmlTagRe.ReplaceAllString(block, "")
	lines := dedent(strings.Split(html.UnescapeString(block), "\n"))
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return "```\n" + strings.Join(lines, "\n") + "\n```"
}

// textileInline turns Textile's inline markup into Markdown.
func textileInline(s string) string {
	s = textileBreakRe.ReplaceAllString(s, "\n")
	s = textileEmTagRe.ReplaceAllString(s, "_")
	s = textileBTagRe.ReplaceAllString(s, "**")
	s = textileImageRe.ReplaceAllStringFunc(s, func(m string) string {
		sm := textileImageRe.FindStringSubmatch(m)
		return "![" + sm[2] + "](" + sm[1] + ")"
	})
	s = textileLinkRe.ReplaceAllString(s, "[$1]($2)$3")
	s = textileCodeRe.ReplaceAllString(s, "$1`$2`$3")
	s = textileStrongRe.ReplaceAllString(s, "$1**$2**$3")
	s = textileEmRe.ReplaceAllString(s, "$1*$2*$3")
	return html.UnescapeString(s)
}
